"""Hostile inputs through the real `candor` command: one line on stderr, exit 2, nothing changed that was only read."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from candor.history.store import HistoryStore

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"


def _candor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "candor.cli.main", *args], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          stdin=subprocess.DEVNULL)


def _one_line_error(proc: subprocess.CompletedProcess, words: str) -> None:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("candor") and words in lines[0], proc.stderr


@pytest.fixture
def specials(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    return {"fifo": fifo, "zero": zero}


@pytest.mark.parametrize(("special", "command"), [
    ("fifo", ["apk", "scan"]), ("zero", ["policy", "extract"]), ("zero", ["traffic", "analyze"]),
    ("fifo", ["report", "--no-history", "--flows"]),
])
def test_special_files_are_refused_at_once(specials: dict[str, Path], special: str, command: list[str]) -> None:
    words = "named pipe" if special == "fifo" else "character device"
    _one_line_error(_candor(*command, str(specials[special])), words)


@pytest.mark.parametrize("args", [["traffic", "analyze", "x.har", "--consent-at", "-1e18"], ["report", "--max-per-minute", "lots"],
                                  ["traffic", "analyze", "--no-such-option"]])
def test_usage_errors_are_one_line(args: list[str]) -> None:
    proc = _candor(*args)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_300000_digit_imei_is_refused_before_matching(tmp_path: Path) -> None:
    device = tmp_path / "device.yaml"
    device.write_text('imei: "' + "9" * 300_000 + '"\n')
    _one_line_error(_candor("traffic", "analyze", str(DEMO / "flows.har"), "--device", str(device)), "imei")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_history_leaves_a_foreign_database_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    before, names = _digest(other), sorted(os.listdir(tmp_path))
    _one_line_error(_candor("history", "--store", str(other)), "not a Candor history store")
    assert _digest(other) == before and sorted(os.listdir(tmp_path)) == names


def _tampered_store(path: Path, *statements: tuple[str, tuple]) -> Path:
    """A real Candor store, then changed behind Candor's back with plain SQL."""
    with HistoryStore(path):
        pass
    with closing(sqlite3.connect(path)) as conn, conn:
        for sql, params in statements:
            conn.execute(sql, params)
    return path


def test_a_recursive_view_is_refused_and_never_blocks_a_report(tmp_path: Path) -> None:
    store = _tampered_store(tmp_path / "h.sqlite", ("ALTER TABLE runs RENAME TO runs_old", ()), (
        "CREATE VIEW runs AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n AS id FROM r", ()))
    before = _digest(store)
    _one_line_error(_candor("history", "--store", str(store)), "views or triggers")
    assert _digest(store) == before
    declared = tmp_path / "declared.yaml"
    assert _candor("policy", "extract", str(DEMO / "policy.md"), "--format", "yaml", "-o", str(declared)).returncode == 0
    html = tmp_path / "report.html"
    proc = _candor("report", "--declared", str(declared), "--store", str(store), "-o", str(html), "-q")
    assert proc.returncode in (0, 1) and html.exists(), proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and "history skipped" in warnings[0]
    assert _digest(store) == before


def test_a_damaged_history_row_is_one_line(tmp_path: Path) -> None:
    store = _tampered_store(
        tmp_path / "h.sqlite",
        ("INSERT INTO runs (kind, package, started_at, evidence, tool_version) VALUES ('report', 'com.x', 't', '{}', '1')", ()),
        ("INSERT INTO findings (run_id, finding_id, kind, severity, title, data) VALUES (1, 'f', 'k', 'high', 't', ?)", ('{"id": 5}',)),
    )
    _one_line_error(_candor("history", "--store", str(store), "com.x"), "damaged history row")
