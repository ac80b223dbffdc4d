"""Profile-less detection: identifier-shaped values, judged by validators and the key they travel under."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from addons.engine.device_shapes import (
    UA_KEYS,
    apple_model,
    coordinate_pair,
    email_value,
    ip_value,
    is_anonymous,
    location_kind,
    model_value,
    os_version_value,
    random_id,
    user_agent_facts,
    user_id_value,
)
from addons.engine.keys import AMBIGUOUS_DEVICE_KEYS, MEMO_LIMIT, KeyIndex

# Mobile country codes (China first) used to judge IMSIs; MNC lists for 460.
CHINA_MNC = frozenset({"00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "11", "15", "20"})
OTHER_MCC = frozenset({
    "310", "311", "312", "313", "316", "302", "234", "235", "208", "262", "222", "214", "440", "441", "450", "454", "455",
    "466", "502", "505", "510", "515", "520", "525", "404", "405", "250", "724", "334", "286", "204", "206", "228", "232",
    "238", "240", "242", "244", "260", "268", "272", "530", "655",
})
# IMEI reporting-body prefixes (first two digits of the TAC) seen on real handsets.
IMEI_RBI = frozenset({"01", "35", "86", "99", "30", "33", "44", "45", "49", "50", "51", "52", "53", "54", "91", "98"})

DIGITS15 = re.compile(r"\d{15}")
HEX16 = re.compile(r"[0-9a-fA-F]{16}")
HEX14 = re.compile(r"[0-9a-fA-F]{14}")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
OAID_HEX = re.compile(r"[0-9a-fA-F]{16}|[0-9a-fA-F]{32}|[0-9a-fA-F]{64}")
MAC_SEP = re.compile(r"[0-9a-fA-F]{2}([:\-])(?:[0-9a-fA-F]{2}\1){4}[0-9a-fA-F]{2}")
MAC_ANY = re.compile(r"[0-9a-fA-F]{2}(?:([:\-]?)[0-9a-fA-F]{2}){5}")
ICCID = re.compile(r"89\d{17,18}F?", re.I)
CN_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
SERIAL = re.compile(r"[0-9A-Za-z]{6,20}")
COORD = re.compile(r"-?\d{1,3}\.\d{3,}")
PAIR = re.compile(r"(-?\d{1,2}\.\d{3,})\s*,\s*(-?\d{1,3}\.\d{3,})")
FREE_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:(?P<mac>[0-9a-fA-F]{2}(?P<sep>[:\-])(?:[0-9a-fA-F]{2}(?P=sep)){4}[0-9a-fA-F]{2})|(?P<num>\d{15}))(?![0-9A-Za-z])"
)
MAC_DUMMY = frozenset({"000000000000", "ffffffffffff", "020000000000"})
KEY_CLEAN = re.compile(r"[^a-z0-9]")
# Keys whose values are business data, never device identifiers: no keyless guess there.
NOT_DEVICE = re.compile(r"order|trade|txn|trans|pay|price|amount|time|ts$|date|seq|nonce|sign|token|session|request|trace|msg|event|sku")

DIGEST_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64}
HEX_DIGITS = re.compile(r"[0-9a-f]+")
# Paths inside crash and performance reports whose IDs name code, not the device.
NOT_DEVICE_PATH = re.compile(r"binar|image|librar|module|frame|thread|stacktrace|exception|symbol")
KEYED = 0.9
CONTEXT = 0.8  # a User-Agent token, a value shape that needs no key (iPhone10,6), a sibling naming the type
KEYLESS = 0.6
AD_IDS = frozenset({"gaid", "idfa"})
MEMO_VALUE = 256  # longer values are judged every time (they rarely repeat)
_KEYED, _SAYS_NOTHING = object(), object()


@dataclass(frozen=True, slots=True)
class ShapeHit:
    identifier: str
    value: str
    confidence: float
    issuer: str | None = None
    hash: str | None = None


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = ord(char) - 48
        if index % 2:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def varied(text: str, minimum: int = 5) -> bool:
    """Not a run of one character or a trivial sequence."""
    core = text.lower().replace("-", "").replace(":", "")
    return len(set(core)) >= minimum and core not in "0123456789abcdef" * 4


def is_imei(text: str) -> bool:
    return bool(DIGITS15.fullmatch(text)) and luhn(text) and text[:2] in IMEI_RBI and varied(text)


def is_imsi(text: str) -> bool:
    if not DIGITS15.fullmatch(text) or not varied(text):
        return False
    return (text[:3] == "460" and text[3:5] in CHINA_MNC) or text[:3] in OTHER_MCC


def is_mac(text: str, separated: bool = False) -> bool:
    match = (MAC_SEP if separated else MAC_ANY).fullmatch(text)
    if not match:
        return False
    octets = re.sub(r"[:\-]", "", text).lower()
    return octets not in MAC_DUMMY and len(set(octets)) >= 4 and not int(octets[:2], 16) & 1


def is_android_id(text: str) -> bool:
    return bool(HEX16.fullmatch(text)) and varied(text, 6) and not text.isdigit()


def is_uuid(text: str) -> bool:
    return bool(UUID.fullmatch(text)) and varied(text, 8) and text.strip("0-") != ""


def is_oaid(text: str) -> bool:
    return is_uuid(text) or (bool(OAID_HEX.fullmatch(text)) and varied(text, 8) and not text.isdigit())


def is_iccid(text: str) -> bool:
    digits = text.rstrip("Ff")
    return bool(ICCID.fullmatch(text)) and luhn(digits) and varied(digits)


def is_phone(text: str) -> bool:
    return bool(CN_MOBILE.fullmatch(text)) and varied(text[-11:], 4)


def is_serial(text: str) -> bool:
    return bool(SERIAL.fullmatch(text)) and any(c.isdigit() for c in text) and any(c.isalpha() for c in text) and varied(text)


def is_coordinate(text: str) -> bool:
    return bool(COORD.fullmatch(text)) and abs(float(text)) <= 180


VALIDATORS = {
    "imei": is_imei, "meid": lambda t: bool(HEX14.fullmatch(t)) and varied(t), "imsi": is_imsi, "iccid": is_iccid,
    "mac": is_mac, "wifi_bssid": is_mac, "android_id": is_android_id, "oaid": is_oaid, "gaid": is_uuid, "idfa": is_uuid,
    "idfv": is_uuid, "serial": is_serial, "phone_number": is_phone,
}


@lru_cache(maxsize=16384)
def normalize_key(field: str | None) -> str:
    """Last component of a field or JSON path, lower-cased, punctuation removed: `device.IMEI_1` -> `imei1`."""
    if not field:
        return ""
    last = field.rsplit(".", 1)[-1]
    last = last.split("[", 1)[0] or last
    return KEY_CLEAN.sub("", last.lower())


class ShapeDetector:
    """Judges (key, value) pairs and free text; keys come from the catalog's identifier vocabulary."""

    def __init__(self, identifier_keys: Mapping[str, Iterable[str]], key_rules: Mapping[str, Iterable[Any]] | None = None) -> None:
        self.keys = KeyIndex(identifier_keys, key_rules)
        self._plans: dict[tuple, object] = {}  # (field, location, host, platform) -> _KEYED or _SAYS_NOTHING
        self._tail_plans: dict[tuple, object] = {}  # the same, by the part of the field a plan depends on
        self._hits: dict[tuple, tuple[ShapeHit, ...]] = {}  # (context, value) -> hits, for values under a meaningful key
        self.key_to_identifier: dict[str, str] = {}
        for identifier, keys in identifier_keys.items():
            if identifier in VALIDATORS:
                for key in keys:
                    self.key_to_identifier.setdefault(KEY_CLEAN.sub("", key.lower()), identifier)
        self.lat_keys = frozenset({"lat", "latitude", "la", "gpslat", "glat"})
        self.lon_keys = frozenset({"lng", "lon", "long", "longitude", "lo", "gpslng", "gpslon", "glng"})
        self.pair_keys = frozenset({"ll", "loc", "location", "latlng", "latlon", "gps", "lnglat", "coordinate", "coordinates"})

    def judge_all(self, field: str | None, value: str, location: str = "", host: str = "",
                  platform: str | None = None) -> list[ShapeHit]:
        """Every identifier one field value carries, judged by its key in this request's context and by its shape.

        Memoised: what a key means is worked out once per (field, location, host, platform); a key that says nothing
        only looks at values with a tell-tale character; keyed values (`osv: 13`, a User-Agent) are judged once each.
        """
        context = (field, location, host, platform)
        plan = self._plans.get(context)
        if plan is None:
            if len(self._plans) > MEMO_LIMIT:
                self._plans.clear()
                self._tail_plans.clear()
            tail = (_key_tail(field), location, host, platform)  # `events[7].props.imei` plans like `events[0].props.imei`
            plan = self._tail_plans.get(tail)
            if plan is None:
                plan = self._tail_plans[tail] = self._plan(field, location, host, platform)
            self._plans[context] = plan
        if plan is _SAYS_NOTHING and not _may_be_keyless(value):
            return []
        if len(value) > MEMO_VALUE:
            return self._judge_all(field, value, location, host, platform)
        memo = (context, value)
        hits = self._hits.get(memo)
        if hits is None:
            if len(self._hits) > MEMO_LIMIT:
                self._hits.clear()
            hits = self._hits[memo] = tuple(self._judge_all(field, value, location, host, platform))
        return list(hits)

    def _plan(self, field: str | None, location: str, host: str, platform: str | None) -> object:
        """_SAYS_NOTHING when the key names no identifier in this context (no meaning, no validator, not an ambiguous
        device key, not a User-Agent), else _KEYED."""
        key = normalize_key(field)
        if key in UA_KEYS or (location == "header" and key == "useragent") or key in self.key_to_identifier:
            return _KEYED
        if key in AMBIGUOUS_DEVICE_KEYS or key.endswith("deviceid") or self.keys.lookup(field, location, host, platform) is not None:
            return _KEYED
        return _SAYS_NOTHING

    def _judge_all(self, field: str | None, value: str, location: str, host: str, platform: str | None) -> list[ShapeHit]:
        key = normalize_key(field)
        if key in UA_KEYS or (location == "header" and key == "useragent"):
            return [ShapeHit(identifier, token, CONTEXT) for identifier, token in user_agent_facts(value[:1024])]
        meaning = self.keys.lookup(field, location, host, platform)
        if meaning is not None and meaning.hash is not None:
            digest = value.strip().lower()
            if DIGEST_LENGTHS[meaning.hash] == len(digest) and HEX_DIGITS.fullmatch(digest) and varied(digest, 8):
                return [ShapeHit(meaning.identifier, value.strip(), KEYED, meaning.issuer, meaning.hash)]
            return []
        if meaning is not None and meaning.identifier not in VALIDATORS:
            hit = _contextual(meaning.identifier, key, value, meaning.issuer)
            if hit is not None:
                return [hit]
        hit = self.judge(field, value, meaning.identifier if meaning is not None else None)
        if hit is not None:
            return [_by_platform(hit, platform, value)]
        if field and NOT_DEVICE_PATH.search(field.lower()):
            return []  # the UUID of a binary image or build in a crash report, not of the device
        return _keyless(key, value, meaning is None, platform)

    def judge(self, field: str | None, value: str, identifier: str | None = None) -> ShapeHit | None:
        """A device identifier (the validated types) for one field value, or None."""
        if len(value) < 8 or len(value) > 80:
            return None
        key = normalize_key(field)
        identifier = identifier if identifier in VALIDATORS else self.key_to_identifier.get(key)
        if identifier is not None:
            if identifier == "imei" and is_imsi(value) and not is_imei(value):
                return None
            if VALIDATORS[identifier](value):
                return ShapeHit(identifier, value, KEYED)
            if identifier in AD_IDS and random_id(value):
                return ShapeHit("install_id", value, KEYED)  # an SDK's own "adid" (Adjust, Amazon), not the platform's
            if identifier in ("gaid", "oaid", "android_id"):
                return None
        elif key and NOT_DEVICE.search(key):
            return None
        if is_mac(value, separated=True):
            return ShapeHit("mac", value, KEYLESS)
        if DIGITS15.fullmatch(value):
            if is_imei(value):
                return ShapeHit("imei", value, KEYLESS)
            if is_imsi(value) and value.startswith("460"):
                return ShapeHit("imsi", value, KEYLESS)
        elif is_iccid(value):
            return ShapeHit("iccid", value, KEYLESS)
        return None

    def location(self, fields: dict[str, str]) -> tuple[str, str] | None:
        """(lat, lon) from sibling fields such as lat/lng, if both are plausible coordinates."""
        lat = next((v for k, v in fields.items() if k in self.lat_keys and is_coordinate(v)), None)
        lon = next((v for k, v in fields.items() if k in self.lon_keys and is_coordinate(v)), None)
        if lat and lon and abs(float(lat)) <= 90 and (float(lat), float(lon)) != (0.0, 0.0):
            return lat, lon
        return None

    def location_pair(self, field: str | None, value: str) -> tuple[str, str, str] | None:
        """(lat, lon, precise_location|coarse_location) from one `lat,lon` value: under a location key, or under any key
        that is not business data when both numbers have at least two decimals. The precision sets the kind."""
        if len(value) > 48 or "," not in value:
            return None
        key = normalize_key(field)
        if key and NOT_DEVICE.search(key):
            return None
        pair = coordinate_pair(value)
        if pair is None:
            return None
        lat, lon, decimals = pair
        if key not in self.pair_keys and decimals < 2:
            return None
        return lat, lon, location_kind(decimals)

    def free_text(self, text: str, limit: int = 65536) -> list[ShapeHit]:
        """Separated MACs and IMEIs/IMSIs in unstructured text (no key to go by)."""
        hits: list[ShapeHit] = []
        for match in FREE_TEXT.finditer(text[:limit]):
            if match.group("mac"):
                if is_mac(match.group("mac"), separated=True):
                    hits.append(ShapeHit("mac", match.group("mac"), KEYLESS))
                continue
            number = match.group("num")
            if is_imei(number):
                hits.append(ShapeHit("imei", number, KEYLESS))
            elif is_imsi(number) and number.startswith("460"):
                hits.append(ShapeHit("imsi", number, KEYLESS))
        return hits


def _key_tail(field: str | None) -> tuple[str | None, bool]:
    """What a key plan depends on in a field path: its last two components (what `normalize_key` and `key_candidates` read),
    or the whole field when it starts with `X-` (read whole as a custom header name)."""
    if not field:
        return field, False
    if field[:2].lower() == "x-":
        return field, True
    parts = field.rsplit(".", 2)
    return (field if len(parts) < 3 else f"{parts[1]}.{parts[2]}"), False


def _may_be_keyless(value: str) -> bool:
    """Whether a value under a key that says nothing could hold a shape found without a key: a separated MAC (`:`/`-`),
    an IMEI/IMSI (15 characters), an ICCID (`89…`), an Apple machine ID or a `lat,lon` pair (`,`), an e-mail (`@`)."""
    return "," in value or "@" in value or ":" in value or "-" in value or len(value) == 15 or value[:2] == "89"


def _contextual(identifier: str, key: str, value: str, issuer: str | None) -> ShapeHit | None:
    """A hit for the identifiers that have no validator of their own: the key said what it is, the value must fit."""
    if identifier == "device_model":
        found = model_value(value, key) or apple_model(value)
    elif identifier == "os_version":
        found = os_version_value(value)
    elif identifier == "ip":
        found = ip_value(value)
    elif identifier == "email":
        found = email_value(value)
    elif identifier == "app_user_id":
        found = user_id_value(value)
        if found and is_anonymous(found):
            return ShapeHit("install_id", found, KEYED, issuer)
    elif identifier == "install_id":
        found = random_id(value)
    elif identifier == "coarse_location":
        found = value.strip() if 0 < len(value.strip()) <= 64 and value.strip().lower() not in ("0", "-1", "null", "unknown") else None
        if found and key in ("cid", "lac", "cellid", "mcc", "mnc") and not found.isdigit():
            found = None
    else:
        return None
    return ShapeHit(identifier, found, KEYED, issuer) if found else None


def _by_platform(hit: ShapeHit, platform: str | None, value: str) -> ShapeHit:
    """An advertising ID is the GAID in an Android request and the IDFA in an iOS one, whatever the key says."""
    if hit.identifier in AD_IDS and platform is not None and is_uuid(value):
        identifier = "gaid" if platform == "android" else "idfa"
        if identifier != hit.identifier:
            return ShapeHit(identifier, hit.value, hit.confidence, hit.issuer)
    return hit


def _keyless(key: str, value: str, unknown_key: bool, platform: str | None = None) -> list[ShapeHit]:
    """Shapes that need no key: an Apple machine ID, an e-mail address, a random device ID under an ambiguous key."""
    if key and NOT_DEVICE.search(key):
        return []
    model = apple_model(value)
    if model:
        return [ShapeHit("device_model", model, CONTEXT)]
    email = email_value(value) if "@" in value else None
    if email:
        return [ShapeHit("email", email, CONTEXT)]
    if key in AMBIGUOUS_DEVICE_KEYS or (unknown_key and key.endswith("deviceid")):
        if platform == "android" and is_android_id(value):
            return [ShapeHit("android_id", value, KEYLESS)]  # 16 hex digits: the SSAID's shape
        found = random_id(value)
        if found:
            return [ShapeHit("install_id", found, KEYLESS)]
    return []
