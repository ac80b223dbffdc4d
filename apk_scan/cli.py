"""`candor apk scan` and `candor apk batch`."""

import argparse
from pathlib import Path

from candor.cli.output import add_format_option, emit
from candor.cli.store_options import add_store_options, chosen_store


def register(subparsers: argparse._SubParsersAction) -> None:
    apk = subparsers.add_parser("apk", help="static APK analysis: SDKs, identifier call sites, permissions")
    sub = apk.add_subparsers(dest="apk_command", metavar="SUBCOMMAND")
    scan = sub.add_parser("scan", help="scan one APK (or .apks/.xapk/.apkm bundle)")
    scan.add_argument("apk", type=Path, help="APK file")
    add_format_option(scan)
    scan.set_defaults(handler=_scan)
    batch = sub.add_parser("batch", help="scan many APKs in worker processes: one JSON each + summary.csv")
    batch.add_argument("inputs", nargs="+", type=Path, help="APK files or directories (searched recursively)")
    batch.add_argument("-o", "--output", type=Path, required=True, help="output directory")
    batch.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: CPU count)")
    batch.add_argument("--timeout", type=float, default=300.0, help="seconds per APK before its worker is killed")
    batch.add_argument("--memory-mb", type=int, default=2048, help="address-space limit per worker (MB)")
    batch.add_argument("--executor", default="local", help="'local' or dask://HOST:PORT")
    batch.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_store_options(batch)
    batch.add_argument("--no-summary", action="store_true", help="do not write batch_summary.html/.xlsx/*.csv into the output")
    batch.set_defaults(handler=_batch)
    apk.set_defaults(handler=lambda args: (apk.print_help(), 2)[1])


def _scan(args: argparse.Namespace) -> int:
    from apk_scan.render import render_scan
    from apk_scan.scanner import scan_apk

    scan = scan_apk(args.apk)
    emit(scan, args, render_scan)
    return 0


def _batch(args: argparse.Namespace) -> int:
    from apk_scan.batch.runner import run_batch
    from candor.cli.batch_history import BatchRecorder  # the history store: only for batches

    with BatchRecorder(chosen_store(args), args.output) as recorder:
        summary = run_batch(args.inputs, args.output, jobs=args.jobs, timeout_s=args.timeout, memory_mb=args.memory_mb,
                            executor=args.executor, progress=not args.no_progress, on_result=recorder)  # fmt: skip
    if not args.no_summary:
        from reports.batch_summary import load_batch_results, write_batch_summary

        write_batch_summary(load_batch_results(args.output), args.output)
    print(f"{summary.scanned} scanned, {summary.skipped} skipped (already done), {summary.failed} failed -> {args.output}")
    return 0
