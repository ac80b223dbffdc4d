"""Capture files (mitmproxy dumps of every kind, HAR, .zhar), the JSONL sink and the CLI."""

import json
import zlib
from pathlib import Path

import pytest

from addons import analyze_file, load_observations
from addons.engine.flowfile import read_file
from addons.engine.sink import JsonlSink
from candor.cli.main import main
from candor.errors import InputError
from tests.addons.support import IMEI, profile_detector, request

FORMATS = ["successful_log.mitm", "dumpfile-7.mitm", "corrupted_gzip_body.mitm", "incomplete_log.mitm", "successful_log.har",
           "compressed.zhar"]


def write_dump(path: Path, urls_and_bodies: list[tuple[str, bytes]]) -> None:
    from mitmproxy import io
    from mitmproxy.test import tflow

    with path.open("wb") as handle:
        writer = io.FlowWriter(handle)
        for url, body in urls_and_bodies:
            flow = tflow.tflow(resp=True)
            flow.request.url = url
            flow.request.method = "POST"
            flow.request.raw_content = body
            writer.add(flow)


@pytest.mark.shared
@pytest.mark.parametrize("name", FORMATS)
def test_reads_every_mitmproxy_format(shared_dir: Path, name: str) -> None:
    path = shared_dir / "traffic" / "mitmproxy_formats" / name
    if not path.exists():
        pytest.skip(f"{name} absent")
    result = read_file(path)
    assert result.requests, name
    assert all(r.url.startswith("http") for r in result.requests)
    assert main(["traffic", "analyze", str(path), "--format", "json"]) == 0


@pytest.mark.shared
def test_legacy_and_damaged_dumps_keep_their_flows(shared_dir: Path) -> None:
    formats = shared_dir / "traffic" / "mitmproxy_formats"
    if not formats.is_dir():
        pytest.skip("formats absent")
    assert len(read_file(formats / "dumpfile-7.mitm").requests) == 2
    assert len(read_file(formats / "incomplete_log.mitm").requests) == 4
    assert [r.url for r in read_file(formats / "corrupted_gzip_body.mitm").requests] == ["http://127.0.0.1:5000/"]
    assert len(read_file(formats / "compressed.zhar").requests) == len(read_file(formats / "successful_log.har").requests)


@pytest.mark.shared
def test_real_har_attribution(shared_dir: Path, capsys) -> None:
    from addons.engine.attribution import Attributor
    from candor.catalog.session import current_catalog

    path = shared_dir / "traffic" / "reporthar_android_first-run.har"
    if not path.exists():
        pytest.skip("HAR absent")
    hosts = {r.url.split("/")[2] for r in read_file(path).requests}
    assert {"graph.facebook.com", "api2.branch.io", "sessions.bugsnag.com"} <= hosts
    catalog = current_catalog()
    attributor = Attributor(catalog)
    for host, domain in (("graph.facebook.com", "facebook.com"), ("api2.branch.io", "branch.io"), ("notify.bugsnag.com", "bugsnag.com")):
        party = attributor.attribute(host)
        assert party.registrable_domain == domain
        sdk = catalog.sdk_for_host(host)
        assert (party.party, party.sdk_id) == (("sdk", sdk.id) if sdk else ("third_party", None))
    observations = analyze_file(path)
    gaid = [o for o in observations if o.identifier == "gaid"]
    assert gaid and {o.host for o in gaid} == {"api2.branch.io", "graph.facebook.com"}  # Facebook sends it as advertiser_id
    assert {o.value for o in gaid} == {"1209d0b9-b959-42e6-b921-aa5d9d08c1af"}
    assert main(["traffic", "analyze", str(path)]) == 0
    assert "gaid" in capsys.readouterr().out


def test_truncated_dump_keeps_what_was_read(tmp_path: Path) -> None:
    dump = tmp_path / "flows.mitm"
    write_dump(dump, [(f"https://x.example.com/a?imei={IMEI}", b""), ("https://x.example.com/b", b"hello")])
    data = dump.read_bytes()
    cut = tmp_path / "cut.mitm"
    cut.write_bytes(data[: len(data) - 40])
    result = read_file(cut)
    assert [r.url for r in result.requests] == [f"https://x.example.com/a?imei={IMEI}"]
    assert result.problems


def test_dump_with_profile(tmp_path: Path) -> None:
    from addons.engine.device import load_device_profile

    dump = tmp_path / "flows.mitm"
    write_dump(dump, [("https://alog.umeng.com/app_logs", json.dumps({"header": {"imei": IMEI}}).encode())])
    found = analyze_file(dump, load_device_profile(Path(__file__).resolve().parents[2] / "examples" / "device.yaml"))
    assert [(o.identifier, o.field, o.host) for o in found] == [("imei", "header.imei", "alog.umeng.com")]


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01garbage", "not a mitmproxy flow file"),
    (b'{"log": 1}', "not a valid HAR"),
    (b"{not json", "not a valid HAR"),
])
def test_unreadable_files_are_one_line_errors(tmp_path: Path, content: bytes, message: str, capsys) -> None:
    path = tmp_path / "bad.flows"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_file(path)
    assert main(["traffic", "analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("candor: error:") and err.count("\n") == 1


def test_bad_zhar_and_missing_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "x.zhar"
    bad.write_bytes(b"not zlib")
    assert main(["traffic", "analyze", str(bad)]) == 2
    assert main(["traffic", "analyze", str(tmp_path / "absent.mitm")]) == 2
    assert main(["traffic", "analyze", str(bad), "--device", str(tmp_path / "absent.yaml")]) == 2
    assert main(["traffic", "analyze", str(bad), "--consent-at", "yesterday"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4 and all(line.startswith("candor: error:") for line in err)


def test_zhar_roundtrip(tmp_path: Path) -> None:
    har = {"log": {"entries": [{"startedDateTime": "2024-01-01T00:00:00Z", "request": {
        "method": "POST", "url": "https://x.example.com/t", "headers": [{"name": "Content-Type", "value": "application/json"}],
        "postData": {"mimeType": "application/json", "text": json.dumps({"imei": IMEI})}}}]}}
    path = tmp_path / "c.zhar"
    path.write_bytes(zlib.compress(json.dumps(har).encode()))
    found = analyze_file(path)
    assert [(o.identifier, o.field, o.detection) for o in found] == [("imei", "imei", "shape")]
    assert found[0].timestamp == 1704067200.0


def test_consent_options_offline(tmp_path: Path, capsys) -> None:
    dump = tmp_path / "flows.mitm"
    write_dump(dump, [(f"https://x.example.com/a?imei={IMEI}", b"")])
    assert main(["traffic", "analyze", str(dump), "--consent-at", "1", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [o["before_consent"] for o in report["observations"]] == [False]
    assert main(["traffic", "analyze", str(dump), "--consent-url", "(", "--format", "json"]) == 2
    assert "--consent-url: consent URL pattern '(' is not a valid regex" in capsys.readouterr().err
    assert main(["traffic", "analyze", str(dump), "--consent-at", "soon"]) == 2
    assert "--consent-at: expected" in capsys.readouterr().err


def test_jsonl_sink_and_torn_last_line(tmp_path: Path) -> None:
    out = tmp_path / "obs.jsonl"
    sink = JsonlSink(out)
    observations = profile_detector().analyze(request(f"https://x.example.com/a?imei={IMEI}&aid=9774d56d682e549c"))
    sink.write(observations)
    assert len(load_observations(out)) == 2  # flushed: readable before close
    sink.close()
    with out.open("a") as handle:
        handle.write('{"flow_id": "torn')
    assert load_observations(out) == observations
    out.write_text("{}\n" + out.read_text())
    with pytest.raises(InputError, match=":1: not a traffic observation"):
        load_observations(out)
