"""A real mitmdump with the addon, a local HTTPS fake SDK server, and a real client through the proxy."""

import base64
import gzip
import hashlib
import json
import time
from pathlib import Path

import httpx
import psutil
import pytest

from addons import load_observations
from candor.catalog.session import current_catalog
from tests.addons.localnet import RESPONSE_BODY, RESPONSE_HEADERS, SCRIPT, free_port, https_server, mitmdump
from tests.addons.support import IMEI

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "device.yaml"
UMENG_HEADERS = {"Content-Type": "application/octet-stream", "X-Umeng-Sdk": "Android/9.6.3", "Host": "alog.umeng.com"}
EXPECTED = ("imei", "json", "header.di", ["base64", "gzip", "upper", "md5"], "md5")

FAULT_SCRIPT = '''
from mitmproxy import ctx

class Fault:
    def running(self):
        candor = ctx.master.addons.get("candor")
        original = candor.detector.analyze

        def analyze(request):
            if "/boom" in request.url:
                raise RuntimeError("injected detector failure")
            return original(request)

        candor.detector.analyze = analyze

addons = [Fault()]
'''


def umeng_body() -> bytes:
    payload = {"header": {"appkey": "5f1a2b3c4d5e6f7a8b9c0d1e", "di": hashlib.md5(IMEI.encode()).hexdigest().upper()},
               "body": {"events": [{"id": "launch", "ts": 1700000000123}]}}
    return base64.b64encode(gzip.compress(json.dumps(payload).encode(), mtime=0))


def client(proxy) -> httpx.Client:
    return httpx.Client(proxy=f"http://127.0.0.1:{proxy.port}", verify=str(proxy.ca), trust_env=False, timeout=10)


def assert_untouched(responses: list[httpx.Response]) -> None:
    for response in responses:
        assert response.status_code == 200 and response.content == RESPONSE_BODY
        assert all(response.headers[name] == value for name, value in RESPONSE_HEADERS.items())


def wait_for(path: Path, count: int, seconds: float = 15.0) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and len(found := load_observations(path)) >= count:
            return found
        time.sleep(0.05)
    return load_observations(path) if path.exists() else []


def test_proxy_reports_identifiers_and_never_alters_traffic(tmp_path: Path) -> None:
    out = tmp_path / "observations.jsonl"
    sent = umeng_body()
    with https_server(tmp_path) as server, mitmdump(
        tmp_path, f"candor_device={EXAMPLE}", f"candor_out={out}", "candor_consent_url=/privacy/agree$", scripts=(SCRIPT,),
    ) as proxy, client(proxy) as http:
        base = f"https://127.0.0.1:{server.port}"
        responses = [http.post(f"{base}/app_logs", content=sent, headers=UMENG_HEADERS)]
        responses.append(http.post(f"{base}/privacy/agree", content=b"{}"))
        time.sleep(0.05)
        responses.append(http.post(f"{base}/app_logs", content=sent, headers=UMENG_HEADERS))
        assert len(wait_for(out, 2)) == 2  # flushed while the proxy still runs
        # the detector process dies: the proxy goes on and the addon continues inline
        (worker,) = [p for p in psutil.Process(proxy.process.pid).children() if "spawn" in " ".join(p.cmdline())]
        worker.kill()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and worker.is_running() and worker.status() != psutil.STATUS_ZOMBIE:
            time.sleep(0.05)
        time.sleep(0.3)
        responses.append(http.post(f"{base}/app_logs", content=sent, headers=UMENG_HEADERS))
        assert len(wait_for(out, 3)) == 3
        assert_untouched(responses)
        assert [(r.path, r.body) for r in server.received] == [("/app_logs", sent), ("/privacy/agree", b"{}"), ("/app_logs", sent),
                                                                ("/app_logs", sent)]
        assert all(r.headers.get("X-Umeng-Sdk") == "Android/9.6.3" for r in server.received if r.path == "/app_logs")
    observations = load_observations(out)
    assert [(o.identifier, o.location, o.field, o.encoding, o.hash) for o in observations] == [EXPECTED] * 3
    assert [o.before_consent for o in observations] == [True, False, False]
    assert observations[0].value == hashlib.md5(IMEI.encode()).hexdigest().upper()
    # the Host header names the SDK endpoint the client thinks it talks to: attributed through the catalog
    sdk = current_catalog().sdk_for_host("alog.umeng.com")
    assert observations[0].host == "alog.umeng.com"
    assert (observations[0].party, observations[0].sdk_id) == (("sdk", sdk.id) if sdk else ("third_party", None))
    log = proxy.log.read_text(errors="replace")
    assert "detector process ended" in log
    assert "4 flows, 3 observations" in log and "imei" in log  # summary table printed on exit


def test_inline_detector_failure_does_not_break_the_flow(tmp_path: Path) -> None:
    out = tmp_path / "observations.jsonl"
    fault = tmp_path / "fault.py"
    fault.write_text(FAULT_SCRIPT)
    boom = b'{"imei": "%s"}' % IMEI.encode()
    with https_server(tmp_path) as server, mitmdump(
        tmp_path, f"candor_device={EXAMPLE}", f"candor_out={out}", "candor_background=false", scripts=(SCRIPT, fault),
    ) as proxy, client(proxy) as http:
        base = f"https://127.0.0.1:{server.port}"
        responses = [http.post(f"{base}/boom", content=boom, headers={"Content-Type": "application/json"}),
                     http.post(f"{base}/app_logs", content=umeng_body(), headers=UMENG_HEADERS)]
        assert_untouched(responses)
        assert [r.body for r in server.received] == [boom, umeng_body()]
        assert len(wait_for(out, 1)) == 1
    assert [(o.identifier, o.location, o.field, o.encoding, o.hash) for o in load_observations(out)] == [EXPECTED]
    log = proxy.log.read_text(errors="replace")
    assert "injected detector failure" in log and "1 internal errors" in log


def test_mitmweb_flow_list_shows_the_marked_flow(tmp_path: Path) -> None:
    web_port, token = free_port(), "candor-test-token"
    with https_server(tmp_path) as server, mitmdump(
        tmp_path, f"candor_device={EXAMPLE}", f"web_port={web_port}", "web_host=127.0.0.1", f"web_password={token}",
        scripts=(SCRIPT,), program="mitmweb",
    ) as proxy, client(proxy) as http:
        base = f"https://127.0.0.1:{server.port}"
        assert_untouched([http.post(f"{base}/app_logs", content=umeng_body(), headers=UMENG_HEADERS),
                          http.get(f"{base}/config", headers={"Host": "alog.umeng.com"})])
        api = httpx.Client(base_url=f"http://127.0.0.1:{web_port}", headers={"Authorization": f"Bearer {token}"}, trust_env=False)
        deadline, flows = time.monotonic() + 15, []
        while time.monotonic() < deadline:
            flows = api.get("/flows").json()
            if any(flow["marked"] for flow in flows):
                break
            time.sleep(0.1)
        api.close()
    by_path = {flow["request"]["path"]: flow for flow in flows}
    assert set(by_path) == {"/app_logs", "/config"}
    assert by_path["/app_logs"]["marked"] and "IMEI(md5)" in by_path["/app_logs"]["comment"]
    assert not by_path["/config"]["marked"] and not by_path["/config"]["comment"]
