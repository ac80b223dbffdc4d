"""Summary of observations: one row per destination and identifier, as data and as a text table."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from candor.model.traffic import TrafficObservation


@dataclass
class SummaryRow:
    name: str
    party: str
    identifier: str
    flows: int = 0
    before_consent: int = 0
    consent_unknown: int = 0  # flows with no consent source to tell before from after
    cleartext: int = 0
    bursts: int = 0
    peak_per_minute: int = 0
    encodings: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list, repr=False)


def summarize(observations: Iterable[TrafficObservation]) -> list[SummaryRow]:
    """Rows sorted by destination, then identifier; a flow counts once per row."""
    rows: dict[tuple[str, str], SummaryRow] = {}
    seen: set[tuple[str, str, str]] = set()
    for o in observations:
        row = rows.setdefault((o.name, o.identifier), SummaryRow(o.name, o.party, o.identifier))
        form = "+".join(o.encoding) or "plain"
        if form not in row.encodings:
            row.encodings.append(form)
        if (o.flow_id, o.name, o.identifier) in seen:
            continue
        seen.add((o.flow_id, o.name, o.identifier))
        row.flows += 1
        row.before_consent += o.before_consent is True
        row.consent_unknown += o.before_consent is None
        row.cleartext += o.cleartext
        row.bursts += o.burst
        row.times.append(o.timestamp)
    for row in rows.values():
        row.peak_per_minute = _peak(sorted(row.times))
    return [rows[key] for key in sorted(rows)]


def _peak(times: list[float], window: float = 60.0) -> int:
    """Most transmissions within any 60-second window."""
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def summary_json(observations: list[TrafficObservation]) -> list[dict]:
    return [{k: v for k, v in asdict(row).items() if k != "times"} for row in summarize(observations)]


def render_table(observations: list[TrafficObservation]) -> str:
    """A plain-text table (no colours), readable in a terminal or a log."""
    rows = summarize(observations)
    if not rows:
        return "candor: no device identifiers seen\n"
    header = ("destination", "party", "identifier", "flows", "before consent", "cleartext", "peak/min", "bursts", "encodings")
    table = [header] + [
        (r.name, r.party, r.identifier, str(r.flows), "?" if r.consent_unknown == r.flows else str(r.before_consent),
         str(r.cleartext), str(r.peak_per_minute), str(r.bursts),
         ", ".join(r.encodings[:4]) + (" …" if len(r.encodings) > 4 else ""))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def by_flow(observations: list[TrafficObservation]) -> dict[str, list[TrafficObservation]]:
    """Observations grouped by the flow they were seen in (one request's analysis may also name earlier flows)."""
    groups: dict[str, list[TrafficObservation]] = {}
    for o in observations:
        groups.setdefault(o.flow_id, []).append(o)
    return groups


def flow_comment(observations: list[TrafficObservation]) -> str:
    """Short label for a flow list: 'IMEI(md5) → Umeng, before consent'."""
    parts: list[str] = []
    for o in observations:
        label = o.identifier.upper() if len(o.identifier) <= 5 else o.identifier
        label += f"({o.hash})" if o.hash else ""
        if label not in parts:
            parts.append(label)
    first = observations[0]
    when = {True: ", before consent", False: ", after consent", None: ""}[first.before_consent]
    burst = ", burst" if any(o.burst for o in observations) else ""
    clear = ", cleartext" if first.cleartext else ""
    return f"{', '.join(parts)} → {first.name}{when}{clear}{burst}"
