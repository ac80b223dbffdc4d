"""Merge a user-supplied Exodus-format tracker list into the catalog."""

import json
import re
from pathlib import Path

from pydantic import ValidationError

from candor.catalog.catalog import Catalog
from candor.catalog.schema import SdkEntry
from candor.errors import CatalogError

_DOMAIN_CHARS = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")


def read_trackers(path: Path) -> list[dict]:
    """The `trackers` of an Exodus JSON file, as a list."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read tracker file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}: not JSON (line {exc.lineno}): {exc.msg}") from None
    trackers = data.get("trackers") if isinstance(data, dict) else None
    if isinstance(trackers, dict):
        trackers = list(trackers.values())
    if not isinstance(trackers, list) or not all(isinstance(t, dict) for t in trackers):
        raise CatalogError(f"{path}: not an Exodus tracker file (no 'trackers' list or object)")
    return trackers


def network_domains(signature: str) -> list[str]:
    """Plain host names from an Exodus network signature (a |-separated regex)."""
    domains = []
    for part in signature.split("|"):
        host = part.replace("\\.", ".").strip().strip("^$").lstrip(".*").rstrip(".").lower()
        if _DOMAIN_CHARS.match(host):
            domains.append(host)
    return domains


def code_prefixes(signature: str) -> list[str]:
    """Java package prefixes from an Exodus code signature (a |-separated list)."""
    prefixes = []
    for part in signature.split("|"):
        prefix = part.replace("\\.", ".").strip().strip(".")
        if re.fullmatch(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+", prefix):
            prefixes.append(prefix)
    return prefixes


def merge_trackers(catalog: Catalog, path: Path) -> int:
    """Add trackers the catalog does not know yet; returns how many were added.

    A tracker is known when its name resolves exactly or any of its code prefixes or
    domains is already claimed; its new signals are then not duplicated either.
    """
    added = 0
    claimed_prefixes = {p for s in catalog.sdks.values() for p in s.packages}
    claimed_domains = {d for s in catalog.sdks.values() for d in s.domains}
    for tracker in read_trackers(path):
        name = str(tracker.get("name") or "").strip()
        if not name:
            continue
        prefixes = [p for p in code_prefixes(str(tracker.get("code_signature") or "")) if p not in claimed_prefixes]
        domains = [d for d in network_domains(str(tracker.get("network_signature") or "")) if d not in claimed_domains]
        known = catalog.resolve_sdk(name, fuzzy=False)
        known_by_code = any(catalog.packages.match(p) for p in code_prefixes(str(tracker.get("code_signature") or "")))
        if known or known_by_code or not (prefixes or domains):
            continue
        try:
            entry = SdkEntry.model_validate({
                "id": f"exodus_{tracker.get('id', added)}", "name": {"en": name}, "category": "other",
                "packages": prefixes, "domains": domains, "website": tracker.get("website") or None, "source": "exodus",
            })  # fmt: skip
        except ValidationError:
            catalog.warnings.append(f"tracker {name!r} skipped: invalid signatures")
            continue
        catalog.sdks[entry.id] = entry
        claimed_prefixes.update(prefixes)
        claimed_domains.update(domains)
        added += 1
    for cached in ("names", "packages", "domains", "component_prefixes", "meta_keys", "libraries"):
        catalog.__dict__.pop(cached, None)
    return added
