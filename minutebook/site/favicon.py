"""The site's icon, drawn from its branding: the council's initial in white on its accent colour.

Browsers ask for /favicon.ico whatever a page says, so the site has one (a
small ICO, drawn with Pillow and the font it carries, so every machine makes
the same bytes), and an SVG that pages name first, sharp at any size. A
council with its own icon replaces base.html's links to these.
"""

from __future__ import annotations

import io
from html import escape

from ..content.branding import parse_hex
from ..content.config import Config
from ..content.published import Published
from .extra import Extra

SVG, ICO = "favicon.svg", "favicon.ico"
ICO_SIZES = (16, 32, 48)
WHITE = (255, 255, 255, 255)


def initial(name: str) -> str:
    """The letter a council is known by: the first of its name, "The" aside ("The Highland Council" → H)."""
    words = name.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    letters = [c for c in " ".join(words) if c.isalnum()]
    return letters[0].upper() if letters else "C"


def extras(published: Published) -> list[Extra]:
    branding = published.config.branding.accent, initial(published.config.organisation.name)
    return [Extra(SVG, "favicon", SVG, branding), Extra(ICO, "favicon", ICO, branding)]


def make(published: Published, name: str) -> bytes:
    config = published.config
    return svg(config) if name == SVG else ico(config)


def svg(config: Config) -> bytes:
    letter = escape(initial(config.organisation.name))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="5" fill="{escape(config.branding.accent)}"/>'
        '<text x="16" y="23.5" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="22" '
        f'font-weight="700" fill="#fff">{letter}</text></svg>\n'
    ).encode()


def ico(config: Config) -> bytes:
    """The icon at 16, 32 and 48 pixels in one ICO file; Pillow writes each size as a PNG inside it."""
    from PIL import Image, ImageDraw, ImageFont  # loaded by a build that makes the icon, not by every build

    accent = parse_hex(config.branding.accent) or (0, 0, 0)  # settings refuse an accent that is not a colour
    letter = initial(config.organisation.name)
    image = Image.new("RGBA", (ICO_SIZES[-1],) * 2, (*accent, 255))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=ICO_SIZES[-1] * 3 // 4)
    draw.text((ICO_SIZES[-1] / 2, ICO_SIZES[-1] / 2), letter, font=font, fill=WHITE, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="ICO", sizes=[(size, size) for size in ICO_SIZES])
    return out.getvalue()
