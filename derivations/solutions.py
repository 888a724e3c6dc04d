"""Exercises that teach: a problem is stated before its solution, and the answer stays hidden.

The page shape this checks, in a chapter's Markdown:

    ### Worked example: the Hessian of a cubic      (or an exercise, without a heading)

    !!! question "Problem"
        Find the Hessian of $x^2y + y\\sin z$.

    ??? example "Solution"
        ... every claim box that states the answer sits in here ...

A collapsed ``??? ... "Solution"`` or ``"Answer..."`` block must come right after a ``question``
admonition at its own level; it may not be open by default (``???+``); the first thing after it
may not be a claim box (that box would state the answer in the open); a worked-example heading
is followed by its problem; and no "(Answer: ...)" is left in running text.
"""

from __future__ import annotations

import re

_SOLUTION = re.compile(r'^(\s*)(\?\?\?\+?)\s+[\w-]+\s+"(?:Solution|Answer)[^"]*"')
_QUESTION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s+question\b")
_ADMONITION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s+[\w-]+")
_WORKED = re.compile(r"^#{2,5}\s+Worked example", re.I)
_CLAIM = re.compile(r"^\s*\{\{\s*claim\(")
_OPEN_ANSWER = re.compile(r"\(\s*\*?\s*Answer\s*:|\*\(Answer", re.I)
_FENCE = re.compile(r"^\s*(```|~~~)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _without_code(lines: list[str]) -> list[str]:
    out, fenced = [], False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            out.append("")
        else:
            out.append("" if fenced else line)
    return out


def problems(text: str, page: str) -> list[str]:
    """Everything on the page that shows an answer before the reader asks for it."""
    lines = _without_code(text.split("\n"))
    found = []
    collapsed_until = -1  # index of the last line inside the current collapsed block
    collapsed_indent = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        where = f"{page}:{i + 1}"
        if i > collapsed_until or _indent(line) <= collapsed_indent:
            collapsed_until = -1
        if _WORKED.match(line):
            nxt = next((x for x in lines[i + 1 :] if x.strip()), "")
            if not _QUESTION.match(nxt):
                found.append(
                    f"{where}: a worked example must state its problem first "
                    '(!!! question "Problem")'
                )
        m = _SOLUTION.match(line)
        if m:
            level = len(m.group(1))
            if m.group(2) == "???+":
                found.append(f"{where}: a solution must start collapsed (??? not ???+)")
            # the previous line at this block's level opens its question
            prev = next((x for x in reversed(lines[:i]) if x.strip() and _indent(x) <= level), "")
            if not (_QUESTION.match(prev) and _indent(prev) == level):
                found.append(
                    f"{where}: a solution must follow its problem "
                    '(a "question" admonition just before it)'
                )
            end = i
            for j in range(i + 1, len(lines)):
                if lines[j].strip() and _indent(lines[j]) <= level:
                    break
                end = j
            after = next((x for x in lines[end + 1 :] if x.strip()), "")
            if _CLAIM.match(after) and _indent(after) <= level:
                found.append(
                    f"{where}: the claim box after this solution states its answer "
                    "in the open; move it inside the solution"
                )
            collapsed_until, collapsed_indent = end, level
            continue
        if collapsed_until < 0 and _OPEN_ANSWER.search(line):
            found.append(
                f"{where}: an answer in running text; put it in a collapsed "
                '??? success "Answer" block after the question'
            )
    return found
