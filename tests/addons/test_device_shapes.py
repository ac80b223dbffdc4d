"""Context-dependent shapes without a device profile: what they find, and the look-alikes they must leave alone."""

import json

import pytest

from addons.engine.detect import Detector
from addons.engine.device_shapes import (
    coordinate_pair,
    ip_value,
    model_value,
    os_version_value,
    platform_of,
    random_id,
    user_agent_facts,
)
from addons.engine.keys import KeyIndex, key_candidates, sibling_type
from tests.addons import support
from tests.addons.support import request

DALVIK = "Dalvik/2.1.0 (Linux; U; Android 10; SM-G960F Build/QP1A.190711.020)"
WEBVIEW = "Mozilla/5.0 (Linux; Android 13; Pixel 6a Build/TQ2A.230505.002; wv) AppleWebKit/537.36 Chrome/114.0.5735.147"
IOS_APP = "Demo/1.9.5 (iPhone; iOS 14.2; Scale/3.00)"
IOS_WEB = "Mozilla/5.0 (iPhone; CPU iPhone OS 14_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
UUID = "5b1f0c3e-8d2a-4c6e-9f71-2a3b4c5d6e7f"


def found(detector: Detector, **kwargs) -> set[tuple[str, str]]:
    return {(o.identifier, o.value) for o in detector.analyze(request(**kwargs))}


def json_body(data: dict, user_agent: str | None = None) -> dict:
    headers = [("Content-Type", "application/json")] + ([("User-Agent", user_agent)] if user_agent else [])
    return {"body": json.dumps(data).encode(), "headers": headers}


# -- device model ------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["iPhone10,6", "SM-G960F", "Pixel 4a", "MI 9", "HTC One M9", "sdk_gphone64_x86_64"])
def test_model_values_under_a_model_key(value: str) -> None:
    assert model_value(value) == value


@pytest.mark.parametrize("value", ["android", "iOS", "iPhone", "13", "6.0.1", "unknown", "https://example.com/m", ""])
def test_model_key_with_a_non_model_value(value: str) -> None:
    assert model_value(value) is None


def test_apple_machine_id_needs_no_key(shape_detector: Detector) -> None:
    assert ("device_model", "iPhone10,6") in found(shape_detector, url="https://api.example.com/v1/log?hw=iPhone10,6")
    assert model_value("iPhone9,1 13.5.1") == "iPhone9,1"


def test_android_model_needs_a_key(shape_detector: Detector) -> None:
    assert ("device_model", "SM-G960F") in found(shape_detector, url="https://api.example.com/v1/log?device_model=SM-G960F")
    assert not {i for i, _ in found(shape_detector, url="https://api.example.com/v1/log?sku=SM-G960F")} & {"device_model"}


# -- OS version --------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "version"), [("14.2", "14.2"), ("Android 10", "10"), ("iOS 14.2", "14.2"), ("13", "13"), ("33", "33")])
def test_os_version_values(value: str, version: str) -> None:
    assert os_version_value(value) == version


@pytest.mark.parametrize("value", ["okhttp/4.9.0", "Android", "1688420626", "2023-07-03", "v2", "4.9.0-beta", "99.1"])
def test_os_version_look_alikes(value: str) -> None:
    assert os_version_value(value) is None


def test_library_versions_are_not_os_versions(shape_detector: Detector) -> None:
    body = json_body({"sdk_version": "6.2.1", "app_version": "10.65.0", "library": "okhttp/4.9.0", "version": "14.2",
                      "os_version": "11", "session": {"os": {"version": "12"}, "app": {"version": "12.1"}}}, user_agent="okhttp/4.9.0")
    hits = found(shape_detector, **body)
    assert {v for i, v in hits if i == "os_version"} == {"11", "12"}


@pytest.mark.parametrize(("agent", "facts"), [
    (DALVIK, [("os_version", "10"), ("device_model", "SM-G960F")]),
    (WEBVIEW, [("os_version", "13"), ("device_model", "Pixel 6a")]),
    (IOS_APP, [("os_version", "14.2")]),
    (IOS_WEB, [("os_version", "14_2")]),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36", [("os_version", "10")]),  # reduced UA: no model
    ("okhttp/4.9.0", []),
    ("Crashlytics Android SDK/18.2.11", []),
    ("Android-Finsky/36.3 (api=3,sdk=33,model=Pixel%206a,platformVersionRelease=13)", [("device_model", "Pixel 6a"),
                                                                                        ("os_version", "13")]),
])
def test_user_agent_facts(agent: str, facts: list[tuple[str, str]]) -> None:
    assert sorted(user_agent_facts(agent)) == sorted(facts)


def test_user_agent_only_in_a_user_agent_field(shape_detector: Detector) -> None:
    """An SDK header shaped like `Android/6.0.9 …` names the SDK's version, not the OS."""
    assert found(shape_detector, headers=[("User-Agent", DALVIK)]) >= {("os_version", "10"), ("device_model", "SM-G960F")}
    assert not found(shape_detector, headers=[("X-Sdk", "Android/6.0.9 Demo/5.9.5.2")])


# -- device IP ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["10.0.0.1", "192.168.43.18", "203.0.113.7", "2001:db8::1", "fe80::1c2d:3eff:fe4f:5a6b"])
def test_ip_values(value: str) -> None:
    assert ip_value(value) == value


@pytest.mark.parametrize("value", ["0.0.0.0", "127.0.0.1", "::1", "224.0.0.1", "10.65.0", "1.2.3", "999.1.1.1", "localhost"])
def test_ip_look_alikes(value: str) -> None:
    assert ip_value(value) is None


def test_ip_under_ip_keys_only(shape_detector: Detector) -> None:
    hits = found(shape_detector, **json_body({"local_ip": "192.168.1.23", "server": "203.0.113.9", "app_version": "10.65.0.1"}))
    assert {v for i, v in hits if i == "ip"} == {"192.168.1.23"}


# -- coordinates -------------------------------------------------------------------------------
def test_lat_lon_string_under_any_key(shape_detector: Detector) -> None:
    hits = found(shape_detector, url="https://api.example.com/track?p=39.9042,116.4074&q=39.90,116.40&r=1.5,2.5")
    assert ("precise_location", "39.9042,116.4074") in hits
    assert ("coarse_location", "39.90,116.40") in hits
    assert not {v for i, v in hits if i.endswith("location") and v == "1.5,2.5"}


@pytest.mark.parametrize("value", ["95.1234,116.4074", "39.9042,196.4074", "0.0000,0.0000", "1.2.3", "39.9042"])
def test_coordinate_look_alikes(value: str) -> None:
    assert coordinate_pair(value) is None


def test_coordinates_in_business_fields_are_not_locations(shape_detector: Detector) -> None:
    hits = found(shape_detector, url="https://shop.example.com/pay?price=39.90,116.40&amount=12.50,13.75")
    assert not {i for i, _ in hits if i.endswith("location")}


# -- SDK-issued and user IDs -------------------------------------------------------------------
@pytest.mark.parametrize("value", [UUID, "e5MKLJp8QGi6-NUMLkUOMm", "1172860168313205995", "964ee266d5d64107bd86942f4d5f78cb"])
def test_random_ids(value: str) -> None:
    assert random_id(value) == value


@pytest.mark.parametrize("value", ["1688420626663", "1688420626", "00000000-0000-0000-0000-000000000000", "10.65.0.113",
                                   "com.weather.Weather", "true", "weather_android", "1111111111111111"])
def test_random_id_look_alikes(value: str) -> None:
    assert random_id(value) is None


def test_sdk_key_on_its_own_host_names_the_issuer(shape_detector: Detector) -> None:
    body = json_body({"identity_id": "1172860168363571074", "device_fingerprint_id": "1172860168313205995"})
    on_branch = shape_detector.analyze(request(url="https://api2.branch.io/v1/open", **body))
    assert {(o.identifier, o.issuer) for o in on_branch} == {("install_id", "branch_metrics")}
    elsewhere = shape_detector.analyze(request(url="https://api.example.com/v1/open", **body))
    assert not [o for o in elsewhere if o.issuer == "branch_metrics"]


def test_request_event_and_session_ids_are_not_install_ids(shape_detector: Detector) -> None:
    body = json_body({"request_id": UUID, "session_id": UUID, "event_id": UUID, "trace": UUID, "sha256": "ab" * 32,
                      "md5": "5031a3763f200bcd1bb05019de1a8a7b", "timestamp": "1688420626663"})
    assert not found(shape_detector, **body)


def test_ambiguous_device_id_by_value_and_sibling(shape_detector: Detector) -> None:
    assert ("install_id", UUID) in found(shape_detector, **json_body({"device_id": UUID}))
    assert ("gaid", UUID) in found(shape_detector, **json_body({"user": {"deviceId": UUID, "deviceIdType": "gaid"}}))
    assert sibling_type({"deviceIdType": "gaid"}) == "gaid"
    assert not found(shape_detector, **json_body({"device_id": "unknown"}))


def test_user_id_placeholders(shape_detector: Detector) -> None:
    assert ("app_user_id", "3288440") in found(shape_detector, url="https://api.example.com/u?userid=3288440")
    assert not found(shape_detector, url="https://api.example.com/u?userid=0&uid=null&user_id=guest")


# -- platform ----------------------------------------------------------------------------------
def test_advertising_id_type_follows_the_platform(shape_detector: Detector) -> None:
    data = {"idfa": UUID, "advertiser_id": UUID}
    android = found(shape_detector, **json_body(data, DALVIK))
    ios = found(shape_detector, **json_body(data, IOS_APP))
    assert {i for i, v in android if v == UUID} == {"gaid"}
    assert {i for i, v in ios if v == UUID} == {"idfa"}
    assert platform_of(DALVIK) == "android" and platform_of(IOS_WEB) == "ios" and platform_of("curl/8.0") is None


def test_profile_mode_is_unchanged(profile_detector: Detector) -> None:
    """With a device profile, only the phone's own values are reported: no shape guesses."""
    assert not profile_detector.analyze(request(headers=[("User-Agent", DALVIK)], url="https://api.example.com/?device_id=" + UUID))


# -- key index ---------------------------------------------------------------------------------
def test_key_candidates_and_scopes() -> None:
    assert key_candidates("events[0].device.id") == ("device.id", "id")
    assert key_candidates("X-Model", "header") == ("xmodel", "model")
    assert key_candidates("extinfo[5]") == ("extinfo[5]", "extinfo")
    assert key_candidates("X-osv", "form") == ("xosv", "osv")

    class Rule:
        def __init__(self, keys, domains=(), platform=None, issuer=None):
            self.keys, self.domains, self.platform, self.issuer = keys, list(domains), platform, issuer

    index = KeyIndex({"app_user_id": ["uid"]}, {"install_id": [Rule(["uid"], ["appsflyer.com"], issuer="appsflyer")],
                                                 "gaid": [Rule(["advertiser_id"], platform="android")]})
    assert index.lookup("uid", host="t.appsflyer.com").identifier == "install_id"
    assert index.lookup("uid", host="api.example.com").identifier == "app_user_id"
    assert index.lookup("advertiser_id", platform="android").identifier == "gaid"
    assert index.lookup("advertiser_id", platform="ios") is None


def test_anonymous_user_ids_and_crash_report_uuids(shape_detector: Detector) -> None:
    hits = found(shape_detector, url="https://api.example.com/e?uid=hsft_anon_1719221405509-d3a5f70e2f984ee")
    assert {i for i, _ in hits} == {"install_id"}
    crash = json_body({"events": [{"app": {"binaries": [{"uuid": UUID}], "frames": [{"uuid": UUID}]}}], "device_id": "-445252479050049282"})
    assert found(shape_detector, **crash) == {("install_id", "-445252479050049282")}


def test_hashed_identifiers_under_their_documented_keys(shape_detector: Detector) -> None:
    digest = "8d3ebd3654fb46a2832296669cf1b536"
    observations = shape_detector.analyze(request(url=f"https://api.example.com/conv?hash_imei={digest}&imei_md5=not-a-digest"))
    assert [(o.identifier, o.hash, o.field) for o in observations] == [("imei", "md5", "hash_imei")]
    gdt = request(url=f"https://mi.gdt.qq.com/gdt_mview.fcg?muid={digest}", headers=[("User-Agent", DALVIK)])
    assert {(o.identifier, o.hash) for o in shape_detector.analyze(gdt)} >= {("imei", "md5")}
    elsewhere = request(url=f"https://api.example.com/v1?muid={digest}", headers=[("User-Agent", DALVIK)])
    fresh = support.shape_detector()  # a new session: nothing learnt from the requests above
    assert not [o for o in fresh.analyze(elsewhere) if o.identifier == "imei"]
