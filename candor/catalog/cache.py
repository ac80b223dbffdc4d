"""A compiled catalog on disk, so a command does not re-read and re-validate the YAML on every run.

The cache file is keyed by a hash of every catalog data file, the code that defines and compiles the
catalog (with the record and vocabulary modules), the Python version, and the user's `--trackers` file: any change gives a new key.
It lives in the user cache directory (`CANDOR_CACHE_DIR` overrides; `CANDOR_NO_CACHE=1` disables it).
An unwritable directory, or a corrupt or foreign file, just means the catalog is loaded from YAML.
"""

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from candor.catalog.catalog import Catalog

FORMAT = 2  # 2: entries are records (dataclasses), not pydantic models
PREFIX = "catalog-"
KEEP = 6
# The code whose changes must invalidate a cached catalog (models, validation, compiled matchers).
SOURCES = ("schema.py", "catalog.py", "loader.py", "matchers.py", "normalize.py", "exodus.py", "cache.py")
COMPILED = ("names", "packages", "component_prefixes", "domains", "meta_keys", "libraries", "identifier_apis",
            "identifier_api_entries", "identifier_terms", "phrase_index")  # fmt: skip


def cache_dir() -> Path | None:
    """Where compiled catalogs are kept, or None when caching is off."""
    if os.environ.get("CANDOR_NO_CACHE"):
        return None
    override = os.environ.get("CANDOR_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("candor", appauthor=False))


def cache_key(data_dir: Path, trackers: Path | None) -> str:
    """Hash of everything a compiled catalog depends on."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}".encode())
    here = Path(__file__).parent
    model = here.parent / "model"
    for path in [*(here / name for name in SOURCES), model / "record.py", model / "vocab.py"]:
        digest.update(path.name.encode() + b"\0" + _read(path) + b"\0")
    for path in sorted(data_dir.rglob("*.yaml")):
        digest.update(str(path.relative_to(data_dir)).encode() + b"\0" + _read(path) + b"\0")
    if trackers is not None:
        digest.update(b"trackers\0" + _read(trackers))
    return digest.hexdigest()[:32]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"<unreadable>"


def cached_catalog(data_dir: Path, trackers: Path | None, build: Callable[[], Catalog]) -> Catalog:
    """The compiled catalog from the cache, or `build()` (then stored, best-effort)."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{PREFIX}{cache_key(data_dir, trackers)}.pickle"
    catalog = _load(path)
    if catalog is not None:
        return catalog
    catalog = build()
    for name in COMPILED:
        if hasattr(type(catalog), name):
            getattr(catalog, name)  # compile the matchers now so the cache holds them
    _store(folder, path, catalog)
    return catalog


def _load(path: Path) -> Catalog | None:
    try:
        with open(path, "rb") as handle:
            loaded = pickle.load(handle)
    except Exception:  # missing, truncated, written by another version: rebuild
        return None
    return loaded if isinstance(loaded, Catalog) else None


def _store(folder: Path, path: Path, catalog: Catalog) -> None:
    import tempfile  # only when a catalog is compiled: a warm run never writes

    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(catalog, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # an unwritable cache only costs the next run a YAML load
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)


def _prune(folder: Path) -> None:
    """Keep the KEEP most recent compiled catalogs (data versions, with and without a trackers file)."""
    files = sorted(folder.glob(f"{PREFIX}*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
