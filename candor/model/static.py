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

    kind: Literal["class_prefix", "component", "meta_data", "native_lib", "endpoint", "permission", "renamed_classes"] = Field(
        description="renamed_classes: obfuscated classes shown to be the SDK's by their callers or fingerprints."
    )
    value: str
    count: int = 1
    location: str | None = Field(default=None, description="e.g. classes2.dex, lib/arm64-v8a.")


Presence = Literal["embedded", "referenced", "bundled"]
Role = Literal["sdk", "library"]


class EmbeddedSdk(Model):
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
    role: Role = Field(default="sdk", description="sdk: handles personal information; library: utility code.")
    product_id: str | None = Field(
        default=None, description="The product a policy would name (catalog family), e.g. umeng for umeng_analytics."
    )
    product_name: str | None = None
    classes: int = Field(default=0, description="Classes defined under the SDK's packages (or attributed to it).")
    evidence: list[SdkEvidence] = Field(default_factory=list)


class CallSite(Model):
    """A method that invokes an identifier-reading API, and who owns it."""

    identifier: IdentifierId
    api: str = Field(description="Called API, e.g. android.telephony.TelephonyManager.getDeviceId.")
    caller_class: str = Field(description="Dotted Java class name of the caller.")
    caller_method: str
    sdk_id: str | None = Field(default=None, description="Owning SDK, null for the app itself.")
    name: str = Field(description="Owning SDK name, or 'app' for first-party code.")
    owner: str = Field(
        default="app",
        description="sdk:<id>, library:<id>, platform, app or unknown_third_party:<package prefix>.",
    )
    owner_via: str | None = Field(
        default=None, description="How an obfuscated class got its owner: package, callers, fingerprint."
    )
    collection: bool = Field(
        default=True, description="False when the catalog says this call is not collection (e.g. SDK_INT)."
    )
    dex: str | None = None


class UnknownThirdParty(Model):
    """Non-app code with no catalog entry that reads identifiers: a reviewer must look at it."""

    prefix: str
    classes: int
    identifiers: list[IdentifierId] = Field(default_factory=list)


class Endpoint(Model):
    """A host named in code, with the class that names it and that class's owner."""

    host: str
    url: str | None = None
    caller_class: str | None = None
    owner: str = "app"
    sdk_id: str | None = None


class SdkInit(Model):
    """A call to an SDK's initialisation (or consent) entry point.

    `at_launch` is set when the call is reached from `Application.onCreate`/`attachBaseContext` or the launcher
    activity's `onCreate`/`onStart`/`onResume`, following the app's own calls a few hops deep (click handlers are
    never followed, so an init behind a consent dialog's button is not at launch). An init is *gated* (at_launch
    null, `gated_by` set) when, on the way to it, the app tells that SDK the user's choice through one of its
    consent APIs with a value that is not a literal `true` (e.g. `setAgreePrivacy(ctx, storedChoice)`).
    """

    sdk_id: str
    api: str
    caller_class: str
    caller_method: str
    consent_api: bool = Field(default=False, description="The call is the SDK's consent/pre-init API.")
    at_launch: Literal["application", "launcher_activity"] | None = Field(
        default=None, description="Reached from Application.onCreate or the launcher activity's onCreate (see class doc)."
    )
    kind: Literal["init", "pre_init", "consent"] = Field(
        default="init", description="init; pre_init: allowed before consent (collects nothing); consent: passes the user's choice."
    )
    grant: bool | None = Field(
        default=None, description="For a consent call: the literal true/false it passes; null when the value comes from elsewhere."
    )
    gated_by: str | None = Field(default=None, description="The consent API that gates this init on the launch path.")
    owner: str = Field(default="app", description="Owner of the calling class: app, sdk:<id>, unknown_third_party:<prefix>…")


class PermissionRequest(Model):
    """A runtime permission request in code (requestPermissions and friends)."""

    permissions: list[str]
    api: str
    caller_class: str
    caller_method: str
    at_launch: Literal["application", "launcher_activity"] | None = None
    owner: str = "app"
    dex: str | None = None


class LaunchFacts(Model):
    """What happens when the app starts, for the consent checks."""

    application_class: str | None = None
    launcher_activity: str | None = None
    sdk_inits: list[SdkInit] = Field(default_factory=list)
    permission_requests: list[PermissionRequest] = Field(default_factory=list)
    consent_ui: bool | None = Field(
        default=None, description="The APK contains privacy-consent UI (隐私政策/同意/不同意 in layouts or code)."
    )
    consent_ui_evidence: list[str] = Field(default_factory=list)
    quits_on_denial: bool | None = None


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
    sdks: list[EmbeddedSdk] = Field(
        default_factory=list, description="SDKs at every presence tier; only presence=embedded are the app's."
    )
    libraries: list[EmbeddedSdk] = Field(default_factory=list, description="Utility libraries (role=library).")
    unknown_third_party: list[UnknownThirdParty] = Field(default_factory=list)
    call_sites: list[CallSite] = Field(default_factory=list)
    endpoints: list[Endpoint] = Field(default_factory=list)
    launch: LaunchFacts = Field(default_factory=LaunchFacts)
    packers: list[str] = Field(default_factory=list)
    splits: list[str] = Field(default_factory=list)
    incomplete: bool = False
    incomplete_reasons: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    duration_s: float | None = None
