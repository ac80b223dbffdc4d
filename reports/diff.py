"""`candor diff`: new, fixed and persisting findings between two reports, by the one matching rule (candor.model.changes)."""

from datetime import UTC, datetime

from candor import __version__
from candor.model.changes import added_removed, match_findings
from reports.model import AuditReport, DiffEntry, DiffReport
from reports.reconcile import sort_key


def _present_sdks(report: AuditReport) -> set[str]:
    return {row.key for row in report.sdks if row.in_code or row.in_traffic}


def _requested(report: AuditReport) -> set[str]:
    return {row.permission for row in report.permissions if row.requested}


def diff_reports(old: AuditReport, new: AuditReport) -> DiffReport:
    """New, fixed and persisting findings; SDKs and permissions added or removed."""
    warnings = []
    if old.app.package and new.app.package and old.app.package != new.app.package:
        warnings.append(f"the two reports are for different packages: {old.app.package} and {new.app.package} (their findings never match)")
    match = match_findings(old.findings, new.findings)
    entries = [DiffEntry(status="new", finding=f) for f in match.new]
    entries += [DiffEntry(status="persisting", finding=f, previous_severity=before.severity) for before, f in match.persisting]
    entries += [DiffEntry(status="fixed", finding=f) for f in match.fixed]
    order = {"new": 0, "persisting": 1, "fixed": 2}
    entries.sort(key=lambda e: (order[e.status], sort_key(e.finding)))
    counts = {status: sum(1 for e in entries if e.status == status) for status in order}
    for report, label in ((old, "old"), (new, "new")):
        if report.sources.code is None:
            warnings.append(f"the {label} report has no code evidence: SDK and permission changes are incomplete")
    sdks_added, sdks_removed = added_removed(_present_sdks(old), _present_sdks(new))
    permissions_added, permissions_removed = added_removed(_requested(old), _requested(new))
    return DiffReport(
        tool_version=__version__,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        package=new.app.package or old.app.package,
        old=old.app,
        new=new.app,
        counts=counts,
        findings=entries,
        sdks_added=sdks_added,
        sdks_removed=sdks_removed,
        permissions_added=permissions_added,
        permissions_removed=permissions_removed,
        warnings=warnings,
    )
