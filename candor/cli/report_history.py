"""`candor report` and history: give the report its "changes since the previous release", then record the run."""

import sys
from pathlib import Path

from candor.errors import CandorError
from candor.history.changes import changes_since_previous
from candor.history.records import IdentifierRow, RunRecord
from candor.history.store import HistoryStore, history_damage
from candor.inputs import one_line
from candor.model import ManifestPermission, SdkRef
from reports.model import AuditReport


def record_of_report(report: AuditReport) -> RunRecord:
    """The run record of a report: its app, sources, findings and what the code/traffic showed."""
    observed = [s for s in report.sdks if s.in_code or s.in_traffic]
    identifiers = {(s.key, ident) for s in observed for ident in [*s.identifiers_code, *s.identifiers_traffic]}
    return RunRecord(
        kind="report",
        package=report.app.package,
        version_name=report.app.version_name,
        version_code=report.app.version_code,
        apk_sha256=report.app.apk_sha256,
        evidence={"sources": report.sources.model_dump(mode="json", exclude_none=True), "generated_at": report.generated_at},
        findings=list({f.id: f for f in report.findings}.values()),
        sdks=[SdkRef(sdk_id=s.sdk_id, name=s.name) for s in observed],
        permissions=[ManifestPermission(name=p.permission, protection_level=p.protection_level) for p in report.permissions if p.requested],
        identifiers=[IdentifierRow(sdk_key=k, identifier=i) for k, i in sorted(identifiers)],
    )


def remember_report(report: AuditReport, store_path: Path | None) -> AuditReport:
    """Fill report.changes from the store at `store_path` and record the run there; no store (None): the report as is."""
    if store_path is None:
        return report
    try:
        with HistoryStore(store_path) as store, history_damage(store_path):
            record = record_of_report(report)
            change = changes_since_previous(store, record)
            store.record(record)
    except CandorError as exc:  # a damaged or foreign store never blocks the report: it is written without history
        message = f"history skipped: {one_line(exc)}"
        print(f"candor: warning: {message}", file=sys.stderr)
        return report.model_copy(update={"warnings": [*report.warnings, message]})
    if change is None:
        return report
    warnings = list(report.warnings)
    if not change.findings_compared:
        warnings.append(f"findings not compared with {change.previous_version}: that release was only scanned (batch), not reported")
    return report.model_copy(update={"changes": change, "warnings": warnings})
