"""The seam other commands use: `--store PATH` / `--no-history` options and one call per run to record."""

import argparse
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from candor.history.paths import ENV_VAR, resolve_store_path
from candor.history.records import RunKind, RunRecord, record_from_scan
from candor.history.store import HistoryStore
from candor.model.findings import Finding
from candor.model.static import StaticScan


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """Add --store PATH and --no-history to a subcommand that records runs."""
    parser.add_argument("--store", metavar="PATH", help=f"history database (default: ${ENV_VAR} or the user data directory)")
    parser.add_argument("--no-history", action="store_true", help="do not record this run in the history store")


def store_path_from_args(args: argparse.Namespace) -> Path | None:
    """The store this command should record into, or None when history is off."""
    if getattr(args, "no_history", False):
        return None
    return resolve_store_path(getattr(args, "store", None))


def open_store(args: argparse.Namespace) -> HistoryStore | None:
    path = store_path_from_args(args)
    return HistoryStore(path) if path else None


def record_scan(
    store: HistoryStore | str | os.PathLike[str],
    scan: StaticScan,
    *,
    kind: RunKind = "batch",
    findings: Iterable[Finding] = (),
    evidence: dict[str, Any] | None = None,
) -> int:
    """Record one scanned APK (with the findings a report evaluated, if any); returns the run id."""
    record = record_from_scan(scan, kind=kind, findings=findings, evidence=evidence)
    return record_run(store, record)


def record_run(store: HistoryStore | str | os.PathLike[str], record: RunRecord) -> int:
    if isinstance(store, HistoryStore):
        return store.record(record)
    with HistoryStore(store) as opened:
        return opened.record(record)
