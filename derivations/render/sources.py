"""Where each claim comes from, in words a reader can follow, and the Sources page.

A claim's ``refs`` are codes: ``S4-23`` is item 23 of the source notes of set 4 (the lecture
notes the site was checked against, catalogued item by item), ``MC-81`` is equation (81) of
*The Matrix Cookbook*. The codes stay as they are in the claim (and in ``python -m derivations
list --json``); pages print them as "source notes 4, item 23" and "Matrix Cookbook eq. (81)",
linked to the entry of the Sources page that says what they are.
"""

from __future__ import annotations

import html
import re

from .context import Context, html_link, relative_md

# The five sets of source notes (the seed lecture notes), as catalogued: title, kind, author
# where the notes name one, and how many items the catalogue counts in each.
SOURCE_NOTES = {
    "S0": {
        "title": "Calculus for ML",
        "kind": "worksheet: gradients, Jacobians and Hessians; Taylor expansion; least squares",
        "items": 21,
    },
    "S1": {
        "title": "Machine Learning Calculus: a crash course",
        "kind": "slides by Kia Nazarpour, based on Hao Tang's slides",
        "items": 23,
    },
    "S2": {
        "title": "Introduction to Machine Learning (67577), Recitation 02: Multivariate Calculus",
        "kind": "recitation notes, second semester 2021",
        "items": 43,
    },
    "S3": {
        "title": "446 Section: Jacobians and Hessians, approximations",
        "kind": "section slides by the teaching assistant Varun Ananth",
        "items": 26,
    },
    "S4": {
        "title": "Math for Machine Learning, Week 3.1: Basic Differentiation and Vector Calculus",
        "kind": "lecture slides by Samuel Deng",
        "items": 67,
    },
}
COOKBOOK = "K. B. Petersen and M. S. Pedersen, *The Matrix Cookbook*, version of November 15, 2012"
_SEED = re.compile(r"^S(\d+)-(\d+)$")
_COOKBOOK = re.compile(r"^MC-(\d+)$")


def anchor(ref: str) -> str:
    """The Sources page's anchor for a code: ``S4-23`` -> ``s4-23``, ``MC-81`` -> ``mc-81``."""
    return ref.lower()


def words(ref: str) -> str:
    """A code in words: "source notes 4, item 23", "Matrix Cookbook eq. (81)"."""
    seed = _SEED.match(ref)
    if seed:
        return f"source notes {int(seed.group(1))}, item {int(seed.group(2))}"
    cookbook = _COOKBOOK.match(ref)
    if cookbook:
        return f"Matrix Cookbook eq. ({int(cookbook.group(1))})"
    return ref


def _ordered(refs) -> list[str]:
    """Source notes first (by set and item), then Cookbook equations (by number)."""

    def key(ref):
        seed, cookbook = _SEED.match(ref), _COOKBOOK.match(ref)
        if seed:
            return (0, int(seed.group(1)), int(seed.group(2)), ref)
        if cookbook:
            return (1, int(cookbook.group(1)), 0, ref)
        return (2, 0, 0, ref)

    return sorted(refs, key=key)


def _group(ref: str) -> tuple[str, str]:
    """A code's group and its part in the group: ``S4-23`` -> ("source notes 4", "item 23")."""
    seed = _SEED.match(ref)
    if seed:
        return f"source notes {int(seed.group(1))}", f"item {int(seed.group(2))}"
    cookbook = _COOKBOOK.match(ref)
    if cookbook:
        return "Matrix Cookbook", f"eq. ({int(cookbook.group(1))})"
    return "", ref


def sources_html(ctx: Context, refs, src: str) -> str:
    """The refs for raw HTML (a claim box's evidence list), linked when the page exists, one
    name per group: "source notes 0, item 1, item 6; Matrix Cookbook eq. (69)"."""
    groups: dict[str, list[str]] = {}
    for ref in _ordered(refs):
        group, part = _group(ref)
        text = html.escape(part)
        if ctx.sources_page:
            href = f"{html_link(ctx, ctx.sources_page, src)}#{anchor(ref)}"
            text = f'<a href="{html.escape(href)}">{text}</a>'
        groups.setdefault(group, []).append(text)
    return "; ".join(
        (f"{html.escape(group)}, " if group else "") + ", ".join(parts)
        for group, parts in groups.items()
    ) or "—"


def sources_markdown(ctx: Context, refs, src: str) -> str:
    """The refs for Markdown (the claim index), linked when the Sources page exists."""
    parts = []
    for ref in _ordered(refs):
        if ctx.sources_page:
            parts.append(f"[{words(ref)}]({relative_md(ctx.sources_page, src)}#{anchor(ref)})")
        else:
            parts.append(words(ref))
    return "; ".join(parts)


def sources_page(ctx: Context, src: str = "sources.md") -> str:
    """The Sources page: what each set of notes is, and which claims cover each item."""
    from .pages import claim_entry_link

    covering: dict[str, list] = {}
    for claim in ctx.registry:
        for ref in claim.refs:
            covering.setdefault(ref, []).append(claim)
    index = (
        f" and in the [claim index]({relative_md(ctx.claim_index, src)})" if ctx.claim_index else ""
    )
    lines = [
        "# Sources",
        "",
        "Every claim on this site names what it covers: an item of the source lecture notes the "
        "site was checked against, or an equation of *The Matrix Cookbook*. In the claim boxes "
        f"(under *Evidence*){index} they read "
        '"source notes 4, item 23" or "Matrix Cookbook eq. (81)"; in the claims\' code and in '
        "`python -m derivations list --json` they are the codes `S4-23` and `MC-81`.",
        "",
        "- `S<set>-<item>`: item *item* of the source notes of set *set* (below). The notes were "
        "catalogued item by item: every statement, worked example and exercise. Where an item is "
        "a mistake of the notes, the claims covering it include a pitfall (the wrong form, "
        "refuted on purpose) and the correct statement.",
        f"- `MC-<n>`: equation (*n*) of {COOKBOOK}.",
        "",
    ]
    seeds = {r for r in covering if _SEED.match(r)}
    for prefix, notes in SOURCE_NOTES.items():
        items = _ordered(r for r in seeds if r.startswith(prefix + "-"))
        number = prefix[1:]
        lines += [
            f"## Source notes {number}: {notes['title']}",
            "",
            f"{notes['kind'][0].upper()}{notes['kind'][1:]}. Claims cover {len(items)} of its "
            f"{notes['items']} "
            "catalogued items.",
            "",
        ]
        lines += [_item_line(ctx, ref, covering[ref], src, claim_entry_link) for ref in items]
        lines.append("")
    cookbook = _ordered(r for r in covering if _COOKBOOK.match(r))
    lines += [
        "## The Matrix Cookbook",
        "",
        f"Equation numbers refer to {COOKBOOK}. The Cookbook writes derivatives of scalar "
        "functions in the denominator layout; the identities on this site are stated in both "
        "layouts, side by side.",
        "",
    ]
    lines += [_item_line(ctx, ref, covering[ref], src, claim_entry_link) for ref in cookbook]
    other = _ordered(r for r in covering if not (_SEED.match(r) or _COOKBOOK.match(r)))
    if other:
        lines += ["", "## Other references", ""]
        lines += [_item_line(ctx, ref, covering[ref], src, claim_entry_link) for ref in other]
    lines.append("")
    return "\n".join(lines)


def _item_line(ctx: Context, ref: str, claims: list, src: str, link) -> str:
    seed = _SEED.match(ref)
    name = f"Item {int(seed.group(2))}" if seed else words(ref)
    shown = ", ".join(link(ctx, claim, src) for claim in claims)
    return f'- <span id="{anchor(ref)}"></span>**{name}** (`{ref}`): {shown}'
