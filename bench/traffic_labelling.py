"""Helpers for hand-labelling identifiers in real captures (the labels live in tests/addons/data/traffic_labels.yaml).

`python -m bench.traffic_labelling candidates FILE [--entry N]` lists every (location, field, value) the request
decoder sees per request, so a person can judge which values are identifiers. It never judges by itself.

`python -m bench.traffic_labelling label SPEC` turns a labeller's private spec (kept OUTSIDE the project: it
holds the raw values) into label rows that carry only a short hash of each value. A spec is YAML:

    capture: corpus/traffic/some.har        # relative to ../shared
    platform: android
    values:                                 # the values the labeller judged to be identifiers
      - {type: gaid, value: "…"}
      - {type: os_version, value: "10", fields: ["os_version", "osv"]}   # short values: only under these keys
      - {type: device_model, value: "SM-G960F", inside: true}            # also inside longer text (a User-Agent)
      - {type: os_version, value: "13", protobuf_field: 9}               # a length-delimited protobuf field of the body
    drop: ["entry#3:header:x-foo"]          # occurrences judged not to be transmissions of the identifier
    exclude: [40, 41]                       # requests not scored at all (another device's browser on the same proxy)

Each occurrence found is printed for review; `--write LABELS` merges the capture's rows into the labels file.
"""

import argparse
import gzip
import hashlib
import re
import sys
from pathlib import Path

import yaml

from addons.engine.decode import Decoder, Segment
from addons.engine.flowfile import read_file
from addons.engine.request import RequestData

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def value_hash(value: str) -> str:
    """The short hash a label stores instead of the value: sha256 of the trimmed, lower-cased text, 12 hex digits."""
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:12]


def _text(latin: str) -> str:
    return latin if latin.isascii() else latin.encode("latin-1").decode("utf-8", "replace")


def requests_of(path: Path) -> list[RequestData]:
    """The requests of a capture in file order (flow ids are stable: HAR `stem#index`, mitmproxy flow id)."""
    return read_file(path).requests


def _segments(request: RequestData) -> list[Segment]:
    return Decoder().segments(request)


def candidates(path: Path, entry: int | None, width: int, new_only: bool = False) -> None:
    """Print each request and its decoded (location, field, value) pairs (with `new_only`, each pair once per file)."""
    seen: set[tuple[str, str | None, str]] = set()
    for index, request in enumerate(requests_of(path)):
        if entry is not None and index != entry:
            continue
        print(f"=== [{index}] {request.flow_id} {request.method} {request.url[:160]}")
        if not new_only:
            seen = set()
        for location, field, chain, text in _segments(request):
            text = _text(text)
            if (location, field, text) in seen or (location == "url_path" and not chain):
                continue
            seen.add((location, field, text))
            shown = text if len(text) <= width else text[:width] + f"…(+{len(text) - width})"
            shown = shown.replace("\n", "\\n") if shown.isprintable() or "\n" in shown else repr(shown)
            print(f"  {location}:{field or ''} {'+'.join(chain)} = {shown}")


def _protobuf_occurrence(request: RequestData, value: str, field: int) -> list[str]:
    """`protobuf:N` when the (possibly gzip-compressed) body holds `value` as length-delimited field N."""
    body = request.body
    if body.startswith(b"\x1f\x8b"):
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            return []
    raw = value.encode()
    return [f"protobuf:{field}"] if _varint((field << 3) | 2) + _varint(len(raw)) + raw in body else []


def _varint(number: int) -> bytes:
    out = bytearray()
    while number > 0x7F:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def _occurrences(request: RequestData, spec: dict) -> list[str]:
    """Where one labelled value occurs in a request, as `location:field` strings."""
    value, fields, inside = str(spec["value"]), spec.get("fields"), spec.get("inside", False)
    if "protobuf_field" in spec:
        return _protobuf_occurrence(request, value, int(spec["protobuf_field"]))
    wanted = value.lower()
    places: list[str] = []
    for location, field, _chain, text in _segments(request):
        text = _text(text).strip().lower()
        key = (field or "").rsplit(".", 1)[-1].lower()
        if fields is not None and not any(re.fullmatch(pattern.lower(), key) for pattern in fields):
            continue
        hit = text == wanted or (inside and re.search(rf"(?<![0-9a-z]){re.escape(wanted)}(?![0-9a-z])", text))
        if hit:
            place = f"{location}:{field or ''}"
            if place not in places:
                places.append(place)
    return places


def label(spec_path: Path, write: Path | None) -> None:
    """Label rows for one capture from a private spec; print them for review; merge them into the labels file."""
    spec = yaml.safe_load(spec_path.read_text())
    capture = spec["capture"]
    drops = set(spec.get("drop") or [])
    rows: list[dict] = []
    requests = requests_of(SHARED / capture)
    excluded = [requests[index].flow_id for index in spec.get("exclude") or []]
    for request in requests:
        if request.flow_id in excluded:
            continue
        for item in spec["values"]:
            places = [p for p in _occurrences(request, item) if f"{request.flow_id}:{p}" not in drops]
            if not places:
                continue
            row = {"entry": request.flow_id, "type": item["type"], "where": places, "hash": value_hash(str(item["value"]))}
            same = next((r for r in rows if (r["entry"], r["type"], r["hash"]) == (row["entry"], row["type"], row["hash"])), None)
            if same is None:
                rows.append(row)
            else:
                same["where"].extend(p for p in places if p not in same["where"])
    for row in rows:
        print(f"{row['entry']:<44} {row['type']:<16} {row['hash']}  {', '.join(row['where'])}")
    print(f"{len(rows)} labels in {len(requests)} requests", file=sys.stderr)
    if write is None:
        return
    data = yaml.safe_load(write.read_text()) if write.exists() else {"captures": []}
    captures = [c for c in data["captures"] if c["file"] != capture]
    captures.append({"file": capture, "platform": spec["platform"], "requests": len(requests), "excluded": excluded, "labels": rows})
    data["captures"] = sorted(captures, key=lambda c: c["file"])
    write.write_text(dump_labels(data))


def dump_labels(data: dict) -> str:
    """The labels file: a header comment, then one flow-style line per label so diffs stay readable."""
    lines = [HEADER]
    for capture in data["captures"]:
        lines.append(f"- file: {capture['file']}")
        for key in ("platform", "requests", "excluded"):
            lines.append(f"  {key}: {yaml.safe_dump(capture[key], default_flow_style=True).strip().removesuffix('...').strip()}")
        lines.append("  labels:")
        for row in capture["labels"]:
            lines.append("  - " + yaml.safe_dump(row, default_flow_style=True, sort_keys=False, width=10_000).strip())
    return "\n".join(lines) + "\n"


HEADER = """# Hand labels: identifier transmissions in real captures under ../shared (see README.md beside this file).
# One row per (request, identifier type, value): `hash` is value_hash() of the value (bench/traffic_labelling.py),
# never the value itself; `where` lists the places in the request it travelled.
captures:"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.traffic_labelling", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("candidates", help="list decoded key/value candidates per request")
    show.add_argument("file", type=Path)
    show.add_argument("--entry", type=int, help="only the request at this position")
    show.add_argument("--width", type=int, default=120)
    show.add_argument("--new-only", action="store_true", help="print each (location, field, value) once per file")
    make = commands.add_parser("label", help="turn a private spec into hashed label rows")
    make.add_argument("spec", type=Path)
    make.add_argument("--write", type=Path, help="merge into this labels YAML")
    args = parser.parse_args(argv)
    if args.command == "candidates":
        candidates(args.file, args.entry, args.width, args.new_only)
    else:
        label(args.spec, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
