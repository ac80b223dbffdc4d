"""Name normalisation: width, case, script and punctuation folding shared by the model, every matcher and the reconciler."""

import re
import unicodedata
from functools import lru_cache

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_SDK_WORD = re.compile(r"sdk", re.IGNORECASE)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified; other text is unchanged."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return _t2s().convert(text)


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """Fold width, case, script and punctuation, and drop the word 'SDK'.

    `BuglySDk`, `bugly sdk` and `Bugly` all become `bugly`; `友盟+` becomes `友盟`.
    """
    folded = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    folded = _SDK_WORD.sub("", folded)
    return _NOISE.sub("", folded)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 once it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(cost)
            best = min(best, cost)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def fuzzy_limit(length: int) -> int:
    """How many edits a name of this length may carry and still match."""
    if length < 4:
        return 0
    if length < 8:
        return 1
    return 2
