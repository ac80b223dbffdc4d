"""Observations as JSON Lines: appended and flushed one by one, read back tolerantly."""

import json
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from candor.errors import InputError
from candor.inputs import read_text
from candor.model.traffic import TrafficObservation

MAX_OBSERVATIONS_BYTES = 256 * 1024 * 1024


class JsonlSink:
    """Appends observations to a file, flushing after each flow so a killed proxy loses nothing already seen."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO | None = path.open("a", encoding="utf-8")

    def write(self, observations: list[TrafficObservation]) -> None:
        self.write_lines([o.model_dump_json() for o in observations])

    def write_lines(self, lines: list[str]) -> None:
        """Append already-serialised observations (one JSON object each) and flush."""
        if self._file is None or not lines:
            return
        self._file.write("".join(line + "\n" for line in lines))
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def load_observations(path: Path | str) -> list[TrafficObservation]:
    """Observations from a JSONL file; a torn last line (proxy killed mid-write) is ignored."""
    path = Path(path)
    # Lines end at "\n" only: str.splitlines() would also split at U+2028 and friends, which JSON strings may hold raw.
    lines = read_text(path, MAX_OBSERVATIONS_BYTES, "observations file").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    observations: list[TrafficObservation] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            observations.append(TrafficObservation.model_validate_json(line))
        except ValidationError as exc:
            if number == len(lines) and observations and _is_torn(line):
                break  # the proxy was killed mid-write; everything before it is kept
            raise InputError(f"{path}:{number}: not a traffic observation ({exc.errors()[0]['msg']})") from None
    return observations


def _is_torn(line: str) -> bool:
    """A line cut short mid-write: not even complete JSON."""
    try:
        json.loads(line)
    except ValueError:
        return True
    return False
