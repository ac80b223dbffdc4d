"""The seam for release history: 'changes since the previous release' for a built report.

The history part (candor.history) may define `changes_since_previous(report: AuditReport) -> ReleaseChanges | None`;
`candor report` calls `previous_release_changes` after building the report and stores the result in `report.changes`.
`release_changes(old, new)` computes the same data from two reports, for the history part to reuse.
"""

from collections.abc import Callable

from reports.model import AuditReport, ReleaseChanges

ChangesProvider = Callable[[AuditReport], ReleaseChanges | None]


def previous_release_changes(report: AuditReport, provider: ChangesProvider | None = None) -> ReleaseChanges | None:
    """Changes since the previous release of the same package, when a history is available."""
    if provider is None:
        try:
            from candor.history import changes_since_previous  # type: ignore[attr-defined]
        except ImportError:
            return None
        provider = changes_since_previous
    return provider(report)


def release_changes(old: AuditReport, new: AuditReport) -> ReleaseChanges:
    """New / fixed / persisting finding ids and SDK / permission changes between two reports."""
    from reports.diff import diff_reports

    diff = diff_reports(old, new)
    by_status: dict[str, list[str]] = {"new": [], "fixed": [], "persisting": []}
    for entry in diff.findings:
        by_status[entry.status].append(entry.finding.id)
    return ReleaseChanges(
        previous_version=old.app.version_name,
        new=by_status["new"],
        fixed=by_status["fixed"],
        persisting=by_status["persisting"],
        sdks_added=diff.sdks_added,
        sdks_removed=diff.sdks_removed,
        permissions_added=diff.permissions_added,
        permissions_removed=diff.permissions_removed,
    )
