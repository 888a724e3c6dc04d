"""Render claim markers in Markdown from the verified objects themselves.

    {{ claim("gradients.quadratic_form") }}   the formula, a verdict badge, evidence, an anchor
    {{ ref("gradients.quadratic_form") }}     a link to that claim's box, wherever it is
    {{ figure("gradients.level_sets") }}      a build-time SVG figure with alt text and caption

A marker naming an unknown claim fails the build, and so does a claim whose verdict is not the one
it expects (refuted or inconclusive for a result; anything but refuted for a pitfall). The
formula comes from ``derivations.engine.latex`` applied to the very claim that was verified.
Verdicts are cached in ``.cache/verdicts/`` under a hash of every source file in ``derivations/``.
"""

from __future__ import annotations

import html
import json
import logging
import os
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from derivations import catalogue  # noqa: E402
from derivations.engine import latex, verify  # noqa: E402
from derivations.figures import FIGURES, render_svg  # noqa: E402

log = logging.getLogger("mkdocs.hooks.claims")
MARKER = re.compile(r"""\{\{\s*(claim|ref|figure)\(\s*["']([^"']*)["']\s*\)\s*\}\}""")
CACHE_DIR = ROOT / ".cache" / "verdicts"
_state: dict = {"results": {}, "pages": {}, "registry": None, "fingerprint": None, "dirty": False}


def on_config(config):
    _state["registry"] = catalogue.load_claims()
    _state["pages"] = catalogue.claim_pages(Path(config["docs_dir"]))
    _state["fingerprint"] = catalogue.source_fingerprint()
    cache = CACHE_DIR / f"{_state['fingerprint']}.json"
    try:
        _state["results"] = json.loads(cache.read_text()) if cache.exists() else {}
    except (OSError, ValueError):
        _state["results"] = {}  # an unreadable cache is only a cache: verify again
    return config


def on_files(files, config):
    for fig_id in FIGURES:
        files.append(File.generated(config, f"figures/{fig_id}.svg", content=render_svg(fig_id)))
    return files


def result_for(claim_id: str) -> dict:
    cached = _state["results"].get(claim_id)
    if cached is None:
        result = verify(_state["registry"][claim_id])
        cached = result.to_json()
        _state["results"][claim_id] = cached
        _state["dirty"] = True
    return cached


def on_post_build(config):
    if _state["dirty"]:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        target = CACHE_DIR / f"{_state['fingerprint']}.json"
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(_state["results"], indent=0))
        os.replace(partial, target)  # atomic: concurrent builds never read half a file
        _state["dirty"] = False


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri

    def replace(match: re.Match) -> str:
        kind, ident = match.group(1), match.group(2)
        if kind == "figure":
            if ident not in FIGURES:
                raise PluginError(f"{src}: unknown figure id {ident!r}")
            return render_figure(ident, src)
        if ident not in _state["registry"]:
            raise PluginError(f"{src}: unknown claim id {ident!r} in {{{{ {kind}(...) }}}}")
        if kind == "ref":
            return render_ref(ident, src)
        return render_claim(ident, src)

    return MARKER.sub(replace, markdown)


def _link(claim_id: str, from_src: str) -> str:
    target = _state["pages"].get(claim_id)
    if target is None:
        raise PluginError(f"claim {claim_id!r} is referenced but no page shows it")
    if target == from_src:
        return f"#{claim_id}"
    rel = posixpath.relpath(target, posixpath.dirname(from_src) or ".")
    return f"{rel}#{claim_id}"


def render_ref(claim_id: str, src: str) -> str:
    claim = _state["registry"][claim_id]
    return f"[{claim.title}]({_link(claim_id, src)})"


def render_figure(fig_id: str, src: str) -> str:
    spec = FIGURES[fig_id]
    rel = posixpath.relpath(f"figures/{fig_id}.svg", posixpath.dirname(src) or ".")
    alt = spec.alt.replace("[", "(").replace("]", ")")
    return (
        f'\n<figure class="build-figure" markdown>\n\n![{alt}]({rel})\n\n'
        f"<figcaption>{html.escape(spec.caption)}</figcaption>\n</figure>\n"
    )


def _evidence_line(result: dict) -> str:
    ev = result["evidence"]
    layers = ", ".join(
        f"{name} {'✓' if status == 'pass' else ('✗' if status == 'fail' else status)}"
        for name, status in ev["layers"].items()
    )
    dims = "; ".join(ev["dimensions"]) or "—"
    worst = ev.get("worst_relative_error")
    worst_text = f"{worst:.1e}" if isinstance(worst, float) else "—"
    return (
        f"<li><b>layers</b>: {html.escape(layers)}</li>"
        f"<li><b>dimensions</b>: {html.escape(dims)}</li>"
        f"<li><b>checks</b>: {ev['checks']} (points × directions × entries)</li>"
        f"<li><b>worst relative error</b> (numeric): {worst_text}</li>"
    )


def _counterexample_html(cx: dict) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td><code>{html.escape(json.dumps(v))}</code></td></tr>"
        for k, v in cx.items()
    )
    return f'<table class="claim__counterexample">{rows}</table>'


def render_claim(claim_id: str, src: str) -> str:
    claim = _state["registry"][claim_id]
    result = result_for(claim_id)
    if result["verdict"] != claim.expected:
        cx = result["evidence"].get("counterexample")
        raise PluginError(
            f"{src}: claim {claim_id!r} is {result['verdict']} but must be {claim.expected}: "
            f"{result['evidence'].get('reason', '')}"
            + (f"; counterexample: {json.dumps(cx)}" if cx else "")
        )
    pitfall = claim.pitfall
    badge = (
        '<span class="claim__badge claim__badge--refuted" title="A common mistake: the engine '
        'refutes it, as it should">✗ refuted: a common mistake</span>'
        if pitfall
        else '<span class="claim__badge claim__badge--verified" title="Checked symbolically, exactly '
        'and numerically before this page was built">✓ verified</span>'
    )
    parts = [
        f'<div class="claim {"claim--pitfall" if pitfall else "claim--verified"}" '
        f'id="{claim_id}" markdown>',
        f'<div class="claim__head"><span class="claim__title">{html.escape(claim.title)}</span>'
        f' {badge} <a class="claim__id" href="#{claim_id}" title="Stable claim id">'
        f"{claim_id}</a></div>",
        "",
        rf"\[ {latex.statement(claim)} \]",
        "",
    ]
    where = latex.where(claim)
    if where:
        parts += [r"where \( " + r",\quad ".join(where) + r" \)", ""]
    parts += ["for " + ", ".join(latex.domain(claim)) + ".", ""]
    if claim.note:
        parts += [f'<p class="claim__note">{html.escape(claim.note)}</p>', ""]
    if pitfall:
        cx = result["evidence"].get("counterexample") or {}
        parts.append(
            '<div class="claim__refutation"><b>Counterexample found by the engine</b>'
            f"{_counterexample_html(cx)}</div>"
        )
        parts.append("")
        if claim.corrects:
            parts += [f"Correct statement: {render_ref(claim.corrects, src)}.", ""]
    refs = ", ".join(claim.refs)
    parts.append(
        '<details class="claim__evidence"><summary>Evidence</summary><ul>'
        f"{_evidence_line(result)}"
        f"<li><b>verdict</b>: {html.escape(result['verdict'])} "
        f"({html.escape(result['evidence'].get('reason', ''))})</li>"
        f"<li><b>sources</b>: {html.escape(refs) or '—'}</li>"
        "</ul></details>"
    )
    parts += ["</div>", ""]
    return "\n" + "\n".join(parts) + "\n"
