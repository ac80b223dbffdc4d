"""Load each optional evidence source (policy, code, traffic) into one `EvidenceBundle`.

The declared/, apk_scan/ and addons/ parts are imported lazily, only for the source that needs them.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from candor.errors import InputError
from candor.hashing import file_sha256
from candor.inputs import read_bytes, regular_file
from candor.model import DeclaredTable, StaticScan, TrafficObservation
from candor.timeparse import parse_time
from reports.model import SourceInfo, Sources

MAX_JSON_BYTES = 64 * 1024 * 1024  # a scan JSON; validating one builds several times its size in objects


@dataclass
class EvidenceBundle:
    """Everything the reconciler looks at; each source may be absent."""

    declared: DeclaredTable | None = None
    scan: StaticScan | None = None
    observations: list[TrafficObservation] | None = None
    consent_at: float | None = None
    consent_inferred: bool = False
    sources: Sources = field(default_factory=Sources)
    warnings: list[str] = field(default_factory=list)

    @property
    def package(self) -> str | None:
        return self.scan.package if self.scan else None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ())) or "document"
    return f"{where}: {error.get('msg', 'invalid')}"


def _read_structured(path: Path) -> object:
    """YAML or JSON file contents, or an InputError in one line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {str(exc).splitlines()[0]}") from None


def _missing_part(option: str, part: str, exc: ImportError) -> InputError:
    return InputError(f"{option} needs the {part} part of Candor, which is not available ({exc})")


def load_declared_source(policy: Path | None = None, declared: Path | None = None) -> tuple[DeclaredTable, SourceInfo]:
    """A policy document (parsed by declared.extract_policy) or a reviewed declared.yaml/json."""
    if policy is not None:
        regular_file(policy)
        try:
            from declared import extract_policy
        except ImportError as exc:
            raise _missing_part("--policy", "declared", exc) from None
        table = extract_policy(policy)
        kind, path = "policy", policy
    else:
        assert declared is not None
        regular_file(declared)
        table = _load_declared_file(declared)
        kind, path = "declared", declared
    items = len(table.sdks) + len(table.permissions) + len(table.identifiers)
    return table, SourceInfo(kind=kind, path=str(path), sha256=table.sha256 or file_sha256(path), items=items)


def _load_declared_file(path: Path) -> DeclaredTable:
    try:
        from declared import load_declared
    except ImportError:
        load_declared = None
    if load_declared is not None:
        return load_declared(path)
    data = _read_structured(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a declared table (a mapping with sdks, permissions, identifiers)")
    try:
        return DeclaredTable.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{path}: not a declared table: {_first_error(exc)}") from None


def load_code_source(apk: Path | None = None, scan: Path | None = None) -> tuple[StaticScan, SourceInfo]:
    """An APK (scanned by apk_scan.scan_apk) or a scan.json written by `candor apk scan`."""
    if apk is not None:
        regular_file(apk)
        try:
            from apk_scan import scan_apk
        except ImportError as exc:
            raise _missing_part("--apk", "apk_scan", exc) from None
        result = scan_apk(apk)
        return result, SourceInfo(kind="apk", path=str(apk), sha256=result.sha256, items=len(result.sdks))
    assert scan is not None
    regular_file(scan)
    try:
        result = StaticScan.model_validate_json(read_bytes(scan, MAX_JSON_BYTES, "scan JSON"))
    except ValidationError as exc:
        raise InputError(f"{scan}: not a Candor scan JSON: {_first_error(exc)}") from None
    except OSError as exc:
        raise InputError(f"{scan}: cannot read: {exc.strerror or exc}") from None
    return result, SourceInfo(kind="scan", path=str(scan), sha256=file_sha256(scan), items=len(result.sdks))


def load_traffic_source(
    flows: Path | None = None,
    observations: Path | None = None,
    device: Path | None = None,
    app_domains: tuple[str, ...] = (),
    consent_at: float | None = None,
    consent_url: str | None = None,
) -> tuple[list[TrafficObservation], SourceInfo, SourceInfo | None]:
    """Flows analysed by addons.analyze_file (with an optional device profile) or an observations JSONL."""
    device_info = None
    if flows is not None:
        regular_file(flows)
        try:
            from addons import analyze_file, load_device_profile
        except ImportError as exc:
            raise _missing_part("--flows", "addons", exc) from None
        profile = None
        if device is not None:
            regular_file(device)
            profile = load_device_profile(device)
            device_info = SourceInfo(kind="device", path=str(device), sha256=file_sha256(device))
        result = analyze_file(flows, profile=profile, app_domains=app_domains, consent_at=consent_at, consent_url=consent_url)
        return list(result), SourceInfo(kind="flows", path=str(flows), sha256=file_sha256(flows), items=len(result)), device_info
    assert observations is not None
    regular_file(observations)
    result = _load_observations_file(observations)
    return result, SourceInfo(kind="observations", path=str(observations), sha256=file_sha256(observations), items=len(result)), None


def _load_observations_file(path: Path) -> list[TrafficObservation]:
    try:
        from addons import load_observations
    except ImportError:
        load_observations = None
    if load_observations is not None:
        return list(load_observations(path))
    result = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")  # "\n" only: JSON strings may hold a raw U+2028
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            result.append(TrafficObservation.model_validate_json(line))
        except ValidationError as exc:
            raise InputError(f"{path}:{number}: not a traffic observation: {_first_error(exc)}") from None
    return result


def parse_consent_at(text: str | None) -> float | None:
    """--consent-at: seconds since the epoch, or an ISO 8601 time (UTC when no zone is given); None when not given."""
    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError as exc:
        raise InputError(f"--consent-at: {exc}") from None


def apply_consent(bundle: EvidenceBundle) -> None:
    """Fill before_consent from the consent moment, or infer the moment from labelled observations."""
    observations = bundle.observations or []
    if bundle.consent_at is not None:
        for index, obs in enumerate(observations):
            if obs.before_consent is None:
                observations[index] = obs.model_copy(update={"before_consent": obs.timestamp < bundle.consent_at})
        return
    after = [obs.timestamp for obs in observations if obs.before_consent is False]
    if after and any(obs.before_consent for obs in observations):
        bundle.consent_at = min(after)
        bundle.consent_inferred = True


def load_bundle(
    *,
    policy: Path | None = None,
    declared: Path | None = None,
    apk: Path | None = None,
    scan: Path | None = None,
    flows: Path | None = None,
    observations: Path | None = None,
    device: Path | None = None,
    app_domains: tuple[str, ...] = (),
    consent_at: float | None = None,
    consent_url: str | None = None,
) -> EvidenceBundle:
    """Load whichever sources were given; at least one is required."""
    if not any((policy, declared, apk, scan, flows, observations)):
        raise InputError("nothing to audit: give at least one of --policy/--declared, --apk/--scan, --flows/--observations")
    if device is not None and flows is None:
        raise InputError("--device is used to analyse --flows; it has no effect on --observations")
    bundle = EvidenceBundle(consent_at=consent_at)
    if policy or declared:
        bundle.declared, bundle.sources.declared = load_declared_source(policy, declared)
    if apk or scan:
        bundle.scan, bundle.sources.code = load_code_source(apk, scan)
    if flows or observations:
        bundle.observations, bundle.sources.traffic, bundle.sources.device = load_traffic_source(
            flows, observations, device, app_domains, consent_at, consent_url
        )
    apply_consent(bundle)
    if bundle.declared is None:
        bundle.warnings.append("no policy given: declaration checks (undeclared SDKs, identifiers, permissions, domains) were skipped")
    if bundle.scan is None:
        bundle.warnings.append("no APK or scan given: code evidence is missing")
    if bundle.observations is None:
        bundle.warnings.append("no flows or observations given: traffic evidence is missing")
    for source in (bundle.declared, bundle.scan):
        if source is not None:
            bundle.warnings.extend(source.warnings)
    return bundle
