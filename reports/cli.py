"""`candor report` and `candor diff`."""

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from candor.atomic import write_atomic
from candor.cli.store_options import add_store_options, chosen_store
from candor.errors import InputError
from candor.model.common import SEVERITY_ORDER
from candor.timeparse import HELP as TIME_HELP

if TYPE_CHECKING:
    from reports.model import AuditReport

FAIL_LEVELS = tuple(sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__))


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser(
        "report",
        help="reconcile policy, code and traffic evidence into a report",
        description="Reconcile what the policy declares with what the code does and what the traffic shows.",
    )
    declared = report.add_mutually_exclusive_group()
    declared.add_argument("--policy", type=Path, metavar="POLICY", help="privacy policy document (parsed by the declared part)")
    declared.add_argument("--declared", type=Path, metavar="FILE", help="reviewed declared table (YAML or JSON)")
    code = report.add_mutually_exclusive_group()
    code.add_argument("--apk", type=Path, metavar="APK", help="APK to scan")
    code.add_argument("--scan", type=Path, metavar="FILE", help="scan JSON written by `candor apk scan`")
    traffic = report.add_mutually_exclusive_group()
    traffic.add_argument("--flows", type=Path, metavar="FLOWS", help="mitmproxy flows or HAR to analyse")
    traffic.add_argument("--observations", type=Path, metavar="FILE", help="observations JSONL written by the traffic analyser")
    report.add_argument("--device", type=Path, metavar="FILE", help="device profile YAML (identifier values) for --flows")
    report.add_argument("--app-domain", action="append", default=[], metavar="DOMAIN", help="first-party domain (repeatable)")
    report.add_argument("--consent-at", metavar="TIME", help=f"consent moment: {TIME_HELP}")
    report.add_argument("--consent-url", metavar="URL", help="the request that records consent (for --flows)")
    report.add_argument("--max-per-minute", type=int, metavar="N", help="flag sends of one identifier above N per minute")
    report.add_argument("-o", "--output", type=Path, metavar="HTML", help="write the HTML report here")
    report.add_argument("--json", type=Path, metavar="FILE", help="write the JSON report here")
    report.add_argument("--csv", type=Path, metavar="FILE", help="write the findings as CSV here")
    report.add_argument("--xlsx", type=Path, metavar="FILE", help="write the findings as XLSX here")
    report.add_argument("--sarif", type=Path, metavar="FILE", help="write SARIF 2.1.0 here")
    report.add_argument("--lang", choices=("en", "zh"), default="en", help="initial language of the HTML report")
    report.add_argument("--show-values", action="store_true", help="show identifier values unmasked")
    levels = ", ".join(FAIL_LEVELS)
    report.add_argument("--fail-on", choices=FAIL_LEVELS, metavar="LEVEL", help=f"exit 1 if a finding at or above it exists: {levels}")
    report.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    add_store_options(report)  # history: --store PATH / --no-history
    report.set_defaults(handler=run_report)

    diff = subparsers.add_parser(
        "diff", help="compare two report.json files of the same package", description="New, fixed and persisting findings."
    )
    diff.add_argument("old", type=Path, metavar="OLD.json")
    diff.add_argument("new", type=Path, metavar="NEW.json")
    diff.add_argument("-o", "--output", type=Path, metavar="HTML", help="write the HTML diff here")
    diff.add_argument("--json", type=Path, metavar="FILE", help="write the JSON diff here")
    diff.add_argument("--lang", choices=("en", "zh"), default="en")
    diff.add_argument("--fail-on-new", choices=FAIL_LEVELS, metavar="SEVERITY", help="exit 1 when a new finding at or above it exists")
    diff.set_defaults(handler=run_diff)


def run_report(args: argparse.Namespace) -> int:
    from candor.cli.report_history import remember_report
    from reports.build import build_report
    from reports.evidence import load_bundle, parse_consent_at
    from reports.formats import CsvFormat, HtmlFormat, JsonFormat, SarifFormat, XlsxFormat
    from reports.reconcile import ReconcileConfig
    from reports.summary import text_summary

    if args.max_per_minute is not None and args.max_per_minute < 1:
        raise InputError("--max-per-minute must be at least 1")
    consent_at = parse_consent_at(args.consent_at)
    bundle = load_bundle(
        policy=args.policy,
        declared=args.declared,
        apk=args.apk,
        scan=args.scan,
        flows=args.flows,
        observations=args.observations,
        device=args.device,
        app_domains=tuple(args.app_domain),
        consent_at=consent_at,
        consent_url=args.consent_url,
    )
    report = build_report(bundle, ReconcileConfig(show_values=args.show_values, max_per_minute=args.max_per_minute))
    report = remember_report(report, chosen_store(args))  # history: changes since the previous release, then record this run
    outputs = [
        (args.output, HtmlFormat(args.lang)),
        (args.json, JsonFormat()),
        (args.csv, CsvFormat()),
        (args.xlsx, XlsxFormat()),
        (args.sarif, SarifFormat()),
    ]
    for path, fmt in outputs:
        if path is not None:
            write_atomic(path, fmt.render(report))
    if not args.quiet:
        written = [str(path) for path, _ in outputs if path is not None]
        sys.stdout.write(text_summary(report, written))
    return fail_code(report.findings, args.fail_on)


def fail_code(findings: list, fail_on: str | None) -> int:
    """1 when a finding at or above `fail_on` exists, else 0."""
    if fail_on is None:
        return 0
    threshold = SEVERITY_ORDER[fail_on]
    return 1 if any(SEVERITY_ORDER[f.severity] >= threshold for f in findings) else 0


def load_report(path: Path) -> "AuditReport":
    """A report.json, or an InputError in one line."""
    from pydantic import ValidationError

    from candor.inputs import read_bytes
    from reports.evidence import MAX_JSON_BYTES
    from reports.model import AuditReport

    data = read_bytes(path, MAX_JSON_BYTES, "report JSON")  # regular files only, size checked first
    try:
        return AuditReport.model_validate_json(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ())) or "document"
        raise InputError(f"{path}: not a Candor report JSON: {where}: {error.get('msg', 'invalid')}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def run_diff(args: argparse.Namespace) -> int:
    import json

    from reports.diff import diff_reports
    from reports.formats.html import render_diff_html

    diff = diff_reports(load_report(args.old), load_report(args.new))
    if args.output:
        write_atomic(args.output, render_diff_html(diff, args.lang))
    if args.json:
        write_atomic(args.json, json.dumps(diff.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    counts = diff.counts
    sys.stdout.write(f"candor diff: {counts['new']} new, {counts['fixed']} fixed, {counts['persisting']} persisting")
    sys.stdout.write(f"; SDKs +{len(diff.sdks_added)}/-{len(diff.sdks_removed)}")
    sys.stdout.write(f", permissions +{len(diff.permissions_added)}/-{len(diff.permissions_removed)}\n")
    for warning in diff.warnings:
        sys.stdout.write(f"note: {warning}\n")
    if args.output:
        sys.stdout.write(f"wrote {args.output}\n")
    return fail_code([e.finding for e in diff.findings if e.status == "new"], args.fail_on_new)
