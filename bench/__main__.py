"""Run every benchmark, or the ones named: `python -m bench [declared apk traffic batch]`."""

import importlib
import sys

BENCHES = ("declared", "apk", "traffic", "batch")


def main(names: list[str]) -> int:
    for name in names or BENCHES:
        if name not in BENCHES:
            print(f"unknown benchmark {name!r}; choose from {', '.join(BENCHES)}", file=sys.stderr)
            return 2
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n=== bench_{name} ===", flush=True)
        sys.argv = [f"bench_{name}"]  # each bench parses its own options; run them with defaults
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
