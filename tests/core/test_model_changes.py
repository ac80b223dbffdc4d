"""The one SDK key and the one matching rule every change list uses (report, history, diff)."""

from candor.model import Finding, SdkRef
from candor.model.changes import added_removed, by_severity, match_findings
from candor.model.common import sdk_key


def _finding(fid: str, severity: str = "high", message: str = "") -> Finding:
    return Finding(id=fid, kind="sdk_in_code_undeclared", severity=severity, title=f"t {fid}", message=message)  # type: ignore[arg-type]


def test_sdk_key_is_the_catalog_id_else_the_normalised_name() -> None:
    assert sdk_key("umeng_push", "Whatever") == "umeng_push"
    assert sdk_key(None, "Bugly SDK") == sdk_key(None, " bugly ") == "name:bugly"
    assert sdk_key(None, "友盟+") == "name:友盟"
    assert sdk_key(None, "app") == sdk_key(None, "App") == "app"  # the app's own code
    assert SdkRef(sdk_id=None, name="BuglySDk").key == "name:bugly"


def test_findings_match_by_id_whatever_their_wording_severity_or_order() -> None:
    old = [_finding("a"), _finding("b", "medium"), _finding("c")]
    new = [_finding("d"), _finding("b", "critical", message="reworded")]
    match = match_findings(old, reversed(new))
    assert [f.id for f in match.new] == ["d"]
    assert sorted(f.id for f in match.fixed) == ["a", "c"]
    assert [(before.severity, after.severity) for before, after in match.persisting] == [("medium", "critical")]
    assert [r.id for r in by_severity([_finding("x", "low"), _finding("y", "critical")])] == ["y", "x"]


def test_added_removed_are_sorted_set_differences() -> None:
    assert added_removed(["b", "a", "a"], ["c", "a"]) == (["c"], ["b"])
