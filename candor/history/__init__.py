"""Release history: every report and batch scan recorded in a SQLite store, and what changed between releases.

Depends on candor.model only; the commands translate their options into plain values before calling it.
"""

from candor.history.paths import default_store_path, resolve_store_path
from candor.history.recording import record_run, record_scan
from candor.history.records import RunRecord, record_from_scan
from candor.history.store import HistoryStore

__all__ = [
    "HistoryStore",
    "RunRecord",
    "default_store_path",
    "record_from_scan",
    "record_run",
    "record_scan",
    "resolve_store_path",
]
