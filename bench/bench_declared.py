"""Extraction time per seed, policy and labelled corpus document of ../shared (median of N runs) against the 0.3 s goal.

Usage: .venv/bin/python bench/bench_declared.py [N]   (no assertions; prints a table)
"""

import statistics
import sys
import time
from pathlib import Path

GOAL_SECONDS = 0.3
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    started = time.perf_counter()
    from candor.catalog.session import current_catalog
    from declared import extract_policy

    catalog = current_catalog()
    print(f"import + catalog load: {time.perf_counter() - started:.3f} s (once per process, not counted below)")
    corpus = SHARED / "corpus" / "policies"
    files = sorted((SHARED / "seeds").glob("*")) + sorted((SHARED / "policies").glob("*"))
    files += sorted(p for p in corpus.glob("*") if p.name not in ("labels.yaml", "README.md", "SOURCES.md"))
    if not files:
        print(f"no documents under {SHARED}")
        return 0
    print(f"{'document':48} {'KB':>6} {'first':>7} {'median':>7}  goal {GOAL_SECONDS}s (seconds, one core)")
    for path in files:
        times = []
        for _ in range(runs + 1):
            catalog.__dict__.pop("_declared_resolve", None)  # per-document name cache: measure it cold
            start = time.perf_counter()
            extract_policy(path)
            times.append(time.perf_counter() - start)
        first, rest = times[0], times[1:]
        median = statistics.median(rest)
        verdict = "ok" if median <= GOAL_SECONDS else "SLOW"
        print(f"{path.name[:48]:48} {path.stat().st_size / 1024:6.1f} {first:7.3f} {median:7.3f}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
