"""Two processes write to one store at once; a writer killed with SIGKILL never corrupts it."""

import multiprocessing
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from candor.history import HistoryStore
from tests.conftest import ROOT
from tests.history.writer import main as write_runs


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"  # brand new: both also race to create the schema
    ctx = multiprocessing.get_context("spawn")
    writers = [ctx.Process(target=write_runs, args=(str(path), tag, 50)) for tag in ("A", "B")]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=120)
        assert w.exitcode == 0
    with HistoryStore(path) as store:
        ids = store.run_ids()
        assert len(ids) == 100
        tags = {r["evidence"]["tag"] for p in store.packages() for r in store.runs(p["package"])}
        assert tags == {f"{t}-{i}" for t in "AB" for i in range(50)}
        assert all(store.is_complete(i) for i in ids)
        assert store.integrity_check() == "ok"


def _first_line(process: subprocess.Popen, timeout: float = 60.0) -> bytes:
    """Read the process's stdout until its first complete line (or EOF, or the timeout)."""
    fd = process.stdout.fileno()
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    return data


def test_kill_minus_nine_never_corrupts_the_store(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    rng = random.Random(7)
    committed: list[int] = []
    interrupted = 0  # kills that landed while a run was being written
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 20
    for round_ in range(kills):
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.history.writer", str(path), f"k{round_}", "0"], cwd=ROOT, env=env, stdout=subprocess.PIPE
        )
        head = _first_line(writer)  # imports done, first run started: kill timing no longer depends on machine load
        time.sleep(rng.uniform(0.1, 0.7))  # runs of 200 rows each, committed one by one
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=30)
        out = head + rest
        assert writer.returncode == -signal.SIGKILL
        lines = [line.strip() for line in out.decode().splitlines(keepends=True) if line.endswith("\n")]
        committed += [int(line) for line in lines if line.isdigit()]
        interrupted += bool(lines) and lines[-1] == "writing"
    assert len(committed) > kills  # the writers really did get runs in before they died
    print(f"{kills} kills, {interrupted} mid-run, {len(committed)} runs committed")
    assert interrupted >= kills // 4, interrupted  # and many kills hit a transaction in progress

    with HistoryStore(path) as store:
        assert store.integrity_check() == "ok"
        ids = store.run_ids()
        assert set(committed) <= set(ids)
        assert len(ids) - len(committed) <= kills  # at most one per kill committed but not yet reported
        assert all(store.is_complete(i) for i in ids)  # no half-written run anywhere
