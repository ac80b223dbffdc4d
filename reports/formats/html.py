"""report.html: one self-contained, offline, bilingual file (Jinja2 autoescape, strict CSP, no innerHTML)."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import jinja2

from candor.catalog import session
from candor.model.common import SEVERITY_ORDER
from reports.formats.i18n import EVIDENCE_LABELS, LABELS, SEVERITY_LABELS, VERDICT_LABELS
from reports.model import AuditReport, DiffReport
from reports.rules import kind_rules

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TIMELINE_WIDTH = 960
LANE = 22
LEFT = 150


@cache
def environment() -> jinja2.Environment:
    """Jinja2 with autoescape on for every template (all report data is attacker-controlled)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["time"] = lambda t: datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S") + "Z" if t is not None else ""
    return env


@dataclass
class Dot:
    x: float
    y: float
    label: str
    css: str


def timeline_geometry(report: AuditReport) -> dict | None:
    """SVG positions of every transmission: one lane per identifier, time on x, consent as a line."""
    events = report.timeline
    if not events:
        return None
    lanes = sorted({e.identifier for e in events})
    times = [e.t for e in events] + ([report.consent_at] if report.consent_at is not None else [])
    start, end = min(times), max(times)
    span = max(end - start, 1.0)
    usable = TIMELINE_WIDTH - LEFT - 20

    def x(t: float) -> float:
        return round(LEFT + (t - start) / span * usable, 1)

    dots = []
    for e in events:
        css = "dot-before" if e.before_consent else "dot-after"
        if e.cleartext:
            css += " dot-clear"
        if e.burst:
            css += " dot-burst"
        who = e.name if e.party != "first_party" else "app"
        moment = datetime.fromtimestamp(e.t, UTC).strftime("%H:%M:%S")
        label = f"{moment} {e.identifier} → {e.host} ({who})"
        dots.append(Dot(x(e.t), 14 + lanes.index(e.identifier) * LANE + LANE / 2, label, css))
    height = 14 + len(lanes) * LANE + 24
    ticks = [(x(start + span * i / 4), datetime.fromtimestamp(start + span * i / 4, UTC).strftime("%H:%M:%S")) for i in range(5)]
    return {
        "width": TIMELINE_WIDTH,
        "height": height,
        "left": LEFT,
        "lanes": [(name, 14 + i * LANE + LANE / 2) for i, name in enumerate(lanes)],
        "dots": dots,
        "consent_x": x(report.consent_at) if report.consent_at is not None else None,
        "ticks": ticks,
        "axis_y": 14 + len(lanes) * LANE,
    }


def _common_context(lang: str) -> dict:
    kinds = {k: (r.title_en, r.title_zh) for k, r in kind_rules().items()}
    return {
        "L": LABELS,
        "SEV": SEVERITY_LABELS,
        "VERDICT": VERDICT_LABELS,
        "EVK": EVIDENCE_LABELS,
        "KINDS": kinds,
        "sev_rank": SEVERITY_ORDER,
        "severities": sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__, reverse=True),
        "nonce": secrets.token_urlsafe(18),
        "lang": lang if lang in ("en", "zh") else "en",
        "script_data": {
            "lang": lang,
            "kinds": {k: {"en": en, "zh": zh} for k, (en, zh) in kinds.items()},
            "ui": {key: {"en": LABELS[key][0], "zh": LABELS[key][1]} for key in ("search", "all_kinds", "shown", "of")},
        },
    }


def _identifier_names() -> dict[str, tuple[str, str]]:
    return {i: (e.name.en, e.name.zh or e.name.en) for i, e in session.current_catalog().identifiers.items()}


class HtmlFormat:
    name = "html"
    suffix = ".html"

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang

    def render(self, report: AuditReport) -> bytes:
        context = _common_context(self.lang)
        context.update(report=report, timeline=timeline_geometry(report), IDS=_identifier_names())
        return environment().get_template("report.html.j2").render(**context).encode("utf-8")


def render_diff_html(diff: DiffReport, lang: str = "en") -> bytes:
    """diff.html for `candor diff`."""
    context = _common_context(lang)
    context.update(diff=diff)
    return environment().get_template("diff.html.j2").render(**context).encode("utf-8")
