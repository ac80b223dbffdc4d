"""The HTML report in real headless Chromium (Debian's /usr/bin/chromium via Playwright; never downloaded)."""

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reports.formats import HtmlFormat
from tests.reports.conftest import XSS_IMG, XSS_LINK, XSS_SCRIPT, make_report

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")]


@pytest.fixture(scope="module")
def browser() -> "Iterator[Browser]":
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    files = {"masked": folder / "report.html", "shown": folder / "report-values.html"}
    files["masked"].write_bytes(HtmlFormat().render(make_report()))
    files["shown"].write_bytes(HtmlFormat().render(make_report(show_values=True)))
    return files


class Watched:
    """A page with its console errors, page errors and every request it made."""

    def __init__(self, browser: "Browser", path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def page(browser: "Browser", report_files: dict[str, Path]) -> Iterator[Watched]:
    watched = Watched(browser, report_files["masked"])
    yield watched
    watched.close()


def shot(watched: Watched, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / f"report-{name}.png"), full_page=True)


def visible_rows(watched: Watched) -> list[str]:
    return watched.page.eval_on_selector_all(
        "#findings-table tbody tr.finding", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.severity)"
    )


def test_loads_without_errors_or_network(page: Watched, report_files: dict[str, Path]) -> None:
    assert page.errors == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests
    assert page.requests == [report_files["masked"].as_uri()]
    assert page.page.locator("#verdict").inner_text().strip() == "Non-compliant"
    shot(page, "en")


def test_xss_payloads_are_inert_text(page: Watched) -> None:
    assert page.page.evaluate("window.__pwned") is None
    page.page.locator("#findings-table details").evaluate_all("ds => ds.forEach(d => d.open = true)")
    text = page.page.locator("body").inner_text()
    assert XSS_SCRIPT in text and XSS_IMG in text and XSS_LINK in text
    assert page.page.locator("img").count() == 0
    assert page.page.locator("a[href^='javascript']").count() == 0
    assert page.page.locator("script").count() == 2  # our data block and our nonce'd script only
    page.page.mouse.click(10, 10)
    assert page.page.evaluate("window.__pwned") is None
    assert page.errors == []
    shot(page, "evidence-open")


def test_severity_filter_hides_rows(page: Watched) -> None:
    before = visible_rows(page)
    assert "high" in before and len(set(before)) > 1
    page.page.uncheck("#filter-high")
    after = visible_rows(page)
    assert "high" not in after and len(after) == len(before) - before.count("high")
    assert f"{len(after)} of {len(before)}" in page.page.locator("#shown-count").inner_text()
    page.page.check("#filter-high")
    assert visible_rows(page) == before


def test_kind_and_text_filters(page: Watched) -> None:
    page.page.select_option("#kind-filter", "permission_undeclared")
    kinds = page.page.eval_on_selector_all("#findings-table tr.finding", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.kind)")
    assert kinds and set(kinds) == {"permission_undeclared"}
    page.page.select_option("#kind-filter", "")
    page.page.fill("#search", "getui")
    shown = page.page.eval_on_selector_all("#findings-table tr.finding", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.search)")
    assert shown and all("getui" in s for s in shown)


def test_sorting(page: Watched) -> None:
    header = page.page.locator("#findings-table th[data-sort=rank]")
    header.click()
    descending = [int(r) for r in page.page.eval_on_selector_all("#findings-table tr.finding", "rows => rows.map(r => r.dataset.rank)")]
    header.click()
    ascending = [int(r) for r in page.page.eval_on_selector_all("#findings-table tr.finding", "rows => rows.map(r => r.dataset.rank)")]
    assert descending == sorted(descending, reverse=True) and ascending == sorted(ascending) and ascending != descending
    page.page.locator("#findings-table th[data-sort=kind]").click()
    kinds = page.page.eval_on_selector_all("#findings-table tr.finding", "rows => rows.map(r => r.dataset.kind)")
    assert kinds == sorted(kinds, reverse=True)


def test_language_switch(page: Watched) -> None:
    title = page.page.locator("header h1")
    assert title.inner_text().strip() == "Privacy audit report"
    page.page.click("#lang-toggle")
    assert title.inner_text().strip() == "隐私合规审计报告"
    assert page.page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.page.locator("#kind-filter option").first.inner_text() == "全部类型"
    assert page.page.locator("#verdict").inner_text().strip() == "不合规"
    shot(page, "zh")
    page.page.click("#lang-toggle")
    assert title.inner_text().strip() == "Privacy audit report"
    assert page.errors == []


def test_masked_by_default_and_revealed(browser: "Browser", report_files: dict[str, Path]) -> None:
    for name, expect_raw in (("masked", False), ("shown", True)):
        watched = Watched(browser, report_files[name])
        try:
            watched.page.locator("#findings-table details").evaluate_all("ds => ds.forEach(d => d.open = true)")
            values = watched.page.eval_on_selector_all("code.value", "els => els.map(e => e.textContent)")
            assert values
            assert ("866123456789012" in values) is expect_raw
            assert any("•" in v for v in values) is not expect_raw
        finally:
            watched.close()


def test_print_media_hides_controls(page: Watched) -> None:
    page.page.emulate_media(media="print")
    assert not page.page.locator(".filters").is_visible()
    assert not page.page.locator("#lang-toggle").is_visible()
    shot(page, "print")


def test_demo_report_in_browser(browser: "Browser", tmp_path: Path) -> None:
    """The README's main command: the full demo pipeline, every finding kind, rendered without errors."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "examples.build_demo", "--out", str(tmp_path)], cwd=root, capture_output=True, text=True, timeout=240
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in (
        "scan.json",
        "declared.yaml",
        "observations.jsonl",
        "report.html",
        "report.json",
        "findings.csv",
        "findings.xlsx",
        "report.sarif",
    ):
        assert (tmp_path / name).stat().st_size > 0, name
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    from typing import get_args

    from candor.model.findings import FindingKind

    assert set(report["summary"]["by_kind"]) == set(get_args(FindingKind))
    assert all(report["sources"][k] for k in ("declared", "code", "traffic"))
    watched = Watched(browser, tmp_path / "report.html")
    try:
        assert watched.errors == []
        assert all(url.startswith(("file:", "data:")) for url in watched.requests)
        assert watched.page.locator("svg.timeline circle.dot-before").count() > 0
        shot(watched, "demo")
    finally:
        watched.close()


def test_each_finding_shows_why_it_holds_and_its_confidence(page: Watched) -> None:
    rows = page.page.locator("#findings-table tr.finding").count()
    whys = page.page.eval_on_selector_all("#findings-table tr.finding .why", "els => els.map(e => e.textContent)")
    assert rows and len(whys) == rows and all("%" in text for text in whys)
