"""Blocks on a page: a claim's box, a retired claim's note, a build-time figure."""

from __future__ import annotations

import html
import posixpath
import urllib.parse

import sympy

from ..engine import latex
from .context import Context, RenderError, checked_result, known_claim
from .inline import ref
from .pages import bibtex
from .sources import sources_html
from .values import counterexample_html


def _symbols(expr) -> set:
    expr = sympy.sympify(expr)
    return set(expr.free_symbols) | set(expr.atoms(sympy.MatrixSymbol))


def shown_variables(claim) -> set:
    """The variables the box's formulas print: in f, the result, the abbreviations, the
    variable differentiated, and the direction unless the statement gives its value."""
    shown = _symbols(claim.f) | _symbols(claim.claimed) | set(claim.wrt_symbols)
    for name, definition in claim.where.items():
        shown |= _symbols(name) | _symbols(definition)
    directions = claim.direction_symbols
    if directions and not (claim.at and all(s in claim.at for s in directions)):
        shown |= set(directions)
    return shown


def domain_lines(claim) -> list[str]:
    """Where the formula's variables live, as a textbook says it: variables with the same space
    and restriction share one formula ("$x, y \\in \\mathbb{R}$ nonzero"); variables the
    formula does not show are left out."""
    shown = shown_variables(claim)
    groups: dict[tuple[str, str], list[str]] = {}
    for v in claim.variables:
        if v.symbol in shown:
            key = (latex.space(v), latex.domain_words(v))
            groups.setdefault(key, []).append(latex.tex(v.symbol))
    return [
        f"${', '.join(names)} \\in {space}$" + (f" {words}" if words else "")
        for (space, words), names in groups.items()
    ]


_MARK = {"pass": "✓", "fail": "✗"}
_LAYER_NAMES = {"display": "display form"}


def evidence_items(result: dict) -> str:
    """The evidence list: each layer's outcome, the sizes tried, how many numeric checks and
    their worst relative error; for a refuted claim, which layers found the counterexample.
    Short lines, each saying something the badge does not."""
    ev = result["evidence"]
    layers = ", ".join(
        f"{_LAYER_NAMES.get(name, name)} {_MARK.get(status, status)}"
        for name, status in ev["layers"].items()
    )
    items = [f"<li>{html.escape(layers)}</li>"]
    sizes = [d for d in ev["dimensions"] if d != "scalar"]
    if sizes:  # a claim without dimension names has one size, the one its formula shows
        items.append(f"<li>sizes {html.escape('; '.join(sizes))}</li>")
    worst = ev.get("worst_relative_error")
    worst_text = f", worst relative error {worst:.1e}" if isinstance(worst, float) else ""
    items.append(f"<li>{ev['checks']} numeric checks{worst_text}</li>")
    if result["verdict"] != "verified":
        items.append(
            f"<li>{html.escape(result['verdict'])}: {html.escape(ev.get('reason', ''))}</li>"
        )
    return "".join(items)


def _badge(pitfall: bool) -> str:
    if pitfall:
        return '<span class="claim__badge claim__badge--refuted">✗ refuted: a common mistake</span>'
    # what "verified" means is said once, on the home page and "How verification works",
    # not in a tooltip repeated on every box
    return '<span class="claim__badge claim__badge--verified">✓ verified</span>'


def _report_link(ctx: Context, claim_id: str) -> str:
    """A small flag (drawn by claims.css) with its name for screen readers and a tooltip."""
    query = urllib.parse.urlencode(
        {
            "template": "claim-problem.yml",  # its title reads "Problem with claim "
            "claim-id": claim_id,
            "version": f"{ctx.version} ({ctx.commit})",
        }
    )
    return (
        f'<li class="claim__report"><a href="{ctx.issues_url}?{html.escape(query)}" '
        'rel="nofollow" title="Report a problem">'
        '<span class="claim__sr">Report a problem with this claim</span></a></li>'
    )


def _bibtex_data(ctx: Context, claim) -> str:
    """The claim's BibTeX entry as "Copy BibTeX" copies it: plain text in a script element, whose
    text no step of the build reflows or escapes and search does not index. An entry never
    holds ``<`` (``bibtex_text`` writes it as LaTeX), so it cannot end the element early."""
    entry = bibtex(ctx, claim)
    if "<" in entry:
        raise RenderError(f"{claim.id}: a BibTeX entry with '<' cannot sit in a script element")
    return f'<script type="text/plain" class="claim__bibtex">{entry}</script>'


def claim_box(ctx: Context, claim_id: str, src: str) -> str:
    """``{{ claim("id") }}``: the formula, a verdict badge, the evidence and a stable anchor.

    The evidence carries the claim's BibTeX entry (the claim index's, screen only: the handout
    drops the evidence); the "Copy TeX" and "Copy BibTeX" buttons are added by
    ``claim-tools.js``, which copies that entry and the TeX of the box's display formula, the
    statement printed here."""
    claim = known_claim(ctx, claim_id, src, "claim")
    result = checked_result(ctx, claim, src)
    pitfall = claim.pitfall
    parts = [
        f'<div class="claim {"claim--pitfall" if pitfall else "claim--verified"}" '
        f'id="{claim_id}" markdown>',
        f'<div class="claim__head"><span class="claim__title">{html.escape(claim.title)}</span>'
        f' {_badge(pitfall)} <a class="claim__id" href="#{claim_id}">'
        f"{claim_id}</a></div>",
        "",
        rf"\[ {latex.statement(claim)} \]",
        "",
    ]
    where = latex.where(claim)
    if where:
        parts += [r"where \( " + r",\quad ".join(where) + r" \)", ""]
    domain = domain_lines(claim)
    if domain:
        parts += ["for " + ", ".join(domain) + ".", ""]
    if claim.note:
        parts += [f'<p class="claim__note">{html.escape(claim.note)}</p>', ""]
    if pitfall:
        cx = result["evidence"].get("counterexample") or {}
        parts += [
            '<div class="claim__refutation"><b>Counterexample found by the engine</b>'
            f"{counterexample_html(cx, claim)}</div>",
            "",
        ]
        if claim.corrects:
            parts += [f"Correct statement: {ref(ctx, claim.corrects, src)}.", ""]
    # the report link is the last line of the evidence: one click away, not in every box's face
    report = _report_link(ctx, claim_id) if ctx.issues_url else ""
    parts.append(
        '<details class="claim__evidence"><summary>Evidence</summary><ul>'
        f"{evidence_items(result)}"
        f"<li>sources: {sources_html(ctx, claim.refs, src)}</li>"
        f"{report}</ul>{_bibtex_data(ctx, claim)}</details>"
    )
    parts += ["</div>", ""]
    return "\n" + "\n".join(parts) + "\n"


def retired_notes(ctx: Context, src: str) -> str:
    """An anchor with a note for every claim retired from page ``src``: old links still land."""
    notes = []
    for claim_id, entry in ctx.lock.get("retired", {}).items():
        if entry.get("page") != src:
            continue
        target = entry.get("replaced_by")
        link = f" Its replacement is {ref(ctx, target, src)}." if target else ""
        notes.append(
            f'\n<div class="claim claim--retired" id="{claim_id}" markdown>\n'
            f"**Retired claim `{claim_id}`** (in version {entry['in']}): "
            f"{html.escape(entry['note'])}.{link}\n</div>\n"
        )
    return "".join(notes)


def figure_block(fig_id: str, alt: str, caption: str, src: str) -> str:
    """A build-time figure (``figures/<id>.svg``, written by the build) with alt text, fetched
    when the reader scrolls near it (a first visit downloads only the figures in view)."""
    rel = posixpath.relpath(f"figures/{fig_id}.svg", posixpath.dirname(src) or ".")
    alt = alt.replace("[", "(").replace("]", ")")
    return (
        f'\n<figure class="build-figure" markdown>\n\n![{alt}]({rel}){{ loading=lazy }}\n\n'
        f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>\n"
    )
