"""findings.csv and findings.xlsx: one row per finding (pandas; imported lazily)."""

import io
from typing import TYPE_CHECKING

from reports.model import AuditReport

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "id",
    "severity",
    "kind",
    "title",
    "title_zh",
    "sdk_id",
    "sdk_name",
    "identifier",
    "permission",
    "domain",
    "message",
    "why",
    "confidence",
    "rules",
    "evidence_count",
    "evidence",
]


def findings_frame(report: AuditReport) -> "pd.DataFrame":
    """The findings as a table: subject fields, rule codes and a one-line evidence digest."""
    import pandas as pd

    rows = []
    for f in report.findings:
        rows.append(
            {
                "id": f.id,
                "severity": f.severity,
                "kind": f.kind,
                "title": f.title,
                "title_zh": f.title_zh or "",
                "sdk_id": f.sdk_id or "",
                "sdk_name": f.sdk_name or "",
                "identifier": f.identifier or "",
                "permission": f.permission or "",
                "domain": f.domain or "",
                "message": f.message,
                "why": f.why,
                "confidence": f.confidence,
                "rules": "; ".join(r.code for r in f.rules),
                "evidence_count": len(f.evidence),
                "evidence": " | ".join(e.summary for e in f.evidence[:10]),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _defuse(frame: "pd.DataFrame") -> "pd.DataFrame":
    """Neutralise spreadsheet formulas: attacker text starting with = + - @ is prefixed with a quote."""

    def cell(value: object) -> object:
        return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    return frame.map(cell)


class CsvFormat:
    name = "csv"
    suffix = ".csv"

    def render(self, report: AuditReport) -> bytes:
        return _defuse(findings_frame(report)).to_csv(index=False).encode("utf-8-sig")


class XlsxFormat:
    name = "xlsx"
    suffix = ".xlsx"

    def render(self, report: AuditReport) -> bytes:
        import pandas as pd

        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            _defuse(findings_frame(report)).to_excel(writer, sheet_name="findings", index=False)
            sheet = writer.sheets["findings"]
            for column, width in zip("ABCDEFGHIJKLMN", (18, 9, 30, 40, 30, 16, 20, 16, 40, 20, 80, 40, 8, 80), strict=True):
                sheet.column_dimensions[column].width = width
            sheet.freeze_panes = "A2"
        return buffer.getvalue()
