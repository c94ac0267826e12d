"""Publishing, the last content stage: the assembled site linked, the publication rule applied once.

Its result is everything the site layer reads: pages, feeds, calendars and
data exports are all made from a `Published` value, never from the full
site, so nothing withheld can reach them except through the gate.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from ..diagnostics import Diagnostics
from . import gate, publication, references
from .config import Config
from .model import Site
from .references import Links


@dataclass(frozen=True)
class Published:
    """The site a build shows (the public one, or the clerk's preview of everything), with its links."""

    config: Config
    site: Site
    links: Links  # resolved on the full site; `status` worked out on `site`, so a hidden decision changes nothing
    today: dt.date
    preview: bool
    withheld_titles: dict[str, str]  # exempt paper (full-model id) → its public title: what a link to it shows


@dataclass(frozen=True)
class Model:
    """What the content half makes of a project: the full site as written, the rule's decision, the published view."""

    full: Site
    withheld: publication.Withheld
    published: Published


def publish(full: Site, config: Config, today: dt.date, preview: bool, diagnostics: Diagnostics) -> Model:
    """Link the full site, decide what is withheld, and carry the decision out (the preview marks, never drops)."""
    links = references.resolve_all(full, diagnostics)
    withheld = publication.decide(full, today)
    site = gate.preview_site(full) if preview else gate.public_site(full, today, withheld)
    links = dataclasses.replace(links, status=references.compute_status(site, links))
    titles = {} if preview else gate.withheld_titles(full, withheld)
    return Model(full, withheld, Published(config, site, links, today, preview, titles))
