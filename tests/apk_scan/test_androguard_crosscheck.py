"""Candor's own DEX reader finds the same call sites as androguard's full analysis (AnalyzeAPK xrefs)."""

from pathlib import Path

from apk_scan.androguard_logs import quiet_androguard
from apk_scan.callsites import descriptor_of, dotted_of


def _androguard_callers(apk: Path, apis: set[str]) -> set[tuple[str, str, str]]:
    with quiet_androguard():
        from androguard.misc import AnalyzeAPK

        _, _, analysis = AnalyzeAPK(str(apk))
    found = set()
    for api in apis:
        cls, _, name = api.rpartition(".")
        for method in analysis.find_methods(classname=descriptor_of(cls).replace("$", r"\$"), methodname=f"^{name}$"):
            for caller_class, caller, _ in method.get_xref_from():
                found.add((api, dotted_of(caller_class.name), caller.name))
    return found


def test_same_method_call_sites_as_androguard(built: dict[str, Path], scans: dict) -> None:
    scan = scans["sdk"]
    ours = {(c.api, c.caller_class, c.caller_method) for c in scan.call_sites if c.api != "android.os.Build.MODEL"}
    apis = {c.api for c in scan.call_sites} - {"android.os.Build.MODEL"}
    theirs = _androguard_callers(built["sdk"], apis)
    # androguard also lists Settings.readSetting (getString with "font_scale"): not an Android ID read, so Candor drops it
    assert theirs - ours == {("android.provider.Settings$Secure.getString", "com.example.shop.Settings", "readSetting")}
    assert ours - theirs == set()
    assert len(ours) == 6
