"""Profile-less detection: identifier shapes with context, and business values that must stay dark."""

import json

import pytest

from addons.engine.shapes import is_imei, is_imsi, is_mac, luhn
from tests.addons.support import ANDROID_ID, GAID, ICCID, IMEI, IMSI, MAC, OAID, request


def js(data: object) -> bytes:
    return json.dumps(data).encode()


JSON = [("Content-Type", "application/json")]

# (case id, request, identifier, field, minimum confidence)
POSITIVES = [
    ("imei-keyed", request(f"https://x.example.com/a?imei={IMEI}"), "imei", "imei", 0.9),
    ("imei-keyless", request(body=js({"d": {"x1": IMEI}}), headers=JSON), "imei", "d.x1", 0.5),
    ("imsi-460", request(f"https://x.example.com/a?q={IMSI}"), "imsi", "q", 0.5),
    ("imsi-keyed", request(body=js({"subscriberId": IMSI}), headers=JSON), "imsi", "subscriberId", 0.9),
    ("mac-separated", request(body=js({"w": MAC}), headers=JSON), "mac", "w", 0.5),
    ("android-id-near-key", request(f"https://x.example.com/a?androidId={ANDROID_ID}"), "android_id", "androidId", 0.9),
    ("android-id-aid", request(body=js({"aid": ANDROID_ID}), headers=JSON), "android_id", "aid", 0.9),
    ("oaid-near-key", request(body=js({"dev": {"oaid": OAID}}), headers=JSON), "oaid", "dev.oaid", 0.9),
    ("gaid-adid", request(f"https://x.example.com/a?adid={GAID}"), "gaid", "adid", 0.9),
    ("iccid", request(f"https://x.example.com/a?sim={ICCID}"), "iccid", "sim", 0.5),
    ("location-siblings", request(body=js({"pos": {"lat": 39.904211, "lng": 116.407395}}), headers=JSON),
     "precise_location", "pos.lat,pos.lng", 0.8),
    ("location-pair", request("https://x.example.com/a?location=39.9042,116.4074"), "precise_location", "location", 0.8),
    ("imei-in-free-text", request(body=f"boot ok imei {IMEI} end".encode(), headers=[("Content-Type", "text/plain")]),
     "imei", None, 0.5),
]


@pytest.mark.parametrize("case", POSITIVES, ids=[c[0] for c in POSITIVES])
def test_shape_found(case, shape_detector) -> None:
    _, req, identifier, field, confidence = case
    found = [o for o in shape_detector.analyze(req) if o.identifier == identifier]
    assert [o.field for o in found] == [field]
    assert found[0].detection == "shape"
    assert confidence <= found[0].confidence < 1.0


DECOYS = [
    ("ms-timestamp", request("https://x.example.com/a?ts=1700000000123&t=1700000000")),
    ("order-number", request(body=js({"order_id": "202311231234567", "trade_no": "865166023456786"}), headers=JSON)),
    ("luhn-ok-under-order-key", request("https://x.example.com/a?orderNo=865166023456786")),
    ("md5-signature", request("https://x.example.com/a?sign=5d41402abc4b2a76b9719d911017c592&nonce=9f86d081884c7d65")),
    ("random-hex-16-without-key", request(body=js({"x": ANDROID_ID, "trace": "a3f9c2e81b7d4e60"}), headers=JSON)),
    ("uuid-request-id", request(body=js({"request_id": GAID, "session": OAID}), headers=JSON)),
    ("non-luhn-15-digits", request(body=js({"n": "865166023456781"}), headers=JSON)),
    ("broadcast-and-zero-mac", request(body=js({"mac": "ff:ff:ff:ff:ff:ff", "m2": "00:00:00:00:00:00", "m3": "02:00:00:00:00:00"}),
                                       headers=JSON)),
    ("version-and-price", request(body=js({"v": "12.3.456", "price": 39.9042, "amount": 116.4074}), headers=JSON)),
    ("lat-alone", request(body=js({"lat": 39.9042}), headers=JSON)),
    ("uuid-under-gaid-key-but-zero", request("https://x.example.com/a?gaid=00000000-0000-0000-0000-000000000000")),
]


@pytest.mark.parametrize("case", DECOYS, ids=[c[0] for c in DECOYS])
def test_decoys_do_not_light_up(case, shape_detector) -> None:
    assert [(o.identifier, o.field) for o in shape_detector.analyze(case[1])] == []


def test_validators() -> None:
    assert luhn(IMEI) and not luhn(IMEI[:-1] + "1")
    assert is_imei(IMEI) and not is_imei("111111111111116")
    assert is_imsi(IMSI) and not is_imsi("999991234567890")
    assert is_mac(MAC, separated=True) and not is_mac("3c286d9a417e", separated=True) and is_mac("3c286d9a417e")


def test_shapes_off_when_a_profile_is_given(profile_detector) -> None:
    # the profile does not contain this IMEI: with a profile, only its values count
    assert profile_detector.analyze(request("https://x.example.com/a?imei=356789012345672")) == []


def test_memoised_judgements_match_fresh_ones() -> None:
    """Key plans are shared by paths that end alike and keyed values are judged once: a warm detector must judge every
    (field, value) exactly as one that has seen nothing, whatever it saw before (X- keys and nested paths included)."""
    from addons.engine.shapes import ShapeDetector
    from candor.catalog.session import current_catalog

    entries = current_catalog().identifiers.values()
    keys, rules = {e.id: e.keys for e in entries}, {e.id: e.key_rules for e in entries}
    fields = ["app.version", "os.version", "a.os.version", "a.x-os.version", "x-os.version",
              "imei", "d.imei", "a.b.imei", "x-imei", "X-Model", "a.x-model", "x-a.model", "events[3].props.model", "model",
              "os_version", "h.osv", "ext.deviceId", "deviceId", "user-agent", "binaryImages[0].uuid", "q", "w.lat"]
    values = [IMEI, "SM-G960F", "13", GAID, MAC, "39.9042,116.4074", "Dalvik/2.1.0 (Linux; U; Android 10; SM-G960F Build/QP1A)",
              "hello", "a@b.example.com", "iPhone10,6"]
    warm = ShapeDetector(keys, rules)
    for _ in range(2):
        for field in fields:
            for value in values:
                for location, host, platform in (("json", "x.example.com", "android"), ("header", "graph.facebook.com", "ios")):
                    fresh = ShapeDetector(keys, rules)
                    assert warm.judge_all(field, value, location, host, platform) == fresh._judge_all(field, value, location, host,
                                                                                                      platform), (field, value)
