"""The detector: one request in, the identifiers it carries out, attributed and labelled."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from addons.engine.attribution import Attributor, Party
from addons.engine.consent import ConsentClock
from addons.engine.crossflow import CrossFlow, RequestMeta
from addons.engine.decode import Budget, Decoder, Segment
from addons.engine.device import DeviceProfile
from addons.engine.device_shapes import platform_of
from addons.engine.frequency import FrequencyTracker
from addons.engine.keys import sibling_type
from addons.engine.request import RequestData
from addons.engine.shapes import CONTEXT, ShapeDetector, is_uuid, normalize_key
from addons.engine.variants import Hit, VariantMatcher
from candor.catalog.catalog import Catalog
from candor.model.traffic import TrafficObservation

MAX_FINDINGS_PER_FLOW = 500  # distinct (identifier, place) pairs kept from one request; real requests carry a few dozen
KEYED_LOCATIONS = frozenset({"query", "form", "json", "header", "cookie", "multipart", "protobuf", "body"})  # body: XML, by name
CASED = frozenset({"md5", "sha1", "sha256", "hex"})


def _text(latin: str) -> str:
    """A latin-1 view back to the text it encodes (UTF-8 where possible)."""
    if latin.isascii():
        return latin
    return latin.encode("latin-1").decode("utf-8", "replace")


class Detector:
    """Finds device identifiers in requests: profile values in every encoding, or identifier shapes.

    Stateful over a session: consent and per-minute frequency carry from one request to the next.
    """

    def __init__(
        self,
        profile: DeviceProfile | None = None,
        catalog: Catalog | None = None,
        app_domains: Iterable[str] = (),
        consent: ConsentClock | None = None,
        burst_per_minute: int = 30,
        shapes: bool | None = None,
        budget: Budget | None = None,
        frequency: FrequencyTracker | None = None,
        cross_flow: bool = True,
    ) -> None:
        self.profile = profile
        self.matcher = VariantMatcher.for_profile(profile)
        self.attributor = Attributor(catalog, list(app_domains))
        self.consent = consent or ConsentClock()
        self.frequency = frequency or FrequencyTracker(burst_per_minute)
        self.decoder = Decoder(budget)
        self.flows_truncated = 0  # requests only partly searched because they hit a per-flow budget
        self.use_shapes = profile is None if shapes is None else shapes
        self.cross_flow = CrossFlow() if cross_flow else None  # session state: ids repeated across requests and recipients
        entries = catalog.identifiers.values() if catalog is not None else ()
        self.shapes = ShapeDetector({entry.id: entry.keys for entry in entries}, {entry.id: entry.key_rules for entry in entries})

    def analyze(self, request: RequestData) -> list[TrafficObservation]:
        """Observations for one request (possibly none)."""
        self.consent.observe(request.url, request.timestamp)
        if self.matcher.empty and not self.use_shapes:
            return []
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        party = self.attributor.attribute(host)
        segments = self.decoder.segments(request)
        found: dict[tuple, dict] = {}
        self._profile_hits(segments, found)
        if self.use_shapes:
            self._shape_hits(segments, found, host, platform_of(request.header("user-agent")))
        earlier: list[TrafficObservation] = []
        if self.cross_flow is not None:
            earlier = self._cross_flow_hits(request, parts.scheme.lower(), host, party, segments, found)
        if self.decoder.truncated or len(found) > MAX_FINDINGS_PER_FLOW:
            self.flows_truncated += 1
        if not found:
            return earlier
        _drop_containers(found)
        _drop_free_text_twins(found)
        if len(found) > MAX_FINDINGS_PER_FLOW:
            found = dict(list(found.items())[:MAX_FINDINGS_PER_FLOW])
        return self._observations(request, parts.scheme.lower(), host, party, found) + earlier

    # -- profile values -------------------------------------------------------------------
    def _profile_hits(self, segments: list[Segment], found: dict[tuple, dict]) -> None:
        if self.matcher.empty:
            return
        hits = self.matcher.find([segment[3] for segment in segments])
        places: dict[str, list[tuple[Hit, str]]] = {"lat": [], "lon": []}
        for hit in hits:
            location, field, chain, text = segments[hit.segment]
            variant = hit.variant
            if variant.axis is not None:
                places[variant.axis].append((hit, _number_at(text, hit.start)))
                continue
            value = text[hit.start : hit.end]
            cased = ("upper",) if (variant.hash or (variant.encoding[:1] and variant.encoding[0] in CASED) or
                                   any(c.isalpha() for c in value)) and value.isupper() and variant.exact is None else ()
            key = (variant.identifier, location, field, variant.hash)
            if key not in found:
                found[key] = {"location": location, "field": field, "encoding": [*chain, *cased, *variant.encoding],
                              "hash": variant.hash, "value": _text(value), "detection": "profile", "confidence": 1.0,
                              "identifier": variant.identifier}
        if places["lat"] and places["lon"]:
            (lat_hit, lat), (lon_hit, lon) = places["lat"][0], places["lon"][0]
            lat_location, lat_field, chain, _ = segments[lat_hit.segment]
            lon_field = segments[lon_hit.segment][1]
            field = lat_field if lat_field == lon_field else ",".join(f or "" for f in (lat_field, lon_field))
            key = ("precise_location", lat_location, field, None)
            found.setdefault(key, {"location": lat_location, "field": field, "encoding": [*chain, *lat_hit.variant.encoding],
                                   "hash": None, "value": f"{lat},{lon}", "detection": "profile", "confidence": 1.0,
                                   "identifier": "precise_location"})

    # -- shapes ---------------------------------------------------------------------------
    def _shape_hits(self, segments: list[Segment], found: dict[tuple, dict], host: str = "", platform: str | None = None) -> None:
        siblings: dict[tuple[str, str], dict[str, str]] = {}
        chains: dict[tuple[str, str], tuple[str, ...]] = {}  # how each group of siblings was wrapped (a gzip part)
        located: set[tuple[str, str]] = set()  # groups with a latitude key: the only ones that can hold a lat/lon pair
        untyped: list[tuple[str, str, str, tuple[str, ...], str]] = []
        for location, field, chain, text in segments:
            if location in KEYED_LOCATIONS and field is not None:
                parent = field.rsplit(".", 1)[0] if "." in field else ""
                if len(text) < 24:
                    siblings.setdefault((location, parent), {})[field] = text
                    chains[(location, parent)] = chain
                    if normalize_key(field) in self.shapes.lat_keys:
                        located.add((location, parent))
                hits = self.shapes.judge_all(field, text, location, host, platform)
                for hit in hits:
                    self._add_shape(found, hit.identifier, location, field, chain, hit.value, hit.confidence, hit.issuer, hit.hash)
                    if hit.identifier == "install_id" and hit.issuer is None and is_uuid(hit.value):
                        untyped.append((location, parent, field, chain, hit.value))
                if hits:
                    continue
                pair = self.shapes.location_pair(field, text)
                if pair is not None:
                    self._add_shape(found, pair[2], location, field, chain, ",".join(pair[:2]), 0.8)
            elif location in ("body", "url_path"):
                for hit in self.shapes.free_text(text):
                    self._add_shape(found, hit.identifier, location, field, chain, hit.value, hit.confidence)
        for location, parent, field, chain, value in untyped:  # `deviceId` next to `deviceIdType: gaid`
            named = sibling_type(siblings.get((location, parent), {}))
            if named is not None:
                found.pop(("install_id", location, field, None), None)
                self._add_shape(found, named, location, field, chain, value, CONTEXT)
        for (location, parent), fields in siblings.items():
            if (location, parent) not in located:
                continue
            pair = self.shapes.location({normalize_key(f): v for f, v in fields.items()})
            if pair is not None:
                lat = next(f for f, v in fields.items() if v == pair[0] and normalize_key(f) in self.shapes.lat_keys)
                lon = next(f for f, v in fields.items() if v == pair[1] and normalize_key(f) in self.shapes.lon_keys)
                names = f"{lat},{lon}"
                self._add_shape(found, "precise_location", location, names, chains[(location, parent)], ",".join(pair), 0.8)

    @staticmethod
    def _add_shape(found: dict[tuple, dict], identifier: str, location: str, field: str | None, chain: tuple[str, ...],
                   value: str, confidence: float, issuer: str | None = None, digest: str | None = None) -> None:
        key = (identifier, location, field, digest)
        if key not in found:
            found[key] = {"location": location, "field": field, "encoding": list(chain), "hash": digest, "value": _text(value),
                          "detection": "shape", "confidence": confidence, "identifier": identifier, "issuer": issuer}

    # -- cross-flow -----------------------------------------------------------------------
    def _cross_flow_hits(self, request: RequestData, scheme: str, host: str, party: Party, segments: list[Segment],
                         found: dict[tuple, dict]) -> list[TrafficObservation]:
        """Add this request's places that the session shows to be identifiers; observations for earlier requests' places."""
        assert self.cross_flow is not None
        meta = RequestMeta(request.flow_id, request.timestamp, request.method, request.url, scheme, host, party)
        earlier: dict[str, tuple[RequestMeta, dict[tuple, dict]]] = {}
        for finding in self.cross_flow.track(meta, party.sdk_id or party.name, segments, found):
            place = finding.place
            item = {"location": place.location, "field": place.field, "encoding": list(place.chain), "hash": finding.hash,
                    "value": _text(place.value), "detection": "cross_flow", "confidence": finding.confidence,
                    "identifier": finding.identifier, "issuer": finding.issuer}
            key = (finding.identifier, place.location, place.field, finding.hash)
            if place.request.flow_id == request.flow_id:
                found.setdefault(key, item)
            else:
                earlier.setdefault(place.request.flow_id, (place.request, {}))[1].setdefault(key, item)
        return [o for meta, items in earlier.values() for o in self._observations(meta, meta.scheme, meta.host, meta.party, items)]

    # -- labelling ------------------------------------------------------------------------
    def _observations(self, request: RequestData | RequestMeta, scheme: str, host: str, party: Party,
                      found: dict[tuple, dict]) -> list[TrafficObservation]:
        for item in found.values():  # an install id's issuer: the key's SDK, else the SDK it is sent to
            if item["identifier"] == "install_id" and item.get("issuer") is None and party.party == "sdk":
                item["issuer"] = party.sdk_id
        before = self.consent.before(request.timestamp)
        bursts = {identifier: self.frequency.record(party.name, identifier, request.timestamp)
                  for identifier in dict.fromkeys(item["identifier"] for item in found.values())}
        observations: list[TrafficObservation] = []
        # One observation per request is validated; the others with the same keys are copies of it with their own fields.
        template: TrafficObservation | None = None
        template_keys: object = None
        for item in found.values():
            fields = {**item, "burst": bursts[item["identifier"]]}
            if template is not None and item.keys() == template_keys:
                observations.append(template.model_copy(update=fields))
                continue
            template, template_keys = TrafficObservation(
                flow_id=request.flow_id, timestamp=request.timestamp, method=request.method, url=request.url, scheme=scheme,
                host=host, registrable_domain=party.registrable_domain, cleartext=scheme == "http", party=party.party,
                sdk_id=party.sdk_id, name=party.name, before_consent=before, **fields,
            ), item.keys()
            observations.append(template)
        return observations


def _drop_free_text_twins(found: dict[tuple, dict]) -> None:
    """A value found in a body's raw text and again in a decoded place of it (protobuf field, part): keep the decoded place."""
    raw = [key for key, item in found.items() if item["location"] == "body" and item["field"] is None and item["detection"] == "shape"]
    if not raw:
        return
    placed = {(item["identifier"], item["value"]) for item in found.values() if item["location"] != "body" or item["field"]}
    for key in raw:
        if (found[key]["identifier"], found[key]["value"]) in placed:
            del found[key]


def _drop_containers(found: dict[tuple, dict]) -> None:
    """Where a value was found both in a JSON-in-string field and inside it, keep the inner path.

    Linear in the fields' total length: every container path of every field is listed once, then each
    field is looked up in that set (a flow with 50,000 matching headers costs 50,000 look-ups, not 50,000²).
    """
    containers: set[tuple[str, str, str]] = set()
    for item in found.values():
        field = item["field"]
        if not field:
            continue
        identifier, location = item["identifier"], item["location"]
        for index, char in enumerate(field):
            if char in ".[" and index:
                containers.add((identifier, location, field[:index]))
    if not containers:
        return
    for key, item in list(found.items()):
        if item["field"] and (item["identifier"], item["location"], item["field"]) in containers:
            del found[key]


def _number_at(text: str, start: int) -> str:
    """The whole number starting at `start` (sign, digits, one decimal point)."""
    end = start + 1
    while end < len(text) and (text[end].isdigit() or (text[end] == "." and "." not in text[start:end])):
        end += 1
    return text[start:end]
