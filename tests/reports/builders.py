"""Small builders of real model objects for the reconciler and format tests."""

from collections.abc import Iterable

from candor.model import (
    CallSite,
    DeclaredIdentifier,
    DeclaredLink,
    DeclaredPermission,
    DeclaredSdk,
    DeclaredTable,
    EmbeddedSdk,
    Endpoint,
    LaunchFacts,
    ManifestPermission,
    NegativeDeclaration,
    PermissionRequest,
    PersonalDataItem,
    PolicySection,
    PolicySections,
    SdkEvidence,
    SdkInit,
    Source,
    StaticScan,
    TrafficObservation,
)
from reports.evidence import EvidenceBundle, apply_consent
from reports.model import SourceInfo, Sources

PACKAGE = "com.example.health"
T0 = 1_760_000_000.0


def src(text: str, line: int = 1) -> Source:
    return Source(text=text, line=line, document="policy.md")


def dsdk(
    name: str,
    sdk_id: str | None,
    identifiers: Iterable[str] = (),
    permissions: Iterable[str] = (),
    kind: str = "table_row",
    company: str | None = None,
) -> DeclaredSdk:
    quote = src(f"{name}：收集设备信息")
    return DeclaredSdk(
        name=name,
        sdk_id=sdk_id,
        identifiers=list(identifiers),  # type: ignore[arg-type]
        permissions=list(permissions),
        kind=kind,  # type: ignore[arg-type]
        company=company,
        source=quote,
    )


def party(name: str) -> DeclaredSdk:
    """A third party named without an SDK (e.g. 腾讯), covering its SDKs for presence."""
    return dsdk(name, None, kind="party")


def sections(contact: bool = True, placeholder: bool = False, sdk_list: bool = True, permission_list: bool = True) -> PolicySections:
    """A policy reader's section summary."""
    contact_src = src("联系我们：{{运营者邮箱}}" if placeholder else "联系我们：privacy@kangyuan-health.com", 40)
    return PolicySections(
        is_policy=True,
        sdk_list=PolicySection(present=sdk_list),
        permission_list=PolicySection(present=permission_list),
        personal_data=PolicySection(present=True),
        contact_channel=PolicySection(present=contact, placeholder=placeholder, source=contact_src if contact else None),
        update_date=PolicySection(present=True),
    )


def denies(identifier: str | None = None, permission: str | None = None) -> NegativeDeclaration:
    phrase = f"我们不会收集您的{identifier}" if identifier else f"我们不会申请{permission}"
    return NegativeDeclaration(identifier=identifier, permission=permission, phrase=phrase, source=src(phrase, 7))  # type: ignore[arg-type]


def declared(
    sdks: Iterable[DeclaredSdk] = (),
    permissions: Iterable[str] = (),
    identifiers: Iterable[str] = (),
    links: Iterable[str] = (),
    summary: PolicySections | None = None,
    not_declared: Iterable[NegativeDeclaration] = (),
) -> DeclaredTable:
    return DeclaredTable(
        document="policy.md",
        sections=summary,
        not_declared=list(not_declared),
        sdks=list(sdks),
        permissions=[DeclaredPermission(permission=p, phrase=p.rsplit(".", 1)[-1], source=src(p)) for p in permissions],
        identifiers=[DeclaredIdentifier(identifier=i, phrase=i, source=src(i)) for i in identifiers],  # type: ignore[arg-type]
        personal_data=[PersonalDataItem(category="phone_number", phrase="手机号码", source=src("手机号码"))] if summary else [],
        links=[DeclaredLink(name=url, url=url, source=src(url)) for url in links],
    )


def embedded(
    sdk_id: str | None,
    name: str,
    presence: str = "embedded",
    role: str = "sdk",
    product_id: str | None = None,
    product_name: str | None = None,
) -> EmbeddedSdk:
    prefix = "com." + (sdk_id or name).replace("_", ".").lower()
    evidence = [SdkEvidence(kind="class_prefix", value=prefix, count=3, location="classes.dex")]
    return EmbeddedSdk(
        sdk_id=sdk_id,
        name=name,
        confidence=1.0,
        presence=presence,  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
        product_id=product_id,
        product_name=product_name,
        classes=3,
        evidence=evidence,
    )


def site(
    identifier: str,
    sdk_id: str | None = None,
    name: str = "app",
    caller: str = "com.example.health.MainActivity",
    owner: str | None = None,
    collection: bool = True,
    api: str = "android.telephony.TelephonyManager.getDeviceId",
) -> CallSite:
    return CallSite(
        identifier=identifier,  # type: ignore[arg-type]
        api=api,
        caller_class=caller,
        caller_method="onCreate",
        sdk_id=sdk_id,
        name=name,
        owner=owner or (f"sdk:{sdk_id}" if sdk_id else "app"),
        collection=collection,
        dex="classes.dex",
    )


def endpoint(url: str, caller: str = "com.example.health.translate.Client", owner: str = "app", sdk_id: str | None = None) -> Endpoint:
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return Endpoint(host=host, url=url, caller_class=caller, owner=owner, sdk_id=sdk_id)


def init(sdk_id: str, api: str, at_launch: str | None = "application", consent_api: bool = False) -> SdkInit:
    return SdkInit(
        sdk_id=sdk_id,
        api=api,
        caller_class="com.example.health.App",
        caller_method="onCreate",
        consent_api=consent_api,
        at_launch=at_launch,  # type: ignore[arg-type]
    )


def request(*permissions: str, at_launch: str | None = "launcher_activity") -> PermissionRequest:
    return PermissionRequest(
        permissions=list(permissions),
        api="androidx.core.app.ActivityCompat.requestPermissions",
        caller_class="com.example.health.SplashActivity",
        caller_method="onCreate",
        at_launch=at_launch,  # type: ignore[arg-type]
    )


def launch(
    inits: Iterable[SdkInit] = (), requests: Iterable[PermissionRequest] = (), consent_ui: bool | None = False, quits: bool | None = None
) -> LaunchFacts:
    return LaunchFacts(
        application_class="com.example.health.App",
        launcher_activity="com.example.health.SplashActivity",
        sdk_inits=list(inits),
        permission_requests=list(requests),
        consent_ui=consent_ui,
        consent_ui_evidence=["res/layout/dialog_privacy.xml: 同意"] if consent_ui else [],
        quits_on_denial=quits,
    )


def perm(name: str, level: str = "dangerous") -> ManifestPermission:
    return ManifestPermission(name=name, protection_level=level)


def scan(
    sdks: Iterable[EmbeddedSdk] = (),
    call_sites: Iterable[CallSite] = (),
    permissions: Iterable[ManifestPermission] = (),
    version: str = "1.0",
    endpoints: Iterable[Endpoint] = (),
    launch_facts: LaunchFacts | None = None,
    libraries: Iterable[EmbeddedSdk] = (),
) -> StaticScan:
    return StaticScan(
        file="app.apk",
        sha256="0" * 64,
        package=PACKAGE,
        app_name="Example Health",
        version_name=version,
        sdks=list(sdks),
        call_sites=list(call_sites),
        permissions=list(permissions),
        endpoints=list(endpoints),
        launch=launch_facts or LaunchFacts(),
        libraries=list(libraries),
    )


def obs(
    identifier: str,
    party: str = "sdk",
    sdk_id: str | None = "tencent_bugly",
    name: str = "Tencent Bugly",
    host: str = "android.bugly.qq.com",
    t: float = T0,
    before_consent: bool | None = None,
    scheme: str = "https",
    burst: bool = False,
    value: str = "866123456789012",
    domain: str | None = None,
) -> TrafficObservation:
    return TrafficObservation(
        flow_id=f"f{t}",
        timestamp=t,
        method="POST",
        url=f"{scheme}://{host}/upload?x=1",
        scheme=scheme,
        host=host,
        registrable_domain=domain,
        cleartext=scheme == "http",
        party=party,
        sdk_id=sdk_id if party == "sdk" else None,  # type: ignore[arg-type]
        name=name,
        identifier=identifier,
        location="query",
        field=identifier,
        encoding=["base64"],  # type: ignore[arg-type]
        value=value,
        before_consent=before_consent,
        burst=burst,
    )


def bundle(
    declared_table: DeclaredTable | None = None,
    scan_result: StaticScan | None = None,
    observations: list[TrafficObservation] | None = None,
    consent_at: float | None = None,
) -> EvidenceBundle:
    sources = Sources(
        declared=SourceInfo(kind="declared", path="declared.yaml") if declared_table else None,
        code=SourceInfo(kind="scan", path="scan.json") if scan_result else None,
        traffic=SourceInfo(kind="observations", path="obs.jsonl") if observations is not None else None,
    )
    result = EvidenceBundle(declared=declared_table, scan=scan_result, observations=observations, consent_at=consent_at, sources=sources)
    apply_consent(result)
    return result
