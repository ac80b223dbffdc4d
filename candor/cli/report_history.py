"""How `candor report` uses history: add "changes since the previous release", then record the run."""

import argparse
import os

from candor.history.changes import ReleaseChanges, changes_since_previous
from candor.history.paths import resolve_store_path
from candor.history.recording import open_store
from candor.history.records import IdentifierRow, PermissionRow, RunRecord, SdkRow
from candor.history.store import HistoryStore
from reports.model import AuditReport
from reports.model import ReleaseChanges as ReportChanges


def record_of_report(report: AuditReport) -> RunRecord:
    """The run record of a report: its app, sources, findings and what the code/traffic showed."""
    observed = [s for s in report.sdks if s.in_code or s.in_traffic]
    identifiers = {
        (s.sdk_id or f"name:{s.name}", ident) for s in observed for ident in [*s.identifiers_code, *s.identifiers_traffic]
    }
    return RunRecord(
        kind="report",
        package=report.app.package,
        version_name=report.app.version_name,
        version_code=report.app.version_code,
        apk_sha256=report.app.apk_sha256,
        evidence={"sources": report.sources.model_dump(mode="json", exclude_none=True), "generated_at": report.generated_at},
        findings=list({f.id: f for f in report.findings}.values()),
        sdks=[SdkRow(sdk_id=s.sdk_id, name=s.name) for s in observed],
        permissions=[PermissionRow(name=p.permission, protection_level=p.protection_level) for p in report.permissions if p.requested],
        identifiers=[IdentifierRow(sdk_key=k, identifier=i) for k, i in sorted(identifiers)],
    )


def as_report_changes(change: ReleaseChanges) -> ReportChanges:
    return ReportChanges(
        previous_version=change.previous,
        new=[f.id for f in change.new_findings],
        fixed=[f.id for f in change.fixed_findings],
        persisting=[f.id for f in change.persisting_findings],
        sdks_added=change.sdks_added,
        sdks_removed=change.sdks_removed,
        permissions_added=change.permissions_added,
        permissions_removed=change.permissions_removed,
    )


def record_report(store: HistoryStore | str | os.PathLike[str], report: AuditReport) -> tuple[int, ReleaseChanges | None]:
    """Compare with the previous release in the store, then record the report; returns (run id, changes)."""
    own = store if isinstance(store, HistoryStore) else HistoryStore(store)
    try:
        record = record_of_report(report)
        change = changes_since_previous(own, record)
        run_id = own.record(record)
    finally:
        if own is not store:
            own.close()
    return run_id, change


def remember_report(report: AuditReport, args: argparse.Namespace) -> AuditReport:
    """The one call for `candor report`: fills report.changes and records the run (unless --no-history)."""
    store = open_store(args)
    if store is None:
        return report
    with store:
        _, change = record_report(store, report)
    if change is None:
        return report
    warnings = list(report.warnings)
    if not change.findings_compared:
        warnings.append(f"findings not compared with {change.previous}: that release was only scanned (batch), not reported")
    return report.model_copy(update={"changes": as_report_changes(change), "warnings": warnings})


def report_changes(report: AuditReport, store: str | os.PathLike[str] | None = None) -> ReportChanges | None:
    """Read-only: changes since the previous release in the store ($CANDOR_STORE / default when None); None without one."""
    path = resolve_store_path(store)
    if not path.exists() or report.app.package is None:
        return None
    with HistoryStore(path) as opened:
        change = changes_since_previous(opened, record_of_report(report))
    return as_report_changes(change) if change else None
