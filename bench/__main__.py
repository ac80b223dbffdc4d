"""Run every benchmark, or the ones named: `python -m bench [NAME ...] [-- options of a single one]` (names in BENCHES).

Options after the names go to the benchmark when exactly one is named, e.g. `python -m bench traffic --rounds 3`.
"""

import importlib
import sys

BENCHES = ("declared", "accuracy", "apk", "apk_accuracy", "traffic", "batch", "traffic_accuracy")
ON_REQUEST = ("fuzz",)  # run only when named: the hostile-input campaign takes minutes


def main(args: list[str]) -> int:
    split = next((i for i, arg in enumerate(args) if arg.startswith("-")), len(args))
    names, options = args[:split], [arg for arg in args[split:] if arg != "--"]
    if options and len(names) != 1:
        print("benchmark options need exactly one benchmark name, e.g. `python -m bench traffic --rounds 3`", file=sys.stderr)
        return 2
    for name in names or BENCHES:
        if name not in BENCHES + ON_REQUEST:
            print(f"unknown benchmark {name!r}; choose from {', '.join(BENCHES + ON_REQUEST)}", file=sys.stderr)
            return 2
    for name in names or BENCHES:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n=== bench_{name} ===", flush=True)
        sys.argv = [f"bench_{name}", *options]  # each bench parses its own options
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
