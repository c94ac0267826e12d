"""The agenda pack as a PDF: tagged for screen readers, bookmarked, and the same bytes from the same page.

The pack page (templates/pack.html) is laid out by WeasyPrint with the site's own print stylesheet, which
gives the page margins, the running header, "Page 3 of 85" and the bookmarks (site.css, `@media print`).
The PDF is made at build time, before anything is on a web server, so whatever the page loads (its
stylesheet, the logo, images) is read from the build's own output files; nothing is fetched from the
network and no other file is read.

    pdf = make_pdf(html, "https://democracy.example.gov.uk/", files.get, page="committees/x/2021-02-08/pack/")
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable
from types import MappingProxyType
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

SiteFiles = Callable[[str], bytes | None]
"""Site-relative name of an output file ("static/site.css") → its bytes, or None when the site has no such file."""

MEDIA_TYPES = MappingProxyType(
    {
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
        ".webp": "image/webp",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
    }
)

# PDF/UA-1: a structure tree (tags), the document language and title, and a viewer told to show the title.
PDF_VARIANT = "pdf/ua-1"


class SiteFetcher(URLFetcher):
    """WeasyPrint's resource loader, answering only from the site's own files under base_url.

    Anything else (another host, a file: or data: URL, a name the site does not have) is refused; WeasyPrint
    then leaves that stylesheet or image out and the PDF is made without it.
    """

    def __init__(self, base_url: str, files: SiteFiles | None) -> None:
        super().__init__()
        self.base_url = base_url
        self.files = files

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        name = site_file_name(url, self.base_url)
        data = None if name is None or self.files is None else self.files(name)
        if data is None:
            raise FileNotFoundError(f"not a file of this site: {url}")
        media_type = MEDIA_TYPES.get(posixpath.splitext(name or "")[1].lower(), "application/octet-stream")
        return URLFetcherResponse(url, data, {"Content-Type": media_type})


def site_file_name(url: str, base_url: str) -> str | None:
    """The output file a URL names ("static/site.css"), or None for a URL outside the site or a tricky path.

    Dot segments and backslashes are refused even when percent-encoded, so `files` is only ever asked for a
    plain name inside the site.
    """
    parts = urlsplit(url)
    address = f"{parts.scheme}://{parts.netloc}{parts.path}"
    if not address.startswith(base_url):
        return None
    name = unquote(address[len(base_url) :])
    if any(segment in ("", ".", "..") for segment in name.split("/")):
        return None
    return None if "\\" in name or any(ord(c) < 32 for c in name) else name


def make_pdf(html: bytes, base_url: str, files: SiteFiles | None = None, *, page: str = "") -> bytes:
    """The pack page's HTML as a tagged, bookmarked PDF; the same arguments always give the same bytes.

    `base_url` is the site's address as its pages link to it (config.base_url, or its host with the build's
    base path): links in the PDF point at the public site, and the stylesheet and images under it are read
    with `files` ("static/site.css"), never fetched. `page` is the pack's site-relative URL
    ("committees/x/2021-02-08/pack/"), so relative references resolve as they do in a browser.
    """
    base_url = checked_base_url(base_url)
    document = HTML(string=html, base_url=base_url + page, url_fetcher=SiteFetcher(base_url, files))
    mark_address_links(document)
    # Presentational hints: <ol start> and <li value> carry the report's own paragraph numbers, as in a browser.
    return document.write_pdf(
        pdf_variant=PDF_VARIANT, pdf_identifier=identifier(base_url + page), presentational_hints=True
    )


def checked_base_url(base_url: str) -> str:
    """An absolute http(s) address ending in "/": a PDF is read away from the site, so its links must be whole."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"base_url must be the site's http:// or https:// address, not {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


def identifier(address: str) -> bytes:
    """The PDF's permanent file identifier, from the pack's address: the same pack keeps it from build to build.

    (Without one, PDF readers and archives cannot tell two versions of a pack are the same document; WeasyPrint
    adds the second, per-version identifier from a digest of the content, so it too depends only on the input.)
    """
    return hashlib.sha256(address.encode()).hexdigest()[:32].encode()


def mark_address_links(document: HTML) -> None:
    """Give class="link-address" to links whose text is already their address (a pasted URL that became a link).

    The print stylesheet prints a link's address after its text unless it has that class; the template marks
    the links it writes, and the papers' own links are marked here, so no address is printed twice.
    """
    for link in document.etree_element.iter("a"):
        href = link.get("href", "")
        if href.startswith(("http://", "https://")) and bare(href) == bare("".join(link.itertext())):
            link.set("class", " ".join([*link.get("class", "").split(), "link-address"]))


def bare(address: str) -> str:
    """An address as people write it: no scheme, no trailing slash, no surrounding space, in lower case."""
    return re.sub(r"^https?://", "", unquote(address.strip()), flags=re.IGNORECASE).rstrip("/").lower()
