"""Candor's shared vocabulary: identifier ids, severities, the schema version and the one SDK key (no pydantic)."""

from typing import Literal, get_args

from candor.normalize import normalize_name

SCHEMA_VERSION = "1"
APP_KEY = "app"

IdentifierId = Literal[
    "imei",
    "meid",
    "imsi",
    "iccid",
    "mac",
    "android_id",
    "oaid",
    "gaid",
    "idfa",
    "idfv",
    "serial",
    "phone_number",
    "precise_location",
    "coarse_location",
    "ip",
    "installed_apps",
    "contacts",
    "sms",
    "call_log",
    "clipboard",
    "wifi_bssid",
    "wifi_ssid",
    "device_model",
    "os_version",
    "email",
    "app_user_id",
    "install_id",
]
IDENTIFIER_IDS: tuple[str, ...] = get_args(IdentifierId)

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def sdk_key(sdk_id: str | None, name: str) -> str:
    """The one key of an SDK everywhere (report matrix, finding ids, history, diffs, batch summary).

    Its catalog id; else 'app' for the app's own code (no id, named "app"); else 'name:<normalised name>'.
    """
    if sdk_id:
        return sdk_id
    folded = normalize_name(name) or name.strip().lower()
    return APP_KEY if folded == APP_KEY else f"name:{folded}"
