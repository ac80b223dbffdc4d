"""Entry point: `candor <command> ...`. Each part registers its own subcommands."""

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from candor import __version__
from candor.errors import CandorError

# (module, what it adds): each module has `register(subparsers)`; imported lazily-cheap.
COMMAND_MODULES: tuple[str, ...] = (
    "candor.cli.catalog_cmd",
    "candor.cli.schema_cmd",
    "declared.cli",
    "apk_scan.cli",
    "addons.cli",
    "reports.cli",
    "candor.cli.history_cmd",
)
# The commands each module registers: a run imports only the module of its command (start-up time);
# `candor --help` and unknown commands import them all.
COMMANDS: dict[str, str] = {
    "catalog": "candor.cli.catalog_cmd", "schema": "candor.cli.schema_cmd", "policy": "declared.cli", "apk": "apk_scan.cli",
    "traffic": "addons.cli", "report": "reports.cli", "diff": "reports.cli", "history": "candor.cli.history_cmd",
}  # fmt: skip
OPTIONS_WITH_VALUE = frozenset({"--trackers"})


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr (exit 2), not the multi-line usage block."""

    def error(self, message: str) -> NoReturn:
        from candor.inputs import one_line

        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def command_modules(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The modules to register for this command line (all of them when the command is not known yet)."""
    args = list(sys.argv[1:] if argv is None else argv)
    i = 0
    while i < len(args) and args[i].startswith("-"):
        if args[i] in ("-h", "--help"):
            return COMMAND_MODULES
        i += 2 if args[i] in OPTIONS_WITH_VALUE else 1
    module = COMMANDS.get(args[i]) if i < len(args) else None
    return (module,) if module else COMMAND_MODULES


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The `candor` parser, with the subcommands of the modules this command line needs."""
    parser = OneLineParser(prog="candor", description="Audit an app's privacy policy against its code and traffic.")
    parser.add_argument("--version", action="version", version=f"candor {__version__}")
    parser.add_argument("--trackers", metavar="FILE", help="merge an Exodus-format tracker JSON into the catalog")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules(argv):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that part is not installed in this build
            raise
        module.register(subparsers)
    return parser


class _OneLineStderr(logging.Handler):
    """Library and Candor log records on (the current) stderr as `candor: warning: <one line>`."""

    def emit(self, record: logging.LogRecord) -> None:
        from candor.inputs import one_line

        try:
            sys.stderr.write(f"candor: {record.levelname.lower()}: {one_line(record.getMessage(), 400)}\n")
        except Exception:  # a broken log call must never break the command
            self.handleError(record)


def _log_warnings_as_one_line() -> None:
    """Warnings that parts log (skipped entries, budgets hit) reach stderr one line each, prefixed like every other line."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(_OneLineStderr(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    debug = args.debug or bool(os.environ.get("CANDOR_DEBUG"))
    _log_warnings_as_one_line()
    try:
        if args.trackers:
            from pathlib import Path

            from candor.catalog.session import current_catalog, use_trackers
            from candor.cli.output import existing_file

            use_trackers(existing_file(Path(args.trackers)))
            current_catalog()
        return int(args.handler(args) or 0)
    except CandorError as exc:
        print(f"candor: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("candor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the user gets one line, not a traceback
        if debug:
            raise
        print(f"candor: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 2


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
