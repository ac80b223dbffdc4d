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


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))


def summary_row(result: dict[str, Any]) -> dict[str, Any]:
    """One CSV row for a result (ok or not)."""
    scan = result.get("scan") or {}
    return {
        "path": result.get("path"), "sha256": result.get("sha256"), "ok": bool(result.get("ok")),
        "package": scan.get("package"), "version_name": scan.get("version_name"), "target_sdk": scan.get("target_sdk"),
        "sdks": ";".join(s.get("sdk_id") or s.get("name", "") for s in scan.get("sdks", [])),
        "call_sites": len(scan.get("call_sites", [])),
        "identifiers": ";".join(sorted({c["identifier"] for c in scan.get("call_sites", [])})),
        "packers": ";".join(scan.get("packers", [])), "incomplete": scan.get("incomplete"),
        "dex_files": len(scan.get("dex_files", [])), "duration_s": result.get("duration_s"), "error": result.get("error"),
    }  # fmt: skip


def run_batch(inputs: list[Path], out: Path, jobs: int = 0, timeout_s: float = 300.0, memory_mb: int = 2048,
              executor: str = "local", progress: bool = True,
              on_result: Callable[[dict[str, Any]], None] | None = None) -> BatchSummary:  # fmt: skip
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
            rows.append(summary_row({"path": str(path), "ok": False, "error": "cannot read file"}))
            continue
        if sha in seen:
            continue
        seen.add(sha)
        done = result_path(out, sha)
        if done.exists():
            try:
                rows.append(summary_row(json.loads(done.read_text(encoding="utf-8"))))
                skipped += 1
                continue
            except (OSError, ValueError):
                pass
        todo.append(str(path))
    pool = get_executor(executor, jobs)
    work = partial(scan_one, timeout_s=timeout_s, memory_mb=memory_mb)
    scanned = failed = 0
    for result in _with_progress(pool.map_unordered(work, todo), len(todo), progress):
        if result.get("ok"):
            _write_json(result_path(out, result["sha256"]), result)
            scanned += 1
        else:
            errors = out / "errors"
            errors.mkdir(exist_ok=True)
            _write_json(errors / f"{result.get('sha256') or Path(result['path']).name}.json", result)
            failed += 1
        if on_result is not None:  # e.g. record into the history store as each APK finishes
            on_result(result)
        rows.append(summary_row(result))
    summary = out / SUMMARY
    columns = list(summary_row({}).keys())
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
            bar.update(task, advance=1, description=Path(result.get("path", "")).name + ("" if result.get("ok") else " (failed)"))
            yield result
