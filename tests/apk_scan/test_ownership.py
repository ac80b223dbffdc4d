"""Who is in the APK and who reads what: presence tiers, roles, code ownership, call-site semantics, packer verdicts."""

import shutil
from pathlib import Path

import pytest

from examples.apk_builder import build_apk
from tests.apk_scan import ownership_apps
from tests.apk_scan.conftest import TOOLS


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict:
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        pytest.skip(f"Android toolchain missing: {', '.join(missing)}")
    from apk_scan import scan_apk

    root: Path = tmp_path_factory.mktemp("ownership")
    return {name: scan_apk(build_apk(spec(), root / f"{name}.apk"))
            for name, spec in (("app", ownership_apps.ownership_app), ("plain", ownership_apps.false_packer_app),
                               ("renamed", ownership_apps.renamed_sdk_app))}  # fmt: skip


def _sites(scan, caller_class: str) -> list:
    return [s for s in scan.call_sites if s.caller_class == caller_class]


def _presence(scan) -> dict[str, str]:
    return {s.sdk_id: s.presence for s in scan.sdks}


def test_fake_androidx_twilight_manager_is_platform_not_app(scans: dict) -> None:
    (site,) = _sites(scans["app"], "androidx.appcompat.app.TwilightManager")
    assert site.identifier == "precise_location" and site.owner == "platform" and site.name == "platform"


def test_renamed_helper_called_only_by_an_sdk_belongs_to_it(scans: dict) -> None:
    (site,) = _sites(scans["app"], "a.b.a")
    assert (site.owner, site.owner_via, site.sdk_id) == ("sdk:umeng_common", "callers", "umeng_common")


def test_renamed_call_cycle_entered_only_from_an_sdk_belongs_to_it(scans: dict) -> None:
    (site,) = _sites(scans["app"], "a.c.b")
    assert (site.owner, site.owner_via) == ("sdk:umeng_common", "callers")


def test_renamed_helper_called_from_another_dex_belongs_to_its_caller(scans: dict) -> None:
    (site,) = _sites(scans["app"], "a.d.a")
    assert (site.owner, site.owner_via) == ("sdk:umeng_common", "callers")


def test_renamed_class_holding_an_sdk_host_belongs_to_that_sdk(scans: dict) -> None:
    (site,) = _sites(scans["app"], "w6.a")
    assert site.owner.startswith("sdk:umeng") and site.owner_via == "fingerprint"


def test_fully_renamed_sdk_is_embedded_and_owns_its_reads(scans: dict) -> None:
    scan = scans["renamed"]
    bugly = next(s for s in scan.sdks if s.sdk_id == "tencent_bugly")
    assert bugly.presence == "embedded" and any(e.kind == "renamed_classes" and e.count >= 4 for e in bugly.evidence)
    owners = {s.caller_class: (s.owner, s.owner_via) for s in scan.call_sites}
    assert owners["x7.a"] == ("sdk:tencent_bugly", "fingerprint")
    assert owners["x7.d"] == ("sdk:tencent_bugly", "package")
    assert owners["q1.a"] == ("sdk:tencent_bugly_upgrade", "fingerprint")  # it names Bugly Beta's manifest component
    assert owners["com.example.crashy.Main"] == ("app", None)
    assert owners["z9.b"] == ("app", None)  # one SDK host in the package is not enough to take it over


def test_api_key_without_code_is_only_referenced(scans: dict) -> None:
    amap = next(s for s in scans["app"].sdks if s.sdk_id == "amap")
    assert amap.presence == "referenced" and amap.confidence <= 0.3


def test_share_plugins_are_the_aggregator_not_the_platform_sdks(scans: dict) -> None:
    presence = _presence(scans["app"])
    assert presence["mob_sharesdk"] == "embedded"
    assert presence.get("qq_connect", "referenced") == "referenced"  # graph.qq.com string inside the QQ plugin only
    assert all(s.presence != "embedded" for s in scans["app"].sdks if s.sdk_id == "qq_connect")


def test_payment_classes_shipped_in_the_opensdk_and_never_called_are_bundled(scans: dict) -> None:
    presence = _presence(scans["app"])
    assert presence["wechat_opensdk"] == "embedded"  # the app calls WXAPIFactory
    assert presence["wechat_pay"] == "bundled"


def test_share_sdk_whose_own_code_reads_identifiers_is_embedded_even_when_uncalled(scans: dict) -> None:
    assert _presence(scans["renamed"])["umeng_share"] == "embedded"


def test_app_package_starting_like_a_vendor_prefix_is_the_app(scans: dict) -> None:
    scan = scans["app"]
    assert "mobtech" not in _presence(scan)
    assert {s.owner for s in _sites(scan, "com.mob.fanclub.Compat")} == {"app"}


def test_products_group_vendor_components(scans: dict) -> None:
    umeng = {s.sdk_id: s.product_id for s in scans["app"].sdks if s.sdk_id in ("umeng", "umeng_common")}
    assert set(umeng.values()) == {"umeng"}


def test_sdk_int_is_not_collection_but_release_is(scans: dict) -> None:
    (sdk_int,) = _sites(scans["app"], "com.mob.fanclub.Compat")
    (release,) = _sites(scans["app"], "com.mob.fanclub.About")
    assert sdk_int.identifier == release.identifier == "os_version"
    assert not sdk_int.collection and release.collection


def test_one_explicit_intent_query_is_not_the_app_list(scans: dict) -> None:
    (share,) = _sites(scans["app"], "com.mob.fanclub.Share")
    (launchers,) = _sites(scans["app"], "com.mob.fanclub.Apps")
    assert share.identifier == launchers.identifier == "installed_apps"
    assert not share.collection and launchers.collection


def test_host_lookup_is_not_the_device_ip(scans: dict) -> None:
    (lookup,) = _sites(scans["app"], "com.mob.fanclub.Net")
    (local,) = _sites(scans["app"], "com.mob.fanclub.Ip")
    assert not lookup.collection and local.collection


def test_paste_handler_is_not_clipboard_collection(scans: dict) -> None:
    (paste,) = _sites(scans["app"], "com.mob.fanclub.PasteBox")
    (read,) = _sites(scans["app"], "com.mob.fanclub.Clip")
    assert not paste.collection and read.collection


def test_unknown_third_party_code_reading_identifiers_is_listed(scans: dict) -> None:
    (site,) = _sites(scans["app"], "org.trackco.agent.Collector")
    assert site.owner == "unknown_third_party:org.trackco"
    (unknown,) = scans["app"].unknown_third_party
    assert (unknown.prefix, unknown.classes, unknown.identifiers) == ("org.trackco", 4, ["imei"])


def test_libraries_are_never_sdks(scans: dict) -> None:
    scan = scans["app"]
    assert all(s.role == "sdk" for s in scan.sdks) and all(s.role == "library" for s in scan.libraries)


def test_a_shared_library_name_alone_is_no_packer(scans: dict) -> None:
    plain = scans["plain"]
    assert plain.packers == [] and not plain.incomplete
    assert {s.owner for s in plain.call_sites} == {"app"}
