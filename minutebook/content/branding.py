"""Configuration: checks a council's `[branding]`: WCAG 2.2 AA contrast, and a logo that is in templates/static/."""

from __future__ import annotations

import errno
import math
import os
import re
from pathlib import Path

from .. import filekinds

# White text sits on the accent in both colour schemes (the header and the search button), so one check covers both.
HEADER_TEXT = "#ffffff"
TEXT_MINIMUM = 4.5
LOGO_RE = re.compile(r"^static/(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*$")  # no .., no hidden
HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex(colour: str) -> tuple[int, int, int] | None:
    """#rgb or #rrggbb → (r, g, b) in 0–255; None for anything else, so a typo cannot reach the CSS."""
    if not isinstance(colour, str) or not HEX.match(colour):
        return None
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio (1 to 21) between two hex colours."""
    a, b = parse_hex(first), parse_hex(second)
    if a is None or b is None:
        raise ValueError(f"expected hex colours, found {first!r} and {second!r}")
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def shown_ratio(ratio: float) -> str:
    """Rounded down, so a colour that just fails never reads as '4.5:1 … needs at least 4.5:1'."""
    return f"{math.floor(ratio * 10) / 10:.1f}:1"


def accent_problem(accent: object) -> str | None:
    """Why the accent cannot be used, or None: it must be a hex colour that carries white header text at 4.5:1."""
    if not isinstance(accent, str) or parse_hex(accent) is None:
        return f'[branding] accent {_quoted(accent)} is not a colour: expected a hex colour such as "#00703c" or "#036"'
    ratio = contrast_ratio(accent, HEADER_TEXT)
    if ratio < TEXT_MINIMUM:
        return (
            f'[branding] accent "{accent}" has a contrast ratio of {shown_ratio(ratio)} with the white header text; '
            f"it needs at least {TEXT_MINIMUM}:1"
        )
    return None


def logo_problem(branding: dict) -> str | None:
    """A logo without alternative text is invisible to screen reader users, so logo_alt is required with logo."""
    if branding.get("logo") and not str(branding.get("logo_alt", "")).strip():
        return (
            f"[branding] logo {_quoted(branding['logo'])} needs logo_alt, the text a screen reader reads instead "
            "of the logo (usually the council's name as the logo shows it)"
        )
    return None


def logo_file_problem(logo: object, templates: Path) -> str | None:
    """The logo is published from templates/static/: it must name a regular file there, reached inside templates/."""
    if not isinstance(logo, str) or not LOGO_RE.match(logo):
        return f'[branding] logo: expected a file in templates/static/ such as "static/logo.svg", found {_quoted(logo)}'
    path = templates / logo
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return f"[branding] logo: expected the file templates/{logo}, found none"
        return f"[branding] logo: templates/{logo} {filekinds.unreachable(exc)}"
    if not filekinds.inside(target, templates.resolve()):
        return f"[branding] logo: templates/{logo} is a link to somewhere outside templates/; such links are refused"
    if why := filekinds.problem(target, "expected an image file"):
        return f"[branding] logo: templates/{logo} {why}"
    return None


def problems(branding: dict, templates: Path) -> list[tuple[str, str]]:
    """(setting, message) for every branding problem, so the caller can point at the setting's line."""
    found = []
    if "accent" in branding and (message := accent_problem(branding["accent"])):
        found.append(("accent", message))
    if message := logo_problem(branding):
        found.append(("logo", message))
    if "logo" in branding and (message := logo_file_problem(branding["logo"], templates)):
        found.append(("logo", message))
    return found


def _quoted(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)
