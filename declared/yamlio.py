"""Human-reviewable YAML out, reviewed YAML or JSON back in (round trip without loss)."""

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from candor.errors import InputError
from candor.inputs import one_line, parse_yaml, read_text
from candor.model.declared import DeclaredTable

MAX_DECLARED_BYTES = 32 * 1024 * 1024


class _Dumper(yaml.SafeDumper):
    """Block style, unicode kept, multi-line strings as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(table: DeclaredTable) -> str:
    """The table as YAML, keys in model order, ready for a person to review and correct."""
    data = table.model_dump(mode="json")
    header = "# Candor declared table: review and correct, then pass to `candor report --declared`.\n"
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def load_declared(path: Path) -> DeclaredTable:
    """A reviewed declared table from YAML or JSON; one clear InputError when it is not valid."""
    text = read_text(path, MAX_DECLARED_BYTES, "declared table")  # regular files only, size checked first
    try:
        data = _parse(path, text)
    except RecursionError:  # deeply nested JSON
        raise InputError(f"{path}: nested too deeply to be a declared table") from None
    except ValueError as exc:  # e.g. a JSON integer of more digits than Python converts
        raise InputError(f"{path}: unreadable value ({one_line(exc, 120)})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a declared table (a mapping with sdks, permissions, identifiers)")
    try:
        return DeclaredTable.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "table"
        raise InputError(f"{path}: not a valid declared table: {where}: {error['msg']}") from None


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno})") from None
    return parse_yaml(text, path)
