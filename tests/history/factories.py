"""Small builders of scans, findings and run records for history tests."""

from candor.history.records import IdentifierRow, RunRecord
from candor.model import CallSite, EmbeddedSdk, Finding, ManifestPermission, SdkRef, StaticScan


def finding(fid: str, severity: str = "high", kind: str = "sdk_in_code_undeclared", sdk_id: str | None = "umeng") -> Finding:
    return Finding(id=fid, kind=kind, severity=severity, title=f"finding {fid}", sdk_id=sdk_id)  # type: ignore[arg-type]


def scan(package: str = "com.example.app", version_name: str = "1.0", version_code: str = "1", sdks: tuple[str, ...] = ("umeng",),
         permissions: tuple[str, ...] = ("android.permission.INTERNET",), sha: str = "a" * 64) -> StaticScan:  # fmt: skip
    return StaticScan(
        file=f"/apks/{package}-{version_name}.apk",
        sha256=sha,
        package=package,
        version_name=version_name,
        version_code=version_code,
        permissions=[ManifestPermission(name=p, protection_level="normal") for p in permissions],
        sdks=[EmbeddedSdk(sdk_id=s, name=s.title(), confidence=1.0) for s in sdks],
        call_sites=[_android_id_reader(s) for s in sdks],
    )


def _android_id_reader(sdk: str) -> CallSite:
    api = "android.provider.Settings$Secure.getString"
    return CallSite(identifier="android_id", api=api, caller_class=f"com.{sdk}.X", caller_method="id", sdk_id=sdk, name=sdk.title())


def bulky_record(tag: str, rows: int = 50) -> RunRecord:
    """A run with many rows, so a transaction takes long enough to be interrupted."""
    return RunRecord(
        kind="batch",
        package=f"com.kill.{tag}",
        version_name=tag,
        version_code="1",
        apk_sha256="b" * 64,
        evidence={"tag": tag},
        findings=[finding(f"{tag}-{i}") for i in range(rows)],
        sdks=[SdkRef(sdk_id=f"sdk{i}", name=f"SDK {i}") for i in range(rows)],
        permissions=[ManifestPermission(name=f"p.{i}", protection_level="normal") for i in range(rows)],
        identifiers=[IdentifierRow(sdk_key=f"sdk{i}", identifier="oaid") for i in range(rows)],
    )
