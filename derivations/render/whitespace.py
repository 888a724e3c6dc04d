"""Built pages without the theme's indentation.

Material's templates indent every nesting level of the navigation, so about a tenth of each
page's HTML is runs of spaces and blank lines that a browser collapses anyway. ``collapse``
shortens each run to what the browser would show: one newline when the run held a newline (a
TeX comment ``%`` inside a formula still ends at its line), one space otherwise. Text whose
whitespace is meaningful is left exactly as it is: ``pre``, ``code``, ``textarea``, ``script``
and ``style`` elements, and everything inside them; the plain-text copy of a notebook cell that
the lab pages' copy buttons copy.
"""

from __future__ import annotations

import re

# an element whose whitespace matters, from its opening tag to its closing tag (not nested in
# itself in our pages: a <pre> holds <code>, never another <pre>)
_VERBATIM = re.compile(
    r"(<(pre|code|textarea|script|style)\b[^>]*>.*?</\2\s*>"
    # a notebook cell's source as its copy button copies it (a div of plain text)
    r'|<(div) class="clipboard-copy-txt"[^>]*>[^<]*</div>)',
    re.DOTALL | re.IGNORECASE,
)
_RUN = re.compile(r"\s{2,}|[\t\r\f\v]")


def _shorten(match: re.Match) -> str:
    return "\n" if "\n" in match.group(0) else " "


def collapse(html: str) -> str:
    """``html`` with each whitespace run outside verbatim elements shortened to one character."""
    pieces = _VERBATIM.split(html)
    # split keeps every group: text, whole element, tag name, div, text, whole element, ...
    out = []
    for i in range(0, len(pieces), 4):
        out.append(_RUN.sub(_shorten, pieces[i]))
        if i + 1 < len(pieces):
            out.append(pieces[i + 1])
    return "".join(out)
