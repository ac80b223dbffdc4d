"""Validated shapes of the catalog's data files (records: pydantic validates them when the YAML is compiled)."""

import re
from dataclasses import dataclass, field
from typing import Literal

from candor.model.record import Record
from candor.model.vocab import IdentifierId

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
_URL = re.compile(r"^https?://\S+$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z][a-z0-9-]{0,62}$")


def host_names(values: list[str], field_name: str = "host") -> list[str]:
    """Host names lower-cased without a leading `*.` or trailing dot; ValueError on anything that is not one."""
    cleaned = [value.lower().lstrip("*.").rstrip(".") for value in values]
    for value in cleaned:
        if not _DOMAIN.match(value):
            raise ValueError(f"{field_name}: {value!r} is not a host name")
    return cleaned


@dataclass(kw_only=True)
class LocalName(Record):
    """A name in English and Chinese."""

    en: str
    zh: str | None = None


@dataclass(kw_only=True)
class SdkEntry(Record):
    """One SDK: names, vendor, category, and every signal that reveals it."""

    id: str
    name: LocalName
    aliases: list[str] = field(default_factory=list)
    vendor: LocalName | None = None
    category: SdkCategory
    family: str | None = None
    """Umbrella id, e.g. umeng for umeng_push."""
    role: Literal["sdk", "library"] = "sdk"
    """sdk: collects or transmits personal information (a policy must name it); library: utility code (networking, images, JSON, UI,
    language runtime) listed in scans but never an SDK to declare.
    """
    packages: list[str] = field(default_factory=list)
    """Java package prefixes (dotted)."""
    components: list[str] = field(default_factory=list)
    """Manifest component prefixes."""
    meta_data: list[str] = field(default_factory=list)
    """Manifest meta-data keys."""
    native_libs: list[str] = field(default_factory=list)
    """lib*.so names; * allowed."""
    domains: list[str] = field(default_factory=list)
    """Hosts; subdomains match too."""
    identifiers: list[IdentifierId] = field(default_factory=list)
    permissions: list[str] = field(default_factory=list)
    privacy_url: str | None = None
    website: str | None = None
    init_apis: list[str] = field(default_factory=list)
    """Initialisation entry points, dotted class.method."""
    pre_init_apis: list[str] = field(default_factory=list)
    """Entry points the vendor allows before consent (they collect nothing), e.g. UMConfigure.preInit."""
    consent_apis: list[str] = field(default_factory=list)
    """Calls that tell the SDK whether the user agreed, e.g. UMConfigure.submitPolicyGrantResult."""
    init_providers: list[str] = field(default_factory=list)
    """Manifest ContentProvider classes that start this SDK when the app process starts (before Application.onCreate)."""
    auto_init_off: list[str] = field(default_factory=list)
    """Manifest meta-data `name=value` settings with which the app keeps the SDK from starting on its own."""
    source: str = "candor"
    """candor, or exodus for user-loaded trackers."""

    def __post_init__(self) -> None:
        """Check the shape of ids, prefixes, hosts, permissions, APIs and URLs; normalise prefixes and hosts."""
        if not _ID.match(self.id):
            raise ValueError(f"id {self.id!r} must be lowercase letters, digits and underscores")
        for name in ("packages", "components", "init_providers"):
            for value in getattr(self, name):
                if not _PACKAGE.match(value):
                    raise ValueError(f"{name}: {value!r} is not a dotted Java package or class prefix")
            setattr(self, name, [value.rstrip(".") for value in getattr(self, name)])
        self.domains = host_names(self.domains, "domains")
        for value in self.auto_init_off:
            if value.count("=") != 1 or not value.split("=")[0] or not value.split("=")[1]:
                raise ValueError(f"auto_init_off: {value!r} must be a meta-data setting like com.facebook.sdk.AutoInitEnabled=false")
        for value in self.permissions:
            if "." not in value:
                raise ValueError(f"permissions: {value!r} must be a full name like android.permission.X")
        for name in ("init_apis", "pre_init_apis", "consent_apis"):
            for value in getattr(self, name):
                if not _API.match(value):
                    raise ValueError(f"{name}: {value!r} is not a dotted class.method name")
        for name in ("privacy_url", "website"):
            value = getattr(self, name)
            if value is not None and not _URL.match(value):
                raise ValueError(f"{name}: {value!r} is not an http(s) URL")

    @property
    def display_name(self) -> str:
        return self.name.en


@dataclass(kw_only=True)
class PermissionEntry(Record):
    """One Android permission and its protection level."""

    name: str
    level: PermissionLevel
    protection: str = ""
    """The raw AOSP protectionLevel flags."""
    group: str | None = None
    label: str | None = None


@dataclass(kw_only=True)
class PermissionPhrase(Record):
    """Policy phrasings that stand for one or several permissions."""

    phrases: list[str]
    permissions: list[str]


@dataclass(kw_only=True)
class IdentifierApi(Record):
    """An Android API that reads an identifier."""

    api: str
    """Dotted class name, '.', method name; $ for nested classes."""
    arg: str | None = None
    """A string argument required, e.g. android_id."""
    collection: bool = True
    """False when the read is never collection (Build.VERSION.SDK_INT)."""
    collection_if_strings: list[str] = field(default_factory=list)
    """Collection only when the calling method also loads one of these strings (a launcher-wide intent query)."""
    collection_if_calls: list[str] = field(default_factory=list)
    """Collection only when the calling method also calls one of these APIs (the device's own interfaces)."""
    not_collection_in: list[str] = field(default_factory=list)
    """Calling method names where the read is not collection (a widget's paste handler)."""


@dataclass(kw_only=True)
class KeyRule(Record):
    """Parameter keys that carry the identifier only in a context: on an SDK's hosts, or on one platform."""

    keys: list[str]
    domains: list[str] = field(default_factory=list)
    """Hosts where the keys mean this (subdomains match); empty: any host."""
    platform: Literal["android", "ios"] | None = None
    """Only in requests from this platform."""
    issuer: str | None = None
    """Catalog id of the SDK that issues the value (install_id)."""
    hash: Literal["md5", "sha1", "sha256"] | None = None
    """The value is this digest of the identifier."""
    source: str | None = None
    """Public documentation or SDK source the fact was checked against."""

    def __post_init__(self) -> None:
        """Host names lower-cased without `*.`; ValueError on anything that is not one."""
        self.domains = host_names(self.domains, "domains")


@dataclass(kw_only=True)
class IdentifierEntry(Record):
    """One identifier of the shared vocabulary, its phrasings and the APIs that read it."""

    id: IdentifierId
    name: LocalName
    terms: list[str]
    """Phrasings used in policies (zh, zh-Hant, en)."""
    keys: list[str] = field(default_factory=list)
    """Parameter names it travels under."""
    key_rules: list[KeyRule] = field(default_factory=list)
    """Keys that mean this only on some hosts or platforms."""
    apis: list[IdentifierApi] = field(default_factory=list)
    permissions: list[str] = field(default_factory=list)
    """Permissions needed to read it."""
    shape: str | None = None
    """Value shape name for traffic detection."""
    description: str | None = None


@dataclass(kw_only=True)
class AliasEntry(Record):
    """Extra spellings of a catalog SDK, as real policies write them."""

    sdk: str
    aliases: list[str]
