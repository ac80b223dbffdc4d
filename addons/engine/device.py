"""The device profile: the phone's real identifier values, loaded from YAML."""

import math
import re
from collections import Counter
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from candor.errors import InputError

MIN_VALUE_LENGTH = 5
MIN_ENTROPY_BITS = 12.0


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
        text = str(value).strip()
        return text or None

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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a device YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise InputError(f"{path}: not valid YAML{where}") from None
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
        raise InputError(f"{path}: {where}: {message}") from None
