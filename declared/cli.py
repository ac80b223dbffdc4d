"""`candor policy extract POLICY [--format json|yaml] [-o FILE]`."""

import argparse
from pathlib import Path

from candor.cli.output import add_format_option


def register(subparsers: argparse._SubParsersAction) -> None:
    policy = subparsers.add_parser("policy", help="read a privacy policy")
    actions = policy.add_subparsers(dest="policy_command", metavar="ACTION")
    extract = actions.add_parser("extract", help="extract the declared tables (SDKs, permissions, identifiers)")
    extract.add_argument("policy", type=Path, help="policy file: text, HTML, Markdown, PDF or DOCX")
    add_format_option(extract, ("yaml", "json"))
    extract.set_defaults(handler=_extract)
    policy.set_defaults(handler=_help(policy))


def _help(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    def show(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return show


def _extract(args: argparse.Namespace) -> int:
    from candor.cli.output import emit, existing_file
    from declared import dump_yaml, extract_policy

    table = extract_policy(existing_file(args.policy))
    emit(table, args, dump_yaml)
    return 0
