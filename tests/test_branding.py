"""A council's [branding] is checked for WCAG contrast and alternative text when site.toml is loaded."""

from __future__ import annotations

import re

import pytest
from conftest import SITE_TOML, build

from minutebook.content import branding


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#ffffff", "#000000", 21.0),
        ("#000", "#000000", 1.0),
        ("#ffffff", "#767676", 4.54),  # the darkest grey that passes on white
        ("#1d70b8", "#ffffff", 5.17),
        ("#00703c", "#fff", 6.21),
        ("#ffcc00", "#ffffff", 1.51),
    ],
)
def test_contrast_ratio_follows_the_wcag_formula(first, second, ratio):
    assert branding.contrast_ratio(first, second) == pytest.approx(ratio, abs=0.005)
    assert branding.contrast_ratio(second, first) == branding.contrast_ratio(first, second)


def test_hex_colours_in_short_and_long_form():
    assert branding.parse_hex("#0a3") == (0x00, 0xAA, 0x33)
    assert branding.parse_hex("#00703C") == (0x00, 0x70, 0x3C)
    for bad in ("00703c", "#00703", "#gggggg", "green", "#00703c;color:red", ""):
        assert branding.parse_hex(bad) is None


def test_ratio_is_shown_rounded_down_so_a_near_miss_never_looks_like_a_pass():
    assert branding.shown_ratio(4.4999) == "4.4:1"
    assert branding.shown_ratio(1.51) == "1.5:1"


def test_accent_too_light_for_white_header_text_is_an_error_naming_the_setting(load_settings):
    _, errors = load_settings(SITE_TOML + '\n[branding]\naccent = "#ffcc00"\n')
    assert errors == [
        'site.toml:10: [branding] accent "#ffcc00" has a contrast ratio of 1.5:1 with the white header text; '
        "it needs at least 4.5:1"
    ]


def test_accent_that_just_fails_is_refused(load_settings):
    # #7a7a7a is 4.29:1 on white: close enough to fool the eye, not enough for people with low vision.
    _, errors = load_settings(SITE_TOML + '\n[branding]\naccent = "#7a7a7a"\n')
    assert errors == [
        'site.toml:10: [branding] accent "#7a7a7a" has a contrast ratio of 4.2:1 with the white header text; '
        "it needs at least 4.5:1"
    ]


def test_accent_that_is_not_a_hex_colour_is_an_error(load_settings):
    _, errors = load_settings(SITE_TOML + '\n[branding]\naccent = "green"\n')
    assert errors == [
        'site.toml:10: [branding] accent "green" is not a colour: expected a hex colour such as "#00703c" or "#036"'
    ]


def test_logo_without_alternative_text_is_an_error(load_settings):
    _, errors = load_settings(SITE_TOML + '\n[branding]\naccent = "#036"\nlogo = "static/logo.svg"\n')
    assert errors == [
        'site.toml:11: [branding] logo "static/logo.svg" needs logo_alt, the text a screen reader reads instead '
        "of the logo (usually the council's name as the logo shows it)"
    ]


def test_good_branding_is_accepted(load_settings):
    branding_toml = '\n[branding]\naccent = "#036"\nlogo = "static/logo.svg"\nlogo_alt = "Testshire"\n'
    loaded, errors = load_settings(SITE_TOML + branding_toml)
    assert errors == []
    assert loaded is not None and loaded.branding.accent == "#036" and loaded.branding.logo_alt == "Testshire"


def test_failing_accent_stops_the_build(make_site):
    root = make_site({"site.toml": SITE_TOML + '\n[branding]\naccent = "#ffcc00"\n'})
    result = build(root)
    assert not result.ok
    assert any('[branding] accent "#ffcc00" has a contrast ratio of 1.5:1' in str(d) for d in result.diagnostics)
    assert not (root / "output" / "index.html").exists()


def test_pages_carry_the_accent_and_the_logo_with_its_alternative_text(make_site):
    toml = SITE_TOML + '\n[branding]\naccent = "#036"\nlogo = "static/site.css"\nlogo_alt = "Testshire crest"\n'
    root = make_site({"site.toml": toml})
    assert build(root).ok
    home = (root / "output" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="en-GB" style="--brand-accent: #036">', home)
    assert re.search(r'<img src="/static/site.css" alt="Testshire crest" class="logo">', home)
