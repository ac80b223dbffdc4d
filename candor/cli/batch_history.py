"""How `candor apk batch` uses history and the batch summary: record each scanned APK, then summarise the output."""

import argparse
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from candor.history.recording import add_store_options, open_store
from candor.history.records import record_from_scan
from candor.model.static import StaticScan


def add_batch_options(parser: argparse.ArgumentParser) -> None:
    """--store / --no-history, and --no-summary for the HTML/CSV/XLSX batch summary."""
    add_store_options(parser)
    parser.add_argument("--no-summary", action="store_true", help="do not write batch_summary.html/.xlsx/*.csv into the output")


class BatchRecorder:
    """Records every successfully scanned APK of a batch as a history run of kind 'batch', as results stream in."""

    def __init__(self, args: argparse.Namespace, out_dir: Path) -> None:
        self.store = open_store(args)
        self.out_dir = out_dir
        self.recorded = 0

    def __call__(self, result: dict[str, Any]) -> None:
        if self.store is None or not result.get("ok") or not result.get("scan"):
            return
        scan = StaticScan.model_validate(result["scan"])
        self.store.record(record_from_scan(scan, kind="batch", evidence={"apk": result.get("path"), "batch_output": str(self.out_dir)}))
        self.recorded += 1

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def finish_batch(args: argparse.Namespace, out_dir: Path) -> dict[str, Path]:
    """Write the batch summary over everything in the output directory (unless --no-summary)."""
    if getattr(args, "no_summary", False):
        return {}
    from reports.batch_summary import load_batch_results, write_batch_summary

    return write_batch_summary(load_batch_results(out_dir), out_dir)
