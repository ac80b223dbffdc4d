"""Offline analysis of one capture file with the same detector the proxy runs."""

import logging
from collections.abc import Iterable
from pathlib import Path

from addons.engine.consent import ConsentClock
from addons.engine.detect import Detector
from addons.engine.device import DeviceProfile
from addons.engine.flowfile import iter_requests
from candor.model.traffic import TrafficObservation

logger = logging.getLogger(__name__)


def analyze_file(
    path: Path,
    profile: DeviceProfile | None = None,
    app_domains: Iterable[str] = (),
    consent_at: float | None = None,
    consent_url: str | None = None,
    burst_per_minute: int = 30,
) -> list[TrafficObservation]:
    """Observations for every request in a mitmproxy dump (any version), HAR or .zhar file.

    InputError when the file cannot be read or `consent_url` is not a valid regex (InvalidConsentUrl).
    """
    from candor.catalog.session import current_catalog

    consent = ConsentClock(consent_at, consent_url)
    detector = Detector(profile, current_catalog(), app_domains, consent=consent, burst_per_minute=burst_per_minute)
    observations: list[TrafficObservation] = []
    for request in iter_requests([Path(path)]):
        observations.extend(detector.analyze(request))
    if detector.flows_truncated:
        logger.warning("%s: %d request(s) hit the per-flow work budget and were only partly searched", path, detector.flows_truncated)
    observations.sort(key=lambda o: o.timestamp)  # cross-flow findings for earlier requests arrive with later ones
    return observations
