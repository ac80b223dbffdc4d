"""Hostile inputs: one-line error, exit code 2, within seconds and bounded memory (real CLI subprocess)."""

import resource
import subprocess
import sys
from pathlib import Path

import pytest

CASES = ["truncated", "bogus_cd", "corrupt_dex", "bomb", "not_apk", "empty"]


def _run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    def limit() -> None:  # 1.5 GB address space: a zip bomb inflating in memory would die
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, resource.RLIM_INFINITY))

    command = [sys.executable, "-m", "candor.cli.main", *args]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, preexec_fn=limit)
    return proc


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_one_line_exit_2(built: dict[str, Path], case: str) -> None:
    proc = _run_cli("apk", "scan", str(built[case]))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("candor: error: "), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_hostile_messages_say_why(built: dict[str, Path]) -> None:
    from apk_scan import scan_apk
    from candor.errors import InputError

    expected = {"bomb": "zip bomb", "corrupt_dex": "corrupt DEX", "not_apk": "not an APK", "truncated": "not a valid APK/zip"}
    for case, words in expected.items():
        with pytest.raises(InputError, match=words):
            scan_apk(built[case])


def test_scan_cli_json(built: dict[str, Path], tmp_path: Path) -> None:
    import json

    out = tmp_path / "scan.json"
    proc = _run_cli("apk", "scan", str(built["sdk"]), "--format", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert data["package"] == "com.example.shop"
    assert {"imei", "mac", "imsi", "android_id"} <= {c["identifier"] for c in data["call_sites"]}
