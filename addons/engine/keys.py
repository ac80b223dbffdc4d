"""What a parameter key means: the catalog's keys per identifier, some only on an SDK's hosts or on one platform."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

KEY_CLEAN = re.compile(r"[^a-z0-9]")
POSITION = re.compile(r"\[(\d{1,3})\]$")
MEMO_LIMIT = 65536
# Keys that name "a device ID" without saying which: an identifier only when the value or the host says so.
AMBIGUOUS_DEVICE_KEYS = frozenset({
    "deviceid", "did", "udid", "uuid", "deviceuuid", "devid", "duid", "cuid", "deviceguid", "guid", "clientid", "cid",
    "installid", "hardwareid", "deviceidentifier", "uniqueid", "uniquedeviceid",
})
# Sibling values that name the type of an ambiguous device ID (`deviceIdType: gaid`).
TYPE_NAMES = {"gaid": "gaid", "aaid": "gaid", "adid": "gaid", "googleadid": "gaid", "idfa": "idfa", "idfv": "idfv", "oaid": "oaid",
              "imei": "imei", "androidid": "android_id"}


@dataclass(frozen=True, slots=True)
class KeyMeaning:
    """The identifier a key stands for, the SDK that issues its value when the key is an SDK's own, and the digest
    the value is when the key names a hashed identifier (`hash_imei`, `idfa_md5`)."""

    identifier: str
    issuer: str | None = None
    hash: str | None = None  # the value is this digest of the identifier (md5, sha1, sha256)


def clean(key: str) -> str:
    return KEY_CLEAN.sub("", key.lower())


@lru_cache(maxsize=16384)
def key_candidates(field: str | None, location: str = "") -> tuple[str, ...]:
    """Normalised forms of a field to look up: `a.device.id` -> `device.id`, `id`; header `X-Model` -> `xmodel`, `model`;
    `extinfo[4]` -> `extinfo[4]`, `extinfo`."""
    if not field:
        return ()
    parts = [clean(part.split("[", 1)[0] or part) for part in field.split(".")]
    candidates = []
    position = POSITION.search(field)
    if position and parts[-1]:
        candidates.append(f"{parts[-1]}[{position.group(1)}]")  # a positional array with a documented schema
    if len(parts) >= 2 and parts[-1] and parts[-2]:
        candidates.append(f"{parts[-2]}.{parts[-1]}")
    if parts[-1]:
        candidates.append(parts[-1])
    if field[:2].lower() == "x-":  # X-Model, X-osv: the custom-header convention, in headers and form fields alike
        candidates.append(clean(field[2:]))
    return tuple(candidates)


def host_matches(host: str, domains: Iterable[str]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


class KeyIndex:
    """Looks a field up by its key, the request's host and platform; scoped rules win over plain keys."""

    def __init__(self, keys: Mapping[str, Iterable[str]], rules: Mapping[str, Iterable[Any]] | None = None) -> None:
        self.plain: dict[str, KeyMeaning] = {}
        for identifier, names in keys.items():
            for name in names:
                self.plain.setdefault(_normal(name), KeyMeaning(identifier))
        self._memo: dict[tuple, KeyMeaning | None] = {}
        self.scoped: dict[str, list[tuple[tuple[str, ...], str | None, KeyMeaning]]] = {}
        for identifier, identifier_rules in (rules or {}).items():
            for rule in identifier_rules:
                meaning = KeyMeaning(identifier, rule.issuer, getattr(rule, "hash", None))
                for name in rule.keys:
                    self.scoped.setdefault(_normal(name), []).append((tuple(rule.domains), rule.platform, meaning))

    def lookup(self, field: str | None, location: str = "", host: str = "", platform: str | None = None) -> KeyMeaning | None:
        """The meaning of a field's key in this request, or None (memoised: the same keys recur in every flow)."""
        memo = (field, location, host, platform)
        if memo in self._memo:
            return self._memo[memo]
        if len(self._memo) > MEMO_LIMIT:
            self._memo.clear()
        meaning = self._lookup(field, location, host, platform)
        self._memo[memo] = meaning
        return meaning

    def _lookup(self, field: str | None, location: str, host: str, platform: str | None) -> KeyMeaning | None:
        candidates = key_candidates(field, location)
        for candidate in candidates:
            for domains, rule_platform, meaning in self.scoped.get(candidate, ()):
                if (not domains or host_matches(host, domains)) and (rule_platform is None or rule_platform == platform):
                    return meaning
        for candidate in candidates:
            meaning = self.plain.get(candidate)
            if meaning is not None:
                return meaning
        return None


def sibling_type(fields: Mapping[str, str]) -> str | None:
    """The identifier a sibling `…type` field names (`deviceIdType: gaid`), or None."""
    for field, value in fields.items():
        if clean(field.rsplit(".", 1)[-1]).endswith("type"):
            named = TYPE_NAMES.get(clean(value))
            if named:
                return named
    return None


def _normal(name: str) -> str:
    """A catalog key in lookup form: components cleaned, dots and a final position kept (`user.id`, `extinfo[4]`)."""
    position = POSITION.search(name)
    base = name[: position.start()] if position else name
    return ".".join(clean(part) for part in base.split(".")) + (f"[{position.group(1)}]" if position else "")
