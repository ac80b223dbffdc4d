"""Static APK scanner: manifest, embedded SDKs, identifier call sites, nested DEX, packers."""

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from candor.model.static import StaticScan

__all__ = ["scan_apk"]


def scan_apk(path: Path) -> "StaticScan":
    """Scan one APK (or .apks/.xapk/.apkm bundle) and return what it contains."""
    from apk_scan.scanner import scan_apk as _scan

    return _scan(Path(path))
