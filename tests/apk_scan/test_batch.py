"""`candor apk batch`: worker processes, one JSON per APK, summary CSV, bad APKs isolated, reruns skip."""

import csv
import json
import shutil
from pathlib import Path

from apk_scan.batch.executors import get_executor
from apk_scan.batch.runner import run_batch
from apk_scan.batch.task import scan_one


def test_batch_three_good_one_bad_then_rerun(built: dict[str, Path], tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("sdk", "clean", "nested", "corrupt_dex"):
        shutil.copy(built[name], inputs / f"{name}.apk")
    out = tmp_path / "out"
    first = run_batch([inputs], out, jobs=2, timeout_s=60, progress=False)
    assert (first.scanned, first.skipped, first.failed) == (3, 0, 1)
    jsons = sorted(out.glob("*.json"))
    assert len(jsons) == 3
    packages = {json.loads(p.read_text())["scan"]["package"] for p in jsons}
    assert packages == {"com.example.shop", "org.example.clean", "com.example.nested"}
    rows = list(csv.DictReader((out / "summary.csv").open()))
    assert len(rows) == 4
    bad = [r for r in rows if r["ok"] == "False"]
    assert len(bad) == 1 and bad[0]["path"].endswith("corrupt_dex.apk") and "corrupt DEX" in bad[0]["error"]
    shop = next(r for r in rows if r["package"] == "com.example.shop")
    assert "umeng_common" in shop["sdks"].split(";") and "imei" in shop["identifiers"].split(";")
    mtimes = {p: p.stat().st_mtime_ns for p in jsons}
    second = run_batch([inputs], out, jobs=2, timeout_s=60, progress=False)
    assert (second.scanned, second.skipped, second.failed) == (0, 3, 1)
    assert {p: p.stat().st_mtime_ns for p in jsons} == mtimes
    assert len(list(csv.DictReader((out / "summary.csv").open()))) == 4


def test_scan_one_timeout_kills_worker(built: dict[str, Path]) -> None:
    result = scan_one(str(built["sdk"]), timeout_s=0.001, memory_mb=1024)
    assert result.ok is False and "timed out" in (result.error or "")
    assert result.sha256 is not None and len(result.sha256) == 64


def test_scan_one_memory_guard(built: dict[str, Path]) -> None:
    result = scan_one(str(built["big"]), timeout_s=60, memory_mb=16)  # a 40 MB nested entry cannot fit
    assert result.ok is False and "memory" in (result.error or ""), result.error
    assert scan_one(str(built["big"]), timeout_s=60, memory_mb=1024).ok is True
    ok = scan_one(str(built["sdk"]), timeout_s=60, memory_mb=1024)
    assert ok.ok is True and ok.scan is not None and ok.scan.package == "com.example.shop"


def test_local_executor_unordered() -> None:
    results = sorted(get_executor("local", 3).map_unordered(abs, [-3, -1, -2, -5]))
    assert results == [1, 2, 3, 5]


def test_batch_cli(built: dict[str, Path], tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "cli-out"
    inputs = [str(built["clean"]), str(built["not_apk"])]
    command = [sys.executable, "-m", "candor.cli.main", "apk", "batch", *inputs, "-o", str(out), "-j", "2"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "1 scanned, 0 skipped (already done), 1 failed" in proc.stdout
    rows = list(csv.DictReader((out / "summary.csv").open()))
    assert sorted(r["ok"] for r in rows) == ["False", "True"]
    assert any("not an APK" in r["error"] for r in rows)
