"""`candor schema NAME`: print the JSON Schema of a Candor document."""

import argparse
from pathlib import Path

from candor.cli.output import write_text
from candor.errors import InputError
from candor.schemas import SCHEMA_MODELS, available, schema_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schema", help="print the JSON Schema of a Candor document")
    parser.add_argument("name", choices=sorted(SCHEMA_MODELS), help="which document")
    parser.add_argument("-o", "--output", type=Path, help="write to this file")
    parser.set_defaults(handler=print_schema)


def print_schema(args: argparse.Namespace) -> int:
    if args.name not in available():
        raise InputError(f"the {args.name!r} schema needs a part of Candor that is not installed")
    write_text(schema_json(args.name), args.output)
    return 0
