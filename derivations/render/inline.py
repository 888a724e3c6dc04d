"""Inside a sentence: a link to a claim, and a verified claim's formula.

    {{ ref("id") }}           [the claim's title](its box)
    {{ eq("id") }}            the whole statement, inline          (also "lhs", "rhs")
    {{ eq("id", "rhs") }}     only the result: the claimed expression
    {{ eq("id", "display") }} the whole statement as display math

``eq`` prints what the engine checked, from the claim itself, followed by a small "✓" linking to
the claim's box. A claim with no box anywhere (a *fact*: a small checked result shown only
inline) gets its stable anchor on its first ``eq`` on its home page, and its "✓" links to its
entry in the claim index. A pitfall is never printed by ``eq``: a wrong formula inside a sentence,
without its refutation beside it, would read as a result.
"""

from __future__ import annotations

from ..engine import latex
from .context import (
    Context,
    RenderError,
    checked_result,
    claim_link,
    index_page,
    known_claim,
    relative_md,
)

FORMS = ("lhs", "rhs", "display")  # and none: the whole statement


def ref(ctx: Context, claim_id: str, src: str) -> str:
    """``{{ ref("id") }}``: a Markdown link to the claim, titled with the claim's title."""
    claim = known_claim(ctx, claim_id, src, "ref")
    return f"[{claim.title}]({claim_link(ctx, claim_id, src)})"


def index_anchor(claim_id: str) -> str:
    """The anchor of a claim's entry in the claim index (ids have no hyphen: no clash)."""
    return f"index-{claim_id}"


def _formula(claim, form: str) -> str:
    if form == "rhs":
        return latex.rhs(claim)
    if form == "lhs":
        return latex.lhs(claim)
    return latex.statement(claim)


def _check_target(ctx: Context, claim, src: str) -> str:
    """Where the "✓" leads: the claim's box, or for a fact its claim-index entry."""
    if ctx.has_box(claim.id):
        return claim_link(ctx, claim.id, src)
    target = index_page(ctx, claim.id)
    if target:
        return f"{relative_md(target, src)}#{index_anchor(claim.id)}"
    return claim_link(ctx, claim.id, src)


def eq(
    ctx: Context,
    claim_id: str,
    src: str,
    form: str = "",
    anchored: set | None = None,
    in_table: bool = False,
) -> str:
    """``{{ eq("id"[, form]) }}``: a verified claim's formula inside a sentence.

    ``anchored`` collects the facts that already have their anchor on this page (the first
    ``eq`` of a fact on its home page carries ``id``); ``in_table`` writes ``|`` as ``\\vert``
    so a Markdown table cell is not split.
    """
    claim = known_claim(ctx, claim_id, src, "eq")
    if form and form not in FORMS:
        raise RenderError(
            f"{src}: {{{{ eq({claim_id!r}, {form!r}) }}}}: the form must be one of "
            + ", ".join(repr(f) for f in FORMS)
            + " (or none, for the whole statement)"
        )
    if claim.pitfall:
        raise RenderError(
            f"{src}: {{{{ eq({claim_id!r}) }}}} would print a pitfall, a wrong formula, without "
            f'its refutation: show it with {{{{ claim("{claim_id}") }}}} or link it with '
            f'{{{{ ref("{claim_id}") }}}}'
        )
    checked_result(ctx, claim, src)
    tex = _formula(claim, form)
    if in_table:
        tex = tex.replace(r"\|", r"\Vert ").replace("|", r"\vert ")
    anchor = ""
    home = not ctx.has_box(claim_id) and ctx.pages.get(claim_id) == src
    if home and anchored is not None and claim_id not in anchored:
        anchored.add(claim_id)
        anchor = f' id="{claim_id}"'
    check = (
        f'<sup class="claim-eq__check">[✓]({_check_target(ctx, claim, src)} '
        f'"Verified claim {claim_id}")</sup>'
    )
    if form == "display":
        return (
            f'\n<div class="claim-eq claim-eq--display"{anchor} markdown>\n\n'
            f"\\[ {tex} \\]\n\n{check}\n\n</div>\n"
        )
    # arithmatex's inline pattern runs before Markdown's escapes and emphasis: the TeX is read
    # as it is, and typeset in the browser like every other formula (class "arithmatex")
    return f'<span class="claim-eq"{anchor}>\\({tex}\\)</span>{check}'
