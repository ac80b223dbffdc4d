"""The catalog for the current command: bundled data plus any --trackers file."""

from pathlib import Path

from candor.catalog.catalog import Catalog
from candor.catalog.loader import load_catalog

_trackers: Path | None = None


def use_trackers(path: Path | None) -> None:
    """Make every later `current_catalog()` include this Exodus tracker file."""
    global _trackers
    _trackers = path


def current_catalog() -> Catalog:
    """The catalog every part should use (cached)."""
    return load_catalog(_trackers)


def trackers_file() -> Path | None:
    """The Exodus tracker file this command merges (--trackers), or None; worker processes load the same one."""
    return _trackers
