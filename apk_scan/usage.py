"""Are an SDK's classes there as its own feature, or only bundled inside another SDK's library? (bundled vs. embedded)

Vendor jars ship classes of sibling features (WeChat Pay models inside the WeChat OpenSDK, Sign-In classes
inside Play services base), and share aggregators ship another platform's message models (Weibo's API
types inside a share SDK's Weibo module). A login/share/payment feature does nothing unless the app calls
it, so such classes count as that SDK only when the app's own code calls them, the SDK registers a
manifest component or its own code reads identifiers (active code, even if this build never calls it);
otherwise the SDK is `bundled`. Trackers (analytics, push, crash, device id) run on
their own and are never judged this way.
"""

import numpy as np

from apk_scan.dex.reader import DexFile
from apk_scan.dex.xrefs import find_refs
from candor.catalog.catalog import Catalog

FEATURE_CATEGORIES = frozenset({"payment", "auth", "social"})


def feature_sdks(catalog: Catalog) -> dict[str, list[str]]:
    """sdk id -> package prefixes, for SDKs whose category is a feature the app must call (login, share, pay)."""
    return {sdk.id: list(sdk.packages) for sdk in catalog.sdks.values() if sdk.category in FEATURE_CATEGORIES and sdk.packages}


def called_by_app(dex: DexFile, candidates: dict[str, list[str]], app_types: np.ndarray) -> set[str]:
    """The candidate SDKs (id -> package prefixes) whose methods code of this DEX that no catalog SDK or library owns
    (the app, unknown code: `app_types`, type ids of such classes defined here) calls; one pass over the DEX for
    all of them. A method under nested prefixes counts for the SDK with the longest one."""
    cls = dex.methods["cls"]
    owner = np.full(cls.size, -1, dtype=np.int32)
    ids = list(candidates)
    ranges = []
    for index, sdk_id in enumerate(ids):
        for prefix in candidates[sdk_id]:
            lo, hi = dex.type_range("L" + prefix.replace(".", "/") + "/")
            if hi > lo:
                ranges.append((len(prefix), lo, hi, index))
    for _, lo, hi, index in sorted(ranges):
        owner[(cls >= lo) & (cls < hi)] = index
    method_ids = set(np.flatnonzero(owner >= 0).tolist())
    called: set[str] = set()
    if not method_ids or not app_types.size:
        return called
    for refs in find_refs(dex, method_ids, set(), caller_types=app_types):
        called.update(ids[owner[m]] for m in refs.methods)
    return called
