"""Release history: every report and batch scan recorded in a SQLite store, and what changed between releases.

Depends on candor.model only; the commands translate their options into plain values before calling it.
Names are imported on first use, so commands that only need `candor.history.paths` (option help texts) do not
load the store, the records and their models at start-up.
"""

from candor.lazy import lazy_exports

_EXPORTS = {
    "HistoryStore": "candor.history.store",
    "RunRecord": "candor.history.records",
    "default_store_path": "candor.history.paths",
    "record_from_scan": "candor.history.records",
    "record_run": "candor.history.recording",
    "record_scan": "candor.history.recording",
    "resolve_store_path": "candor.history.paths",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
