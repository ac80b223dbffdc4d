"""What the proxy and its detector process say to each other, and how it travels over a pipe.

Both ends use `encode` to write and `FrameReader` to read: a frame is a 4-byte big-endian
length, then one pickled list of plain tuples (kind tag, fields…) that the reader turns back
into the typed messages below (plain tuples pickle without a Python call per object).
"""

import os
import pickle
import select
import struct
import time
from collections.abc import Sequence
from typing import Any, NamedTuple, get_type_hints

from addons.engine.request import WireRequest

HEADER = struct.Struct("!I")


# -- proxy -> detector ---------------------------------------------------------------------
class Configure(NamedTuple):
    """Rebuild the detector with this `DetectorConfig`."""

    config: Any


class Analyze(NamedTuple):
    """One request, copied from the flow as sent."""

    request: WireRequest


class SetConsent(NamedTuple):
    """Consent happened at `timestamp` (None forgets it)."""

    timestamp: float | None


class Stop(NamedTuple):
    """Finish what is queued, answer `Stopped`, end."""


# -- detector -> proxy ---------------------------------------------------------------------
class Observed(NamedTuple):
    """A flow carried identifiers: its comment for the flow list and the observations as JSON lines."""

    flow_id: str
    comment: str
    lines: list[str]


class Failed(NamedTuple):
    """Analysing a flow (or applying a config, `flow_id` None) raised; `details` is the traceback."""

    flow_id: str | None
    details: str


class ConsentSeen(NamedTuple):
    """A request matched the consent URL: consent happened at `timestamp`."""

    timestamp: float | None


class Stopped(NamedTuple):
    """The detector finished after `Stop`."""


class WorkerLost(NamedTuple):
    """The detector's pipe closed unexpectedly (made by the proxy side, never sent)."""


ToDetector = Configure | Analyze | SetConsent | Stop
FromDetector = Observed | Failed | ConsentSeen | Stopped | WorkerLost


KINDS: tuple[type, ...] = (Configure, Analyze, SetConsent, Stop, Observed, Failed, ConsentSeen, Stopped)
TAGS = {kind: tag for tag, kind in enumerate(KINDS)}
# Per kind, how to rebuild each field: a NamedTuple field travels as a plain tuple (pickling a NamedTuple
# costs a Python-level call per object, which the proxy's event loop would pay for every request).
REBUILD = tuple(
    tuple(hint._make if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_make") else None
          for hint in get_type_hints(kind).values())
    for kind in KINDS
)


def encode(messages: Sequence[ToDetector | FromDetector]) -> bytes:
    """One frame carrying `messages` in order."""
    plain = [(TAGS[type(m)], *[tuple(f) if isinstance(f, tuple) else f for f in m]) for m in messages]
    payload = pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


def _decode(item: tuple) -> Any:
    tag, fields = item[0], item[1:]
    rebuild = REBUILD[tag]
    return KINDS[tag](*[make(f) if make is not None else f for make, f in zip(rebuild, fields, strict=True)])


class FrameReader:
    """Bytes from a pipe in, whole messages out (in the order they were encoded)."""

    def __init__(self) -> None:
        self._data = bytearray()

    def feed(self, chunk: bytes) -> list[Any]:
        self._data += chunk
        out: list[Any] = []
        offset, size_of_header = 0, HEADER.size
        while len(self._data) - offset >= size_of_header:
            (size,) = HEADER.unpack_from(self._data, offset)
            if len(self._data) - offset < size_of_header + size:
                break
            out.extend(map(_decode, pickle.loads(self._data[offset + size_of_header : offset + size_of_header + size])))
            offset += size_of_header + size
        del self._data[:offset]
        return out


def write_all(fd: int, data: bytes, deadline: float | None = None) -> bool:
    """Write everything to `fd` (blocking or not), waiting at most until `deadline` (time.monotonic); False if it could not."""
    view = memoryview(data)
    while view:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        _, ready, _ = select.select([], [fd], [], wait)
        if not ready:
            return False
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            continue
        except OSError:
            return False
    return True
