"""Whole generated pages: the claim index (with BibTeX), the pitfalls and the changelog.

(The Sources page is in ``sources.py``.) Each returns Markdown for the site generator to add as a
page; links are relative to the page's own docs path.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import re
from pathlib import PurePosixPath

from ..engine import latex
from .context import (
    Context,
    RenderError,
    checked_result,
    claim_link,
    index_page,
    page_url,
    relative_md,
)
from .inline import index_anchor
from .sources import sources_markdown
from .values import counterexample_html


def page_title(ctx: Context, page: str) -> str:
    """The first ``# `` heading of a docs page, or its path."""
    if ctx.docs_dir is None:
        return page
    try:
        text = (ctx.docs_dir / page).read_text(encoding="utf-8")
    except OSError:
        return page
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page


def absolute_url(ctx: Context, claim_id: str) -> str:
    """The claim's address on the published site (directory URLs, as published; relative when
    no ``site_url`` is set)."""
    page = ctx.pages.get(claim_id)
    published = dataclasses.replace(ctx, use_directory_urls=True)
    rel = "" if page is None else f"{page_url(published, page)}#{claim_id}"
    base = (ctx.site_url or "").rstrip("/")
    return f"{base}/{rel}" if base else rel


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
    # in running text pdfLaTeX's default (OT1) fonts print < > | as ¡ ¿ —
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
# Titles are written with Unicode mathematics (wᵀx, ∇f, ½‖x‖²). pdfLaTeX stops at a character
# its input encoding does not know ("Unicode character ᵀ not set up for use with LaTeX"), so an
# entry is plain ASCII: each symbol becomes the LaTeX that prints it, in text mode.
_GREEK = "alpha beta gamma delta varepsilon eta theta lambda mu pi rho sigma tau phi omega"
_BIBTEX_MATH = {
    **{ch: "\\" + name for ch, name in zip("αβγδεηθλμπρστφω", _GREEK.split(), strict=True)},
    **{
        ch: "\\" + name
        for ch, name in zip("ΔΣΦΛΩ", ("Delta", "Sigma", "Phi", "Lambda", "Omega"), strict=True)
    },
    "−": "-",
    "∓": r"\mp",
    "±": r"\pm",
    "×": r"\times",
    "·": r"\cdot",
    "∘": r"\circ",
    "∇": r"\nabla",
    "∂": r"\partial",
    "‖": r"\|",
    "∣": r"\mid",
    "√": r"\surd",
    "½": r"\frac{1}{2}",
    "≠": r"\neq",
    "≤": r"\leq",
    "≥": r"\geq",
    "≈": r"\approx",
    "∈": r"\in",
    "→": r"\to",
    "↦": r"\mapsto",
    "′": "'",
    "ℝ": r"\mathbf{R}",
}
_BIBTEX_TEXT = {"–": "--", "—": "---", "…": r"\ldots{}", "’": "'", "‘": "`", "“": "``", "”": "''"}
_SUPERSCRIPT = {
    **dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True)),
    "⁻": "-",
    "ᵀ": r"\top ",
    "ⁿ": "n",
    "ᵐ": "m",
    "ˣ": "x",
    "ʸ": "y",
}
_SUBSCRIPT = {
    **dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True)),
    "ᵢ": "i",
    "ⱼ": "j",
    "ₖ": "k",
    "ₙ": "n",
}
_BIBTEX_PIECE = re.compile(f"[{''.join(_SUPERSCRIPT)}]+|[{''.join(_SUBSCRIPT)}]+|.", re.DOTALL)


def _bibtex_piece(piece: str) -> str:
    if piece[0] in _SUPERSCRIPT:  # a run (X⁻¹) is one superscript: X^{-1}, not X^{-}^{1}
        return r"\ensuremath{^{" + "".join(_SUPERSCRIPT[c] for c in piece) + "}}"
    if piece[0] in _SUBSCRIPT:
        return r"\ensuremath{_{" + "".join(_SUBSCRIPT[c] for c in piece) + "}}"
    if piece in _BIBTEX_MATH:
        return r"\ensuremath{" + _BIBTEX_MATH[piece] + "}"
    return _BIBTEX_TEXT.get(piece) or _BIBTEX_SPECIAL.get(piece, piece)


def bibtex_text(text: str) -> str:
    """Text for a BibTeX field that LaTeX typesets: its special characters escaped, braces
    dropped (they would group, or unbalance the entry), its Unicode mathematics written as
    LaTeX (an entry is ASCII, for pdfLaTeX and 8-bit BibTeX alike)."""
    text = text.replace("{", "").replace("}", "")
    return "".join(_bibtex_piece(piece) for piece in _BIBTEX_PIECE.findall(text))


def bibtex(ctx: Context, claim) -> str:
    """A BibTeX entry citing one claim at this version (the url field stays verbatim)."""
    key = "cmlv:" + claim.id
    claim_id = bibtex_text(claim.id)
    return (
        f"@misc{{{key},\n"
        f"  title        = {{{{{bibtex_text(claim.title)}}} (claim {claim_id})}},\n"
        f"  author       = {{{{Calculus for ML, Verified contributors}}}},\n"
        f"  howpublished = {{Calculus for ML, Verified, version {bibtex_text(ctx.version)}}},\n"
        f"  year         = {{{datetime.date.today().year}}},\n"
        f"  note         = {{Machine-verified claim {claim_id}; commit {bibtex_text(ctx.commit)}}},\n"
        f"  url          = {{{absolute_url(ctx, claim.id)}}}\n"
        f"}}"
    )


def claim_entry_link(ctx: Context, claim, src: str) -> str:
    """``[title](page#id)``, marked when the claim is a pitfall; plain text when on no page."""
    title = html.escape(claim.title)
    shown = f"[{title}]({claim_link(ctx, claim.id, src)})" if claim.id in ctx.pages else title
    return shown + (" (a pitfall, refuted on purpose)" if claim.pitfall else "")


def _claims_by_page(ctx: Context) -> dict[str, list]:
    by_page: dict[str, list] = {}
    for claim in ctx.registry:
        if claim.id in ctx.pages:
            by_page.setdefault(ctx.pages[claim.id], []).append(claim)
    stems = [PurePosixPath(p).stem for p in by_page]
    clash = {s for s in stems if stems.count(s) > 1}
    if clash:
        raise RenderError(f"two pages with claims share the name {sorted(clash)[0]!r}")
    return by_page


def _index_entry(ctx: Context, claim, src: str) -> list[str]:
    result = checked_result(ctx, claim, src)
    ev = result["evidence"]
    verdict = (
        "✓ verified"
        if result["verdict"] == "verified"
        else f"✗ {result['verdict']} (a pitfall, refuted as expected)"
    )
    layers = ", ".join(k for k, v in ev["layers"].items() if v in ("pass", "fail"))
    worst = ev.get("worst_relative_error")
    worst_text = f"; worst numeric relative error {worst:.0e}" if worst else ""
    refs = sources_markdown(ctx, claim.refs, src)
    shown = "" if ctx.has_box(claim.id) else " · shown inline"
    return [
        f'<div class="claim-index" id="{index_anchor(claim.id)}" markdown>',
        "",
        f"[`{claim.id}`]({claim_link(ctx, claim.id, src)}) — **{html.escape(claim.title)}** · "
        f"{verdict} ({layers}{worst_text}){shown}{' · ' + refs if refs else ''}",
        "",
        rf"\( {latex.statement(claim)} \)",
        "",
        # plain text (no token spans: 400 highlighted entries weighed ~500 KB) and kept
        # out of the search index, whose snippets would otherwise be BibTeX
        "<div data-search-exclude markdown>",
        "",
        '??? quote "Cite this claim (BibTeX)"',
        "",
        "    ```text",
        *["    " + line for line in bibtex(ctx, claim).splitlines()],
        "    ```",
        "",
        "</div>",
        "",
        "</div>",
        "",
    ]


def claim_index(ctx: Context, src: str = "claims.md") -> str:
    """The overview: how claims are named and cited, and one line per chapter."""
    by_page = _claims_by_page(ctx)
    lines = [
        "# Claim index",
        "",
        "Every result on this site has a stable id. The index of each chapter below lists its "
        "claims with the formula, the verdict and an evidence summary, the source items and "
        "Matrix Cookbook equations they cover, and a BibTeX entry for citing each one. An id "
        "never changes meaning; a claim that is corrected or removed is recorded in the "
        "[changelog](changelog.md).",
        "",
        f"{len(ctx.registry)} claims at version {ctx.version} (commit {ctx.commit}).",
        "",
        "| chapter | claims | of which pitfalls |",
        "|---|---:|---:|",
    ]
    for page, claims in by_page.items():
        target = relative_md(index_page(ctx, claims[0].id), src)
        pitfalls_here = sum(c.pitfall for c in claims)
        lines.append(f"| [{page_title(ctx, page)}]({target}) | {len(claims)} | {pitfalls_here} |")
    lines.append("")
    return "\n".join(lines)


def claim_index_pages(ctx: Context) -> dict[str, str]:
    """The overview and one index page per chapter: docs path -> Markdown."""
    out = {ctx.claim_index or "claims.md": claim_index(ctx, ctx.claim_index or "claims.md")}
    for page, claims in _claims_by_page(ctx).items():
        src = index_page(ctx, claims[0].id) or f"claims/{PurePosixPath(page).stem}.md"
        title = page_title(ctx, page)
        lines = [
            f"# Claims: {title}",
            "",
            f"The {len(claims)} claims of [{title}]({relative_md(page, src)}), in the order the "
            f"page shows them. All chapters: [claim index]({relative_md('claims.md', src)}).",
            "",
        ]
        for claim in claims:
            lines += _index_entry(ctx, claim, src)
        out[src] = "\n".join(lines)
    return out


def pitfalls(ctx: Context, src: str = "pitfalls.md") -> str:
    """Every pitfall in its wrong form, with the engine's counterexample and the correction."""
    found = [c for c in ctx.registry if c.pitfall]
    lines = [
        "# Pitfalls",
        "",
        "Common mistakes — the classic ones of matrix calculus and the ones found in the source "
        "lecture notes — each stated in its wrong form on purpose. The engine refutes every one "
        "of them at build time; the counterexample below is the one it found in this build. "
        "Each links to its box and to the correct statement.",
        "",
        "If you want to test a derivative of your own, see "
        "[How verification works](verification.md).",
        "",
    ]
    for claim in found:
        page = ctx.pages.get(claim.id)
        if page is None:
            continue
        result = checked_result(ctx, claim, src)
        cx = result["evidence"].get("counterexample") or {}
        lines += [
            f"## {html.escape(claim.title)}",
            "",
            rf"\[ {latex.statement(claim)} \quad \text{{(wrong)}} \]",
            "",
        ]
        if claim.note:
            lines += [html.escape(claim.note), ""]
        lines += [
            '<div class="claim__refutation" markdown>',
            "**Counterexample found by the engine**",
            "",
            counterexample_html(cx, claim),
            "",
            "</div>",
            "",
        ]
        links = [f"[the box]({relative_md(page, src)}#{claim.id})"]
        if claim.corrects and claim.corrects in ctx.pages:
            links.append(f"[the correct statement]({claim_link(ctx, claim.corrects, src)})")
        lines += ["See " + " and ".join(links) + ".", ""]
    if not found:
        lines.append("No pitfalls are declared yet.")
    return "\n".join(lines)


def changelog(ctx: Context) -> str:
    """Per release: the claims added, changed on purpose (with why) and retired."""
    data = ctx.lock
    lines = [
        "# Changelog of claims",
        "",
        "Claim ids are permanent. This page lists, per release, the claims that were added, the "
        "ones whose statement was changed on purpose (with the reason), and the ones that were "
        "retired (with their replacement). It is generated from `derivations/claims.lock.json`, "
        "which a test compares with the claims in the code.",
        "",
    ]
    versions = sorted(
        {e["since"] for e in data["claims"].values()}
        | {c["in"] for changes in data["changed"].values() for c in changes}
        | {r["in"] for r in data["retired"].values()},
        key=lambda v: tuple(int(p) for p in v.split(".") if p.isdigit()),
        reverse=True,
    )
    for version in versions:
        lines += [f"## Version {version}", ""]
        added = sorted(k for k, e in data["claims"].items() if e["since"] == version)
        if added:
            lines += [
                f"**Added** ({len(added)}): "
                + ", ".join(
                    f"[`{k}`]({e_page}#{k})"
                    if (e_page := data["claims"][k].get("page"))
                    else f"`{k}`"
                    for k in added
                ),
                "",
            ]
        changed = [(k, c) for k, cs in data["changed"].items() for c in cs if c["in"] == version]
        for k, c in changed:
            lines += [f"- **Changed** `{k}`: {html.escape(c['note'])}"]
        retired = [(k, r) for k, r in data["retired"].items() if r["in"] == version]
        for k, r in retired:
            repl = f" → `{r['replaced_by']}`" if r.get("replaced_by") else ""
            lines += [f"- **Retired** `{k}`{repl}: {html.escape(r['note'])}"]
        lines.append("")
    return "\n".join(lines)
