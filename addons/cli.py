"""`candor traffic analyze FLOWS`: the proxy's detector, offline over captured traffic."""

import argparse
from pathlib import Path

from candor.cli.output import add_format_option, emit, existing_file


def register(subparsers: argparse._SubParsersAction) -> None:
    traffic = subparsers.add_parser("traffic", help="find device identifiers in captured traffic")
    commands = traffic.add_subparsers(dest="traffic_command", metavar="COMMAND")
    traffic.set_defaults(handler=lambda args: _usage(traffic))
    analyze = commands.add_parser("analyze", help="analyse mitmproxy dumps, HAR or .zhar files")
    analyze.add_argument("flows", nargs="+", type=Path, metavar="FLOWS", help="mitmproxy -w dump, .har or .zhar")
    analyze.add_argument("--device", type=Path, help="device profile YAML (the phone's real identifier values)")
    analyze.add_argument("--app-domain", action="append", default=[], metavar="DOMAIN", help="the app's own domain (repeatable)")
    analyze.add_argument("--consent-at", metavar="TIME", help="moment of consent: epoch seconds or ISO 8601 (UTC when no zone)")
    analyze.add_argument("--consent-url", metavar="REGEX", help="a request URL matching this marks consent")
    analyze.add_argument("--burst-per-minute", type=int, default=30, help="flag more transmissions per minute than this")
    add_format_option(analyze, ("text", "json", "jsonl"))
    analyze.set_defaults(handler=analyze_command)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def analyze_command(args: argparse.Namespace) -> int:
    from addons.engine.analyze import analyze_file
    from addons.engine.consent import InvalidConsentUrl
    from addons.engine.device import load_device_profile
    from addons.engine.summary import render_table, summary_json
    from addons.timeparse import parse_time
    from candor.cli.output import write_text
    from candor.errors import InputError

    profile = load_device_profile(existing_file(args.device)) if args.device else None
    try:
        consent_at = parse_time(args.consent_at) if args.consent_at else None
    except ValueError as exc:
        raise InputError(f"--consent-at: {exc}") from None
    if args.burst_per_minute < 0:
        raise InputError("--burst-per-minute must be >= 0")
    observations = []
    for path in args.flows:
        try:
            observations.extend(
                analyze_file(existing_file(path), profile, args.app_domain, consent_at, args.consent_url, args.burst_per_minute)
            )
        except InvalidConsentUrl as exc:
            raise InputError(f"--consent-url: {exc}") from None
    if args.format == "jsonl":
        write_text("".join(o.model_dump_json() + "\n" for o in observations), args.output)
        return 0
    report = {"summary": summary_json(observations), "observations": observations}
    emit(report, args, lambda r: render_table(r["observations"]) + _lines(r["observations"]))
    return 0


def _lines(observations: list) -> str:
    if not observations:
        return ""
    out = ["", "observations:"]
    for o in observations:
        when = {True: "before consent", False: "after consent", None: "consent unknown"}[o.before_consent]
        how = "+".join(o.encoding) or "plain"
        where = f"{o.location}:{o.field}" if o.field else o.location
        out.append(f"  {o.identifier:<16} {o.name:<22} {where:<32} {how:<20} {o.detection}({o.confidence:g}) {when}  {o.host}")
    return "\n".join(out) + "\n"
