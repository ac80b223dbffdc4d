"""Vocabulary and small building blocks used by every model."""

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

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


class Model(BaseModel):
    """Base for all Candor models: strict about unknown fields, stable JSON."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)  # built on first use: fast start-up


class Source(Model):
    """Where a fact came from in a document: the quoted text and its position."""

    text: str = Field(description="The quoted original text (not normalised).")
    line: int | None = Field(default=None, description="1-based line number in the document.")
    offset: int | None = Field(default=None, description="0-based character offset in the document.")
    document: str | None = Field(default=None, description="Document name or path.")


def sdk_key(sdk_id: str | None, name: str) -> str:
    """The one key of an SDK everywhere (report matrix, finding ids, history, diffs, batch summary).

    Its catalog id; else 'app' for the app's own code (no id, named "app"); else 'name:<normalised name>'.
    """
    if sdk_id:
        return sdk_id
    folded = normalize_name(name) or name.strip().lower()
    return APP_KEY if folded == APP_KEY else f"name:{folded}"


class SdkRef(Model):
    """A reference to an SDK: catalog id (or null when unknown) and display name."""

    sdk_id: str | None = None
    name: str

    @property
    def key(self) -> str:
        return sdk_key(self.sdk_id, self.name)


class InventoryChanges(Model):
    """SDKs and permissions added or removed between two releases of one package."""

    sdks_added: list[str] = Field(default_factory=list)
    sdks_removed: list[str] = Field(default_factory=list)
    permissions_added: list[str] = Field(default_factory=list)
    permissions_removed: list[str] = Field(default_factory=list)
