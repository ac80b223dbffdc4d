"""Property tests of the traffic engine on hostile requests: budgets hold, containers drop linearly, profiles are validated."""

import base64
import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from addons.engine.decode import Budget, Decoder
from addons.engine.detect import _drop_containers
from addons.engine.device import DeviceProfile, load_device_profile
from addons.engine.request import RequestData
from addons.engine.sink import load_observations
from candor.errors import InputError

FAST = settings(max_examples=50, deadline=None)
SMALL = Budget(max_body=64 * 1024, max_decoded=256 * 1024, max_depth=4, max_segments=500)
CODINGS = st.sampled_from(["", "gzip", "deflate", "br", "zstd", "gzip, zstd", "identity", "bogus"])
TYPES = st.sampled_from(["", "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "text/plain"])


def _request(body: bytes, coding: str, content_type: str, headers: list[tuple[str, str]], query: str) -> RequestData:
    all_headers = [*headers, ("Content-Encoding", coding), ("Content-Type", content_type)]
    return RequestData(flow_id="f", timestamp=0.0, method="POST", url=f"https://h.example/p?{query}", headers=all_headers, body=body)


@FAST
@given(st.binary(max_size=4096), CODINGS, TYPES, st.lists(st.tuples(st.text(max_size=20), st.text(max_size=60)), max_size=30),
       st.text(max_size=300))
def test_segments_of_any_request_stay_within_the_budget(body: bytes, coding: str, content_type: str, headers: list, query: str) -> None:
    decoder = Decoder(SMALL)
    segments = decoder.segments(_request(body, coding, content_type, headers, query))
    assert len(segments) <= SMALL.max_segments
    assert sum(len(s[3]) for s in segments) < 50 * (SMALL.max_decoded + SMALL.max_body)


def test_nested_compression_shares_one_total() -> None:
    layer = b"\0" * (1 << 20)
    body = gzip.compress(base64.b64encode(gzip.compress(layer)))
    decoder = Decoder(SMALL)
    segments = decoder.segments(_request(body, "gzip", "text/plain", [], ""))
    assert decoder.truncated and sum(len(s[3]) for s in segments) <= SMALL.max_decoded + SMALL.max_body


def test_many_parts_and_headers_end_with_the_flow_marked_truncated() -> None:
    parts = b"".join(b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nv\r\n' % i for i in range(5000))
    decoder = Decoder(SMALL)
    segments = decoder.segments(_request(parts, "", "multipart/form-data; boundary=b", [(f"X-{i}", "v") for i in range(5000)], ""))
    assert decoder.truncated and len(segments) == SMALL.max_segments


def _naive_drop(found: dict) -> None:
    fields = {(item["identifier"], item["location"], item["field"]) for item in found.values() if item["field"]}
    for key, item in list(found.items()):
        field = item["field"]
        if field and any(i == item["identifier"] and loc == item["location"] and other != field and
                         (other.startswith(field + ".") or other.startswith(field + "[")) for i, loc, other in fields):
            del found[key]


FIELDS = st.lists(st.sampled_from(["a", "b", "a.b", "a[0]", "a[0].c", "a.b.c", "ab", "b[1]", "", "x.y", "a."]), max_size=12)


@FAST
@given(FIELDS, st.lists(st.sampled_from(["imei", "oaid"]), min_size=12, max_size=12), st.lists(st.sampled_from(["json", "query"]),
       min_size=12, max_size=12))
def test_container_dropping_matches_the_quadratic_definition(fields: list[str], identifiers: list[str], locations: list[str]) -> None:
    found = {(identifiers[i], locations[i], f, None): {"identifier": identifiers[i], "location": locations[i], "field": f or None}
             for i, f in enumerate(fields)}
    expected = dict(found)
    _naive_drop(expected)
    _drop_containers(found)
    assert found == expected


@FAST
@given(st.sampled_from(["imei", "meid", "imsi", "iccid", "mac", "android_id", "oaid", "gaid", "serial", "phone_number", "wifi_bssid",
                        "wifi_ssid"]), st.text(max_size=200) | st.integers())
def test_device_values_are_accepted_or_refused_by_validation(identifier: str, value: object) -> None:
    try:
        profile = DeviceProfile.model_validate({identifier: value})
    except ValidationError as exc:
        assert len(exc.errors()) == 1
        return
    stored = profile.values().get(identifier)
    assert stored is None or len(stored) <= 128


@pytest.mark.parametrize("text", ["imei: " + "9" * 300_000, 'imei: "' + "9" * 300_000 + '"', "imei: " + "[" * 20_000 + "]" * 20_000,
                                  "mac: not-a-mac", "gaid: 12345"])
def test_hostile_profiles_are_one_line_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "device.yaml"
    path.write_text(text + "\n")
    with pytest.raises(InputError) as info:
        load_device_profile(path)
    assert "\n" not in str(info.value) and len(str(info.value)) < 400


def test_observations_with_unicode_line_separators_in_strings_are_read(tmp_path: Path) -> None:
    from tests.addons.support import IMEI, profile_detector, request

    (observation,) = profile_detector().analyze(request(f"https://h.example/a?imei={IMEI}&q=x%E2%80%A8y"))
    line_break_url = observation.model_copy(update={"url": "https://h.example/a?q=x\u2028y\u2029z\u0085"})
    path = tmp_path / "obs.jsonl"
    path.write_text(line_break_url.model_dump_json().replace("\\u2028", "\u2028") + "\n", encoding="utf-8")
    assert "\u2028" in path.read_text(encoding="utf-8")
    (loaded,) = load_observations(path)
    assert loaded.url == line_break_url.url
