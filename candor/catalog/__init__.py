"""The SDK / permission / identifier catalog: one source of truth for every part."""

from candor.catalog.catalog import Catalog, SearchHit
from candor.catalog.loader import DATA_DIR, load_catalog, load_from
from candor.catalog.matchers import NameMatch
from candor.catalog.schema import IdentifierEntry, PermissionEntry, PermissionPhrase, SdkEntry

__all__ = [
    "DATA_DIR",
    "Catalog",
    "IdentifierEntry",
    "NameMatch",
    "PermissionEntry",
    "PermissionPhrase",
    "SdkEntry",
    "SearchHit",
    "load_catalog",
    "load_from",
]
