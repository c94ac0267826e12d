"""What the preview lays over the last good page: the problems of the latest save, so the preview never goes dark.

An error (the build did not update) is a banner the clerk cannot miss
(role=alert) naming file, line and message; warnings are a quieter panel.
Each can be dismissed, and both come back with the next reload. They are
added to pages as they are served, never to any file a build writes, and
carry their own colours so they read the same in light and dark schemes.
"""

from __future__ import annotations

import html
import re

BOX = (
    "margin:0;padding:.75rem 1rem;border-bottom:4px solid {edge};background:#ffffff;color:#0b0c0c;"
    "font:1rem/1.5 system-ui,sans-serif;position:relative;z-index:1000"
)
BUTTON = (
    "font:inherit;padding:.25rem .75rem;margin-top:.5rem;border:2px solid #0b0c0c;background:#0b0c0c;"
    "color:#ffffff;cursor:pointer"
)
LIST = "margin:.5rem 0;padding-left:1.5rem"
CODE = "white-space:pre-wrap;word-break:break-word;color:#0b0c0c;background:#f3f2f1"
DISMISS = "this.closest('aside').remove()"


def problems(errors: tuple[str, ...], warnings: tuple[str, ...]) -> str:
    """The banner of errors and the panel of warnings, or "" when there are none."""
    return _errors(errors) + _warnings(warnings)


def _errors(errors: tuple[str, ...]) -> str:
    if not errors:
        return ""
    return (
        f'<aside class="preview-problems" aria-label="Preview not updated" style="{BOX.format(edge="#942514")}">'
        f'<div role="alert"><p style="margin:0;color:#942514"><strong>The preview was not updated: '
        f"{_count(len(errors), 'problem')} to fix.</strong></p>"
        f'<p style="margin:0">This page is the last good preview. Fix what is listed and save; '
        f"the page reloads by itself.</p>{_list(errors)}</div>{_button('Dismiss these problems')}</aside>"
    )


def _warnings(warnings: tuple[str, ...]) -> str:
    if not warnings:
        return ""
    return (
        f'<aside class="preview-warnings" aria-label="Preview warnings" style="{BOX.format(edge="#505a5f")}">'
        f"<details><summary>{_count(len(warnings), 'warning')} (the site still builds)</summary>"
        f"{_list(warnings)}</details>{_button('Dismiss these warnings')}</aside>"
    )


def _list(messages: tuple[str, ...]) -> str:
    items = "".join(f'<li><code style="{CODE}">{html.escape(m)}</code></li>' for m in messages)
    return f'<ul style="{LIST}">{items}</ul>'


def _button(text: str) -> str:
    return f'<button type="button" style="{BUTTON}" onclick="{DISMISS}">{text}</button>'


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def lay_over(page: bytes, errors: tuple[str, ...], warnings: tuple[str, ...]) -> bytes:
    """The page with the problems at the top of its body (at the start if it has no <body>)."""
    shown = problems(errors, warnings).encode()
    if not shown:
        return page
    body = re.search(rb"<body\b[^>]*>", page, re.IGNORECASE)
    at = body.end() if body else 0
    return page[:at] + shown + page[at:]
