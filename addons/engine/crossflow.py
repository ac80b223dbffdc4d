"""Cross-flow evidence: a random-looking value sent unchanged to several recipients, or in every request to one.

No single request says such a value is an identifier; the session does. A value counts when it
- is already known: another detector typed it (by key, shape or profile) somewhere in the session;
- reaches two or more recipients (an SDK, the app, or a third-party site: hosts of one SDK are one); or
- travels under an id-like key in every request to one recipient (at least MIN_REQUESTS of them).
URL path segments are no evidence (asset and config paths repeat across CDNs); they are reported once the value is known.
It is then reported as the known type, else as `install_id`, with detection "cross_flow"; places seen
before the evidence was complete are reported then too. Values under keys that name sessions, requests,
events, signatures, tokens (push tokens excepted: they name an installation) or app-level keys never count.
State is bounded (an LRU of values).
"""

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from addons.engine.decode import Segment

MIN_LENGTH = 16
MAX_LENGTH = 256  # an FCM registration token is about 160 characters
MIN_REQUESTS = 4  # "every request to one recipient" needs at least this many requests
MIN_DISTINCT = 8  # distinct characters of a random-looking value (6 for digits only)
MAX_VALUES = 20_000  # values remembered per session (least recently seen forgotten first)
MAX_RECIPIENTS = 16  # recipients counted per value
MAX_SESSION_RECIPIENTS = 1024  # recipients whose requests are counted (least recently seen forgotten first)
MAX_PENDING = 8  # places of one value kept until it is known to be an identifier
MAX_WAITING = 20_000  # places kept waiting in the whole session (each holds its request's URL)
MAX_PER_REQUEST = 200  # candidate values looked at per request
SITES = 0.7  # confidence: sent unchanged to several recipients
REPEATED = 0.6  # confidence: in every request to one recipient
KNOWN = 0.8  # confidence: the same value was typed by another detector in this session
CANDIDATE_LOCATIONS = frozenset({"query", "form", "json", "header", "cookie", "multipart", "protobuf", "url_path"})

MAX_HEADER = 2048  # longer header values are not split into tokens
HEADER_TOKENS = re.compile(r"[\s;,()\[\]\"'/]+")
RANDOM_CHARS = re.compile(r"[A-Za-z0-9_\-+/=:]+")
DATE = re.compile(r"(?:19|20)\d\d-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])(?:[T_ ]|\d{4,6}|$)")
EPOCH_SCALES = {10: 1, 13: 1000, 16: 1_000_000, 19: 1_000_000_000}
NO_DIGITS = str.maketrans("", "", "0123456789")
HEX64 = re.compile(r"[0-9a-fA-F]{16}")
SIGNED64 = re.compile(r"-?\d{15,20}")
# Identifiers whose values are not unique to a device or user (a model name, "13"): never carried over to other places.
NOT_CARRIED = frozenset({"device_model", "os_version", "ip", "coarse_location", "precise_location", "wifi_ssid"})
FIREBASE_APP_ID = re.compile(r"\d+:\d+:(?:android|ios|web):[0-9a-f]+")
# Keys whose values are never device or install identifiers, however often they repeat.
NOT_IDENTIFIER = re.compile(
    r"session|^sid$|sessid|request|reqid|trace|span|nonce|sign|(?<!push)(?<!push_)(?<!device)(?<!device_)token|secret|password|passwd|hash|md5|sha\d|checksum|crc|digest|"
    r"etag|event|^msg|message|order|trade|txn|payment|time|date|^ts$|seq|sku|appkey|apikey|sdkkey|^key$|licen|app_?id$|^appid|"
    r"project|bundle|package|version|^ver$|build|campaign|creative|impression|placement|slot|click|csrf|xsrf|upload|file|image|"
    r"^img|url$|path|referr?er|auth|jwt|bearer|cache|product|experiment|variant|config|layout|page|screen|item|content|article"
)
# Keys that name a device, install or user id: required for the one-recipient rule.
ID_KEY = re.compile(
    r"uid|uuid|guid|udid|device|install|instance|anon|distinct|visitor|client|user|member|customer|fingerprint|tracking|endpoint|"
    r"identity|identifier|push|^did$|^cid$|^aid$|^id$"
)
KEY_CLEAN = re.compile(r"[^a-z0-9_]")


class RequestMeta(NamedTuple):
    """What an observation needs of the request a place was seen in (no body is kept)."""

    flow_id: str
    timestamp: float
    method: str
    url: str
    scheme: str
    host: str
    party: Any  # attribution.Party


class Place(NamedTuple):
    """Where a value travelled in one request."""

    request: RequestMeta
    location: str
    field: str | None
    chain: tuple[str, ...]
    value: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A place now known to carry an identifier."""

    place: Place
    identifier: str
    hash: str | None
    issuer: str | None
    confidence: float


@dataclass(slots=True)
class _Value:
    recipients: dict[str, int] = field(default_factory=dict)  # recipient -> requests that carried the value
    pending: list[Place] | tuple[()] = ()  # a list only once a place waits: most values never get one (fewer objects to collect)
    known: tuple[str, str | None, str | None, float] | None = None  # identifier, hash, issuer, confidence
    id_key: bool = False
    vetoed: bool = False
    last_flow: str = ""


@lru_cache(maxsize=16384)
def looks_random(text: str) -> bool:
    """A value that could be a generated id: long, varied, no words, dots or spaces; not a timestamp or an app's Firebase id."""
    if not MIN_LENGTH <= len(text) <= MAX_LENGTH or not RANDOM_CHARS.fullmatch(text):
        return False
    distinct = len(set(text))
    if distinct < 6 or text.startswith("eyJ") or FIREBASE_APP_ID.fullmatch(text) or DATE.match(text):
        return False
    if text.isdigit():
        return not _epoch_like(text)
    digits = len(text) - len(text.translate(NO_DIGITS))
    if distinct < MIN_DISTINCT or digits == 0:
        return False  # too uniform, or words / a name in CamelCase
    return digits * 7 >= len(text) or (text.lower() != text and text.upper() != text)


@lru_cache(maxsize=4096)
def header_ids(text: str) -> tuple[str, ...]:
    """The random-looking tokens of a composite header value (the same User-Agent recurs in every request)."""
    return tuple(token for token in HEADER_TOKENS.split(text) if looks_random(token))


def same_number(value: str) -> list[str]:
    """The other spellings of a 64-bit id: 16 hex digits as decimal (unsigned and Java's signed), decimal as hex."""
    if HEX64.fullmatch(value):
        number = int(value, 16)
        return [str(number), str(number - (1 << 64))] if number >= 1 << 63 else [str(number)]
    if SIGNED64.fullmatch(value) and -(1 << 63) <= (number := int(value)) < 1 << 64:
        hexed = f"{number % (1 << 64):016x}"
        return [hexed, hexed.upper()]
    return []


def _epoch_like(digits: str) -> bool:
    """Seconds, milliseconds, microseconds or nanoseconds since the epoch between 2001 and 2040."""
    scale = EPOCH_SCALES.get(len(digits))
    return scale is not None and 1_000_000_000 * scale <= int(digits) <= 2_300_000_000 * scale


@lru_cache(maxsize=4096)
def key_kind(field_name: str | None) -> tuple[bool, bool]:
    """(never an identifier, names an id) for a field's key: its last component, lower-cased, punctuation but `_` removed."""
    if not field_name:
        return False, False
    last = field_name.rsplit(".", 1)[-1].split("[", 1)[0] or field_name
    key = KEY_CLEAN.sub("", last.lower().replace("-", "_"))
    return bool(key and NOT_IDENTIFIER.search(key)), bool(key and ID_KEY.search(key))


class CrossFlow:
    """Session state for cross-flow evidence; `track` is called once per request, in time order."""

    def __init__(self, max_values: int = MAX_VALUES) -> None:
        self.max_values = max_values
        self.values: OrderedDict[str, _Value] = OrderedDict()
        self.requests: OrderedDict[str, int] = OrderedDict()  # recipient -> requests seen
        self.waiting = 0  # places kept in `pending` lists, all values together

    def track(self, request: RequestMeta, recipient: str, segments: list[Segment], found: dict[tuple, dict]) -> list[Finding]:
        """Learn from this request's findings, count its random-looking values; return every place now known to be an identifier.

        Places of this request come back only where no finding of `found` already has (location, field, value).
        """
        self.requests[recipient] = self.requests.pop(recipient, 0) + 1
        while len(self.requests) > MAX_SESSION_RECIPIENTS:
            self.requests.popitem(last=False)
        out: list[Finding] = []
        for item in found.values():
            value = item["value"]
            if item["identifier"] not in NOT_CARRIED and looks_random(value):
                known = (item["identifier"], item.get("hash"), item.get("issuer"), KNOWN)
                for form in (value, *same_number(value)):
                    self._learn(form, known, out)
        claimed = {(item["location"], item["field"], item["value"]) for item in found.values()} if found else ()
        for place in self._candidates(request, segments)[:MAX_PER_REQUEST]:
            self._see(place, recipient, (place.location, place.field, place.value) in claimed, out)
        return out

    # -- internals ------------------------------------------------------------------------
    @staticmethod
    def _candidates(request: RequestMeta, segments: list[Segment]) -> list[Place]:
        places: list[Place] = []
        for location, field_name, chain, text in [s for s in segments if len(s[3]) >= MIN_LENGTH and s[0] in CANDIDATE_LOCATIONS]:
            if location == "url_path":
                places.extend(Place(request, location, None, chain, part) for part in text.split("/") if looks_random(part))
            elif len(text) <= MAX_LENGTH and looks_random(text):
                places.append(Place(request, location, field_name, chain, text))
            elif location == "header" and len(text) <= MAX_HEADER:  # an id inside a User-Agent or a composite header
                places.extend(Place(request, location, field_name, chain, token) for token in header_ids(text))
        return places

    def _entry(self, value: str) -> _Value:
        entry = self.values.get(value)
        if entry is None:
            entry = self.values[value] = _Value()
            if len(self.values) > self.max_values:
                self.waiting -= len(self.values.popitem(last=False)[1].pending)
        else:
            self.values.move_to_end(value)
        return entry

    def _learn(self, value: str, known: tuple[str, str | None, str | None, float], out: list[Finding]) -> None:
        entry = self._entry(value)
        if entry.known is None or (entry.known[0] == "install_id" and known[0] != "install_id"):
            entry.known = known
        out.extend(Finding(place, *entry.known) for place in self._release(entry))

    def _wait(self, entry: _Value, place: Place, claimed: bool) -> None:
        """Keep a place until its value is known (bounded per value and per session)."""
        if not claimed and len(entry.pending) < MAX_PENDING and self.waiting < MAX_WAITING:
            if entry.pending:
                entry.pending.append(place)
            else:
                entry.pending = [place]
            self.waiting += 1

    def _release(self, entry: _Value) -> list[Place] | tuple[()]:
        places = entry.pending
        if places:
            entry.pending = ()
            self.waiting -= len(places)
        return places

    def _see(self, place: Place, recipient: str, claimed: bool, out: list[Finding]) -> None:
        entry = self._entry(place.value)
        never, names_id = key_kind(place.field)
        if never and entry.known is None:
            entry.vetoed = True  # a session id or app key repeats too: never an identifier by repetition alone
            self._release(entry)
        if entry.known is None and entry.vetoed:
            return
        if entry.known is None and place.location == "url_path":  # no evidence by itself; reported once the value is known
            self._wait(entry, place, claimed)
            return
        entry.id_key = entry.id_key or names_id
        if entry.last_flow != place.request.flow_id:  # one request counts once, wherever the value sat in it
            entry.last_flow = place.request.flow_id
            if recipient in entry.recipients or len(entry.recipients) < MAX_RECIPIENTS:
                entry.recipients[recipient] = entry.recipients.get(recipient, 0) + 1
        if entry.known is None:
            if len(entry.recipients) >= 2:
                entry.known = ("install_id", None, None, SITES)
            elif entry.id_key and entry.recipients.get(recipient, 0) == self.requests.get(recipient, 0) >= MIN_REQUESTS:
                entry.known = ("install_id", None, None, REPEATED)
        if entry.known is None:
            self._wait(entry, place, claimed)
            return
        out.extend(Finding(earlier, *entry.known) for earlier in self._release(entry))
        if not claimed:
            out.append(Finding(place, *entry.known))
