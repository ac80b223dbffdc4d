"""The shared models: JSON round trips, the identifier vocabulary, committed schemas."""

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from candor.model import (
    IDENTIFIER_IDS,
    CallSite,
    DeclaredSdk,
    DeclaredTable,
    Source,
    StaticScan,
    TrafficObservation,
)
from candor.schemas import available, schema_json

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def test_identifier_vocabulary_is_the_contracted_one() -> None:
    assert IDENTIFIER_IDS == (
        "imei", "meid", "imsi", "iccid", "mac", "android_id", "oaid", "gaid", "idfa", "idfv", "serial",
        "phone_number", "precise_location", "coarse_location", "ip", "installed_apps", "contacts", "sms",
        "call_log", "clipboard", "wifi_bssid", "wifi_ssid", "device_model", "os_version", "email", "app_user_id", "install_id",
    )  # fmt: skip


def test_declared_table_round_trips_through_json() -> None:
    table = DeclaredTable(
        document="p.txt",
        sdks=[
            DeclaredSdk(
                name="友盟推送",
                sdk_id="umeng_push",
                identifiers=["imei", "mac"],
                permissions=["android.permission.READ_PHONE_STATE"],
                source=Source(text="友盟推送 | 推送 | IMEI、MAC", line=3, offset=40),
            )
        ],
    )
    again = DeclaredTable.model_validate_json(table.model_dump_json())
    assert again == table
    assert json.loads(table.model_dump_json())["sdks"][0]["sdk_id"] == "umeng_push"


def test_unknown_identifier_and_unknown_field_are_rejected() -> None:
    with pytest.raises(ValidationError):
        DeclaredSdk(name="x", identifiers=["imei2"], source=Source(text="x"))
    with pytest.raises(ValidationError):
        CallSite.model_validate(
            {"identifier": "imei", "api": "a", "caller_class": "b", "caller_method": "c", "name": "app", "surprise": 1}
        )


def test_scan_and_observation_defaults_serialise() -> None:
    scan = StaticScan(file="a.apk", sha256="0" * 64)
    assert scan.model_dump()["incomplete"] is False
    observation = TrafficObservation(
        flow_id="f1", timestamp=1.0, method="GET", url="https://a.example/x", scheme="https", host="a.example",
        party="third_party", name="a.example", identifier="imei", location="query", value="86",
    )  # fmt: skip
    assert TrafficObservation.model_validate_json(observation.model_dump_json()) == observation


@pytest.mark.parametrize("name", sorted(available()))
def test_committed_schema_matches_the_model(name: str) -> None:
    committed = DOCS / f"{name}.schema.json"
    assert committed.exists(), f"run scripts/gen_schemas.py to write {committed.name}"
    assert committed.read_text(encoding="utf-8") == schema_json(name), "schema is stale: run scripts/gen_schemas.py"
