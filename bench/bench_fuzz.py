"""Hostile-input campaign: every command on generated hostile inputs, each a `candor` subprocess under limits.

    python -m bench fuzz                       # all areas, 4 mutants per seed
    python -m bench fuzz --area apk --mutants 20 --timeout 30 --jobs 2

Each run gets an address-space limit (RLIMIT_AS) and a timeout; its wall time and peak memory (the child's
ru_maxrss from wait4) are recorded. The goal figures printed at the end: hangs past the timeout, runs above
1 GB peak memory (MemoryError counts), APK scans above 5x their inflated DEX size (above the start-up baseline),
crashes (killed by a signal), multi-line errors, tracebacks, executable payloads in HTML reports, reports not
written because of a bad history store, and changes to files Candor was only asked to read.
"""

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench.hostile import XSS_MARK, Case, build_cases

GB = 1 << 30
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Outcome:
    """What one run did."""

    name: str
    area: str
    seconds: float
    peak_mb: float
    exit: int | None
    stderr_lines: int
    first_line: str
    problems: list[str] = field(default_factory=list)


def _fingerprint(paths: list[Path]) -> dict[str, object]:
    """Content hashes of regular files, and the files named after them beside them (a new -wal, -shm or .tmp counts as a change)."""
    out: dict[str, object] = {}
    for path in paths:
        if path.is_file() and not path.is_symlink():
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        out[f"{path}*"] = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name) and p.name != path.name)
    return out


# Started by the runner, it forks and execs the command under the address-space limit and reports the child's own
# peak memory (ru_maxrss of a child forked from this small process, not from the runner that holds every input).
LAUNCHER = """
import json, os, resource, sys
limit, result, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(result, "w") as handle:
    json.dump({"exit": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss}, handle)
"""


class _Executable(HTMLParser):
    """Finds payloads that would run: <script> or on* handlers or javascript: URLs carrying the marker."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            text = value or ""
            if XSS_MARK in text and (name.startswith("on") or text.strip().lower().startswith("javascript:")):
                self.found.append(f"<{tag} {name}=…>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and XSS_MARK in data and f"window.{XSS_MARK}=1" in data and "\\u003c" not in data:
            self.found.append("<script> with the payload")


def xss_in(html: Path) -> list[str]:
    """Executable payloads in a written HTML report (static check of the DOM the browser would build)."""
    if not html.exists():
        return []
    parser = _Executable()
    parser.feed(html.read_text(encoding="utf-8", errors="replace"))
    return parser.found


def run_case(case: Case, timeout: float, as_limit: int, baseline_mb: float) -> Outcome:
    before = _fingerprint(case.read_only)

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        result = Path(scratch) / "result.json"
        command = [sys.executable, "-c", LAUNCHER, str(as_limit), str(result), sys.executable, "-m", "candor.cli.main", *case.argv]
        started = time.monotonic()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=ROOT, start_new_session=True)
        killed = False
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            proc.wait()
        seconds = time.monotonic() - started
        measured = json.loads(result.read_text()) if result.exists() else {"exit": None, "maxrss_kb": 0}
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        out.seek(0)
        stdout_head = out.read(200_000).decode("utf-8", "replace")
    peak_mb = measured["maxrss_kb"] / 1024
    code = measured["exit"]
    lines = [line for line in stderr.splitlines() if line.strip()]
    outcome = Outcome(case.name, case.area, round(seconds, 2), round(peak_mb, 1), None if killed else code, len(lines),
                      lines[0][:200] if lines else "")  # fmt: skip
    problems = outcome.problems
    if killed:
        problems.append("hang")
    elif code is None or code < 0:
        problems.append(f"crash (signal {-(code or 0)})")
    if peak_mb * 1024 * 1024 > GB or "MemoryError" in stderr:
        problems.append("memory > 1 GB")
    if case.dex_bytes and peak_mb - baseline_mb > max(64.0, 5 * case.dex_bytes / 2**20) and outcome.exit == 0:
        problems.append("memory > 5x DEX")
    if not killed and code not in (0, 1) and len(lines) != 1:
        problems.append("multi-line error" if lines else "error without a message")
    if any(not line.startswith("candor") for line in lines):
        problems.append("foreign stderr line")
    if "Traceback (most recent call last)" in stderr or "Traceback (most recent call last)" in stdout_head:
        problems.append("traceback")
    if case.html is not None and xss_in(case.html):
        problems.append("xss")
    if case.must_write is not None and not case.must_write.exists():
        problems.append("report not written")
    if _fingerprint(case.read_only) != before:
        problems.append("changed a read-only input")
    return outcome


GOALS = (
    ("hangs past the timeout", "hang"),
    ("runs above 1 GB peak memory", "memory > 1 GB"),
    ("APK scans above 5x the inflated DEX size", "memory > 5x DEX"),
    ("crashes (signals)", "crash"),
    ("multi-line errors", "multi-line error"),
    ("errors without a message", "error without a message"),
    ("foreign (third-party) stderr lines", "foreign stderr line"),
    ("tracebacks", "traceback"),
    ("XSS (executable payload in HTML)", "xss"),
    ("reports not written (history)", "report not written"),
    ("changes to files Candor was only asked to read", "changed a read-only input"),
)


def _baseline_mb(root: Path, as_limit: int) -> float:
    """Peak memory of a scan that fails at once: the start-up cost every APK run pays before its DEX."""
    empty = root / "baseline.apk"
    empty.write_bytes(b"")
    return run_case(Case("baseline", "apk", ["apk", "scan", str(empty)]), 60, as_limit, 0).peak_mb


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--area", action="append", default=[], help="apk, policy, traffic, device, report, cli, history (repeatable)")
    parser.add_argument("--mutants", type=int, default=4, help="mutants per seed input")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a run counts as a hang")
    parser.add_argument("--as-limit-mb", type=int, default=4096, help="address-space limit of each run")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write every outcome here")
    parser.add_argument("--keep", type=Path, help="generate the inputs here (kept) instead of a temporary directory")
    args = parser.parse_args()
    as_limit = args.as_limit_mb << 20
    with tempfile.TemporaryDirectory(prefix="candor-fuzz-") as scratch:
        root = args.keep or Path(scratch)
        started = time.monotonic()
        cases = build_cases(root, args.seed, args.mutants, tuple(args.area))
        print(f"{len(cases)} hostile inputs generated in {time.monotonic() - started:.0f} s under {root}", flush=True)
        baseline = _baseline_mb(root, as_limit)
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            outcomes = list(pool.map(lambda c: run_case(c, args.timeout, as_limit, baseline), cases))
    width = max(len(o.name) for o in outcomes)
    print(f"\n{'input':<{width}}  {'exit':>4}  {'s':>6}  {'MB':>7}  first stderr line / problems")
    for o in outcomes:
        flag = f"  <-- {', '.join(o.problems)}" if o.problems else ""
        code = o.exit if o.exit is not None else "-"
        print(f"{o.name:<{width}}  {code:>4}  {o.seconds:>6.2f}  {o.peak_mb:>7.1f}  {o.first_line[:90]}{flag}")
    slowest = max(outcomes, key=lambda o: o.seconds)
    biggest = max(outcomes, key=lambda o: o.peak_mb)
    print(f"\n{len(outcomes)} runs; slowest {slowest.name} {slowest.seconds:.1f} s; largest {biggest.name} {biggest.peak_mb:.0f} MB; "
          f"start-up baseline {baseline:.0f} MB (timings are noisy: the machine is shared)")
    failures = 0
    print("\ngoal figures (goal: 0 each)")
    for label, problem in GOALS:
        count = sum(1 for o in outcomes if any(p.startswith(problem) for p in o.problems))
        failures += count
        print(f"  {label:<50} {count}")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=1))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
