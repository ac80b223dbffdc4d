"""Release history: every report and batch scan recorded in a SQLite store, and what changed between releases."""

from typing import TYPE_CHECKING, Any

from candor.history.paths import default_store_path, resolve_store_path
from candor.history.recording import record_run, record_scan
from candor.history.records import RunRecord, record_from_scan
from candor.history.store import HistoryStore

if TYPE_CHECKING:
    from reports.model import AuditReport, ReleaseChanges


def changes_since_previous(report: "AuditReport", store: Any = None) -> "ReleaseChanges | None":
    """The seam reports.changes looks for: changes since the previous release of the report's package (read-only)."""
    from candor.history.report_seam import report_changes

    return report_changes(report, store)


def record_report(store: Any, report: "AuditReport") -> int:
    """Record a built report as a run of kind report; returns the run id."""
    from candor.history.report_seam import record_report as _record

    return _record(store, report)[0]


__all__ = [
    "HistoryStore",
    "RunRecord",
    "changes_since_previous",
    "default_store_path",
    "record_from_scan",
    "record_report",
    "record_run",
    "record_scan",
    "resolve_store_path",
]
