"""`candor apk batch`: find APKs, skip those already scanned (by sha256), scan the rest, write JSON + summary.csv."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from apk_scan.batch.executors import get_executor
from apk_scan.batch.task import file_sha256, scan_one
from candor.atomic import write_atomic
from candor.errors import InputError
from candor.model.batch import BatchResult

APK_SUFFIXES = (".apk", ".apks", ".xapk", ".apkm")
SUMMARY = "summary.csv"


@dataclass
class BatchSummary:
    scanned: int
    skipped: int
    failed: int
    summary_csv: Path


def find_inputs(inputs: list[Path]) -> list[Path]:
    """Files as given, and APK-like files under directories (sorted, de-duplicated)."""
    found: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found.extend(p for p in sorted(item.rglob("*")) if p.is_file() and p.suffix.lower() in APK_SUFFIXES)
        elif item.is_file():
            found.append(item)
        else:
            raise InputError(f"{item}: no such file or directory")
    unique: dict[Path, None] = dict.fromkeys(p.resolve() for p in found)
    return list(unique)


def result_path(out: Path, sha256: str) -> Path:
    return out / f"{sha256}.json"


def _write_result(path: Path, result: BatchResult) -> None:
    data = {key: value for key, value in result.model_dump(mode="json").items() if value is not None}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))


def summary_row(result: BatchResult | None) -> dict[str, Any]:
    """One CSV row for a result (ok or not); None gives the empty row (its keys are the columns)."""
    scan = result.scan if result else None
    return {
        "path": result.path if result else None, "sha256": result.sha256 if result else None, "ok": bool(result and result.ok),
        "package": scan.package if scan else None, "version_name": scan.version_name if scan else None,
        "target_sdk": scan.target_sdk if scan else None,
        "sdks": ";".join(s.sdk_id or s.name for s in scan.sdks) if scan else "",
        "call_sites": len(scan.call_sites) if scan else 0,
        "identifiers": ";".join(sorted({c.identifier for c in scan.call_sites})) if scan else "",
        "packers": ";".join(scan.packers) if scan else "", "incomplete": scan.incomplete if scan else None,
        "dex_files": len(scan.dex_files) if scan else 0, "duration_s": result.duration_s if result else None,
        "error": result.error if result else None,
    }  # fmt: skip


def run_batch(inputs: list[Path], out: Path, jobs: int = 0, timeout_s: float = 300.0, memory_mb: int = 2048,
              executor: str = "local", progress: bool = True,
              on_result: Callable[[BatchResult], None] | None = None) -> BatchSummary:  # fmt: skip
    """Scan every input not already in `out`; one bad APK never loses the others."""
    import pandas as pd

    from apk_scan.batch.task import preload

    preload()  # fail early (bad --trackers file) before any worker starts
    files = find_inputs(inputs)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a directory")
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    todo: list[str] = []
    seen: set[str] = set()
    skipped = 0
    for path in files:
        sha = file_sha256(str(path))
        if sha is None:
            rows.append(summary_row(BatchResult(path=str(path), ok=False, error="cannot read file")))
            continue
        if sha in seen:
            continue
        seen.add(sha)
        done = result_path(out, sha)
        if done.exists():
            try:
                rows.append(summary_row(BatchResult.model_validate_json(done.read_bytes())))
                skipped += 1
                continue
            except (OSError, ValueError):
                pass
        todo.append(str(path))
    pool = get_executor(executor, jobs)
    work = partial(scan_one, timeout_s=timeout_s, memory_mb=memory_mb)
    scanned = failed = 0
    for result in _with_progress(pool.map_unordered(work, todo), len(todo), progress):
        if result.ok and result.sha256:
            _write_result(result_path(out, result.sha256), result)
            scanned += 1
        else:
            _write_result(out / "errors" / f"{result.sha256 or Path(result.path).name}.json", result)
            failed += 1
        if on_result is not None:  # e.g. record into the history store as each APK finishes
            on_result(result)
        rows.append(summary_row(result))
    summary = out / SUMMARY
    columns = list(summary_row(None).keys())
    frame = pd.DataFrame(rows, columns=columns)
    frame["target_sdk"] = frame["target_sdk"].astype("Int64")
    frame.sort_values("path", kind="stable").to_csv(summary, index=False)
    return BatchSummary(scanned, skipped, failed, summary)


def _with_progress(results, total: int, enabled: bool):
    if not enabled or total == 0:
        yield from results
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
               TextColumn("{task.description}"))  # fmt: skip
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("", total=total)
        for result in results:
            bar.update(task, advance=1, description=Path(result.path).name + ("" if result.ok else " (failed)"))
            yield result
