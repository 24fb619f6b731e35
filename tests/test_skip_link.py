"""The skip link, when focused, is readable in every mode (issue 30): contrast at least 4.5:1."""

from __future__ import annotations

import re

import pytest


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def parse(css: str, under: tuple[float, ...] = (255, 255, 255)) -> tuple[float, ...]:
    """An rgb()/rgba() colour, an alpha blended onto ``under``."""
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    alpha = parts[3] if len(parts) == 4 else 1.0
    return tuple(alpha * c + (1 - alpha) * u for c, u in zip(parts[:3], under, strict=False))


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_focused_skip_link_has_enough_contrast(open_tab, served_site, elder):
    page = open_tab(elder=elder).page
    page.goto(served_site)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    colour, background = page.evaluate(
        "(() => { var s = getComputedStyle(document.activeElement); return [s.color, s.backgroundColor]; })()")
    bg = parse(background)
    ratio = contrast(parse(colour, bg), bg)
    assert ratio >= 4.5, (colour, background, ratio)


def test_the_contrast_formula_knows_a_bad_pair():
    """The failing pair the issue measured: accent blue on Material's near-black (2.5:1)."""
    bg = parse("rgba(0, 0, 0, 0.87)")
    assert contrast(parse("rgb(31, 78, 156)"), bg) < 4.5
