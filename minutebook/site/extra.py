"""An output that is not a page: a feed, a calendar, a data file, the sitemap, a static file, a pack's PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Extra:
    """Where it goes, which maker makes it and with what argument, and exactly what it shows.

    `shows` is what the file's bytes are a function of (with the site's settings): its digest is the file's
    key, so a build remakes the file only when that changed. `argument` is small and can be sent to a worker.
    A file made from a page of the site (an agenda pack's PDF) names that page's recipe as `page`: its key is
    then the page's key, bodies included, so it is made again exactly when the page's bytes would change.
    A file whose key can only be found by making it whole (a data export: its records are the model) carries
    its bytes as `content`: made once, while planning, and written as they are if the output lacks them.
    """

    path: str
    maker: str  # feeds | calendars | data | crawlers | static | favicon | pdf
    argument: Any
    shows: Any
    page: tuple[str, Any] | None = None  # the recipe of the page it is made from
    content: bytes | None = None  # the file's own bytes, when they are what it shows
