"""Cross-flow evidence: ids repeated across recipients or requests, with decoys that repeat too but are not identifiers."""

import json
import uuid
from itertools import count
from pathlib import Path

from addons.engine.crossflow import MAX_PENDING, MAX_WAITING, CrossFlow, RequestMeta, looks_random, same_number
from addons.engine.detect import Detector
from addons.engine.request import RequestData
from candor.catalog.session import current_catalog
from tests.addons.support import PROFILE, shape_detector

INSTALL = "k3Hq9ZpX2mVbT7wY4nLc8A"  # base64url, as SDKs mint installation ids
UMENG = "https://alog.umeng.com/app_logs"
BUGLY = "https://android.bugly.qq.com/rqd/async"
APP = "https://api.example-app.com/v2/feed"
_ids = count()


def post(url: str, body: dict, timestamp: float | None = None) -> RequestData:
    number = next(_ids)
    return RequestData(flow_id=f"f{number}", timestamp=1_700_000_000.0 + number if timestamp is None else timestamp, method="POST",
                       url=url, headers=[("Content-Type", "application/json")], body=json.dumps(body).encode())


def cross_flow(observations: list) -> list[tuple[str, str, str | None, str]]:
    return [(o.flow_id, o.identifier, o.field, o.host) for o in observations if o.detection == "cross_flow"]


def test_an_id_sent_to_two_recipients_is_an_install_id_in_both_places() -> None:
    detector = shape_detector()
    first, second = post(UMENG, {"q": INSTALL}), post(BUGLY, {"hdr": {"x9": INSTALL}})
    assert cross_flow(detector.analyze(first)) == []
    found = detector.analyze(second)
    assert sorted(cross_flow(found)) == sorted([(first.flow_id, "install_id", "q", "alog.umeng.com"),
                                                (second.flow_id, "install_id", "hdr.x9", "android.bugly.qq.com")])
    issuers = {o.flow_id: o.issuer for o in found}
    catalog = current_catalog()
    umeng, bugly = catalog.sdk_for_host("alog.umeng.com"), catalog.sdk_for_host("android.bugly.qq.com")
    assert issuers == {first.flow_id: umeng.id, second.flow_id: bugly.id}
    assert {o.confidence for o in found} == {0.7}
    assert cross_flow(detector.analyze(post(APP, {"z": INSTALL}))) == [(f"f{next(_ids) - 1}", "install_id", "z", "api.example-app.com")]


def test_an_id_under_an_id_like_key_in_every_request_to_one_recipient() -> None:
    detector = shape_detector()
    requests = [post(APP, {"vstr_uid": INSTALL, "n": index}) for index in range(4)]
    assert [cross_flow(detector.analyze(r)) for r in requests[:3]] == [[], [], []]
    assert sorted(cross_flow(detector.analyze(requests[3]))) == sorted((r.flow_id, "install_id", "vstr_uid", "api.example-app.com")
                                                                      for r in requests)


def test_not_in_every_request_or_not_under_an_id_key_is_no_evidence() -> None:
    detector = shape_detector()
    gap = [post(APP, {"vstr_uid": INSTALL}), post(APP, {}), post(APP, {"vstr_uid": INSTALL}), post(APP, {"vstr_uid": INSTALL}),
           post(APP, {"vstr_uid": INSTALL})]
    plain = [post(APP, {"cfg": "Zk29XbQ7mPq4LwT8vRn2Yc"}) for _ in range(6)]
    assert all(cross_flow(detector.analyze(r)) == [] for r in gap + plain)


def test_a_value_typed_elsewhere_keeps_its_type_also_in_decimal() -> None:
    detector = shape_detector()
    android_id = "9774d56d682e549c"
    typed = post(UMENG, {"android_id": android_id})
    decimal = post(BUGLY, {"dev": str(int(android_id, 16))})
    assert [o.identifier for o in detector.analyze(typed)] == ["android_id"]
    assert cross_flow(detector.analyze(decimal)) == [(decimal.flow_id, "android_id", "dev", "android.bugly.qq.com")]
    assert same_number("ffffffffffffff9c") == [str(0xFFFFFFFFFFFFFF9C), "-100"]
    assert same_number("-8234567890123456789") == [f"{-8234567890123456789 % (1 << 64):016x}", f"{-8234567890123456789 % (1 << 64):016X}"]


def test_decoys_that_repeat_are_never_identifiers() -> None:
    detector = shape_detector()
    session = str(uuid.UUID(int=0x5A1E5510_0000_4000_8000_0123456789AB))
    decoys = {
        "session_id": session,  # the same session everywhere
        "appkey": "5f1e2d3c4b5a69788796a5b4",  # an app's SDK key, constant for every user
        "gmp_app_id": "1:1234567890:android:8a7b6c5d4e3f2a1b",  # an app's Firebase id
        "install_time": "1717171717123",  # a timestamp
        "file_md5": "9e107d9d372bb6826bd81d3542a419d6",  # a content hash
        "lib": "okhttp/4.12.0",  # a library version
        "sdk_ver": "6.2.1.20240508",
        "sign": "c2lnbmF0dXJlLW9mLXRoZS1hcHAtMTIzNDU2",
    }
    requests = []
    for index in range(6):
        body = dict(decoys, event_id=str(uuid.uuid4()), request_id=uuid.uuid4().hex, ts=str(1717171717000 + index))
        requests += [post(UMENG, body), post(BUGLY, body), post(APP, body)]
    assert [cross_flow(detector.analyze(r)) for r in requests] == [[]] * len(requests)


def test_a_push_token_names_an_installation_but_an_access_token_does_not() -> None:
    detector = shape_detector()
    push = "dGhpcyBpcyBhIHB1c2g:APA91bHk3Qz9x" + "Lm2Pq7Rt4Vw8Yz1Bc5Df6Gh0Jk3" * 4
    access = "ya29.a0AfH6SMBx" + "Q7mPq4LwT8vRn2Yc" * 3
    for url in (UMENG, BUGLY):
        assert cross_flow(detector.analyze(post(url, {"access_token": access.replace(".", "_")}))) == []
    found = [o for url in (UMENG, BUGLY) for o in detector.analyze(post(url, {"attributes": {"push_token": push}}))]
    assert [(o.identifier, o.detection) for o in found] == [("install_id", "cross_flow")] * 2


def test_random_looking_values() -> None:
    for value in (INSTALL, "0f8e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "9774d56d682e549c", "3884036137322299154", "cn1dS_pyRCGeajDqXeIvek"):
        assert looks_random(value), value
    for value in ("1717171717123", "1717171717123456", "okhttp/4.12.0", "com.example.app", "MainActivityLaunchScreen",
                  "2024-05-17T13:45:12Z", "20240517134512ZZab", "00000000-0000-0000-0000-000000000000", "eyJhbGciOiJIUzI1NiJ9abc",
                  "1:1234567890:android:8a7b6c5d4e3f2a1b", "short1"):
        assert not looks_random(value), value


def test_session_state_is_bounded() -> None:
    flow = CrossFlow(max_values=100)
    meta = RequestMeta("f", 0.0, "GET", "https://a.example/", "https", "a.example", None)
    for index in range(5000):
        segment = ("query", "q", (), f"{index:08d}Zk29XbQ7mPq4")
        flow.track(meta._replace(flow_id=f"f{index}"), "a.example", [segment], {})
    assert len(flow.values) == 100
    repeated = ("query", "q", (), INSTALL)
    for index in range(50):
        flow.track(meta._replace(flow_id=f"g{index}"), "a.example", [repeated], {})
    assert len(flow.values[INSTALL].pending) <= MAX_PENDING
    assert flow.waiting == sum(len(entry.pending) for entry in flow.values.values()) <= MAX_WAITING


def test_profile_mode_keeps_its_findings_and_adds_install_ids() -> None:
    detector = Detector(PROFILE, current_catalog())
    with_profile = [post(UMENG, {"imei": PROFILE.imei, "q": INSTALL}), post(BUGLY, {"imei": PROFILE.imei, "x": INSTALL})]
    found = [o for r in with_profile for o in detector.analyze(r)]
    assert sorted((o.identifier, o.detection) for o in found) == [("imei", "profile"), ("imei", "profile"),
                                                                  ("install_id", "cross_flow"), ("install_id", "cross_flow")]
    assert Detector(PROFILE, current_catalog(), cross_flow=False).analyze(with_profile[0])[0].identifier == "imei"


def test_offline_analysis_finds_cross_flow_ids(tmp_path: Path) -> None:
    from addons import analyze_file

    entries = [{"startedDateTime": f"2024-01-01T00:00:0{index}Z",
                "request": {"method": "POST", "url": url, "headers": [{"name": "Content-Type", "value": "application/json"}],
                            "postData": {"mimeType": "application/json", "text": json.dumps({"k": INSTALL})}}}
               for index, url in enumerate((UMENG, BUGLY))]
    har = tmp_path / "capture.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    found = analyze_file(har)
    assert sorted((o.flow_id, o.identifier, o.detection) for o in found) == [("capture#0", "install_id", "cross_flow"),
                                                                            ("capture#1", "install_id", "cross_flow")]


def test_url_paths_are_no_evidence_but_carry_known_values() -> None:
    detector = shape_detector()
    cdn = [RequestData(flow_id=f"p{index}", timestamp=1_700_000_100.0 + index, method="GET",
                       url=f"https://cdn{index}.example-cdn.net/assets/{INSTALL}/config.json") for index in range(3)]
    assert all(cross_flow(detector.analyze(r)) == [] for r in cdn)  # three recipients, but only paths: no evidence
    gaid = "1209d0b9-b959-42e6-b921-aa5d9d08c1af"
    early = RequestData(flow_id="p9", timestamp=1_700_000_200.0, method="GET", url=f"https://ads.example-ads.com/v1/{gaid}/fill")
    assert detector.analyze(early) == []
    typed = post(UMENG, {"gaid": gaid})
    assert {(o.flow_id, o.identifier, o.location, o.detection) for o in detector.analyze(typed)} == {
        ("p9", "gaid", "url_path", "cross_flow"), (typed.flow_id, "gaid", "json", "shape")}


def test_profile_findings_are_the_same_with_and_without_cross_flow() -> None:
    import base64
    import gzip
    import hashlib

    imei_md5 = hashlib.md5(PROFILE.imei.encode()).hexdigest()
    bodies = [
        {"params": [{"key": "di", "value": imei_md5}, {"key": "sid", "value": str(uuid.uuid4())}], "q": INSTALL},
        {"columns": ["a", "m"], "values": [PROFILE.android_id, PROFILE.mac]},
        {"blob": base64.b64encode(gzip.compress(json.dumps({"oaid": PROFILE.oaid}).encode())).decode(), "x": INSTALL},
        {"gaid": PROFILE.gaid, "event_id": str(uuid.uuid4()), "ts": "1717171717123"},
    ]
    requests = [post(url, body) for body in bodies for url in (UMENG, BUGLY, APP)]

    def profile_hits(detector: Detector) -> set[tuple]:
        return {(o.flow_id, o.identifier, o.location, o.field, o.hash) for r in requests for o in detector.analyze(r)
                if o.detection == "profile"}

    with_cross_flow = profile_hits(Detector(PROFILE, current_catalog()))
    assert with_cross_flow == profile_hits(Detector(PROFILE, current_catalog(), cross_flow=False))
    assert {hit[1] for hit in with_cross_flow} == {"imei", "android_id", "mac", "oaid", "gaid"}


def test_an_id_inside_a_user_agent_sent_to_two_recipients() -> None:
    detector = shape_detector()
    plain = "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 6a Build/TQ3A.230901.001) okhttp/4.12.0"
    tagged = f"KikaKeyboard/8.2 (Android 10; SM-G960F; {INSTALL}) Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144"
    found = []
    for url in (UMENG, BUGLY, APP):
        for agent in (plain, tagged):
            request = post(url, {})
            request.headers.append(("User-Agent", agent))
            found += [o for o in detector.analyze(request) if o.detection == "cross_flow"]
    assert {(o.identifier, o.field, o.value) for o in found} == {("install_id", "User-Agent", INSTALL)} and len(found) == 3
