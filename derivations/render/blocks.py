"""Admonitions and collapsible blocks that hold claim boxes, written out as HTML elements.

A claim box is a ``<div markdown>`` block (formula, domain line, evidence). Python-Markdown only
treats raw HTML as a block at the top level of a page: indented inside ``!!! question`` or
``??? example "Solution"`` it becomes inline HTML in a paragraph, and the box falls apart
(``<p><div ...>``). So, before claim markers are rendered, every top-level admonition or
``???`` block whose body holds a claim marker is rewritten as the element the extensions would
have produced (``<details class="example">`` with its ``<summary>``, or
``<div class="admonition question">`` with its title), with ``markdown`` set so its body, now
unindented, is still Markdown. Authors keep writing the usual syntax.
"""

from __future__ import annotations

import html
import re

_OPENER = re.compile(r'^(!!!|\?\?\?\+?)\s+([\w-]+)(?:\s+"([^"]*)")?\s*$')
_FENCE = re.compile(r"^(```|~~~)")
_HOLDS_A_BOX = re.compile(r"""\{\{\s*claim\(""")


def _element(marker: str, kind: str, title: str | None, body: list[str]) -> list[str]:
    if title is None:
        title = kind.capitalize()
    heading = html.escape(title, quote=False)
    if marker.startswith("???"):
        opened = " open" if marker == "???+" else ""
        head = [f'<details class="{kind}" markdown{opened}>']
        head += [f'<summary markdown="span">{heading}</summary>'] if title else []
        tail = "</details>"
    else:
        head = [f'<div class="admonition {kind}" markdown>']
        head += [f'<p class="admonition-title" markdown="span">{heading}</p>'] if title else []
        tail = "</div>"
    return [*head, "", *body, "", tail]


def claim_containers_as_html(markdown: str) -> str:
    """The page with each top-level admonition that holds a claim box written as HTML."""
    lines = markdown.split("\n")
    out: list[str] = []
    i, fenced = 0, False
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fenced = not fenced
        opener = None if fenced else _OPENER.match(line)
        if not opener:
            out.append(line)
            i += 1
            continue
        end = i + 1
        while end < len(lines) and (not lines[end].strip() or lines[end].startswith("    ")):
            end += 1
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1  # trailing blank lines stay outside the block
        body = lines[i + 1 : end]
        if any(_HOLDS_A_BOX.search(b) for b in body):
            dedented = [b[4:] if b.startswith("    ") else b.lstrip() for b in body]
            out += _element(opener.group(1), opener.group(2), opener.group(3), dedented)
        else:
            out += lines[i:end]
        i = end
    return "\n".join(out)
