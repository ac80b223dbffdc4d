"""The mitmproxy addon under mitmproxy's own test helpers: marks flows, never changes them, survives errors."""

import asyncio
import base64
import gzip
import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from mitmproxy import exceptions
from mitmproxy.test import taddons, tflow

from addons import load_observations
from addons.proxy.addon import Candor
from tests.addons.support import IMEI

pytestmark = pytest.mark.anyio
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "device.yaml"


def umeng_flow():
    flow = tflow.tflow(resp=True)
    flow.request.url = "https://alog.umeng.com/app_logs"
    flow.request.method = "POST"
    flow.request.headers["Content-Type"] = "application/octet-stream"
    payload = json.dumps({"header": {"di": hashlib.md5(IMEI.encode()).hexdigest().upper()}}).encode()
    flow.request.raw_content = base64.b64encode(gzip.compress(payload))
    return flow


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def traffic_state(flow) -> dict:
    state = flow.get_state()
    for key in ("marked", "comment"):
        state.pop(key)
    return state


async def test_marks_and_records_without_changing_the_flow(tmp_path: Path) -> None:
    addon = Candor()
    out = tmp_path / "obs.jsonl"
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_device=str(EXAMPLE), candor_out=str(out), candor_consent_url=r"/privacy/agree",
                       candor_background=False)
        flow = umeng_flow()
        before = traffic_state(flow)
        await tctx.cycle(addon, flow)
        assert traffic_state(flow) == before
        assert flow.marked == ":warning:"
        assert "IMEI(md5)" in flow.comment and "before consent" in flow.comment
        (observation,) = load_observations(out)
        assert (observation.identifier, observation.location, observation.field) == ("imei", "json", "header.di")
        assert observation.encoding == ["base64", "gzip", "upper", "md5"] and observation.hash == "md5"
        assert observation.before_consent is True

        agree = tflow.tflow()
        agree.request.url = "https://app.example.com/privacy/agree"
        await tctx.cycle(addon, agree)
        later = umeng_flow()
        await tctx.cycle(addon, later)
        assert "after consent" in later.comment
        assert [o.before_consent for o in load_observations(out)] == [True, False]
        assert not agree.marked


async def test_consent_command_and_report(tmp_path: Path) -> None:
    addon = Candor()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_device=str(EXAMPLE), candor_background=False)
        first = umeng_flow()
        await tctx.cycle(addon, first)
        assert first.marked and "consent" not in first.comment  # no consent source yet: unknown
        tctx.command(addon.mark_consent)
        second = umeng_flow()
        second.request.timestamp_start = addon.consent.consent_at + 1
        await tctx.cycle(addon, second)
        assert "after consent" in second.comment
        report = tmp_path / "report.json"
        tctx.command(addon.write_report, str(report))
        data = json.loads(report.read_text())
        assert data["flows"] == 2 and len(data["observations"]) == 2 and data["summary"][0]["identifier"] == "imei"


async def test_background_process_marks_flows_later_and_drains_on_done(tmp_path: Path) -> None:
    addon = Candor()
    out = tmp_path / "obs.jsonl"
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_device=str(EXAMPLE), candor_out=str(out))
        assert addon.background
        flows = [umeng_flow() for _ in range(3)]
        for flow in flows:
            before = traffic_state(flow)
            await tctx.cycle(addon, flow)
            assert traffic_state(flow) == before
        assert addon.worker is not None and addon.worker.process.pid != os.getpid()
        deadline = time.monotonic() + 30
        while not all(f.marked for f in flows) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert all(f.marked == ":warning:" and "IMEI(md5)" in f.comment for f in flows)
        late = umeng_flow()
        await tctx.cycle(addon, late)
        addon.done()  # drains what the worker still has
        assert len(load_observations(out)) == 4 and addon.errors == 0
        assert not addon.worker


async def test_killed_detector_process_falls_back_to_inline(tmp_path: Path, caplog) -> None:
    addon = Candor()
    out = tmp_path / "obs.jsonl"
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_device=str(EXAMPLE), candor_out=str(out))
        await tctx.cycle(addon, umeng_flow())
        worker = addon.worker
        assert worker is not None and worker.alive()
        worker.process.kill()
        deadline = time.monotonic() + 30
        while worker.alive() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)  # the event loop sees the pipe close
        assert not worker.alive() and addon.errors == 1
        after = umeng_flow()
        await tctx.cycle(addon, after)
        assert after.marked == ":warning:"  # analysed inline, at once
        addon.done()
    assert any("detector process ended" in r.getMessage() for r in caplog.records)
    assert len(load_observations(out)) >= 1


class FlowList:
    """Stands in for mitmweb's flow list: the addon named "view" that listens to `update`."""

    name = "view"

    def __init__(self) -> None:
        self.updated: list = []

    def update(self, flows) -> None:
        self.updated.extend(flows)


async def _analyse_in_background(addon: Candor, tctx, flows: list) -> None:
    tctx.configure(addon, candor_device=str(EXAMPLE))
    addon.running()
    for flow in flows:
        await tctx.cycle(addon, flow)
    deadline = time.monotonic() + 30
    while not all(f.marked for f in flows) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    addon.done()


async def test_marked_flows_refresh_a_flow_list_and_log_once_per_batch(caplog) -> None:
    addon, flow_list = Candor(), FlowList()
    flows = [umeng_flow() for _ in range(3)]
    with caplog.at_level("INFO", logger="candor"), taddons.context(addon, flow_list) as tctx:
        await _analyse_in_background(addon, tctx, flows)
    assert addon.flow_list_shown and {f.id for f in flow_list.updated} == {f.id for f in flows}
    notes = [line for r in caplog.records for line in r.getMessage().splitlines() if "IMEI(md5)" in line]
    finding_records = [r for r in caplog.records if "IMEI(md5)" in r.getMessage()]
    assert len(notes) == 3 and len(finding_records) < 3  # one record carries the whole batch


async def test_no_flow_list_no_update_events() -> None:
    addon = Candor()
    flows = [umeng_flow() for _ in range(2)]
    with taddons.context(addon) as tctx:
        events: list = []
        trigger = tctx.master.addons.trigger

        def recording_trigger(event) -> None:
            events.append(event.name)
            trigger(event)

        tctx.master.addons.trigger = recording_trigger
        await _analyse_in_background(addon, tctx, flows)
    assert not addon.flow_list_shown and all(f.marked for f in flows)
    assert "update" not in events


async def test_consent_at_option_accepts_iso_time() -> None:
    addon = Candor()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_consent_at="2024-01-01T00:00:00Z")
        assert addon.consent.consent_at == 1704067200.0


@pytest.mark.parametrize(("option", "value", "message"), [
    ("candor_device", "/nonexistent/device.yaml", "no such file"),
    ("candor_consent_url", "(", "regex"),
    ("candor_consent_at", "soon", "ISO"),
    ("candor_burst_per_minute", -1, ">= 0"),
    ("candor_out", "/proc/candor/forbidden.jsonl", "cannot open"),
])
def test_bad_options_are_rejected_cleanly(option: str, value: object, message: str, caplog) -> None:
    addon = Candor()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, **{option: value})  # at startup: one logged error line (mitmproxy then exits)
        errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        assert len(errors) == 1 and message in errors[0] and "\n" not in errors[0] and option in errors[0]
        addon.running()
        with pytest.raises(exceptions.OptionsError, match=message):  # while running: the change is refused
            tctx.configure(addon, **{option: value})


async def test_detector_exception_never_reaches_mitmproxy(caplog) -> None:
    addon = Candor()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_device=str(EXAMPLE), candor_background=False)

        def explode(request):
            raise RuntimeError("boom")

        addon.detector.analyze = explode
        flow = umeng_flow()
        before = traffic_state(flow)
        await tctx.cycle(addon, flow)
        assert addon.errors == 1 and traffic_state(flow) == before and not flow.marked
        assert "boom" in caplog.text


async def test_flow_without_request_body_or_odd_flows() -> None:
    addon = Candor()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_device=str(EXAMPLE), candor_background=False)
        flow = tflow.tflow()
        flow.request.raw_content = None
        await tctx.cycle(addon, flow)
        assert addon.errors == 0 and addon.flows_seen == 1


def test_done_prints_summary(capsys) -> None:
    addon = Candor()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_device=str(EXAMPLE), candor_background=False)
        addon.request(umeng_flow())
        addon.done()
    err = capsys.readouterr().err
    assert ("1 flows, 1 observations" in err and "imei" in err and "Umeng" in err) or "umeng" in err


def test_script_loads_from_any_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    script = Path(__file__).resolve().parents[2] / "addons" / "candor_addon.py"
    with taddons.context() as tctx:
        module = tctx.script(str(script))
        assert [type(a).__name__ for a in module.addons] == ["Candor"]
    import sys

    assert str(script.parent) not in sys.path


@pytest.mark.parametrize(("url", "host_header"), [
    ("https://alog.umeng.com/app_logs?x=1", None), ("http://127.0.0.1:8080/x", "alog.umeng.com"), ("http://example.com:8080/", None),
])
def test_wire_roundtrip_keeps_the_request(url: str, host_header: str | None) -> None:
    from addons.engine.flowfile import to_wire
    from addons.engine.request import from_wire

    flow = umeng_flow()
    flow.request.url = url
    if host_header:
        flow.request.headers["Host"] = host_header
    rebuilt = from_wire(to_wire(flow))
    assert (rebuilt.url, rebuilt.method, rebuilt.timestamp) == (flow.request.pretty_url, "POST", flow.request.timestamp_start)
    assert rebuilt.headers == list(flow.request.headers.items(multi=True))
    assert rebuilt.body == flow.request.raw_content


def test_messages_survive_the_pipe_framing_split_anywhere() -> None:
    from addons.engine.flowfile import to_wire
    from addons.proxy.messages import Analyze, FrameReader, Observed, SetConsent, Stop, encode

    sent = [Analyze(to_wire(umeng_flow())), SetConsent(12.5), Observed("f1", "IMEI → Umeng", ['{"a": 1}']), Stop()]
    data = encode(sent[:2]) + encode(sent[2:3]) + encode(sent[3:])
    reader, received = FrameReader(), []
    for start in range(0, len(data), 7):  # the pipe hands over arbitrary pieces
        received.extend(reader.feed(data[start : start + 7]))
    assert received == sent and type(received[0]) is Analyze and received[0].request.flow_id == sent[0].request.flow_id


def _id_flow(url: str, key: str):
    flow = tflow.tflow(resp=True)
    flow.request.url = url
    flow.request.method = "POST"
    flow.request.headers["Content-Type"] = "application/json"
    flow.request.raw_content = json.dumps({key: "k3Hq9ZpX2mVbT7wY4nLc8A"}).encode()
    return flow


@pytest.mark.parametrize("background", [False, True])
async def test_an_earlier_flow_is_marked_once_a_later_one_shows_its_id(background: bool) -> None:
    addon = Candor()
    flows = [_id_flow("https://alog.umeng.com/app_logs", "q"), _id_flow("https://android.bugly.qq.com/rqd/async", "x9")]
    with taddons.context(addon) as tctx:
        tctx.configure(addon, candor_background=background)
        addon.running()
        await tctx.cycle(addon, flows[0])
        if background:  # the first answer (nothing) comes back before the second flow is sent
            await asyncio.sleep(0.3)
        assert not flows[0].marked
        await tctx.cycle(addon, flows[1])
        deadline = time.monotonic() + 30
        while not all(f.marked for f in flows) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        addon.done()
    assert all(f.marked and "install_id" in f.comment for f in flows)
    assert sorted(o.flow_id for o in addon.observations) == sorted(f.id for f in flows)
