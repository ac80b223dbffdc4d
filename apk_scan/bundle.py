"""An app as one or more APK parts: a plain APK, or a split bundle (.apks / .xapk / .apkm)."""

import re
from dataclasses import dataclass
from pathlib import Path

from apk_scan.archive import Budget, SafeZip
from candor.errors import InputError

MANIFEST = "AndroidManifest.xml"
_SPLIT_NAME = re.compile(r"split[_.-]|config\.", re.IGNORECASE)


@dataclass
class ApkPart:
    """One APK of the app; `prefix` is prepended to locations (empty for the base of a plain APK)."""

    name: str
    zip: SafeZip
    prefix: str = ""


def open_app(path: Path, budget: Budget) -> tuple[list[ApkPart], list[str]]:
    """(parts with the base first, split names) of an APK file or split bundle."""
    outer = SafeZip(path, path.name, budget)
    if MANIFEST in outer.infos:
        return [ApkPart(path.name, outer)], []
    apks = sorted(n for n in outer.names if n.lower().endswith(".apk") and "/" not in n.strip("/"))
    if not apks:
        outer.close()
        raise InputError(f"{path.name}: not an APK (no AndroidManifest.xml) nor a split bundle (no .apk entries)")
    parts = []
    for name in apks:
        inner = outer.open_member(name)  # spooled to a temporary file: splits never sit in memory together
        if MANIFEST in inner.infos:
            parts.append(ApkPart(name, inner, prefix=f"{name}!"))
    outer.close()
    if not parts:
        raise InputError(f"{path.name}: split bundle without a readable APK (encrypted .apkm?)")
    parts.sort(key=lambda p: (_rank(p.name), p.name))
    return parts, [p.name for p in parts[1:]]


def _rank(name: str) -> int:
    """base.apk first, then other non-split names (xapk's <package>.apk), then config splits."""
    if name == "base.apk":
        return 0
    return 2 if _SPLIT_NAME.search(name) else 1
