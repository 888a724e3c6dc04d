"""Whole generated pages: the claim index (with BibTeX), the pitfalls and the changelog.

(The Sources page is in ``sources.py``.) Each returns Markdown for the site generator to add as a
page; links are relative to the page's own docs path.
"""

from __future__ import annotations

import dataclasses
import datetime
import html

from ..engine import latex
from .context import Context, checked_result, claim_link, page_url, relative_md
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


def bibtex(ctx: Context, claim) -> str:
    """A BibTeX entry citing one claim at this version."""
    key = "cmlv:" + claim.id
    title = claim.title.replace("{", "").replace("}", "")
    return (
        f"@misc{{{key},\n"
        f"  title        = {{{{{title}}} (claim {claim.id.replace('_', chr(92) + '_')})}},\n"
        f"  author       = {{{{Calculus for ML, Verified contributors}}}},\n"
        f"  howpublished = {{Calculus for ML, Verified, version {ctx.version}}},\n"
        f"  year         = {{{datetime.date.today().year}}},\n"
        f"  note         = {{Machine-verified claim {claim.id}; commit {ctx.commit}}},\n"
        f"  url          = {{{absolute_url(ctx, claim.id)}}}\n"
        f"}}"
    )


def claim_entry_link(ctx: Context, claim, src: str) -> str:
    """``[title](page#id)``, marked when the claim is a pitfall; plain text when on no page."""
    title = html.escape(claim.title)
    shown = f"[{title}]({claim_link(ctx, claim.id, src)})" if claim.id in ctx.pages else title
    return shown + (" (a pitfall, refuted on purpose)" if claim.pitfall else "")


def claim_index(ctx: Context, src: str = "claims.md") -> str:
    """Every claim by page: formula, verdict, evidence summary, sources, BibTeX."""
    lines = [
        "# Claim index",
        "",
        "Every result on this site, by its stable id: the formula, the verdict and the evidence "
        "summary, the page that shows it, the source items and Matrix Cookbook equations it "
        "covers, and a BibTeX entry for citing it. An id never changes meaning; a claim that is "
        "corrected or removed is recorded in the [changelog](changelog.md).",
        "",
        f"{len(ctx.registry)} claims at version {ctx.version} (commit {ctx.commit}).",
        "",
    ]
    by_page: dict[str, list] = {}
    for claim in ctx.registry:
        by_page.setdefault(ctx.pages.get(claim.id, ""), []).append(claim)
    for page, claims in by_page.items():
        if not page:
            continue
        lines += [f"## [{page_title(ctx, page)}]({page})", ""]
        for claim in claims:
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
            lines += [
                f'<div class="claim-index" id="{index_anchor(claim.id)}" markdown>',
                "",
                f"[`{claim.id}`]({page}#{claim.id}) — **{html.escape(claim.title)}** · "
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
    return "\n".join(lines)


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
