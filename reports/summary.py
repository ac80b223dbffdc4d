"""The short text summary `candor report` prints."""

from reports.formats.i18n import VERDICT_LABELS
from reports.model import AuditReport


def text_summary(report: AuditReport, written: list[str]) -> str:
    """Verdict, counts by severity, evidence used and the files written."""
    s = report.summary
    verdict = VERDICT_LABELS[s.verdict]
    counts = ", ".join(f"{n} {sev}" for sev, n in s.by_severity.items() if n) or "none"
    sources = (("policy", report.sources.declared), ("code", report.sources.code), ("traffic", report.sources.traffic))
    used = [name for name, info in sources if info]
    lines = [
        f"candor report: {report.app.package or 'unknown package'} {report.app.version_name or ''}".rstrip(),
        f"  verdict: {verdict[0]} ({verdict[1]})",
        f"  findings: {s.total} ({counts})",
        f"  evidence: {', '.join(used) or 'none'}",
    ]
    lines += [f"  note: {w}" for w in report.warnings]
    lines += [f"  wrote {path}" for path in written]
    return "\n".join(lines) + "\n"
