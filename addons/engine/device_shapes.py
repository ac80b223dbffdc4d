"""Value shapes that need context: device model, OS version, device IP, coordinates, SDK-issued IDs, user IDs.

Each `*_value` function takes a value found under a key that already says what it is (a model key, an OS
key, an IP key …) and returns the part that is the identifier, or None when the value does not have the
shape. Without such a key only the unambiguous shapes are used: Apple machine identifiers (`iPhone10,6`)
and the device and OS a User-Agent names.
"""

import ipaddress
import math
import re
from collections import Counter
from urllib.parse import unquote

# A User-Agent names the OS release and, on Android, the model before " Build/".
ANDROID_UA = re.compile(
    r"\bAndroid[ ](?P<os>\d{1,2}(?:\.\d{1,3}){0,2})(?:;\s*(?:[a-z]{2}[-_][a-z]{2,4};\s*)?(?P<model>[^;()]{2,48}?)(?:;\s*|\s+)Build/)?", re.I
)
# Some clients list device facts as key=value pairs inside the User-Agent: `(api=3,sdk=33,model=Pixel%206a,…)`.
UA_PAIRS = re.compile(r"(?<![A-Za-z])(?P<key>model|platformVersionRelease|osVersion|os_version)=(?P<value>[^,;)]{1,48})")
UA_PAIR_KINDS = {"model": "device_model", "platformversionrelease": "os_version", "osversion": "os_version", "os_version": "os_version"}
IOS_UA = re.compile(r"\b(?:iPhone|CPU|iPad) OS (?P<os>\d{1,2}(?:_\d{1,2}){1,2})\b")
IOS_NAMED = re.compile(r"\b(?:iOS|iPadOS)[ /](?P<os>\d{1,2}(?:\.\d{1,2}){1,2})\b")
APPLE_MODEL = re.compile(r"(?<![A-Za-z0-9])(?:iPhone|iPad|iPod|Watch)\d{1,2},\d{1,2}(?![0-9])")
UA_KEYS = frozenset({"useragent", "ua", "httpuseragent", "devua", "deviceua"})

VERSION = re.compile(r"(?P<version>\d{1,2}(?:[._]\d{1,3}){0,3})")
OS_PREFIX = re.compile(r"^(?:android|ios|ipados|iphone\s*os|os)[\s/_-]*", re.I)
NOT_MODEL = frozenset({"android", "ios", "iphone", "ipad", "unknown", "null", "none", "undefined", "phone", "mobile", "tablet",
                       "true", "false", "web", "h5", "pc"})
BRAND = re.compile(r"[A-Za-z][A-Za-z0-9 ._&-]{1,23}")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}")
PAIR = re.compile(r"(?P<lat>-?\d{1,2}\.(?P<lat_d>\d{1,10}))\s*,\s*(?P<lon>-?\d{1,3}\.(?P<lon_d>\d{1,10}))")
TIMESTAMP = re.compile(r"1\d{9}(?:\d{3})?(?:\.\d+)?")
PLACEHOLDER = frozenset({"0", "-1", "null", "none", "nil", "undefined", "unknown", "guest", "anonymous", "true", "false", "default",
                         "00000000-0000-0000-0000-000000000000"})
ID_CHARS = re.compile(r"[A-Za-z0-9_\-:.+/=$]+")
BRAND_KEYS = frozenset({"brand", "manufacturer", "make", "devicebrand", "devicemanufacturer", "dma"})
PRECISE_DECIMALS = 3  # 3 decimals of a degree ~ 110 m: finer is a precise location, coarser a coarse one


def platform_of(user_agent: str | None) -> str | None:
    """android or ios from a request's User-Agent, None when it does not say."""
    if not user_agent:
        return None
    lowered = user_agent.lower()
    if "android" in lowered or "dalvik" in lowered or "okhttp" in lowered:
        return "android"
    if any(word in lowered for word in ("iphone", "ipad", "ios", "cfnetwork", "darwin")):
        return "ios"
    return None


def user_agent_facts(text: str) -> list[tuple[str, str]]:
    """(identifier, token) pairs a User-Agent string carries: the OS version and the device model."""
    facts: list[tuple[str, str]] = []
    android = ANDROID_UA.search(text)
    if android:
        facts.append(("os_version", android.group("os")))
        model = (android.group("model") or "").strip()
        if model_value(model):
            facts.append(("device_model", model))
    else:
        ios = IOS_UA.search(text) or IOS_NAMED.search(text)
        if ios:
            facts.append(("os_version", ios.group("os")))
    for match in UA_PAIRS.finditer(text):
        kind = UA_PAIR_KINDS[match.group("key").lower()]
        value = unquote(match.group("value")).strip()
        ok = model_value(value) if kind == "device_model" else os_version_value(value)
        if ok and not any(known == kind for known, _ in facts):
            facts.append((kind, ok))
    apple = APPLE_MODEL.search(text)
    if apple and not any(kind == "device_model" for kind, _ in facts):
        facts.append(("device_model", apple.group(0)))
    return facts


def apple_model(text: str) -> str | None:
    """An Apple machine identifier (`iPhone10,6`) inside any text: unambiguous without a key."""
    match = APPLE_MODEL.search(text) if len(text) <= 256 else None
    return match.group(0) if match else None


def model_value(text: str, key: str = "") -> str | None:
    """The device model (or maker, under a brand key) a value under a model key holds."""
    value = text.strip()
    if key in BRAND_KEYS:
        return value if BRAND.fullmatch(value) and value.lower() not in NOT_MODEL else None
    apple = APPLE_MODEL.search(value)
    if apple:
        return apple.group(0)  # `iPhone9,1 13.5.1`: the machine ID is the model
    if not 2 <= len(value) <= 48 or value.lower() in NOT_MODEL or "://" in value:
        return None
    if not any(c.isalpha() for c in value) or VERSION.fullmatch(value):
        return None
    return value


def os_version_value(text: str) -> str | None:
    """The OS release or API level under an OS-version key: `13`, `6.0.1`, `14_0`, `Android 10` -> `10`."""
    value = OS_PREFIX.sub("", text.strip())
    match = VERSION.fullmatch(value)
    if not match:
        return None
    major = int(re.split(r"[._]", value)[0])
    return value if 1 <= major <= 40 else None


def ip_value(text: str) -> str | None:
    """A usable IPv4/IPv6 address of a device (not 0.0.0.0, loopback or a multicast address)."""
    value = text.strip().strip("[]")
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.is_unspecified or address.is_loopback or address.is_multicast or address.is_reserved:
        return None
    return value


def email_value(text: str) -> str | None:
    value = text.strip()
    return value if EMAIL.fullmatch(value) else None


def coordinate_pair(text: str) -> tuple[str, str, int] | None:
    """(lat, lon, decimals of the coarser one) from a `lat,lon` string, with range and (0, 0) checks."""
    match = PAIR.fullmatch(text.strip())
    if not match:
        return None
    lat, lon = float(match.group("lat")), float(match.group("lon"))
    if abs(lat) > 90 or abs(lon) > 180 or (lat, lon) == (0.0, 0.0):
        return None
    return match.group("lat"), match.group("lon"), min(len(match.group("lat_d")), len(match.group("lon_d")))


def location_kind(decimals: int) -> str:
    """precise_location or coarse_location by the precision the coordinates are sent with."""
    return "precise_location" if decimals >= PRECISE_DECIMALS else "coarse_location"


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def random_id(text: str) -> str | None:
    """A random-looking ID (SDK- or app-issued): UUIDs, hex, base64url, long digit strings; not timestamps or words."""
    value = text.strip()
    if not 10 <= len(value) <= 160 or value.lower() in PLACEHOLDER or not ID_CHARS.fullmatch(value):
        return None
    if TIMESTAMP.fullmatch(value) or set(value.replace("-", "")) <= {"0"}:
        return None
    unsigned = value.removeprefix("-")
    if unsigned.isdigit():  # a 64-bit random number, printed signed or not
        return value if len(unsigned) >= 15 and entropy(unsigned) >= 2.4 and unsigned not in "01234567890123456789" * 2 else None
    digits = sum(c.isdigit() for c in value)
    if digits == 0 or entropy(value) < 3.0:
        return None
    if "." in value and value.replace(".", "").isdigit():
        return None  # a version number
    return value


def is_anonymous(text: str) -> bool:
    """An SDK's anonymous user ID (`hsft_anon_…`, `$anon:…`) names an install, not an account."""
    return "anon" in text.lower()


def user_id_value(text: str) -> str | None:
    """An account or user ID: not empty, not a placeholder, not a flag."""
    value = text.strip()
    if not 3 <= len(value) <= 128 or value.lower() in PLACEHOLDER or not ID_CHARS.fullmatch(value) or len(set(value)) < 2:
        return None
    return value
