"""MkDocs glue for the claims: find the markers, call the renderer, keep the caches.

    {{ claim("gradients.quadratic_form") }}   the formula, a verdict badge, evidence, an anchor
    {{ ref("gradients.quadratic_form") }}     a link to that claim's box, wherever it is
    {{ eq("gradients.quadratic_form") }}      the verified formula inside a sentence
    {{ eq("gradients.quadratic_form", "rhs") }}   only its result ("lhs", "display" too)
    {{ figure("gradients.level_sets") }}      a build-time SVG figure with alt text and caption

What a marker becomes is decided by ``derivations.render`` (which knows nothing of MkDocs); its
``RenderError`` (an unknown id, a verdict other than the one the claim expects, a pitfall printed
inline) fails the build here. Verdicts are cached in ``.cache/verdicts/`` under a hash of every
source file in ``derivations/``, figures in ``.cache/figures/``. With ``extra.
generated_claim_pages`` the build adds the claim index, pitfalls, changelog and sources pages.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from derivations import catalogue, lock, render  # noqa: E402
from derivations.engine import verify  # noqa: E402
from derivations.evidence import verify_many  # noqa: E402
from derivations.figures import FIGURES, render_svg  # noqa: E402
from derivations.render import kept_tex  # noqa: E402

log = logging.getLogger("mkdocs.hooks.claims")
MARKER = catalogue.MARKER
CACHE_DIR = ROOT / ".cache" / "verdicts"
FIGURE_CACHE = ROOT / ".cache" / "figures"
TEX_CACHE = ROOT / ".cache" / "tex"  # each claim's printed TeX, per hash of the sources
# generated page -> what writes it (when extra.generated_claim_pages is set)
GENERATED_PAGES = {
    "pitfalls.md": render.pitfalls,
    "changelog.md": lambda ctx, src: render.changelog(ctx),
    "sources.md": render.sources_page,
}
_state: dict = {"results": {}, "pages": {}, "registry": None, "fingerprint": None, "dirty": False}


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            text=True,
            capture_output=True,
            timeout=10,
            check=True,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def on_config(config):
    _state["version"] = lock.release_version()
    _state["commit"] = _commit()
    _state["lock"] = lock.read()
    config["copyright"] = (
        f"{config.get('copyright') or ''} · verified at version {_state['version']} "
        f"(commit {_state['commit']})"
    ).strip(" ·")
    _state["registry"] = catalogue.load_claims()
    _state["config"] = config
    docs = Path(config["docs_dir"])
    _state["pages"] = catalogue.claim_pages(docs)
    _state["boxes"] = catalogue.box_pages(docs)
    _state["fingerprint"] = catalogue.source_fingerprint()
    cache = CACHE_DIR / f"{_state['fingerprint']}.json"
    try:
        _state["results"] = json.loads(cache.read_text()) if cache.exists() else {}
    except (OSError, ValueError):
        _state["results"] = {}  # an unreadable cache is only a cache: verify again
    _state["printed"] = kept_tex.reuse(_state["registry"], _printings_path())
    return config


def _printings_path() -> Path:
    return TEX_CACHE / f"{_state['fingerprint']}.json"


def context() -> render.Context:
    """The renderer's view of this build (built from ``_state``, which tests may set)."""
    config = _state.get("config") or {}
    extra = config.get("extra") or {}
    generated = bool(extra.get("generated_claim_pages"))
    docs_dir = config.get("docs_dir")
    return render.Context(
        registry=_state["registry"],
        result=result_for,
        pages=_state["pages"],
        boxes=_state.get("boxes"),
        version=_state.get("version", "0.0.0"),
        commit=_state.get("commit", "unknown"),
        lock=_state.get("lock") or {"claims": {}, "changed": {}, "retired": {}},
        site_url=config.get("site_url") or "",
        issues_url=extra.get("issues_url"),
        docs_dir=Path(docs_dir) if docs_dir else None,
        use_directory_urls=config.get("use_directory_urls", True),
        claim_index="claims.md" if generated else None,
        sources_page="sources.md" if generated else None,
    )


def result_for(claim_id: str) -> dict:
    """The claim's result: from the cache, or verified now (and cached)."""
    cached = _state["results"].get(claim_id)
    if cached is None:
        result = verify(_state["registry"][claim_id])
        cached = result.to_json()
        _state["results"][claim_id] = cached
        _state["dirty"] = True
    return cached


# ── figures ──────────────────────────────────────────────────────────────────


def _figure_path(fig_id: str) -> Path:
    return FIGURE_CACHE / _state["fingerprint"] / f"{fig_id}.svg"


def _render_missing_figures() -> None:
    """Figures depend only on the sources (and matplotlib's version): each is drawn once per
    source hash, on every core, and kept in ``.cache/figures/<hash>/``."""
    missing = [fig_id for fig_id in FIGURES if not _figure_path(fig_id).exists()]
    if not missing:
        return
    processes = min(os.cpu_count() or 1, len(missing))
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for fig_id, svg in zip(missing, pool.imap(render_svg, missing), strict=True):
            _write_atomically(_figure_path(fig_id), svg)


def _write_atomically(target: Path, text: str) -> None:
    """Concurrent builds (tests run several) never read half a cache file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def _figure_svg(fig_id: str) -> str:
    _render_missing_figures()
    return _figure_path(fig_id).read_text(encoding="utf-8")


# ── events ───────────────────────────────────────────────────────────────────


def on_files(files, config):
    for fig_id in FIGURES:
        files.append(File.generated(config, f"figures/{fig_id}.svg", content=_figure_svg(fig_id)))
    if config["extra"].get("generated_claim_pages"):
        ctx = context()
        pages = _rendered(render.claim_index_pages, ctx)  # claims.md and claims/<chapter>.md
        pages.update({name: _rendered(b, ctx, name) for name, b in GENERATED_PAGES.items()})
        for name, text in pages.items():
            if files.get_file_from_path(name) is None:
                files.append(File.generated(config, name, content=text))
    return files


def _rendered(builder, *args):
    try:
        return builder(*args)
    except render.RenderError as exc:
        raise PluginError(str(exc)) from None


def on_pre_build(config):
    """A whole site needs every verdict: compute the missing ones on every core, up front, and
    store them before the lab pages execute (they reuse them: see hooks/labs.py)."""
    extra = config["extra"]
    if not (extra.get("generated_claim_pages") or extra.get("lab_pages")):
        return  # a small fixture site verifies the few claims it shows, lazily
    _render_missing_figures()  # before the lab pages run: they show the same drawings
    missing = [c.id for c in _state["registry"] if c.id not in _state["results"]]
    if not missing:
        return
    log.info("verifying %d claims on every core", len(missing))
    for result in verify_many(_state["registry"], missing):
        _state["results"][result.claim_id] = result.to_json()
    _state["dirty"] = True
    _save_verdicts()


def _save_verdicts() -> None:
    if _state["dirty"]:
        target = CACHE_DIR / f"{_state['fingerprint']}.json"
        _write_atomically(target, json.dumps(_state["results"], indent=0))
        _state["dirty"] = False


def on_post_build(config):
    _save_verdicts()
    kept_tex.keep(_state["registry"], _printings_path(), _state.get("printed", 0))


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    ctx = context()
    anchored: set[str] = set()  # facts whose anchor this page already holds

    def replace(match: re.Match) -> str:
        kind, ident, form = match.group("kind"), match.group("id"), match.group("form")
        if form is not None and kind != "eq":
            raise PluginError(f"{src}: {{{{ {kind}(...) }}}} takes one argument, the id")
        if kind == "figure":
            if ident not in FIGURES:
                raise PluginError(f"{src}: unknown figure id {ident!r}")
            spec = FIGURES[ident]
            return _indent_like(render.figure_block(ident, spec.alt, spec.caption, src), match)
        if kind == "ref":
            return render.ref(ctx, ident, src)
        if kind == "eq":
            in_table = _line_of(match).lstrip().startswith("|")
            shown = render.eq(ctx, ident, src, form or "", anchored, in_table)
            return _indent_like(shown, match) if form == "display" else shown
        return _indent_like(render.claim_box(ctx, ident, src), match)

    markdown = render.claim_containers_as_html(markdown)  # boxes inside admonitions stay boxes
    try:
        return MARKER.sub(replace, markdown) + render.retired_notes(ctx, src)
    except render.RenderError as exc:
        raise PluginError(str(exc)) from None


def _line_of(match: re.Match) -> str:
    text = match.string
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return text[start : len(text) if end < 0 else end]


def _indent_like(block: str, match: re.Match) -> str:
    """A block marker inside an admonition or list item keeps that item's indentation."""
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    prefix = text[line_start : match.start()]
    if not prefix or prefix.strip():
        return block
    lines = block.split("\n")
    return "\n".join([lines[0]] + [prefix + line if line else line for line in lines[1:]])


# ── for tests: one page's rendering with the state set by hand ──────────────


def render_claim(claim_id: str, src: str) -> str:
    try:
        return render.claim_box(context(), claim_id, src)
    except render.RenderError as exc:
        raise PluginError(str(exc)) from None


def _retired_notes(src: str) -> str:
    return render.retired_notes(context(), src)
