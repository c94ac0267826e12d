"""What tells crawlers what the site holds: sitemap.xml, listing every public page, and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..content.published import Published
from .extra import Extra
from .urls import absolute_url

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NOT_LISTED = ("404.html", "redirect.html")  # templates of pages left out of the sitemap


def extras(published: Published, pages: list[tuple[str, str, str]]) -> list[Extra]:
    """The sitemap of the planned pages, (url, path, template) each, and robots.txt."""
    locations = tuple(
        sorted(url for url, path, template in pages if path.endswith(".html") and template not in NOT_LISTED)
    )
    return [
        Extra("sitemap.xml", "crawlers", ("sitemap", locations), locations),
        Extra("robots.txt", "crawlers", ("robots", ()), (published.preview, published.config.base_url)),
    ]


def make(published: Published, argument: tuple[str, tuple[str, ...]]) -> bytes:
    kind, locations = argument
    return sitemap(published, locations) if kind == "sitemap" else robots(published)


def sitemap(published: Published, locations: tuple[str, ...]) -> bytes:
    """Every public HTML page, from the same plan the build renders, so no listed URL is missing.

    The 404 page and the redirects left by renamed papers are not pages a search engine should list.
    """
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for url in locations:
        location = ET.SubElement(ET.SubElement(urlset, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc")
        location.text = absolute_url(published.config.base_url, url)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(published: Published) -> bytes:
    """Crawlers are pointed at the sitemap; a clerk's preview asks them to stay away altogether."""
    if published.preview:
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(published.config.base_url, 'sitemap.xml')}\n".encode()
