"""Shared CLI output helpers: --format, -o, JSON of models, one-line errors."""

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from candor.atomic import write_atomic


def add_format_option(parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")) -> None:
    """Add --format (first choice is the default) and -o/--output to a subcommand."""
    parser.add_argument("--format", choices=choices, default=choices[0], help="output format")
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")


def _is_model(value: Any) -> bool:
    """A pydantic model or a record (both have `model_dump`); checked without importing pydantic."""
    return hasattr(value, "model_dump") and hasattr(value, "model_dump_json") and not isinstance(value, type)


def to_jsonable(value: Any) -> Any:
    """Models and lists of models as plain JSON data."""
    if _is_model(value):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def dumps_json(value: Any) -> str:
    if _is_model(value):  # the model's own serialiser (pydantic's is several times faster than json on big models)
        return value.model_dump_json(indent=2) + "\n"
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n"


def write_text(text: str, output: Path | None) -> None:
    """Write to a file (atomically) or to stdout."""
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, text)


def emit(value: Any, args: argparse.Namespace, render_text: Callable[[Any], str]) -> None:
    """Print `value` in the format the user chose."""
    fmt = getattr(args, "format", "text")
    text = dumps_json(value) if fmt == "json" else render_text(value)
    write_text(text, getattr(args, "output", None))


def existing_file(path: Path) -> Path:
    """The path, if it is a regular file (after symlinks): never a FIFO, device or socket; else an InputError in one line."""
    from candor.inputs import regular_file

    return regular_file(path)
