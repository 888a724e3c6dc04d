"""What the renderer needs from a build, handed in by whoever builds (the MkDocs hook, a test).

The renderer reads no configuration and computes no verdict: the build gives it the registry, a
function returning a claim's result (the engine's ``Result.to_json()``), where each claim is
shown, and the release facts (version, commit, lock data). It fails with ``RenderError``, which
the site generator turns into its own build error.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


class RenderError(Exception):
    """A marker the build must not publish: unknown id, unexpected verdict, wrong form."""


def _empty_lock() -> dict:
    return {"claims": {}, "changed": {}, "retired": {}}


@dataclass
class Context:
    """One build's view of the claims.

    pages
        claim id -> the docs page (``chapters/gradients.md``) that shows it: its box, or for a
        fact (a claim shown only inline) the first page that prints it with ``eq``.
    boxes
        claim id -> the page of its box; ``None`` means every claim in ``pages`` has a box.
    claim_index, sources_page
        docs paths of the generated claim index and sources page, or ``None`` when the build does
        not generate them (nothing then links to them).
    """

    registry: object
    result: Callable[[str], dict]
    pages: Mapping[str, str]
    boxes: Mapping[str, str] | None = None
    version: str = "0.0.0"
    commit: str = "unknown"
    lock: Mapping = field(default_factory=_empty_lock)
    site_url: str = ""
    issues_url: str | None = None
    docs_dir: Path | None = None
    use_directory_urls: bool = True
    claim_index: str | None = None
    sources_page: str | None = None

    def has_box(self, claim_id: str) -> bool:
        return claim_id in (self.pages if self.boxes is None else self.boxes)


def known_claim(ctx: Context, claim_id: str, src: str, marker: str):
    """The claim named by a marker on page ``src``; an unknown id is a build error."""
    if claim_id not in ctx.registry:
        raise RenderError(f"{src}: unknown claim id {claim_id!r} in {{{{ {marker}(...) }}}}")
    return ctx.registry[claim_id]


def checked_result(ctx: Context, claim, src: str) -> dict:
    """The claim's result, which must carry the verdict the claim expects."""
    result = ctx.result(claim.id)
    if result["verdict"] != claim.expected:
        cx = result["evidence"].get("counterexample")
        raise RenderError(
            f"{src}: claim {claim.id!r} is {result['verdict']} but must be {claim.expected}: "
            f"{result['evidence'].get('reason', '')}"
            + (f"; counterexample: {json.dumps(cx)}" if cx else "")
        )
    return result


def relative_md(target: str, src: str) -> str:
    """A Markdown link from page ``src`` to the docs page ``target`` (the generator resolves it)."""
    if target == src:
        return ""
    return posixpath.relpath(target, posixpath.dirname(src) or ".")


def index_page(ctx: Context, claim_id: str) -> str | None:
    """The claim-index page that lists a claim: one page per chapter, ``claims/<chapter>.md``
    (one page for all of them weighed over 600 KB and was 79,000 px tall on a phone)."""
    if ctx.claim_index is None or claim_id not in ctx.pages:
        return None
    stem = PurePosixPath(ctx.pages[claim_id]).stem
    return f"{PurePosixPath(ctx.claim_index).with_suffix('')}/{stem}.md"


def claim_link(ctx: Context, claim_id: str, src: str) -> str:
    """A Markdown link target for a claim's anchor, from page ``src``."""
    target = ctx.pages.get(claim_id)
    if target is None:
        raise RenderError(f"{src}: claim {claim_id!r} is referenced but no page shows it")
    return f"{relative_md(target, src)}#{claim_id}"


def page_url(ctx: Context, page: str) -> str:
    """The built site's path of a docs page (``chapters/gradients/`` or ``.html``)."""
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if not ctx.use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def html_link(ctx: Context, target: str, src: str) -> str:
    """A link for raw HTML (which the generator leaves alone) from page ``src`` to ``target``:
    ``../../sources/`` with directory URLs, ``../sources.html`` without (the offline build)."""
    to_url, from_url = page_url(ctx, target), page_url(ctx, src)
    from_dir = from_url.rstrip("/") if ctx.use_directory_urls else posixpath.dirname(from_url)
    rel = posixpath.relpath(to_url or ".", from_dir or ".")
    if ctx.use_directory_urls:
        rel = "./" if rel == "." else rel + "/"
    return rel
