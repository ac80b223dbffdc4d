"""Read the catalog's YAML files, validate them, and cache the result."""

from functools import lru_cache
from pathlib import Path
from typing import Any

from candor.catalog.catalog import Catalog, iter_names
from candor.catalog.schema import AliasEntry, IdentifierEntry, PermissionEntry, PermissionPhrase, SdkEntry
from candor.errors import CatalogError
from candor.model.record import Record
from candor.model.vocab import IDENTIFIER_IDS
from candor.normalize import normalize_name

DATA_DIR = Path(__file__).parent / "data"


def read_yaml_list(path: Path) -> list[Any]:
    """A YAML file whose top level is a list (an empty file is an empty list)."""
    import yaml  # only when the catalog is (re)built from its YAML files

    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise CatalogError(f"{path}:{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if loaded is None:
        return []
    if not isinstance(loaded, list):
        raise CatalogError(f"{path}: expected a list of entries at the top level")
    return loaded


def validate_entries[M: Record](path: Path, raw: list[Any], model: type[M]) -> list[M]:
    """Validate raw entries, naming the file, entry and field of the first problem."""
    from pydantic import ValidationError  # only when the catalog is compiled from its YAML files

    entries = []
    for index, item in enumerate(raw):
        try:
            entries.append(model.model_validate(item))
        except ValidationError as exc:
            label = item.get("id") or item.get("name") if isinstance(item, dict) else None
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or "entry"
            raise CatalogError(
                f"{path.name}: entry {index + 1}{f' ({label})' if label else ''}: {field}: {error['msg']}"
            ) from None
    return entries


def add_policy_spellings(path: Path, sdks: list[SdkEntry]) -> None:
    """Merge aliases.yaml (spellings seen in real policies, OCR slips) into the SDK entries."""
    if not path.exists():
        return
    by_id = {sdk.id: sdk for sdk in sdks}
    for extra in validate_entries(path, read_yaml_list(path), AliasEntry):
        sdk = by_id.get(extra.sdk)
        if sdk is None:
            raise CatalogError(f"{path.name}: aliases for unknown SDK id {extra.sdk!r}")
        sdk.aliases.extend(a for a in extra.aliases if a not in sdk.aliases)


def check_sdks(sdks: list[SdkEntry]) -> None:
    """Cross-entry rules: unique ids, and no name, prefix, host or key claimed twice."""
    ids: set[str] = set()
    for sdk in sdks:
        if sdk.id in ids:
            raise CatalogError(f"SDK id {sdk.id!r} is defined twice")
        ids.add(sdk.id)
    for sdk in sdks:
        if sdk.family and sdk.family not in ids:
            raise CatalogError(f"SDK {sdk.id!r}: family {sdk.family!r} is not a catalog id")
    _unique("name or alias", ((i, normalize_name(n)) for i, n in iter_names(sdks) if normalize_name(n)))
    _unique("package prefix", ((s.id, p) for s in sdks for p in s.packages))
    _unique("component prefix", ((s.id, p) for s in sdks for p in s.components))
    _unique("domain", ((s.id, d) for s in sdks for d in s.domains))
    _unique("meta-data key", ((s.id, k) for s in sdks for k in s.meta_data))
    _unique("native library", ((s.id, n) for s in sdks for n in s.native_libs))


def _unique(what: str, pairs) -> None:
    owners: dict[str, str] = {}
    for owner, value in pairs:
        previous = owners.setdefault(value, owner)
        if previous != owner:
            raise CatalogError(f"{what} {value!r} is claimed by both {previous!r} and {owner!r}")


def check_identifiers(identifiers: list[IdentifierEntry]) -> None:
    seen = [i.id for i in identifiers]
    missing = sorted(set(IDENTIFIER_IDS) - set(seen))
    if missing:
        raise CatalogError(f"identifiers.yaml: missing identifier(s): {', '.join(missing)}")
    if len(seen) != len(set(seen)):
        raise CatalogError("identifiers.yaml: an identifier is defined twice")


def check_phrases(phrases: list[PermissionPhrase], permissions: dict[str, PermissionEntry]) -> None:
    for entry in phrases:
        for name in entry.permissions:
            if name not in permissions:
                raise CatalogError(f"permission_phrases.yaml: {entry.phrases[0]!r} names unknown permission {name!r}")


def load_from(data_dir: Path, trackers: Path | None = None) -> Catalog:
    """Load and validate a catalog from a data folder, optionally merging Exodus trackers."""
    sdk_files = sorted((data_dir / "sdks").glob("*.yaml"))
    sdks = [e for f in sdk_files for e in validate_entries(f, read_yaml_list(f), SdkEntry)]
    add_policy_spellings(data_dir / "aliases.yaml", sdks)
    check_sdks(sdks)
    permission_file = data_dir / "permissions.yaml"
    permissions = {p.name: p for p in validate_entries(permission_file, read_yaml_list(permission_file), PermissionEntry)}
    phrase_file = data_dir / "permission_phrases.yaml"
    phrases = validate_entries(phrase_file, read_yaml_list(phrase_file), PermissionPhrase)
    check_phrases(phrases, permissions)
    identifier_file = data_dir / "identifiers.yaml"
    identifiers = validate_entries(identifier_file, read_yaml_list(identifier_file), IdentifierEntry)
    check_identifiers(identifiers)
    catalog = Catalog(
        sdks={s.id: s for s in sdks},
        permissions=permissions,
        permission_phrases=phrases,
        identifiers={i.id: i for i in identifiers},
    )
    if trackers is not None:
        from candor.catalog.exodus import merge_trackers

        merge_trackers(catalog, trackers)
    return catalog


@lru_cache(maxsize=8)
def load_catalog(trackers: Path | None = None) -> Catalog:
    """The bundled catalog, plus an optional Exodus tracker file: cached per process, and compiled once on
    disk across runs (candor.catalog.cache, keyed by the content of every file it depends on)."""
    from candor.catalog.cache import cached_catalog

    return cached_catalog(DATA_DIR, trackers, lambda: load_from(DATA_DIR, trackers))
