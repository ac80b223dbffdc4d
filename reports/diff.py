"""`candor diff`: match findings across two releases by subject (never by list position)."""

from datetime import UTC, datetime

from candor import __version__
from candor.model import Finding
from reports.model import AuditReport, DiffEntry, DiffReport
from reports.reconcile import sort_key


def match_key(finding: Finding) -> tuple[str, ...]:
    """The subject of a finding, independent of package, order, evidence and wording."""
    sdk = finding.sdk_id or (f"name:{finding.sdk_name.strip().lower()}" if finding.sdk_name else "")
    return (finding.kind, sdk, finding.identifier or "", finding.permission or "", finding.domain or "")


def _present_sdks(report: AuditReport) -> set[str]:
    return {row.key for row in report.sdks if row.in_code or row.in_traffic}


def _requested(report: AuditReport) -> set[str]:
    return {row.permission for row in report.permissions if row.requested}


def diff_reports(old: AuditReport, new: AuditReport) -> DiffReport:
    """New, fixed and persisting findings; SDKs and permissions added or removed."""
    warnings = []
    if old.app.package and new.app.package and old.app.package != new.app.package:
        warnings.append(f"the two reports are for different packages: {old.app.package} and {new.app.package}")
    old_by_key = {match_key(f): f for f in old.findings}
    new_by_key = {match_key(f): f for f in new.findings}
    entries = []
    for key, finding in new_by_key.items():
        previous = old_by_key.get(key)
        status = "persisting" if previous else "new"
        entries.append(DiffEntry(status=status, finding=finding, previous_severity=previous.severity if previous else None))
    entries += [DiffEntry(status="fixed", finding=f) for key, f in old_by_key.items() if key not in new_by_key]
    order = {"new": 0, "persisting": 1, "fixed": 2}
    entries.sort(key=lambda e: (order[e.status], sort_key(e.finding)))
    counts = {status: sum(1 for e in entries if e.status == status) for status in order}
    for report, label in ((old, "old"), (new, "new")):
        if report.sources.code is None:
            warnings.append(f"the {label} report has no code evidence: SDK and permission changes are incomplete")
    return DiffReport(
        tool_version=__version__,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        package=new.app.package or old.app.package,
        old=old.app,
        new=new.app,
        counts=counts,
        findings=entries,
        sdks_added=sorted(_present_sdks(new) - _present_sdks(old)),
        sdks_removed=sorted(_present_sdks(old) - _present_sdks(new)),
        permissions_added=sorted(_requested(new) - _requested(old)),
        permissions_removed=sorted(_requested(old) - _requested(new)),
        warnings=warnings,
    )
