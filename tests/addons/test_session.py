"""Attribution, consent, frequency and the device profile file."""

from pathlib import Path

import pytest

from addons.engine.attribution import Attributor, registrable_domain
from addons.engine.consent import ConsentClock
from addons.engine.device import load_device_profile
from addons.engine.frequency import FrequencyTracker
from candor.catalog.session import current_catalog
from candor.errors import InputError
from tests.addons.support import IMEI, profile_detector, request


@pytest.mark.parametrize(("host", "expected"), [
    ("a.b.example.co.uk", "example.co.uk"), ("api2.branch.io", "branch.io"), ("127.0.0.1", "127.0.0.1"),
    ("localhost", "localhost"), ("x.y.umeng.com.", "umeng.com"), ("[::1]", "::1"),
])
def test_registrable_domain(host: str, expected: str) -> None:
    assert registrable_domain(host) == expected


def test_attribution_catalog_app_and_unknown() -> None:
    catalog = current_catalog()
    attributor = Attributor(catalog, ["myapp.cn"])
    sdk_host = next(d for sdk in catalog.sdks.values() for d in sdk.domains)
    hit = attributor.attribute("deep.sub." + sdk_host)
    assert (hit.party, hit.sdk_id) == ("sdk", catalog.sdk_for_host(sdk_host).id)
    assert attributor.attribute("api.myapp.cn").party == "first_party"
    assert attributor.attribute("api.myapp.cn").name == "app"
    assert attributor.attribute("notmyapp.cn").party == "third_party"
    unknown = attributor.attribute("t.track.unknown-ads.com.cn")
    assert (unknown.party, unknown.name, unknown.registrable_domain) == ("third_party", "unknown-ads.com.cn", "unknown-ads.com.cn")


def test_cleartext_is_recorded() -> None:
    detector = profile_detector()
    (plain,) = detector.analyze(request(f"http://x.example.com/a?imei={IMEI}"))
    (tls,) = detector.analyze(request(f"https://x.example.com/a?imei={IMEI}"))
    assert plain.cleartext and plain.scheme == "http" and not tls.cleartext


def test_consent_clock() -> None:
    assert ConsentClock().before(10.0) is None
    clock = ConsentClock(consent_at=100.0)
    assert clock.before(99.0) is True and clock.before(101.0) is False
    clock = ConsentClock(consent_url=r"/privacy/agree")
    assert clock.before(5.0) is True
    assert not clock.observe("https://app.example.com/home", 6.0)
    assert clock.observe("https://app.example.com/privacy/agree?v=2", 7.0)
    assert clock.before(6.5) is True and clock.before(7.5) is False
    with pytest.raises(ValueError, match="regex"):
        ConsentClock(consent_url="(")


def test_detector_labels_before_and_after_consent_url() -> None:
    detector = profile_detector(consent=ConsentClock(consent_url=r"/consent/accept"))
    early = detector.analyze(request(f"https://x.example.com/a?imei={IMEI}", timestamp=1000.0))
    detector.analyze(request("https://app.example.com/consent/accept", timestamp=1001.0))
    late = detector.analyze(request(f"https://x.example.com/a?imei={IMEI}", timestamp=1002.0))
    assert [o.before_consent for o in early] == [True]
    assert [o.before_consent for o in late] == [False]


def test_frequency_bursts() -> None:
    tracker = FrequencyTracker(burst_per_minute=5)
    flags = [tracker.record("Umeng", "imei", 1000.0 + i) for i in range(8)]
    assert flags == [False] * 5 + [True] * 3
    assert not tracker.record("Umeng", "imei", 1200.0)  # a quiet minute later
    assert tracker.record("Other", "imei", 1000.0) is False
    stats = tracker.stats[("Umeng", "imei")]
    assert (stats.count, stats.peak_per_minute, stats.bursts) == (9, 8, 3)


def test_detector_flags_burst() -> None:
    detector = profile_detector(burst_per_minute=3)
    results = [detector.analyze(request(f"https://x.example.com/a?imei={IMEI}", timestamp=50.0 + i))[0].burst for i in range(5)]
    assert results == [False, False, False, True, True]


def test_device_profile_loads(tmp_path: Path) -> None:
    path = tmp_path / "device.yaml"
    path.write_text("imei: 865166023456786\nmac: 3C:28:6D:9A:41:7E\nlocation: {lat: 39.9042, lon: 116.4074}\n")
    profile = load_device_profile(path)
    assert profile.imei == "865166023456786" and profile.location.lat == 39.9042
    assert set(profile.values()) == {"imei", "mac"}


def test_example_device_profile_is_valid() -> None:
    profile = load_device_profile(Path(__file__).resolve().parents[2] / "examples" / "device.yaml")
    assert len(profile.values()) >= 10 and not profile.weak_values()


@pytest.mark.parametrize(("text", "message"), [
    ("imei: [1, 2\n", "not valid YAML"),
    ("- imei\n", "expected a mapping"),
    ("imie: 865166023456786\n", "imie: unknown identifier"),
    ("location: {lat: 123, lon: 1}\n", "location.lat"),
    ("imei: {a: 1}\n", "imei"),
])
def test_device_profile_errors_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "device.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as info:
        load_device_profile(path)
    assert "\n" not in str(info.value)


def test_device_profile_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_device_profile(tmp_path / "absent.yaml")


def test_summary_counts_flows_and_peak_rate() -> None:
    from addons.engine.summary import render_table, summarize

    detector = profile_detector(burst_per_minute=2)
    observations = []
    for i, moment in enumerate((0.0, 10.0, 20.0, 200.0)):
        req = request(f"http://x.example.com/a?imei={IMEI}&aid=9774d56d682e549c", timestamp=1000.0 + moment)
        req.flow_id = f"f{i}"
        observations += detector.analyze(req)
    rows = {row.identifier: row for row in summarize(observations)}
    assert (rows["imei"].flows, rows["imei"].peak_per_minute, rows["imei"].bursts, rows["imei"].cleartext) == (4, 3, 1, 4)
    table = render_table(observations)
    assert "peak/min" in table and "example.com" in table


def test_summary_says_when_consent_is_unknown() -> None:
    from addons.engine.consent import ConsentClock
    from addons.engine.summary import render_table, summarize

    def row_for(consent: ConsentClock) -> tuple[str, int, int]:
        observations = profile_detector(consent=consent).analyze(request(f"http://x.example.com/a?imei={IMEI}"))
        (row,) = summarize(observations)
        cell = render_table(observations).splitlines()[2].split()[4]  # the "before consent" column
        return cell, row.before_consent, row.consent_unknown

    assert row_for(ConsentClock()) == ("?", 0, 1)  # nothing tells when consent happened
    assert row_for(ConsentClock(consent_at=0.0)) == ("0", 0, 0)  # consent long before: after
