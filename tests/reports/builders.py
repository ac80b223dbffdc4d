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
    ManifestPermission,
    SdkEvidence,
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


def dsdk(name: str, sdk_id: str | None, identifiers: Iterable[str] = (), permissions: Iterable[str] = ()) -> DeclaredSdk:
    quote = src(f"{name}：收集设备信息")
    return DeclaredSdk(name=name, sdk_id=sdk_id, identifiers=list(identifiers), permissions=list(permissions), source=quote)


def declared(
    sdks: Iterable[DeclaredSdk] = (),
    permissions: Iterable[str] = (),
    identifiers: Iterable[str] = (),
    links: Iterable[str] = (),
) -> DeclaredTable:
    return DeclaredTable(
        document="policy.md",
        sdks=list(sdks),
        permissions=[DeclaredPermission(permission=p, phrase=p.rsplit(".", 1)[-1], source=src(p)) for p in permissions],
        identifiers=[DeclaredIdentifier(identifier=i, phrase=i, source=src(i)) for i in identifiers],  # type: ignore[arg-type]
        links=[DeclaredLink(name=url, url=url, source=src(url)) for url in links],
    )


def embedded(sdk_id: str | None, name: str) -> EmbeddedSdk:
    prefix = "com." + (sdk_id or name).replace("_", ".").lower()
    evidence = [SdkEvidence(kind="class_prefix", value=prefix, count=3, location="classes.dex")]
    return EmbeddedSdk(sdk_id=sdk_id, name=name, confidence=1.0, evidence=evidence)


def site(identifier: str, sdk_id: str | None = None, name: str = "app", caller: str = "com.example.health.MainActivity") -> CallSite:
    return CallSite(
        identifier=identifier,
        api="android.telephony.TelephonyManager.getDeviceId",
        caller_class=caller,  # type: ignore[arg-type]
        caller_method="onCreate",
        sdk_id=sdk_id,
        name=name,
        dex="classes.dex",
    )


def perm(name: str, level: str = "dangerous") -> ManifestPermission:
    return ManifestPermission(name=name, protection_level=level)


def scan(
    sdks: Iterable[EmbeddedSdk] = (),
    call_sites: Iterable[CallSite] = (),
    permissions: Iterable[ManifestPermission] = (),
    version: str = "1.0",
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
