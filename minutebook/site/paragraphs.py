"""Numbered paragraphs that can be linked to: each number becomes a link to its own paragraph.

A paper's numbered paragraphs (and numbered headings) carry permanent ids
(`para-21`, `para-2.35`), made when the body is rendered. On the paper's
page the number itself becomes a link to that id, so a reader can take the
paragraph's address (the browser shows it; site.js also copies it and says
so). The link is named "Link to paragraph 21", which holds the number it
shows. The agenda pack keeps plain numbers, as printed.
"""

from __future__ import annotations

import re
from html import escape

NUMBERED_RE = re.compile(r'<(li|p|h[2-6])\b([^>]*?)\sid="((?:[a-z0-9-]*-)?para-([0-9]+(?:\.[0-9]+)*[a-z]?))"([^>]*)>')
LEADING_NUMBER = r"\s*{number}\.?(?=\s|<)"


def link_numbers(html: str) -> str:
    """The body's HTML with every numbered paragraph's number a discreet link to the paragraph."""
    pieces: list[str] = []
    end = 0
    for match in NUMBERED_RE.finditer(html):
        tag, before, anchor, number, after = match.groups()
        pieces.append(html[end : match.start()])
        pieces.append(f'<{tag}{_with_class(before + after, "numbered")} id="{anchor}">')
        end = match.end()
        written = re.match(LEADING_NUMBER.format(number=re.escape(number)), html[end:]) if tag != "li" else None
        if written:  # the number is in the text ("2.35 The council…"): it becomes the link
            pieces.append(_link(anchor, number, written.group().strip()))
            end += written.end()
        else:  # a list item's number is its marker: the link takes the marker's place (site.css)
            pieces.append(_link(anchor, number, f"{number}.") + " ")
    pieces.append(html[end:])
    return "".join(pieces)


def _link(anchor: str, number: str, text: str) -> str:
    return (
        f'<a class="para-number" href="#{escape(anchor)}" aria-label="Link to paragraph {escape(number)}">'
        f"{escape(text)}</a>"
    )


def _with_class(attributes: str, name: str) -> str:
    if 'class="' in attributes:
        return attributes.replace('class="', f'class="{name} ', 1)
    return f' class="{name}"{attributes}'
