"""Formats: JSON fields, CSV/XLSX rows, SARIF 2.1.0 structure, HTML self-containment and escaping."""

import io
import json
import re
from typing import get_args

import pandas as pd

from candor.model import FindingKind
from reports.formats import CsvFormat, HtmlFormat, JsonFormat, SarifFormat, XlsxFormat
from reports.model import AuditReport
from tests.reports.conftest import XSS_IMG, XSS_SCRIPT, make_report


def test_json_has_stable_top_level_fields(sample_report: AuditReport) -> None:
    data = json.loads(JsonFormat().render(sample_report))
    assert set(data) >= {
        "schema_version",
        "tool",
        "tool_version",
        "generated_at",
        "app",
        "sources",
        "consent_at",
        "values_masked",
        "summary",
        "findings",
        "sdks",
        "permissions",
        "timeline",
        "changes",
        "warnings",
    }
    assert data["summary"]["total"] == len(data["findings"]) > 0
    finding = data["findings"][0]
    assert set(finding) >= {"id", "kind", "severity", "title", "title_zh", "message", "rules", "evidence"}
    assert AuditReport.model_validate(data) == sample_report


def test_csv_and_xlsx_have_one_row_per_finding(sample_report: AuditReport) -> None:
    expected = [f.id for f in sample_report.findings]
    csv = pd.read_csv(io.BytesIO(CsvFormat().render(sample_report)), encoding="utf-8-sig", dtype=str)
    xlsx = pd.read_excel(io.BytesIO(XlsxFormat().render(sample_report)), sheet_name="findings", dtype=str)
    for frame in (csv, xlsx):
        assert list(frame["id"]) == expected
        assert list(frame["severity"]) == [f.severity for f in sample_report.findings]
        assert list(frame["kind"]) == [f.kind for f in sample_report.findings]


def test_spreadsheet_formulas_are_defused() -> None:
    report = make_report()
    report.findings[0].message = '=HYPERLINK("http://evil")'
    frame = pd.read_csv(io.BytesIO(CsvFormat().render(report)), encoding="utf-8-sig", dtype=str)
    assert frame["message"][0].startswith("'=")


def test_sarif_structure(sample_report: AuditReport) -> None:
    sarif = json.loads(SarifFormat().render(sample_report))
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == len(get_args(FindingKind)) and all(r["id"] and r["shortDescription"]["text"] for r in rules)
    assert len(run["results"]) == len(sample_report.findings)
    rule_ids = [r["id"] for r in rules]
    for result, finding in zip(run["results"], sample_report.findings, strict=True):
        assert result["ruleId"] == finding.kind == rule_ids[result["ruleIndex"]]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        assert result["locations"] and result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert result["partialFingerprints"]["candorFindingId/v1"] == finding.id


def test_html_is_self_contained_and_escaped(sample_report: AuditReport) -> None:
    html = HtmlFormat().render(sample_report).decode("utf-8")
    assert re.search(r"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'nonce-", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "no remote resources"
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert ".innerHTML" not in html and "outerHTML" not in html and "document.write" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("nonce=" in attrs or 'type="application/json"' in attrs for attrs in scripts)


def test_html_nonce_changes_per_render(sample_report: AuditReport) -> None:
    nonce = re.compile(r"'nonce-([^']+)'")
    first = nonce.search(HtmlFormat().render(sample_report).decode()).group(1)
    second = nonce.search(HtmlFormat().render(sample_report).decode()).group(1)
    assert first != second


def test_values_masked_by_default() -> None:
    masked = HtmlFormat().render(make_report()).decode()
    shown = HtmlFormat().render(make_report(show_values=True)).decode()
    assert "866123456789012" not in masked and "86•••••••••••12" in masked
    assert "866123456789012" in shown
