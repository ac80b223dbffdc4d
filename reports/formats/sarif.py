"""report.sarif: SARIF 2.1.0 for code-scanning UIs (one rule per finding kind)."""

import json
from pathlib import PurePath

from candor import __version__
from candor.model import Evidence, Finding
from reports.model import AuditReport
from reports.rules import kind_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}


def _rules() -> list[dict]:
    result = []
    for kind, rule in kind_rules().items():
        refs = "\n".join(f"- {r.source} {r.code}: {r.text}" for r in rule.refs)
        result.append(
            {
                "id": kind,
                "name": "".join(part.capitalize() for part in kind.split("_")),
                "shortDescription": {"text": rule.title_en},
                "fullDescription": {"text": f"{rule.title_en} / {rule.title_zh}"},
                "help": {"text": f"{rule.title_zh}\n{refs}", "markdown": f"**{rule.title_zh}**\n\n{refs}"},
                "defaultConfiguration": {"level": LEVELS[rule.severity]},
                "properties": {
                    "tags": ["privacy", "PIPL", *(r.code for r in rule.refs)],
                    "security-severity": SECURITY_SEVERITY[rule.severity],
                },
            }
        )
    return result


def _uri(path: str | None) -> str | None:
    return PurePath(path).as_posix() if path else None


def _location(evidence: Evidence, report: AuditReport) -> dict | None:
    sources = report.sources
    if evidence.kind == "policy" and evidence.source and sources.declared:
        region = {"startLine": evidence.source.line, "snippet": {"text": evidence.source.text}} if evidence.source.line else None
        physical: dict = {"artifactLocation": {"uri": _uri(sources.declared.path)}}
        if region:
            physical["region"] = region
        return {"physicalLocation": physical, "message": {"text": evidence.summary}}
    if evidence.kind in ("code", "manifest") and sources.code:
        location: dict = {"physicalLocation": {"artifactLocation": {"uri": _uri(sources.code.path)}}, "message": {"text": evidence.summary}}
        site = evidence.call_site or {}
        if "caller_class" in site:
            method = f".{site['caller_method']}" if site.get("caller_method") else ""
            location["logicalLocations"] = [{"fullyQualifiedName": f"{site['caller_class']}{method}", "kind": "function"}]
        return location
    if evidence.kind == "traffic" and sources.traffic and evidence.observation:
        return {
            "physicalLocation": {"artifactLocation": {"uri": _uri(sources.traffic.path)}},
            "logicalLocations": [{"fullyQualifiedName": evidence.observation.get("url", ""), "kind": "resource"}],
            "message": {"text": evidence.summary},
        }
    return None


def _fallback(report: AuditReport) -> dict:
    for source in (report.sources.code, report.sources.declared, report.sources.traffic):
        if source:
            return {"physicalLocation": {"artifactLocation": {"uri": _uri(source.path)}}}
    return {"physicalLocation": {"artifactLocation": {"uri": "unknown"}}}


def _result(finding: Finding, report: AuditReport, index: dict[str, int]) -> dict:
    locations = [loc for loc in (_location(e, report) for e in finding.evidence) if loc][:10] or [_fallback(report)]
    properties = {
        k: v
        for k, v in {
            "severity": finding.severity,
            "sdk_id": finding.sdk_id,
            "sdk_name": finding.sdk_name,
            "identifier": finding.identifier,
            "permission": finding.permission,
            "domain": finding.domain,
        }.items()
        if v
    }
    properties["rules"] = [r.code for r in finding.rules]
    return {
        "ruleId": finding.kind,
        "ruleIndex": index[finding.kind],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message or finding.title},
        "locations": locations,
        "partialFingerprints": {"candorFindingId/v1": finding.id},
        "properties": properties,
    }


class SarifFormat:
    name = "sarif"
    suffix = ".sarif"

    def render(self, report: AuditReport) -> bytes:
        rules = _rules()
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        artifacts = [
            {"location": {"uri": _uri(s.path)}} for s in (report.sources.declared, report.sources.code, report.sources.traffic) if s
        ]
        sarif = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {"driver": {"name": "candor", "version": __version__, "rules": rules}},
                    "artifacts": artifacts,
                    "results": [_result(f, report, index) for f in report.findings],
                    "properties": {"package": report.app.package, "verdict": report.summary.verdict},
                }
            ],
        }
        return (json.dumps(sarif, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
