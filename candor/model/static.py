"""What a static APK scan found (records: stdlib dataclasses that pydantic validates where scan JSON comes in)."""

from dataclasses import dataclass, field
from typing import Literal

from candor.model.record import Record
from candor.model.vocab import SCHEMA_VERSION, IdentifierId


@dataclass(kw_only=True)
class ManifestPermission(Record):
    """A permission requested in the manifest (uses-permission)."""

    name: str
    protection_level: str
    """dangerous, normal, signature, special or unknown."""
    custom: bool = False
    """Not an AOSP permission (vendor/app-defined)."""
    max_sdk_version: int | None = None


@dataclass(kw_only=True)
class ManifestComponent(Record):
    """An activity, service, receiver or provider declared in the manifest."""

    kind: Literal["activity", "activity-alias", "service", "receiver", "provider"]
    name: str
    exported: bool | None = None
    sdk_id: str | None = None


@dataclass(kw_only=True)
class MetaDataEntry(Record):
    """An application meta-data entry; values of secret-looking keys are masked in human output."""

    name: str
    value: str | None = None
    sdk_id: str | None = None


@dataclass(kw_only=True)
class SdkEvidence(Record):
    """One piece of evidence that an SDK is embedded."""

    kind: Literal["class_prefix", "component", "meta_data", "native_lib", "endpoint", "permission", "renamed_classes"]
    """renamed_classes: obfuscated classes shown to be the SDK's by their callers or fingerprints."""
    value: str
    count: int = 1
    location: str | None = None
    """e.g. classes2.dex, lib/arm64-v8a."""


Presence = Literal["embedded", "referenced", "bundled"]
Role = Literal["sdk", "library"]


@dataclass(kw_only=True)
class EmbeddedSdk(Record):
    """An SDK (or utility library) found in the APK with all its evidence.

    `presence` says how strongly it is there: `embedded` (its own code is defined in a DEX the app
    loads), `referenced` (only strings, keys, manifest entries or referenced-but-undefined types) or
    `bundled` (its classes ship inside another SDK's library and are never called). Only embedded
    SDKs are the app's SDKs; the others stay visible as evidence for a reviewer.
    """

    sdk_id: str | None
    name: str
    category: str | None = None
    confidence: float
    presence: Presence = "embedded"
    role: Role = "sdk"
    """sdk: handles personal information; library: utility code."""
    product_id: str | None = None
    """The product a policy would name (catalog family), e.g. umeng for umeng_analytics."""
    product_name: str | None = None
    classes: int = 0
    """Classes defined under the SDK's packages (or attributed to it)."""
    evidence: list[SdkEvidence] = field(default_factory=list)


@dataclass(kw_only=True)
class CallSite(Record):
    """A method that invokes an identifier-reading API, and who owns it."""

    identifier: IdentifierId
    api: str
    """Called API, e.g. android.telephony.TelephonyManager.getDeviceId."""
    caller_class: str
    """Dotted Java class name of the caller."""
    caller_method: str
    sdk_id: str | None = None
    """Owning SDK, null for the app itself."""
    name: str
    """Owning SDK name, or 'app' for first-party code."""
    owner: str = "app"
    """sdk:<id>, library:<id>, platform, app or unknown_third_party:<package prefix>."""
    owner_via: str | None = None
    """How an obfuscated class got its owner: package, callers, fingerprint."""
    collection: bool = True
    """False when the catalog says this call is not collection (e.g. SDK_INT)."""
    dex: str | None = None


@dataclass(kw_only=True)
class UnknownThirdParty(Record):
    """Non-app code with no catalog entry that reads identifiers: a reviewer must look at it."""

    prefix: str
    classes: int
    identifiers: list[IdentifierId] = field(default_factory=list)


@dataclass(kw_only=True)
class Endpoint(Record):
    """A host named in code, with the class that names it and that class's owner."""

    host: str
    url: str | None = None
    caller_class: str | None = None
    owner: str = "app"
    sdk_id: str | None = None


@dataclass(kw_only=True)
class SdkInit(Record):
    """A call to an SDK's initialisation (or consent) entry point.

    `at_launch` is set when the call is reached from `Application.onCreate`/`attachBaseContext` or the launcher
    activity's `onCreate`/`onStart`/`onResume`, following the app's own calls a few hops deep (click handlers are
    never followed, so an init behind a consent dialog's button is not at launch). An init is *gated* (at_launch
    null, `gated_by` set) when, on the way to it, the app tells that SDK the user's choice through one of its
    consent APIs with a value that is not a literal `true` (e.g. `setAgreePrivacy(ctx, storedChoice)`).
    An SDK started by its own manifest ContentProvider (FirebaseInitProvider, FacebookInitProvider) is at launch
    `provider`: providers are created when the app process starts, before `Application.onCreate`; the manifest
    meta-data switch that keeps it from starting on its own gates it (`gated_by: meta-data NAME=VALUE`).
    """

    sdk_id: str
    api: str
    caller_class: str
    caller_method: str
    consent_api: bool = False
    """The call is the SDK's consent/pre-init API."""
    at_launch: Literal["application", "launcher_activity", "provider"] | None = None
    """Reached from Application.onCreate or the launcher activity's onCreate, or run by the SDK's ContentProvider (see class doc)."""
    kind: Literal["init", "pre_init", "consent"] = "init"
    """init; pre_init: allowed before consent (collects nothing); consent: passes the user's choice."""
    grant: bool | None = None
    """For a consent call: the literal true/false it passes; null when the value comes from elsewhere."""
    gated_by: str | None = None
    """The consent API that gates this init on the launch path."""
    owner: str = "app"
    """Owner of the calling class: app, sdk:<id>, unknown_third_party:<prefix>…"""
@dataclass(kw_only=True)
class PermissionRequest(Record):
    """A runtime permission request in code (requestPermissions and friends)."""

    permissions: list[str]
    api: str
    caller_class: str
    caller_method: str
    at_launch: Literal["application", "launcher_activity"] | None = None
    owner: str = "app"
    dex: str | None = None


@dataclass(kw_only=True)
class LaunchFacts(Record):
    """What happens when the app starts, for the consent checks."""

    application_class: str | None = None
    launcher_activity: str | None = None
    sdk_inits: list[SdkInit] = field(default_factory=list)
    permission_requests: list[PermissionRequest] = field(default_factory=list)
    consent_ui: bool | None = None
    """The APK contains privacy-consent UI (隐私政策/同意/不同意 in layouts or code)."""
    consent_ui_evidence: list[str] = field(default_factory=list)
    quits_on_denial: bool | None = None


@dataclass(kw_only=True)
class DexInfo(Record):
    """A DEX file the app can load."""

    path: str
    nested: bool = False
    container: str | None = None
    size: int = 0
    classes: int = 0


@dataclass(kw_only=True)
class StaticScan(Record):
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
    permissions: list[ManifestPermission] = field(default_factory=list)
    components: list[ManifestComponent] = field(default_factory=list)
    meta_data: list[MetaDataEntry] = field(default_factory=list)
    uses_cleartext_traffic: bool | None = None
    network_security_config: str | None = None
    dex_files: list[DexInfo] = field(default_factory=list)
    sdks: list[EmbeddedSdk] = field(default_factory=list)
    """SDKs at every presence tier; only presence=embedded are the app's."""
    libraries: list[EmbeddedSdk] = field(default_factory=list)
    """Utility libraries (role=library)."""
    unknown_third_party: list[UnknownThirdParty] = field(default_factory=list)
    call_sites: list[CallSite] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    launch: LaunchFacts = field(default_factory=LaunchFacts)
    packers: list[str] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)
    incomplete: bool = False
    incomplete_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duration_s: float | None = None
