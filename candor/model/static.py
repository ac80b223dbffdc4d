"""What a static APK scan found."""

from typing import Literal

from pydantic import Field

from candor.model.common import SCHEMA_VERSION, IdentifierId, Model


class ManifestPermission(Model):
    """A permission requested in the manifest (uses-permission)."""

    name: str
    protection_level: str = Field(description="dangerous, normal, signature, special or unknown.")
    custom: bool = Field(default=False, description="Not an AOSP permission (vendor/app-defined).")
    max_sdk_version: int | None = None


class ManifestComponent(Model):
    """An activity, service, receiver or provider declared in the manifest."""

    kind: Literal["activity", "activity-alias", "service", "receiver", "provider"]
    name: str
    exported: bool | None = None
    sdk_id: str | None = None


class MetaDataEntry(Model):
    """An application meta-data entry; values of secret-looking keys are masked in human output."""

    name: str
    value: str | None = None
    sdk_id: str | None = None


class SdkEvidence(Model):
    """One piece of evidence that an SDK is embedded."""

    kind: Literal["class_prefix", "component", "meta_data", "native_lib", "endpoint", "permission"]
    value: str
    count: int = 1
    location: str | None = Field(default=None, description="e.g. classes2.dex, lib/arm64-v8a.")


class EmbeddedSdk(Model):
    """An SDK found in the APK with all its evidence."""

    sdk_id: str | None
    name: str
    category: str | None = None
    confidence: float
    evidence: list[SdkEvidence] = Field(default_factory=list)


class CallSite(Model):
    """A method that invokes an identifier-reading API, and who owns it."""

    identifier: IdentifierId
    api: str = Field(description="Called API, e.g. android.telephony.TelephonyManager.getDeviceId.")
    caller_class: str = Field(description="Dotted Java class name of the caller.")
    caller_method: str
    sdk_id: str | None = Field(default=None, description="Owning SDK, null for the app itself.")
    name: str = Field(description="Owning SDK name, or 'app' for first-party code.")
    dex: str | None = None


class DexInfo(Model):
    """A DEX file the app can load."""

    path: str
    nested: bool = False
    container: str | None = None
    size: int = 0
    classes: int = 0


class StaticScan(Model):
    """Result of `candor apk scan`."""

    schema_version: str = SCHEMA_VERSION
    file: str
    sha256: str
    size: int = 0
    package: str | None = None
    app_name: str | None = None
    version_name: str | None = None
    version_code: str | None = None
    min_sdk: int | None = None
    target_sdk: int | None = None
    permissions: list[ManifestPermission] = Field(default_factory=list)
    components: list[ManifestComponent] = Field(default_factory=list)
    meta_data: list[MetaDataEntry] = Field(default_factory=list)
    uses_cleartext_traffic: bool | None = None
    network_security_config: str | None = None
    dex_files: list[DexInfo] = Field(default_factory=list)
    sdks: list[EmbeddedSdk] = Field(default_factory=list)
    call_sites: list[CallSite] = Field(default_factory=list)
    packers: list[str] = Field(default_factory=list)
    splits: list[str] = Field(default_factory=list)
    incomplete: bool = False
    incomplete_reasons: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    duration_s: float | None = None
