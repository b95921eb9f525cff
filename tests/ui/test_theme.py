"""Themes come from tokens: complete templates, readable contrast, sizes for elders."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

import kiosk.ui
from kiosk.ui.theme import ELDER, STANDARD, THEMES, Metrics, Palette, contrast_ratio

UI = Path(kiosk.ui.__file__).parent


@pytest.mark.parametrize("name", sorted(THEMES))
def test_the_template_is_filled_completely(name):
    sheet = THEMES[name].stylesheet("WenQuanYi Micro Hei")
    assert "$" not in sheet
    assert "{{" not in sheet


def test_palette_and_metric_tokens_never_share_a_name():
    # A shared name would let a size silently replace a colour in the template.
    colours = {f.name for f in fields(Palette)}
    sizes = {f.name for f in fields(Metrics)}
    assert not colours & sizes


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_text_colour_pair_reads_at_4_5_to_1(name):
    weak = {
        pair: round(contrast_ratio(fg, bg), 2)
        for pair, (fg, bg) in THEMES[name].text_pairs().items()
        if contrast_ratio(fg, bg) < 4.5
    }
    assert not weak


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)


def test_elder_theme_is_half_as_large_again():
    """长辈模式: every text 1.5 × the standard one (body ≥ 30 px, nothing under 24 px at 1080p),
    and the targets, the pad's keys and the keyboard grow with it."""
    elder, standard = ELDER.metrics, STANDARD.metrics
    texts = ("body", "small", "button", "title", "subtitle", "tile", "answer", "candidate")
    for name in texts:
        assert getattr(elder, name) >= 1.5 * getattr(standard, name) - 1, name
    assert elder.body >= 30
    assert min(getattr(elder, name) for name in texts) >= 24
    assert elder.touch >= 1.5 * standard.touch
    assert elder.key >= 1.4 * standard.key
    assert elder.keyboard >= 1.4 * standard.keyboard


@pytest.mark.parametrize("name", sorted(THEMES))
def test_no_text_under_18_px_in_any_theme(name):
    metrics = THEMES[name].metrics
    text_sizes = [
        metrics.body,
        metrics.small,
        metrics.button,
        metrics.title,
        metrics.subtitle,
        metrics.tile,
    ]
    assert min(text_sizes) >= 18


def _python_sources():
    return [p for p in UI.rglob("*.py") if p.name != "theme.py"]


def test_no_colours_or_font_sizes_outside_the_theme():
    colour = re.compile(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b|QColor\(|rgba?\(")
    font = re.compile(r"font-size|setPointSize|setPixelSize|setStyleSheet\(\s*[\"']")
    offenders = []
    for path in _python_sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if colour.search(line) or font.search(line):
                offenders.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert not offenders
