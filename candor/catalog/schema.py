"""Validated shapes of the catalog's data files."""

import re
from typing import Literal

from pydantic import Field, field_validator

from candor.model.common import IdentifierId, Model

SdkCategory = Literal[
    "push",
    "analytics",
    "crash",
    "apm",
    "ads",
    "attribution",
    "payment",
    "social",
    "auth",
    "map",
    "location",
    "speech",
    "rtc",
    "im",
    "hotfix",
    "storage",
    "browser",
    "risk_control",
    "device_id",
    "baas",
    "customer_service",
    "ai",
    "media",
    "network",
    "utility",
    "other",
]
PermissionLevel = Literal["dangerous", "normal", "signature", "special", "internal"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_PACKAGE = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*\.?$")
_API = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+\.[A-Za-z_$<][\w$>]*$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z][a-z0-9-]{0,62}$")


def host_names(values: list[str]) -> list[str]:
    """Host names lower-cased without a leading `*.` or trailing dot; ValueError on anything that is not one."""
    cleaned = [value.lower().lstrip("*.").rstrip(".") for value in values]
    for value in cleaned:
        if not _DOMAIN.match(value):
            raise ValueError(f"{value!r} is not a host name")
    return cleaned


class LocalName(Model):
    """A name in English and Chinese."""

    en: str
    zh: str | None = None


class SdkEntry(Model):
    """One SDK: names, vendor, category, and every signal that reveals it."""

    id: str
    name: LocalName
    aliases: list[str] = Field(default_factory=list)
    vendor: LocalName | None = None
    category: SdkCategory
    family: str | None = Field(default=None, description="Umbrella id, e.g. umeng for umeng_push.")
    role: Literal["sdk", "library"] = Field(
        default="sdk",
        description="sdk: collects or transmits personal information (a policy must name it); library: utility code "
        "(networking, images, JSON, UI, language runtime) listed in scans but never an SDK to declare.",
    )
    packages: list[str] = Field(default_factory=list, description="Java package prefixes (dotted).")
    components: list[str] = Field(default_factory=list, description="Manifest component prefixes.")
    meta_data: list[str] = Field(default_factory=list, description="Manifest meta-data keys.")
    native_libs: list[str] = Field(default_factory=list, description="lib*.so names; * allowed.")
    domains: list[str] = Field(default_factory=list, description="Hosts; subdomains match too.")
    identifiers: list[IdentifierId] = Field(default_factory=list)
    permissions: list[str] = Field(default_factory=list)
    privacy_url: str | None = None
    website: str | None = None
    init_apis: list[str] = Field(default_factory=list, description="Initialisation entry points, dotted class.method.")
    pre_init_apis: list[str] = Field(
        default_factory=list, description="Entry points the vendor allows before consent (they collect nothing), e.g. UMConfigure.preInit."
    )
    consent_apis: list[str] = Field(
        default_factory=list, description="Calls that tell the SDK whether the user agreed, e.g. UMConfigure.submitPolicyGrantResult."
    )
    source: str = Field(default="candor", description="candor, or exodus for user-loaded trackers.")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"id {value!r} must be lowercase letters, digits and underscores")
        return value

    @field_validator("packages", "components")
    @classmethod
    def _package_shape(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _PACKAGE.match(value):
                raise ValueError(f"{value!r} is not a dotted Java package or class prefix")
        return [value.rstrip(".") for value in values]

    @field_validator("domains")
    @classmethod
    def _domain_shape(cls, values: list[str]) -> list[str]:
        return host_names(values)

    @field_validator("permissions")
    @classmethod
    def _permission_shape(cls, values: list[str]) -> list[str]:
        for value in values:
            if "." not in value:
                raise ValueError(f"permission {value!r} must be a full name like android.permission.X")
        return values

    @field_validator("init_apis", "pre_init_apis", "consent_apis")
    @classmethod
    def _api_shape(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _API.match(value):
                raise ValueError(f"{value!r} is not a dotted class.method name")
        return values

    @field_validator("privacy_url", "website")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @property
    def display_name(self) -> str:
        return self.name.en


class PermissionEntry(Model):
    """One Android permission and its protection level."""

    name: str
    level: PermissionLevel
    protection: str = Field(default="", description="The raw AOSP protectionLevel flags.")
    group: str | None = None
    label: str | None = None


class PermissionPhrase(Model):
    """Policy phrasings that stand for one or several permissions."""

    phrases: list[str]
    permissions: list[str]


class IdentifierApi(Model):
    """An Android API that reads an identifier."""

    api: str = Field(description="Dotted class name, '.', method name; $ for nested classes.")
    arg: str | None = Field(default=None, description="A string argument required, e.g. android_id.")
    collection: bool = Field(default=True, description="False when the read is never collection (Build.VERSION.SDK_INT).")
    collection_if_strings: list[str] = Field(
        default_factory=list,
        description="Collection only when the calling method also loads one of these strings (a launcher-wide intent query).",
    )
    collection_if_calls: list[str] = Field(
        default_factory=list,
        description="Collection only when the calling method also calls one of these APIs (the device's own interfaces).",
    )
    not_collection_in: list[str] = Field(
        default_factory=list,
        description="Calling method names where the read is not collection (a widget's paste handler).",
    )


class KeyRule(Model):
    """Parameter keys that carry the identifier only in a context: on an SDK's hosts, or on one platform."""

    keys: list[str]
    domains: list[str] = Field(default_factory=list, description="Hosts where the keys mean this (subdomains match); empty: any host.")
    platform: Literal["android", "ios"] | None = Field(default=None, description="Only in requests from this platform.")
    issuer: str | None = Field(default=None, description="Catalog id of the SDK that issues the value (install_id).")
    hash: Literal["md5", "sha1", "sha256"] | None = Field(default=None, description="The value is this digest of the identifier.")
    source: str | None = Field(default=None, description="Public documentation or SDK source the fact was checked against.")

    @field_validator("domains")
    @classmethod
    def _domain_shape(cls, values: list[str]) -> list[str]:
        return host_names(values)


class IdentifierEntry(Model):
    """One identifier of the shared vocabulary, its phrasings and the APIs that read it."""

    id: IdentifierId
    name: LocalName
    terms: list[str] = Field(description="Phrasings used in policies (zh, zh-Hant, en).")
    keys: list[str] = Field(default_factory=list, description="Parameter names it travels under.")
    key_rules: list[KeyRule] = Field(default_factory=list, description="Keys that mean this only on some hosts or platforms.")
    apis: list[IdentifierApi] = Field(default_factory=list)
    permissions: list[str] = Field(default_factory=list, description="Permissions needed to read it.")
    shape: str | None = Field(default=None, description="Value shape name for traffic detection.")
    description: str | None = None


class AliasEntry(Model):
    """Extra spellings of a catalog SDK, as real policies write them."""

    sdk: str
    aliases: list[str]
