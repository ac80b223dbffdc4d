"""Collect SDK evidence piece by piece and turn it into EmbeddedSdk entries with a presence tier and a confidence.

Tiers: `embedded` needs the SDK's own code defined in a DEX (classes under its packages that are not all
interfaces, or renamed classes shown to be its own); `bundled` is such code that ships inside a sibling
product and that nothing outside the vendor's product calls; everything else (meta-data, manifest entries,
native libraries, endpoint strings, interface-only types) is `referenced`. Confidence follows the tier.
Catalog entries with role `library` go to the scan's library list, never to its SDKs.
"""

from collections import defaultdict

from candor.catalog.catalog import Catalog
from candor.model.static import EmbeddedSdk, Presence, SdkEvidence

WEIGHTS = {"component": 0.8, "meta_data": 0.8, "native_lib": 0.7, "endpoint": 0.3, "permission": 0.1, "renamed_classes": 0.8}
ENDPOINT_ONLY = 0.3  # one or many strings: still weak evidence
REFERENCED_MAX = 0.3  # no code of its own: evidence for a reviewer, not an SDK of the app
BUNDLED_MAX = 0.2
CODE_KINDS = ("class_prefix", "renamed_classes")


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


def presence_of(evidence: list[SdkEvidence], concrete_classes: int, bundled: bool) -> Presence:
    """embedded / bundled / referenced from the evidence kinds and the SDK's non-interface classes."""
    has_code = concrete_classes > 0 or any(e.kind == "renamed_classes" for e in evidence)
    if not has_code:
        return "referenced"
    return "bundled" if bundled else "embedded"


class EvidenceCollector:
    """Evidence per SDK id; the same (kind, value, location) is merged by adding counts."""

    def __init__(self) -> None:
        self._items: dict[str, dict[tuple[str, str, str | None], int]] = defaultdict(dict)
        self.concrete: dict[str, int] = defaultdict(int)  # non-interface classes defined under the SDK's packages

    def add(self, sdk_id: str, kind: str, value: str, count: int = 1, location: str | None = None) -> None:
        bucket = self._items[sdk_id]
        key = (kind, value, location)
        bucket[key] = bucket.get(key, 0) + count

    def sdk_ids(self) -> set[str]:
        return set(self._items)

    def has(self, sdk_id: str, kind: str) -> bool:
        return any(k == kind for k, _, _ in self._items.get(sdk_id, {}))

    def build(self, catalog: Catalog, bundled: set[str] = frozenset()) -> tuple[list[EmbeddedSdk], list[EmbeddedSdk]]:
        """(SDKs, libraries) with evidence, embedded and strongest first."""
        sdks: list[EmbeddedSdk] = []
        libraries: list[EmbeddedSdk] = []
        for sdk_id, bucket in self._items.items():
            entry = catalog.sdk(sdk_id)
            evidence = [SdkEvidence(kind=k, value=v, count=c, location=loc) for (k, v, loc), c in sorted(bucket.items(), key=_order)]  # type: ignore[arg-type]
            presence = presence_of(evidence, self.concrete.get(sdk_id, 0), sdk_id in bundled)
            score = confidence(evidence)
            if presence == "referenced":
                score = min(score, REFERENCED_MAX)
            elif presence == "bundled":
                score = min(score, BUNDLED_MAX)
            product = catalog.sdk(entry.family) if entry and entry.family else entry
            item = EmbeddedSdk(
                sdk_id=sdk_id, name=entry.name.en if entry else sdk_id, category=entry.category if entry else None,
                confidence=score, presence=presence, role=entry.role if entry else "sdk",
                product_id=product.id if product else sdk_id, product_name=product.name.en if product else None,
                classes=sum(e.count for e in evidence if e.kind in CODE_KINDS), evidence=evidence,
            )  # fmt: skip
            (libraries if item.role == "library" else sdks).append(item)
        order = {"embedded": 0, "bundled": 1, "referenced": 2}
        key = lambda s: (order[s.presence], -s.confidence, s.name.lower())  # noqa: E731
        return sorted(sdks, key=key), sorted(libraries, key=key)


def _order(item: tuple[tuple[str, str, str | None], int]) -> tuple[str, str, str]:
    (kind, value, location), _ = item
    return kind, value, location or ""
