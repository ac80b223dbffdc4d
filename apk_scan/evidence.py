"""Collect SDK evidence piece by piece and turn it into EmbeddedSdk entries with a confidence."""

from collections import defaultdict

from candor.catalog.catalog import Catalog
from candor.model.static import EmbeddedSdk, SdkEvidence

WEIGHTS = {"component": 0.8, "meta_data": 0.8, "native_lib": 0.7, "endpoint": 0.3, "permission": 0.1}
ENDPOINT_ONLY = 0.3  # one or many strings: still weak evidence


def class_weight(count: int) -> float:
    """Classes under an SDK package: many classes are strong evidence, one class is moderate."""
    return 0.9 if count >= 5 else 0.7 if count >= 2 else 0.5


def confidence(evidence: list[SdkEvidence]) -> float:
    """Combine the strongest piece of each kind; endpoint-only SDKs stay at low confidence."""
    best: dict[str, float] = {}
    for item in evidence:
        weight = class_weight(item.count) if item.kind == "class_prefix" else WEIGHTS.get(item.kind, 0.3)
        best[item.kind] = max(best.get(item.kind, 0.0), weight)
    if not best:
        return 0.0
    if set(best) <= {"endpoint", "permission"}:
        return ENDPOINT_ONLY
    remaining = 1.0
    for weight in best.values():
        remaining *= 1 - weight
    return round(min(0.99, 1 - remaining), 2)


class EvidenceCollector:
    """Evidence per SDK id; the same (kind, value, location) is merged by adding counts."""

    def __init__(self) -> None:
        self._items: dict[str, dict[tuple[str, str, str | None], int]] = defaultdict(dict)

    def add(self, sdk_id: str, kind: str, value: str, count: int = 1, location: str | None = None) -> None:
        bucket = self._items[sdk_id]
        key = (kind, value, location)
        bucket[key] = bucket.get(key, 0) + count

    def sdk_ids(self) -> set[str]:
        return set(self._items)

    def build(self, catalog: Catalog) -> list[EmbeddedSdk]:
        """EmbeddedSdk for every SDK with evidence, strongest first."""
        sdks: list[EmbeddedSdk] = []
        for sdk_id, bucket in self._items.items():
            entry = catalog.sdk(sdk_id)
            evidence = [SdkEvidence(kind=k, value=v, count=c, location=loc) for (k, v, loc), c in sorted(bucket.items(), key=_order)]  # type: ignore[arg-type]
            sdks.append(EmbeddedSdk(sdk_id=sdk_id, name=entry.name.en if entry else sdk_id, category=entry.category if entry else None,
                                    confidence=confidence(evidence), evidence=evidence))  # fmt: skip
        return sorted(sdks, key=lambda s: (-s.confidence, s.name.lower()))


def _order(item: tuple[tuple[str, str, str | None], int]) -> tuple[str, str, str]:
    (kind, value, location), _ = item
    return kind, value, location or ""
