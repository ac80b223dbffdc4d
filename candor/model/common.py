"""Vocabulary and small building blocks used by every model."""

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

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

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Source(Model):
    """Where a fact came from in a document: the quoted text and its position."""

    text: str = Field(description="The quoted original text (not normalised).")
    line: int | None = Field(default=None, description="1-based line number in the document.")
    offset: int | None = Field(default=None, description="0-based character offset in the document.")
    document: str | None = Field(default=None, description="Document name or path.")


class SdkRef(Model):
    """A reference to an SDK: catalog id (or null when unknown) and display name."""

    sdk_id: str | None = None
    name: str


class InventoryChanges(Model):
    """SDKs and permissions added or removed between two releases of one package."""

    sdks_added: list[str] = Field(default_factory=list)
    sdks_removed: list[str] = Field(default_factory=list)
    permissions_added: list[str] = Field(default_factory=list)
    permissions_removed: list[str] = Field(default_factory=list)
