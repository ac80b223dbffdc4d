"""Profile values found under every encoding the issue lists, and decoys that must not match."""

import base64
import gzip
import hashlib
import json
import zlib
from urllib.parse import quote

import brotli
import pytest
import zstandard

from tests.addons.support import ANDROID_ID, GAID, IMEI, IMSI, MAC, OAID, PHONE, SSID, request

JSON = [("Content-Type", "application/json")]
FORM = "application/x-www-form-urlencoded"


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def js(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


# (case id, request, identifier, location, field, encoding, hash)
CASES = [
    ("query", request(f"https://x.example.com/a?imei={IMEI}&v=1"), "imei", "query", "imei", [], None),
    ("url-path", request(f"https://x.example.com/device/{IMEI}/ping"), "imei", "url_path", None, [], None),
    ("header", request(headers=[("X-Device", IMEI)]), "imei", "header", "X-Device", [], None),
    ("cookie", request(headers=[("Cookie", f"sid=abc; aid={ANDROID_ID}")]), "android_id", "cookie", "aid", [], None),
    ("form", request(body=f"a=1&mac={MAC.upper().replace(':', '-')}".encode(), headers=[("Content-Type", FORM)]),
     "mac", "form", "mac", ["upper", "dash"], None),
    ("multipart", request(body=(b'--XyZ\r\nContent-Disposition: form-data; name="dev"\r\nContent-Type: application/json\r\n\r\n'
                                + js({"oaid": OAID}) + b"\r\n--XyZ--\r\n"),
                          headers=[("Content-Type", "multipart/form-data; boundary=XyZ")]), "oaid", "multipart", "dev.oaid", [], None),
    ("json-path", request(body=js({"a": {"b": [{"x": 1}, {"imsi": IMSI}]}}), headers=JSON), "imsi", "json", "a.b[1].imsi", [], None),
    ("json-number", request(body=js({"d": {"im": int(IMEI)}}), headers=JSON), "imei", "json", "d.im", [], None),
    ("gzip-header", request(body=gzip.compress(js({"imei": IMEI})), headers=[*JSON, ("Content-Encoding", "gzip")]),
     "imei", "json", "imei", ["gzip"], None),
    ("deflate-header", request(body=zlib.compress(js({"imei": IMEI})), headers=[*JSON, ("Content-Encoding", "deflate")]),
     "imei", "json", "imei", ["deflate"], None),
    ("brotli-header", request(body=brotli.compress(js({"imei": IMEI})), headers=[*JSON, ("Content-Encoding", "br")]),
     "imei", "json", "imei", ["br"], None),
    ("zstd-header", request(body=zstandard.ZstdCompressor().compress(js({"imei": IMEI})), headers=[*JSON, ("Content-Encoding", "zstd")]),
     "imei", "json", "imei", ["zstd"], None),
    ("gzip-magic", request(body=gzip.compress(js({"imei": IMEI}))), "imei", "json", "imei", ["gzip"], None),
    ("zstd-magic", request(body=zstandard.ZstdCompressor().compress(js({"imei": IMEI}))), "imei", "json", "imei", ["zstd"], None),
    ("case-upper", request(f"https://x.example.com/a?aid={ANDROID_ID.upper()}"), "android_id", "query", "aid", ["upper"], None),
    ("mac-nosep", request(f"https://x.example.com/a?m={MAC.replace(':', '').upper()}"), "mac", "query", "m", ["upper", "nosep"], None),
    ("mac-dash", request(f"https://x.example.com/a?m={MAC.replace(':', '-')}"), "mac", "query", "m", ["dash"], None),
    ("url-encoded-in-text", request(body=f"device {quote(MAC, safe='')} here".encode(), headers=[("Content-Type", "text/plain")]),
     "mac", "body", None, ["url"], None),
    ("url-double-encoded", request(f"https://x.example.com/a?m={quote(quote(MAC, safe=''), safe='')}"), "mac", "query", "m", ["url"], None),
    ("base64", request(headers=[("X-Id", base64.b64encode(IMEI.encode()).decode())]), "imei", "header", "X-Id", ["base64"], None),
    ("base64url-unpadded", request(f"https://x.example.com/a?s={base64.urlsafe_b64encode(SSID.encode()).decode().rstrip('=')}"),
     "wifi_ssid", "query", "s", ["base64url"], None),
    ("base64-of-json", request(f"https://x.example.com/a?d={base64.urlsafe_b64encode(js({'gaid': GAID, 'n': '~~~~~~'})).decode()}"),
     "gaid", "query", "d.gaid", ["base64url"], None),
    ("hex", request(f"https://x.example.com/a?h={IMEI.encode().hex()}"), "imei", "query", "h", ["hex"], None),
    ("md5-upper-in-base64-gzip-json", request(body=base64.b64encode(gzip.compress(js({"header": {"di": md5(IMEI).upper()}})))),
     "imei", "json", "header.di", ["base64", "gzip", "upper", "md5"], "md5"),
    ("base64-gzip-labelled-as-form", request(body=base64.b64encode(gzip.compress(js({"header": {"di": md5(IMEI).upper()}}))),
                                             headers=[("Content-Type", FORM)]),  # HttpURLConnection's default label for a POST
     "imei", "json", "header.di", ["base64", "gzip", "upper", "md5"], "md5"),
    ("sha1-of-upper-mac", request(f"https://x.example.com/a?m={hashlib.sha1(MAC.upper().encode()).hexdigest()}"),
     "mac", "query", "m", ["sha1", "upper"], "sha1"),
    ("sha256", request(body=js({"i": hashlib.sha256(IMEI.encode()).hexdigest()}), headers=JSON), "imei", "json", "i", ["sha256"], "sha256"),
    ("md5-of-nosep-mac", request(f"https://x.example.com/a?m={md5(MAC.replace(':', ''))}"), "mac", "query", "m", ["md5", "nosep"], "md5"),
    ("json-in-string", request(body=js({"ext": json.dumps({"aid": ANDROID_ID})}), headers=JSON),
     "android_id", "json", "ext.aid", ["json"], None),
    ("phone-e164", request(body=js({"tel": f"+86{PHONE}"}), headers=JSON), "phone_number", "json", "tel", ["e164"], None),
    ("utf8-ssid", request(body=js({"wifi": {"ssid": SSID}}), headers=JSON), "wifi_ssid", "json", "wifi.ssid", [], None),
    ("location-fields", request(body=js({"geo": {"lat": 39.90431, "lng": 116.40702}}), headers=JSON),
     "precise_location", "json", "geo.lat,geo.lng", [], None),
    ("location-pair", request("https://x.example.com/a?ll=39.904,116.407"), "precise_location", "query", "ll", [], None),
    ("location-e7", request(body=js({"la": 399042170, "lo": 1164074020}), headers=JSON), "precise_location", "json", "la,lo", ["e7"], None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_profile_value_found(case, profile_detector) -> None:
    _, req, identifier, location, field, encoding, hash_ = case
    found = profile_detector.analyze(req)
    wanted = [o for o in found if o.identifier == identifier]
    assert wanted, f"nothing found; got {[(o.identifier, o.location, o.field) for o in found]}"
    got = [(o.location, o.field, o.encoding, o.hash) for o in wanted]
    assert (location, field, encoding, hash_) in got
    assert all(o.detection == "profile" and o.confidence == 1.0 for o in wanted)


DECOYS = [
    ("imei-one-digit-off", request(f"https://x.example.com/a?imei={IMEI[:-1]}7")),
    ("imei-inside-longer-number", request(f"https://x.example.com/a?n=9{IMEI}1")),
    ("imei-prefix-of-hex", request(f"https://x.example.com/a?h={IMEI}abc")),
    ("other-md5", request(f"https://x.example.com/a?s={md5(IMEI + '0')}")),
    ("other-city", request(body=js({"lat": 31.2304, "lng": 121.4737}), headers=JSON)),
    ("lat-without-lon", request(body=js({"lat": 39.9042, "lng": 121.4737}), headers=JSON)),
    ("lat-inside-bigger-number", request(body=js({"a": 139.9042, "b": 2116.4074}), headers=JSON)),
    ("timestamp-and-order", request(f"https://x.example.com/a?ts=1700000000123&order=202311231234567&sign={md5('x')}")),
    ("base64-wrong-case", request(headers=[("X-Id", base64.b64encode(IMEI.encode()).decode().swapcase())])),
    ("random-binary", request(body=bytes(range(256)) * 40, headers=[("Content-Type", "application/octet-stream")])),
]


@pytest.mark.parametrize("case", DECOYS, ids=[c[0] for c in DECOYS])
def test_decoys_do_not_match(case, profile_detector) -> None:
    assert profile_detector.analyze(case[1]) == []


def test_short_or_uniform_profile_values_are_skipped() -> None:
    from addons.engine.detect import Detector
    from addons.engine.device import DeviceProfile

    profile = DeviceProfile(serial="1234", imei="000000000000000")
    assert set(profile.weak_values()) == {"serial", "imei"}
    detector = Detector(profile, None)
    assert detector.matcher.empty
    assert detector.analyze(request("https://x.example.com/1234?a=000000000000000")) == []


def test_corrupt_gzip_body_is_scanned_raw(profile_detector) -> None:
    body = gzip.compress(js({"imei": IMEI}))[:12] + f'"imei":"{IMEI}"'.encode()
    found = profile_detector.analyze(request(body=body, headers=[("Content-Encoding", "gzip")]))
    assert [o.identifier for o in found] == ["imei"]


def test_body_budget_bounds_the_scan() -> None:
    from addons.engine.decode import Budget
    from addons.engine.detect import Detector
    from tests.addons.support import PROFILE

    body = b"x" * 5000 + b" " + IMEI.encode()
    assert Detector(PROFILE, None).analyze(request(body=body))
    assert Detector(PROFILE, None, budget=Budget(max_body=4096)).analyze(request(body=body)) == []
