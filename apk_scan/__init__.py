"""Static APK scanner: manifest, embedded SDKs, identifier call sites, nested DEX, packers."""

import os
from pathlib import Path
from typing import TYPE_CHECKING

# The scan uses numpy only for element-wise work on DEX tables, never linear algebra: OpenBLAS's thread pool,
# started when numpy is imported, would only burn CPU (about 0.07 s per process). The user's setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

if TYPE_CHECKING:
    from candor.model.static import StaticScan

__all__ = ["scan_apk"]


def scan_apk(path: Path) -> "StaticScan":
    """Scan one APK (or .apks/.xapk/.apkm bundle) and return what it contains."""
    from apk_scan.scanner import scan_apk as _scan

    return _scan(Path(path))
