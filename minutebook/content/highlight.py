"""Code highlighting: fenced code in papers rendered by Pygments with class-based CSS."""

from __future__ import annotations

import contextlib
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

FORMATTER = HtmlFormatter(nowrap=True, classprefix="hl-")


def highlight_code(code: str, language: str, attrs: str) -> str:
    """Return a focusable <pre> so wide code scrolls by keyboard; unknown languages stay plain."""
    body = escape(code)
    if language:
        with contextlib.suppress(ClassNotFound):
            body = highlight(code, get_lexer_by_name(language.split()[0]), FORMATTER)
    label = f' aria-label="{escape(language)} code"' if language else ' aria-label="Code"'
    return f'<pre class="highlight" tabindex="0"{label}><code>{body}</code></pre>\n'
