"""Every encoded and hashed form of a device profile, compiled once into one Aho-Corasick automaton."""

import base64
import hashlib
import json
from bisect import bisect_right
from dataclasses import dataclass
from urllib.parse import quote

import ahocorasick

from addons.engine.device import DeviceProfile, is_matchable

HASHES = ("md5", "sha1", "sha256")
SEPARATOR = "\x00"
ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class Variant:
    """One searchable form of an identifier value.

    `encoding` lists value-level transforms outermost first (e.g. ("md5", "upper") is
    md5 of the upper-cased value); `exact` is set when the form is case-sensitive
    (base64); `axis` is "lat"/"lon" for location parts, matched as number prefixes.
    """

    identifier: str
    encoding: tuple[str, ...]
    hash: str | None = None
    exact: str | None = None
    axis: str | None = None
    scaled: bool = False
    negative: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """A verified match: which segment, where, and which variant."""

    segment: int
    start: int
    end: int
    variant: Variant


def _forms(identifier: str, value: str) -> list[tuple[str, tuple[str, ...]]]:
    """Spellings the raw value is sent under, with the transform that produced each."""
    forms: list[tuple[str, tuple[str, ...]]] = [(value, ())]
    if identifier in ("mac", "wifi_bssid"):
        octets = "".join(c for c in value if c.isalnum()).lower()
        if len(octets) == 12:
            pairs = [octets[i : i + 2] for i in range(0, 12, 2)]
            forms = [(":".join(pairs), ()), ("-".join(pairs), ("dash",)), (octets, ("nosep",))]
    elif identifier in ("oaid", "gaid") and "-" in value:
        forms.append((value.replace("-", ""), ("nodash",)))
    elif identifier == "phone_number":
        digits = "".join(c for c in value if c.isdigit())
        national = digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
        forms = [(national, ())]
        forms += [(f"+86{national}", ("e164",)), (f"86{national}", ("cc",))] if len(national) == 11 else []
    return forms


def _cased(text: str, label: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The form as given, lower- and upper-cased (distinct ones), for hashing."""
    out = [(text, label)]
    for variant, name in ((text.lower(), "lower"), (text.upper(), "upper")):
        if variant != text and all(variant != seen for seen, _ in out):
            out.append((variant, (name, *label)))
    return out


def profile_variants(profile: DeviceProfile) -> dict[str, list[Variant]]:
    """Lower-cased pattern -> the variants it stands for."""
    table: dict[str, list[Variant]] = {}

    def add(pattern: str, variant: Variant) -> None:
        if len(pattern) >= 5:
            bucket = table.setdefault(pattern.lower(), [])
            if variant not in bucket:
                bucket.append(variant)

    for identifier, value in profile.values().items():
        if not is_matchable(value):
            continue
        for form, label in _forms(identifier, value):
            raw = form.encode("utf-8")
            text = raw.decode("latin-1")
            add(text, Variant(identifier, label))
            if not form.isascii():
                add(json.dumps(form)[1:-1], Variant(identifier, ("unicode_escape", *label)))
            quoted = quote(form, safe="")
            if quoted != form:
                add(quoted, Variant(identifier, ("url", *label)))
            for name, encoded in (("base64", base64.b64encode(raw)), ("base64url", base64.urlsafe_b64encode(raw))):
                pattern = encoded.decode("ascii").rstrip("=")
                add(pattern, Variant(identifier, (name, *label), exact=pattern))
            add(raw.hex(), Variant(identifier, ("hex", *label)))
            for cased, cased_label in _cased(form, label):
                data = cased.encode("utf-8")
                for algorithm in HASHES:
                    add(hashlib.new(algorithm, data).hexdigest(), Variant(identifier, (algorithm, *cased_label), hash=algorithm))
    if profile.location is not None:
        for axis, degrees in (("lat", profile.location.lat), ("lon", profile.location.lon)):
            for pattern, scaled in _location_prefixes(degrees):
                add(pattern, Variant("precise_location", ("e7",) if scaled else (), axis=axis, scaled=scaled, negative=degrees < 0))
    return table


def _location_prefixes(degrees: float) -> list[tuple[str, bool]]:
    """Number prefixes within ±0.001° of `degrees`: '39.904' and the scaled-integer '39904'."""
    sign = "-" if degrees < 0 else ""
    thousandths = int(abs(degrees) * 1000)
    out: list[tuple[str, bool]] = []
    for value in (thousandths - 1, thousandths, thousandths + 1):
        if value < 0:
            continue
        whole, frac = divmod(value, 1000)
        out.append((f"{sign}{whole}.{frac:03d}", False))
        out.append((f"{sign}{value}", True))
    return out


class VariantMatcher:
    """All variants in one automaton; one pass over all of a flow's segments."""

    def __init__(self, table: dict[str, list[Variant]]) -> None:
        self.table = table
        self.automaton = ahocorasick.Automaton()
        for pattern, variants in table.items():
            self.automaton.add_word(pattern, (len(pattern), tuple(variants)))
        self.empty = not table
        if not self.empty:
            self.automaton.make_automaton()

    @classmethod
    def for_profile(cls, profile: DeviceProfile | None) -> "VariantMatcher":
        return cls(profile_variants(profile) if profile is not None else {})

    def __len__(self) -> int:
        return len(self.table)

    def find(self, texts: list[str]) -> list[Hit]:
        """Verified hits in the texts (segment index, span in that text, variant)."""
        if self.empty or not texts:
            return []
        joined = SEPARATOR.join(texts)
        lowered = joined.lower()
        hits: list[Hit] = []
        starts: list[int] | None = None
        for end, (length, variants) in self.automaton.iter(lowered):
            start = end - length + 1
            for variant in variants:
                if not _verify(variant, joined, lowered, start, end + 1):
                    continue
                if starts is None:
                    starts = _offsets(texts)
                index = bisect_right(starts, start) - 1
                base = starts[index]
                hits.append(Hit(index, start - base, end + 1 - base, variant))
        return hits


def _offsets(texts: list[str]) -> list[int]:
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    return starts


def _verify(variant: Variant, joined: str, lowered: str, start: int, stop: int) -> bool:
    """Boundaries (no alphanumeric glued on), exact case where needed, number rules for location."""
    before = lowered[start - 1] if start > 0 else SEPARATOR
    after = lowered[stop] if stop < len(lowered) else SEPARATOR
    if variant.axis is not None:
        if before in DIGITS or before == "." or (before == "-" and not variant.negative):
            return False
        if variant.scaled:
            run = stop
            while run < len(lowered) and lowered[run] in DIGITS:
                run += 1
            return 7 <= run - start - variant.negative <= 10 and (run >= len(lowered) or lowered[run] != ".")
        return True
    if before in ALNUM or after in ALNUM:
        return False
    return variant.exact is None or joined[start:stop] == variant.exact
