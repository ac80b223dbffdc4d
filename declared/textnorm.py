"""Text clean-up for matching: pinyin conversion noise, width/script folding that keeps positions."""

import re
import unicodedata
from functools import lru_cache

from candor.normalize import to_simplified

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# 關(guān)聯(lián): a Chinese character followed by its pinyin in brackets (ASCII or full-width).
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（]([a-zü" + _TONED + r"]{1,6})[)）]")
_HAS_TONE = re.compile("[" + _TONED + "]")


def strip_pinyin_noise(text: str) -> str:
    """Drop `(guān)`-style pinyin after Chinese characters; plain `(de)` only when toned noise is present."""
    if not _HAS_TONE.search(text):
        return text
    toned = sum(1 for m in _PINYIN.finditer(text) if _HAS_TONE.search(m.group(1)))
    if toned == 0:
        return text
    return _PINYIN.sub("", text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


@lru_cache(maxsize=32768)
def fold(text: str) -> str:
    """Simplified Chinese, half-width, same length as `text` so positions map 1:1."""
    folded = "".join(_fold_char(ch) for ch in text)
    simplified = to_simplified(folded)
    if len(simplified) == len(folded):
        return simplified
    return "".join(_simplified_char(ch) for ch in folded)


@lru_cache(maxsize=8192)
def _simplified_char(ch: str) -> str:
    simplified = to_simplified(ch)
    return simplified if len(simplified) == 1 else ch


def is_blank(text: str) -> bool:
    """Whitespace only (including no-break and ideographic spaces)."""
    return not text.strip(" \t\r\n\u00a0\u3000\u200b\ufeff")


def clean(text: str) -> str:
    """Trim whitespace of every kind from both ends."""
    return text.strip(" \t\r\n\u00a0\u3000\u200b\ufeff")
