"""The mitmproxy addon: reads each request, never changes it, reports identifiers flow by flow.

By default detection runs in a background process (`candor_background`): the event loop
only copies the request (method, URL, headers, raw body) into a queue, so no flow waits
for the detector; findings come back in batches within about 50 ms and are written,
logged and shown on the flow (marker and comment). With `candor_background=false` the same
detector runs inline in the `request` hook.
"""

import asyncio
import gc
import json
import logging
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mitmproxy import command, ctx, exceptions, http, types
from mitmproxy.addonmanager import Loader
from mitmproxy.hooks import UpdateHook
from mitmproxy.log import ALERT

from addons.engine.consent import ConsentClock
from addons.engine.device import load_device_profile
from addons.engine.flowfile import to_wire
from addons.engine.frequency import FrequencyTracker
from addons.engine.request import from_wire
from addons.engine.sink import JsonlSink
from addons.engine.summary import by_flow, flow_comment, render_table, summary_json
from addons.proxy.messages import (
    Analyze,
    Configure,
    ConsentSeen,
    Failed,
    FromDetector,
    Observed,
    SetConsent,
    WorkerLost,
)
from addons.proxy.worker import BackgroundDetector, DetectorConfig, build_detector
from addons.timeparse import parse_time
from candor.errors import CandorError
from candor.model.traffic import TrafficObservation

logger = logging.getLogger("candor")
MARKER = ":warning:"
MAX_LOGGED_ERRORS = 5
DETECTOR_OPTIONS = frozenset({"candor_device", "candor_app_domains", "candor_burst_per_minute", "candor_consent_url"})


class Candor:
    """Options `candor_*`, commands `candor.consent` and `candor.report`."""

    def __init__(self) -> None:
        self.config = DetectorConfig()
        self.consent = ConsentClock()
        self.frequency = FrequencyTracker()
        self.detector = build_detector(self.config, self.consent, self.frequency)
        self.background = True
        self.worker: BackgroundDetector | None = None
        self.pending: weakref.WeakValueDictionary[str, http.HTTPFlow] = weakref.WeakValueDictionary()
        self.lock = threading.Lock()  # the report command may run while results arrive
        self.closing = False
        self.sink: JsonlSink | None = None
        self.records: list[str] = []  # observations as JSON lines, parsed only for reports
        self.started = False
        self.flow_list_shown = True  # until `running` knows better
        self.flows_seen = 0
        self.dropped = 0
        self.errors = 0

    # -- options --------------------------------------------------------------------------
    def load(self, loader: Loader) -> None:
        loader.add_option("candor_device", str, "", "Device profile YAML with the phone's real identifier values.")
        loader.add_option("candor_out", str, "", "Append observations to this JSONL file as they happen.")
        loader.add_option("candor_app_domains", Sequence[str], [], "The app's own domains (first party).")
        loader.add_option("candor_consent_at", str, "", "Moment of consent: epoch seconds or ISO 8601 (UTC when no zone).")
        loader.add_option("candor_consent_url", str, "", "Regex: a request URL matching it marks the moment of consent.")
        loader.add_option("candor_burst_per_minute", int, 30, "Flag a destination sending one identifier more often per minute.")
        loader.add_option("candor_background", bool, True, "Run the detector in a background process (false: inline in the hook).")

    def configure(self, updated: set[str]) -> None:
        options = ctx.options
        option = ""  # the option being applied, named in any error
        try:
            if "candor_device" in updated:
                option = "candor_device"
                self.config.profile = load_device_profile(Path(options.candor_device)) if options.candor_device else None
            if "candor_consent_at" in updated:
                option = "candor_consent_at"
                self._set_consent(parse_time(options.candor_consent_at) if options.candor_consent_at else None)
            if "candor_consent_url" in updated:
                option = "candor_consent_url"
                ConsentClock(consent_url=options.candor_consent_url or None)  # validate before use
                self.config.consent_url = options.candor_consent_url or None
            if "candor_burst_per_minute" in updated:
                option = "candor_burst_per_minute"
                if options.candor_burst_per_minute < 0:
                    raise ValueError("must be >= 0")
                self.config.burst_per_minute = options.candor_burst_per_minute
            if "candor_app_domains" in updated:
                self.config.app_domains = list(options.candor_app_domains)
        except (CandorError, ValueError) as exc:
            message = f"{option}: {exc}"
            if not self.started:  # at startup: one line, and mitmproxy exits ("Error logged during startup")
                logger.error(f"candor: {message}")
                return
            raise exceptions.OptionsError(message) from None  # later (e.g. `set` in mitmweb): the change is refused
        if updated & DETECTOR_OPTIONS:
            self.detector = build_detector(self.config, self.consent, self.frequency)
            if self.worker is not None:
                self.worker.submit(Configure(self.config))
        if "candor_background" in updated:
            self.background = options.candor_background
            if not self.background:
                self._stop_worker()
        if "candor_out" in updated:
            try:
                self._open_sink(options.candor_out)
            except ValueError as exc:
                if not self.started:
                    logger.error(f"candor: {exc}")
                    return
                raise exceptions.OptionsError(str(exc)) from None

    def running(self) -> None:
        self.started = True
        # Only a flow list (mitmweb, mitmproxy's console) listens to `update`; mitmdump has none to refresh.
        self.flow_list_shown = ctx.master.addons.get("view") is not None
        # Everything loaded by now (mitmproxy, Candor's models and catalog code) lives as long as the process:
        # keep it out of the garbage collector's full passes, which would otherwise walk it on every one.
        gc.freeze()
        if self.background:
            self._worker()  # start the detector process now, so the first flows do not wait for its start-up

    def _open_sink(self, target: str) -> None:
        if self.sink is not None:
            self.sink.close()
            self.sink = None
        if target:
            try:
                self.sink = JsonlSink(Path(target).expanduser())
            except OSError as exc:
                raise ValueError(f"candor_out: cannot open {target}: {exc.strerror or exc}") from None

    def _set_consent(self, timestamp: float | None) -> None:
        self.consent.set(timestamp)
        if self.worker is not None:
            self.worker.submit(SetConsent(timestamp))

    # -- flows ----------------------------------------------------------------------------
    def request(self, flow: http.HTTPFlow) -> None:
        """Copy the request as sent and analyse it; only flow.marked and flow.comment are ever written."""
        try:
            self.flows_seen += 1
            wire = to_wire(flow)
            self.pending[flow.id] = flow  # weakly: marked when its findings arrive (later ones too) while mitmproxy keeps it
            if self.background and self._worker() is not None:
                if not self.worker.submit(Analyze(wire)):
                    self.dropped += 1
                return
            for flow_id, observations in by_flow(self.detector.analyze(from_wire(wire))).items():
                note = flow_comment(observations)
                self._store([o.model_dump_json() for o in observations])
                logger.info(f"candor: {note}")
                if (seen := self.pending.get(flow_id)) is not None:
                    self._mark(note, seen)
        except Exception:
            self._failed("request", traceback.format_exc(limit=3))

    def _worker(self) -> BackgroundDetector | None:
        """The running worker, started on first use; None when it cannot run (inline fallback)."""
        if self.worker is not None and self.worker.alive():
            return self.worker
        if self.worker is not None or self.closing:
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        self.worker = BackgroundDetector(loop, self._apply)
        self.worker.submit(Configure(self.config))
        if self.consent.consent_at is not None:
            self.worker.submit(SetConsent(self.consent.consent_at))
        return self.worker

    def _apply(self, messages: list[FromDetector]) -> None:
        """Answers from the worker, on the event loop: record, mark, log once, then one update for all marked flows."""
        updated: list[http.HTTPFlow] = []
        lines: list[str] = []
        notes: list[str] = []
        for message in messages:
            try:
                match message:
                    case Observed(flow_id, comment, observed):
                        lines.extend(observed)
                        notes.append(comment)
                        flow = self.pending.get(flow_id)  # weak: gone once mitmproxy dropped the flow
                        if flow is not None:
                            self._mark(comment, flow)
                            updated.append(flow)
                    case Failed(flow_id, details):
                        self.pending.pop(flow_id, None)
                        self._failed("detector process", details)
                    case ConsentSeen(timestamp):
                        self.consent.set(timestamp)
                    case WorkerLost() if not self.closing:
                        self._failed("detector process", "the detector process ended; continuing inline")
            except Exception:
                self._failed("results", traceback.format_exc(limit=3))
        try:
            self._store(lines)
            if notes:
                logger.info("\n".join(f"candor: {note}" for note in notes))
            if updated and not self.closing and self.flow_list_shown:
                ctx.master.addons.trigger(UpdateHook(updated))
        except Exception:
            self._failed("results", traceback.format_exc(limit=3))

    def _store(self, lines: list[str]) -> None:
        if lines:
            with self.lock:
                self.records.extend(lines)
                if self.sink is not None:
                    self.sink.write_lines(lines)

    @staticmethod
    def _mark(note: str, flow: http.HTTPFlow) -> None:
        """Show the finding on the flow (marker and comment are metadata, not traffic)."""
        flow.marked = MARKER
        flow.comment = f"{flow.comment} | {note}" if flow.comment else note

    def _failed(self, where: str, details: str) -> None:
        self.errors += 1
        if self.errors <= MAX_LOGGED_ERRORS:
            logger.warning(f"candor: error in {where} (flow passed through unchanged): {details}")

    # -- commands -------------------------------------------------------------------------
    @command.command("candor.consent")
    def mark_consent(self) -> None:
        """Mark now as the moment the user agreed to the privacy policy."""
        self._set_consent(time.time())
        logger.log(ALERT, f"candor: consent marked at {self.consent.consent_at:.3f}")

    @command.command("candor.report")
    def write_report(self, path: types.Path) -> None:
        """Write the observations so far and their summary as JSON."""
        try:
            Path(path).write_text(json.dumps(self.report(), ensure_ascii=False, indent=2), encoding="utf-8")
        except OSError as exc:
            raise exceptions.CommandError(f"candor.report: cannot write {path}: {exc.strerror or exc}") from None
        logger.log(ALERT, f"candor: report written to {path}")

    @property
    def observations(self) -> list[TrafficObservation]:
        """Everything observed so far."""
        with self.lock:
            records = list(self.records)
        return [TrafficObservation.model_validate_json(line) for line in records]

    def report(self) -> dict[str, Any]:
        observations = self.observations
        return {
            "flows": self.flows_seen,
            "errors": self.errors,
            "dropped": self.dropped,
            "consent_at": self.consent.consent_at,
            "summary": summary_json(observations),
            "observations": [o.model_dump(mode="json") for o in observations],
        }

    # -- shutdown -------------------------------------------------------------------------
    def _stop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            closing, self.closing = self.closing, True
            worker.stop()
            self.closing = closing

    def done(self) -> None:
        gc.unfreeze()
        try:
            self.closing = True
            self._stop_worker()
            if self.sink is not None:
                self.sink.close()
            problems = f", {self.errors} internal errors" if self.errors else ""
            problems += f", {self.dropped} flows not analysed (detector behind)" if self.dropped else ""
            observations = self.observations
            sys.stderr.write(f"candor: {self.flows_seen} flows, {len(observations)} observations{problems}\n")
            sys.stderr.write(render_table(observations))
            sys.stderr.flush()
        except Exception:
            self._failed("done", traceback.format_exc(limit=3))

