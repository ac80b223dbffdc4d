"""Detection in a background process: the proxy's event loop only copies each request and moves on.

The messages both ways and their framing are in `addons.proxy.messages`.
"""

import asyncio
import collections
import contextlib
import logging
import os
import select
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from addons.engine.consent import ConsentClock
from addons.engine.detect import Detector
from addons.engine.device import DeviceProfile
from addons.engine.frequency import FrequencyTracker
from addons.engine.request import from_wire
from addons.engine.summary import by_flow, flow_comment
from addons.proxy.messages import (
    Analyze,
    Configure,
    ConsentSeen,
    Failed,
    FrameReader,
    FromDetector,
    Observed,
    SetConsent,
    Stop,
    Stopped,
    ToDetector,
    WorkerLost,
    encode,
    write_all,
)

logger = logging.getLogger("candor")
BATCH = 256  # answers sent together at most
ANSWER_DELAY = 0.05  # seconds an answer may wait for others: fewer wake-ups of the proxy's event loop
WORKER_NICENESS = 5  # below the proxy's priority; detection catches up when the cores are free
SEND_DELAY = 0.02  # seconds a request may wait for others before the pipe write: fewer wake-ups of the worker


@dataclass
class DetectorConfig:
    """Everything needed to build the detector (picklable)."""

    profile: DeviceProfile | None = None
    app_domains: list[str] = field(default_factory=list)
    burst_per_minute: int = 30
    consent_url: str | None = None


def build_detector(config: DetectorConfig, consent: ConsentClock, frequency: FrequencyTracker) -> Detector:
    """The detector for a config, sharing the session's consent clock and frequency counts."""
    from candor.catalog.session import current_catalog
    from candor.errors import CandorError

    try:
        catalog = current_catalog()
    except CandorError as exc:
        logger.warning(f"candor: catalog unavailable, attributing by domain only: {exc}")
        catalog = None
    consent.set_url(config.consent_url)
    frequency.burst_per_minute = config.burst_per_minute
    return Detector(config.profile, catalog, config.app_domains, consent=consent, frequency=frequency)


def serve(inbox: Any, outbox: Any) -> None:
    """The worker process: analyse requests in order until told to stop (or the proxy goes away).

    Reads whatever the pipe holds in one go and answers in batches: a handful of system
    calls per batch of requests, not per request.
    """
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)  # when the cores are busy, the proxy's own work comes first
    consent, frequency = ConsentClock(), FrequencyTracker()
    detector = build_detector(DetectorConfig(), consent, frequency)
    fd, answer_fd, frames = inbox.fileno(), outbox.fileno(), FrameReader()
    queued: collections.deque[ToDetector] = collections.deque()
    held: list[FromDetector] = []
    held_until = 0.0

    def put(message: FromDetector) -> None:
        nonlocal held_until
        if not held:
            held_until = time.monotonic() + ANSWER_DELAY
        held.append(message)

    def flush() -> None:
        """Answers go out together, at most ANSWER_DELAY after the first of them was ready."""
        if held:
            write_all(answer_fd, encode(held))
            held.clear()

    while True:
        try:
            if held and (len(held) >= BATCH or time.monotonic() >= held_until):
                flush()
            if not queued:
                wait = max(0.0, held_until - time.monotonic()) if held else None
                if not select.select([fd], [], [], wait)[0]:
                    continue  # an answer is due: flushed at the top of the loop
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return  # the proxy went away
                queued.extend(frames.feed(chunk))
                continue
        except OSError:
            return
        match queued.popleft():
            case Analyze(request):
                known = consent.consent_at
                try:
                    for flow_id, observed in by_flow(detector.analyze(from_wire(request))).items():
                        put(Observed(flow_id, flow_comment(observed), [o.model_dump_json() for o in observed]))
                except Exception:
                    put(Failed(request.flow_id, traceback.format_exc(limit=4)))
                if consent.consent_at != known:
                    put(ConsentSeen(consent.consent_at))
            case SetConsent(timestamp):
                consent.set(timestamp)
            case Configure(config):
                try:
                    detector = build_detector(config, consent, frequency)
                except Exception:
                    put(Failed(None, traceback.format_exc(limit=4)))
            case Stop():
                put(Stopped())
                flush()
                return


class BackgroundDetector:
    """Owns the worker process; talks to it over two pipes driven by the event loop (no threads).

    Sending never blocks: frames go to a non-blocking pipe, the rest waits in a bounded
    buffer flushed when the pipe is writable; beyond the bound, requests are dropped
    (counted by the caller). Answers are read when the loop reports the pipe readable.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, deliver: Callable[[list[FromDetector]], None],
                 max_buffered: int = 64 * 1024 * 1024) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        child_in, self._to_worker = context.Pipe(duplex=False)
        self._from_worker, child_out = context.Pipe(duplex=False)
        self.process = context.Process(target=serve, args=(child_in, child_out), name="candor-detector", daemon=True)
        self.process.start()
        child_in.close()
        child_out.close()
        self.loop, self.deliver, self.max_buffered = loop, deliver, max_buffered
        self._out = bytearray()
        self._answers = FrameReader()
        self._writer_armed = False
        self._flush_scheduled = False
        self.closed = False
        self._write_fd, self._read_fd = self._to_worker.fileno(), self._from_worker.fileno()
        os.set_blocking(self._write_fd, False)
        os.set_blocking(self._read_fd, False)
        loop.add_reader(self._read_fd, self._readable)

    def alive(self) -> bool:
        """False once the worker's pipe closed (it ended or was stopped); no system call per request."""
        return not self.closed

    # -- sending --------------------------------------------------------------------------
    def submit(self, message: ToDetector) -> bool:
        """Queue a message without blocking; False if the worker is gone or too far behind.

        Frames collect in a buffer written SEND_DELAY later: under load, one write (and
        one wake-up of the worker) carries many requests.
        """
        if self.closed:
            return False
        data = encode((message,))
        if len(self._out) + len(data) > self.max_buffered:
            return False
        self._out += data
        if not self._flush_scheduled and not self._writer_armed:
            self._flush_scheduled = True
            self.loop.call_later(SEND_DELAY, self._writable)
        return True

    def _arm_writer(self) -> None:
        if not self._writer_armed and not self.closed:
            self.loop.add_writer(self._write_fd, self._writable)
            self._writer_armed = True

    def _writable(self) -> None:
        self._flush_scheduled = False
        if self.closed or not self._out:
            return
        try:
            written = os.write(self._write_fd, self._out)
        except BlockingIOError:
            written = 0
        except OSError:
            self._lost()
            return
        del self._out[:written]
        if self._out:
            self._arm_writer()
        elif self._writer_armed:
            self.loop.remove_writer(self._write_fd)
            self._writer_armed = False

    # -- receiving ------------------------------------------------------------------------
    def _readable(self) -> None:
        try:
            chunk = os.read(self._read_fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._lost()
            return
        messages = self._answers.feed(chunk)
        if messages:
            self.deliver(messages)

    def _lost(self) -> None:
        if not self.closed:
            self._detach()
            self.deliver([WorkerLost()])

    def _detach(self) -> None:
        self.closed = True
        self.loop.remove_reader(self._read_fd)
        if self._writer_armed:
            self.loop.remove_writer(self._write_fd)
            self._writer_armed = False

    # -- stopping -------------------------------------------------------------------------
    def stop(self, timeout: float = 10.0) -> None:
        """Let the worker finish what is queued (bounded by `timeout`), deliver its answers, then end it."""
        if not self.closed:
            self._detach()
            deadline = time.monotonic() + timeout
            if write_all(self._write_fd, bytes(self._out) + encode((Stop(),)), deadline):
                self._drain_until_stopped(deadline)
            self._out.clear()
        for connection in (self._to_worker, self._from_worker):
            connection.close()
        self.process.join(timeout=2.0)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=2.0)

    def _drain_until_stopped(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._read_fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return
            try:
                chunk = os.read(self._read_fd, 1 << 20)
            except BlockingIOError:
                continue
            except OSError:
                return
            if not chunk:
                return
            messages = self._answers.feed(chunk)
            stopped = any(isinstance(message, Stopped) for message in messages)
            self.deliver([message for message in messages if not isinstance(message, Stopped)])
            if stopped:
                return
