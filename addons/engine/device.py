"""The device profile: the phone's real identifier values, loaded from YAML."""

import math
import re
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from candor.errors import InputError
from candor.inputs import one_line, parse_yaml, read_text

MAX_PROFILE_BYTES = 1024 * 1024

MIN_VALUE_LENGTH = 5
MIN_ENTROPY_BITS = 12.0
MAX_VALUE_LENGTH = 128  # longer than any identifier; checked before any shape or matcher sees the value

_HEX_OCTETS = r"[0-9A-Fa-f]{2}(?:[:\-]?[0-9A-Fa-f]{2}){5}"
# What each identifier's value may look like (after surrounding spaces are stripped), and how to say it.
VALUE_SHAPES: dict[str, tuple[re.Pattern[str], str]] = {
    "imei": (re.compile(r"\d{14,16}"), "14 to 16 digits"),
    "meid": (re.compile(r"[0-9A-Fa-f]{14}|\d{18}"), "14 hex digits or 18 digits"),
    "imsi": (re.compile(r"\d{6,15}"), "6 to 15 digits"),
    "iccid": (re.compile(r"\d{18,22}[Ff]?"), "18 to 22 digits"),
    "mac": (re.compile(_HEX_OCTETS), "six hex octets, e.g. 3C:28:6D:9A:41:7E"),
    "wifi_bssid": (re.compile(_HEX_OCTETS), "six hex octets, e.g. f4:83:cd:12:ab:90"),
    "android_id": (re.compile(r"[0-9A-Fa-f]{1,16}"), "up to 16 hex digits"),
    "oaid": (re.compile(r"[0-9A-Za-z_\-]{1,100}"), "up to 100 letters, digits, '-' or '_'"),
    "gaid": (re.compile(r"[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}"), "a UUID"),
    "serial": (re.compile(r"[0-9A-Za-z._\-]{1,64}"), "up to 64 letters, digits, '.', '-' or '_'"),
    "phone_number": (re.compile(r"\+?[\d \-().]{3,24}"), "a phone number of up to 24 digits and separators"),
    "wifi_ssid": (re.compile(r"[^\x00-\x1f\x7f]{1,32}"), "up to 32 printable characters"),
}


class Location(BaseModel):
    """A position in decimal degrees."""

    model_config = ConfigDict(extra="forbid")

    lat: float
    lon: float

    @field_validator("lat", "lon")
    @classmethod
    def _within_range(cls, value: float, info: ValidationInfo) -> float:
        bound = 90 if info.field_name == "lat" else 180
        if not -bound <= value <= bound:
            raise ValueError(f"{info.field_name} must be within -{bound}..{bound}")
        return value


class DeviceProfile(BaseModel):
    """Real values of one test phone; any subset may be given."""

    model_config = ConfigDict(extra="forbid")

    imei: str | None = None
    meid: str | None = None
    imsi: str | None = None
    iccid: str | None = None
    mac: str | None = None
    android_id: str | None = None
    oaid: str | None = None
    gaid: str | None = None
    serial: str | None = None
    phone_number: str | None = None
    wifi_bssid: str | None = None
    wifi_ssid: str | None = None
    location: Location | None = None

    @field_validator(
        "imei", "meid", "imsi", "iccid", "mac", "android_id", "oaid", "gaid", "serial", "phone_number", "wifi_bssid", "wifi_ssid",
        mode="before",
    )
    @classmethod
    def _text(cls, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError("must be a string")
        if isinstance(value, int) and value.bit_length() > 4 * MAX_VALUE_LENGTH:
            raise ValueError(f"longer than {MAX_VALUE_LENGTH} characters")
        text = str(value).strip()
        return text or None

    @field_validator(*VALUE_SHAPES)
    @classmethod
    def _shaped(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Each value's length and shape against its identifier type, before any matcher is built from it."""
        if value is None:
            return None
        if len(value) > MAX_VALUE_LENGTH:
            raise ValueError(f"{len(value):,} characters is too long (expected {VALUE_SHAPES[str(info.field_name)][1]})")
        shape, wording = VALUE_SHAPES[str(info.field_name)]
        if not shape.fullmatch(value):
            raise ValueError(f"does not look like one (expected {wording})")
        return value

    def values(self) -> dict[str, str]:
        """Identifier id -> value, for the text identifiers that are set."""
        fields = self.model_dump(exclude={"location"}, exclude_none=True)
        return {key: value for key, value in fields.items() if isinstance(value, str)}

    def weak_values(self) -> list[str]:
        """Identifiers too short or too uniform to match safely (they are skipped)."""
        return [key for key, value in self.values().items() if not is_matchable(value)]


def entropy_bits(text: str) -> float:
    """Shannon entropy of the characters times the length (a rough guessability)."""
    if not text:
        return 0.0
    counts = Counter(text)
    per_char = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return per_char * len(text)


def is_matchable(value: str) -> bool:
    """Long and varied enough that finding it in traffic is not a coincidence."""
    core = re.sub(r"[\s:\-+]", "", value)
    return len(core) >= MIN_VALUE_LENGTH and entropy_bits(core) >= MIN_ENTROPY_BITS


def load_device_profile(path: Path | str) -> DeviceProfile:
    """Read and validate a device YAML; any problem is one InputError line."""
    path = Path(path)
    text = read_text(path, MAX_PROFILE_BYTES, "device profile")  # regular files only, size checked first
    data = parse_yaml(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of identifier: value")
    if isinstance(data.get("device"), dict) and len(data) == 1:
        data = data["device"]
    try:
        return DeviceProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "profile"
        message = "unknown identifier (expected one of: " + ", ".join(DeviceProfile.model_fields) + ")" \
            if first["type"] == "extra_forbidden" else first["msg"]
        raise InputError(one_line(f"{path}: {one_line(where, 80)}: {message.removeprefix('Value error, ')}")) from None
