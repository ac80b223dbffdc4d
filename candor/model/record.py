"""`Record`: a stdlib dataclass with the same interface as Candor's pydantic models, built without importing pydantic.

The static scan's results and the catalog's entries are records: `candor apk scan` creates hundreds of them and
must start fast, and importing pydantic with its model machinery costs more than the scan's own work (about
0.13 s of a 0.45 s run, measured with `python -m bench apk --startup`). A record is constructed like a plain
dataclass (no validation: the scanner and the catalog compiler build them from checked data). pydantic still
validates records wherever data comes in from outside — scan JSON, catalog YAML, a batch result — through
`model_validate`/`model_validate_json`, imported only then. Field descriptions are attribute docstrings, which
pydantic reads into the JSON Schema (`use_attribute_docstrings`), and unknown fields are refused (`extra=forbid`).
A record's `__post_init__` may check and normalise its fields; pydantic calls it after validating them.
"""

import dataclasses
import json
from functools import cache
from typing import Any, Literal, Self


@cache
def _adapter(cls: type) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def to_data(value: Any, exclude_none: bool = False) -> Any:
    """A record (and the records, lists and dicts inside it) as plain JSON data."""
    if isinstance(value, Record):
        out = {}
        for name in _field_names(type(value)):
            item = getattr(value, name)
            if item is None and exclude_none:
                continue
            out[name] = to_data(item, exclude_none)
        return out
    if isinstance(value, list | tuple):
        return [to_data(v, exclude_none) for v in value]
    if isinstance(value, dict):
        return {k: to_data(v, exclude_none) for k, v in value.items()}
    return value


class Record:
    """Base of the dataclass models; subclasses are `@dataclass(kw_only=True)`."""

    __pydantic_config__ = {"extra": "forbid", "use_attribute_docstrings": True}

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """A validated record from plain data (dicts, lists); raises pydantic.ValidationError."""
        return _adapter(cls).validate_python(data)

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> Self:
        """A validated record from JSON text; raises pydantic.ValidationError."""
        return _adapter(cls).validate_json(data)

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        """The record's JSON Schema (descriptions from the class and attribute docstrings)."""
        return _adapter(cls).json_schema()

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """The class docstring as the schema's description, as pydantic does for its models."""
        import inspect

        schema = handler.resolve_ref_schema(handler(core_schema))
        doc = cls.__dict__.get("__doc__")
        if doc:
            schema["description"] = inspect.cleandoc(doc)
        return schema

    def model_dump(self, mode: Literal["python", "json"] = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The record as plain data; `mode` is accepted for pydantic parity (records hold JSON types only)."""
        return to_data(self, exclude_none)

    def model_dump_json(self, indent: int | None = None) -> str:
        """The record as JSON text (UTF-8, not ASCII-escaped; compact unless `indent`)."""
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(to_data(self), ensure_ascii=False, indent=indent, separators=separators)

    def model_copy(self, update: dict[str, Any] | None = None) -> Self:
        """A shallow copy with some fields replaced."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]
