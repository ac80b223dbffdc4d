"""Are an SDK's classes there as its own feature, or only bundled inside another SDK's library? (bundled vs. embedded)

Vendor jars ship classes of sibling features (WeChat Pay models inside the WeChat OpenSDK, Sign-In classes
inside Play services base), and share aggregators ship another platform's message models (Weibo's API
types inside a share SDK's Weibo module). A login/share/payment feature does nothing unless the app calls
it, so such classes count as that SDK only when the app's own code calls them or the SDK registers a
manifest component; otherwise the SDK is `bundled`. Trackers (analytics, push, crash, device id) run on
their own and are never judged this way.
"""

import numpy as np

from apk_scan.callsites import dotted_of
from apk_scan.dex.reader import DexFile
from apk_scan.dex.xrefs import find_refs
from apk_scan.owners import Owners
from candor.catalog.catalog import Catalog

FEATURE_CATEGORIES = frozenset({"payment", "auth", "social"})


def feature_sdks(catalog: Catalog) -> dict[str, list[str]]:
    """sdk id -> package prefixes, for SDKs whose category is a feature the app must call (login, share, pay)."""
    return {sdk.id: list(sdk.packages) for sdk in catalog.sdks.values() if sdk.category in FEATURE_CATEGORIES and sdk.packages}


def called_by_app(dex: DexFile, prefixes: list[str], owners: Owners) -> bool:
    """Whether code of this DEX that no catalog SDK or library owns (the app, unknown code) calls the SDK's classes."""
    cls = dex.methods["cls"]
    mask = np.zeros(cls.size, dtype=bool)
    for prefix in prefixes:
        lo, hi = dex.type_range("L" + prefix.replace(".", "/") + "/")
        if hi > lo:
            mask |= (cls >= lo) & (cls < hi)
    method_ids = set(np.flatnonzero(mask).tolist())
    if not method_ids:
        return False
    for refs in find_refs(dex, method_ids, set()):
        if owners.of_class(dotted_of(dex.method_name(refs.method_idx)[0])).kind in ("app", "unknown"):
            return True
    return False
