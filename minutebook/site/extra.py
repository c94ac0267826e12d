"""An output that is not a page: a feed, a calendar, a data file, the sitemap, a static file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Extra:
    """Where it goes, which maker makes it and with what argument, and exactly what it shows.

    `shows` is what the file's bytes are a function of (with the site's settings): its digest is the file's
    key, so a build remakes the file only when that changed. `argument` is small and can be sent to a worker.
    """

    path: str
    maker: str  # feeds | calendars | data | crawlers | static
    argument: Any
    shows: Any
