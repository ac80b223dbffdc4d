"""Offline analysis of one capture file with the same detector the proxy runs."""

from collections.abc import Iterable
from pathlib import Path

from addons.consent import ConsentClock
from addons.detect import Detector
from addons.device import DeviceProfile
from addons.readers import iter_requests
from candor.errors import InputError
from candor.model.traffic import TrafficObservation


def analyze_file(
    path: Path,
    profile: DeviceProfile | None = None,
    app_domains: Iterable[str] = (),
    consent_at: float | None = None,
    consent_url: str | None = None,
    burst_per_minute: int = 30,
) -> list[TrafficObservation]:
    """Observations for every request in a mitmproxy dump (any version), HAR or .zhar file."""
    from candor.catalog.session import current_catalog

    try:
        consent = ConsentClock(consent_at, consent_url)
    except ValueError as exc:
        raise InputError(str(exc).replace("candor_consent_url", "consent URL")) from None
    detector = Detector(profile, current_catalog(), app_domains, consent=consent, burst_per_minute=burst_per_minute)
    observations: list[TrafficObservation] = []
    for request in iter_requests([Path(path)]):
        observations.extend(detector.analyze(request))
    return observations
