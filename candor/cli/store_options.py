"""The `--store PATH` / `--no-history` options of commands that record runs, and the store they choose."""

import argparse
from pathlib import Path

from candor.history.paths import ENV_VAR, resolve_store_path


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """Add --store PATH (the history database) to a subcommand."""
    parser.add_argument("--store", metavar="PATH", help=f"history database (default: ${ENV_VAR} or the user data directory)")


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """Add --store PATH and --no-history to a subcommand that records runs."""
    add_store_option(parser)
    parser.add_argument("--no-history", action="store_true", help="do not record this run in the history store")


def chosen_store(args: argparse.Namespace) -> Path | None:
    """The store this command should record into, or None when history is off (--no-history)."""
    if getattr(args, "no_history", False):
        return None
    return resolve_store_path(getattr(args, "store", None))
