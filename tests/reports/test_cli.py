"""`candor report` / `candor diff` through the real CLI (subprocess): outputs and exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def candor(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "candor.cli.main", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_report_writes_every_format(tmp_path: Path, cli_inputs: dict[str, Path]) -> None:
    out = {s: tmp_path / f"r.{s}" for s in ("html", "json", "csv", "xlsx", "sarif")}
    proc = candor(
        "report",
        "--declared",
        cli_inputs["declared"],
        "--scan",
        cli_inputs["scan"],
        "--observations",
        cli_inputs["observations"],
        "-o",
        out["html"],
        "--json",
        out["json"],
        "--csv",
        out["csv"],
        "--xlsx",
        out["xlsx"],
        "--sarif",
        out["sarif"],
    )
    assert proc.returncode == 0, proc.stderr
    assert all(path.stat().st_size > 0 for path in out.values())
    report = json.loads(out["json"].read_text(encoding="utf-8"))
    assert report["sources"]["declared"]["kind"] == "declared" and report["sources"]["code"]["kind"] == "scan"
    assert report["summary"]["verdict"] == "non_compliant"
    assert "verdict: Non-compliant" in proc.stdout


@pytest.mark.parametrize(("level", "expected"), [("high", 1), ("critical", 0)])
def test_fail_on(cli_inputs: dict[str, Path], level: str, expected: int) -> None:
    proc = candor("report", "--declared", cli_inputs["declared"], "--scan", cli_inputs["scan"], "--fail-on", level, "-q")
    assert proc.returncode == expected, proc.stderr


def test_fail_on_without_high_findings(tmp_path: Path) -> None:
    empty = tmp_path / "declared.yaml"
    empty.write_text("sdks: []\n", encoding="utf-8")
    proc = candor("report", "--declared", empty, "--fail-on", "high")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("report",),
        ("report", "--declared", "missing.yaml"),
        ("report", "--scan", "{bad}"),
        ("report", "--declared", "{bad}"),
        ("report", "--observations", "{bad}"),
        ("report", "--declared", "{tmp}", "--consent-at", "yesterday"),
        ("diff", "{bad}", "{bad}"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a candor document"', encoding="utf-8")
    proc = candor(*(a.replace("{bad}", str(bad)).replace("{tmp}", str(bad)) for a in args), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("candor: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr


def test_diff_cli(tmp_path: Path, cli_inputs: dict[str, Path]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    assert candor("report", "--declared", cli_inputs["declared"], "--scan", cli_inputs["scan"], "--json", old, "-q").returncode == 0
    both = ("--declared", cli_inputs["declared"], "--scan", cli_inputs["scan"], "--observations", cli_inputs["observations"])
    assert candor("report", *both, "--json", new, "-q").returncode == 0
    proc = candor("diff", old, new, "-o", tmp_path / "diff.html", "--json", tmp_path / "diff.json", "--fail-on-new", "high")
    assert proc.returncode == 1, proc.stderr
    diff = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))
    assert diff["counts"]["new"] > 0 and diff["counts"]["persisting"] > 0 and diff["counts"]["fixed"] == 0
    assert "<html" in (tmp_path / "diff.html").read_text(encoding="utf-8")
