"""Static bar charts as inline SVG, drawn at build time.

No JavaScript and no chart library: a page stays readable offline, in print
and in a screen reader (the SVG is labelled, and each chart's page also
carries the same figures as a table).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH = 640
BAR = 22  # height of a horizontal bar's row
COLOR = "#c62828"


def _scale(values: Sequence[float]) -> float:
    top = max(values, default=0)
    return top if top > 0 else 1


def hbar(chart_id: str, title: str, data: Sequence[tuple[str, float]], unit: str) -> Markup:
    """Horizontal bars: one row per label (categories, agencies, channels)."""
    label_w, value_w = 200, 60
    plot = WIDTH - label_w - value_w
    top = _scale([v for _, v in data])
    height = BAR * len(data) + 10
    parts = []
    for i, (label, value) in enumerate(data):
        y = 5 + i * BAR
        w = round(plot * value / top, 1)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{BAR - 6}" fill="{COLOR}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 15}">{_num(value)}</text>')
    return _svg(chart_id, title, data, unit, height, "".join(parts))


def vbar(chart_id: str, title: str, data: Sequence[tuple[str, float]], unit: str) -> Markup:
    """Vertical bars: months along the bottom."""
    height, base, left = 220, 190, 20
    slot = (WIDTH - left * 2) / max(len(data), 1)
    top = _scale([v for _, v in data])
    parts = [f'<line x1="{left}" y1="{base}" x2="{WIDTH - left}" y2="{base}" stroke="#57606a"/>']
    for i, (label, value) in enumerate(data):
        x = left + i * slot
        h = round((base - 30) * value / top, 1)
        cx = round(x + slot / 2, 1)
        parts.append(
            f'<rect x="{round(x + slot * .2, 1)}" y="{base - h}" width="{round(slot * .6, 1)}" '
            f'height="{h}" fill="{COLOR}"/>'
            f'<text x="{cx}" y="{base - h - 5}" text-anchor="middle">{_num(value)}</text>'
            f'<text x="{cx}" y="{base + 18}" text-anchor="middle">{escape(label)}</text>')
    return _svg(chart_id, title, data, unit, height, "".join(parts))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(chart_id: str, title: str, data, unit: str, height: int, body: str) -> Markup:
    desc = "；".join(f"{label} {_num(v)} {unit}" for label, v in data)
    return Markup(
        f'<svg class="gk-chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>{body}</svg>')
