"""`candor history [PACKAGE]`: the releases seen, findings per release and what changed between them."""

import argparse
from typing import Any

from candor.cli.output import add_format_option, emit
from candor.cli.store_options import add_store_option
from candor.errors import InputError
from candor.history.changes import Release, changes_between, releases
from candor.history.paths import resolve_store_path
from candor.history.store import HistoryStore, history_damage
from candor.model.changes import ReleaseChanges
from candor.model.common import SEVERITY_ORDER


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "history",
        help="releases of a package recorded by earlier runs, and what changed",
        description="Without PACKAGE: list the packages in the store. An unknown PACKAGE is an error (exit 2).",
    )
    parser.add_argument("package", nargs="?", help="Android package name, e.g. com.example.app")
    add_store_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=show_history)


def _severities(counts: dict[str, int]) -> str:
    if not counts:
        return "no findings"
    ordered = sorted(counts.items(), key=lambda kv: -SEVERITY_ORDER.get(kv[0], 0))
    return ", ".join(f"{n} {severity}" for severity, n in ordered)


def _render_changes(change: ReleaseChanges) -> list[str]:
    lines = [f"{change.previous_version} -> {change.current_version}:"]
    if change.findings_compared:
        for label, items in (("new", change.new), ("fixed", change.fixed)):
            lines += [f"  {label:<8} [{f.severity}] {f.title} ({f.id})" for f in items]
        lines.append(f"  {len(change.persisting)} findings persist")
    else:
        lines.append("  findings not compared (one of the two releases was only scanned, not reported)")
    for label, items in (
        ("+ SDK", change.sdks_added), ("- SDK", change.sdks_removed),
        ("+ perm", change.permissions_added), ("- perm", change.permissions_removed),
        ("+ reads", change.identifiers_added), ("- reads", change.identifiers_removed),
    ):  # fmt: skip
        lines += [f"  {label:<8} {item}" for item in items]
    if change.empty:
        lines.append("  nothing else changed")
    return lines


def _render(result: dict[str, Any]) -> str:
    if "packages" in result:
        if not result["packages"]:
            return f"no runs recorded in {result['store']}\n"
        lines = [f"{p['package']:<48} {p['runs']:>5} runs  last seen {p['last_seen']}" for p in result["packages"]]
        return "\n".join(lines) + "\n"
    rels: list[Release] = result["releases"]
    lines = [f"{result['package']}: {len(rels)} release(s) in {result['store']}", ""]
    for r in rels:
        sha = (r.apk_sha256 or "")[:12]
        lines.append(
            f"{r.label:<24} first seen {r.first_seen[:19]}  {r.runs} run(s), latest {r.run_kind}  sha256 {sha}  "
            f"{r.sdks} SDKs, {r.permissions} permissions, {_severities(r.findings_by_severity)}"
        )
    for change in result["changes"]:
        lines += ["", *_render_changes(change)]
    return "\n".join(lines) + "\n"


def show_history(args: argparse.Namespace) -> int:
    path = resolve_store_path(args.store)
    with HistoryStore(path, read_only=True) as store, history_damage(path):
        if not args.package:
            emit({"store": str(path), "packages": store.packages()}, args, _render)
            return 0
        found = releases(store, args.package)
        if not found:
            known = [p["package"] for p in store.packages()]
            hint = f" (known: {', '.join(known[:5])}{', ...' if len(known) > 5 else ''})" if known else " (the store is empty)"
            raise InputError(f"no releases of {args.package} in {path}{hint}")
        result = {"package": args.package, "store": str(path), "releases": found, "changes": changes_between(store, args.package)}
        emit(result, args, _render)
    return 0
