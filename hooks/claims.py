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

import datetime
import html
import json
import logging
import multiprocessing
import os
import posixpath
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sympy  # noqa: E402

from derivations import catalogue, lock  # noqa: E402
from derivations.engine import latex, verify  # noqa: E402
from derivations.evidence import verify_many  # noqa: E402
from derivations.figures import FIGURES, render_svg  # noqa: E402

log = logging.getLogger("mkdocs.hooks.claims")
MARKER = re.compile(r"""\{\{\s*(claim|ref|figure)\(\s*["']([^"']*)["']\s*\)\s*\}\}""")
CACHE_DIR = ROOT / ".cache" / "verdicts"
FIGURE_CACHE = ROOT / ".cache" / "figures"
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
    _state["pages"] = catalogue.claim_pages(Path(config["docs_dir"]))
    _state["fingerprint"] = catalogue.source_fingerprint()
    cache = CACHE_DIR / f"{_state['fingerprint']}.json"
    try:
        _state["results"] = json.loads(cache.read_text()) if cache.exists() else {}
    except (OSError, ValueError):
        _state["results"] = {}  # an unreadable cache is only a cache: verify again
    return config


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


GENERATED_PAGES = ("claims.md", "pitfalls.md", "changelog.md")


def on_files(files, config):
    for fig_id in FIGURES:
        files.append(File.generated(config, f"figures/{fig_id}.svg", content=_figure_svg(fig_id)))
    if config["extra"].get("generated_claim_pages"):
        for name, builder in (
            ("claims.md", claim_index_markdown),
            ("pitfalls.md", pitfalls_markdown),
            ("changelog.md", changelog_markdown),
        ):
            if files.get_file_from_path(name) is None:
                files.append(File.generated(config, name, content=builder()))
    return files


def _bibtex(claim, url: str) -> str:
    key = "cmlv:" + claim.id
    title = claim.title.replace("{", "").replace("}", "")
    return (
        f"@misc{{{key},\n"
        f"  title        = {{{{{title}}} (claim {claim.id.replace('_', chr(92) + '_')})}},\n"
        f"  author       = {{{{Calculus for ML, Verified contributors}}}},\n"
        f"  howpublished = {{Calculus for ML, Verified, version {_state['version']}}},\n"
        f"  year         = {{{datetime.date.today().year}}},\n"
        f"  note         = {{Machine-verified claim {claim.id}; "
        f"commit {_state['commit']}}},\n"
        f"  url          = {{{url}}}\n"
        f"}}"
    )


def _absolute(config, rel_url: str) -> str:
    base = (config.get("site_url") or "").rstrip("/")
    return f"{base}/{rel_url}" if base else rel_url


def claim_index_markdown() -> str:
    config = _state["config"]
    registry = _state["registry"]
    lines = [
        "# Claim index",
        "",
        "Every result on this site, by its stable id: the formula, the verdict and the evidence "
        "summary, the page that shows it, the source items and Matrix Cookbook equations it "
        "covers, and a BibTeX entry for citing it. An id never changes meaning; a claim that is "
        "corrected or removed is recorded in the [changelog](changelog.md).",
        "",
        f"{len(registry)} claims at version {_state['version']} (commit {_state['commit']}).",
        "",
    ]
    by_page: dict[str, list] = {}
    for claim in registry:
        by_page.setdefault(_state["pages"].get(claim.id, ""), []).append(claim)
    for page, claims in by_page.items():
        if not page:
            continue
        lines += [f"## [{_page_title(page)}]({page})", ""]
        for claim in claims:
            result = result_for(claim.id)
            ev = result["evidence"]
            verdict = (
                "✓ verified"
                if result["verdict"] == "verified"
                else f"✗ {result['verdict']} (a pitfall, refuted as expected)"
            )
            layers = ", ".join(k for k, v in ev["layers"].items() if v in ("pass", "fail"))
            worst = ev.get("worst_relative_error")
            worst_text = f"; worst numeric relative error {worst:.0e}" if worst else ""
            refs = _refs_text(claim.refs)
            url = _absolute(config, catalogue.claim_url(claim.id, _state["pages"]))
            lines += [
                '<div class="claim-index" markdown>',
                "",
                f"[`{claim.id}`]({page}#{claim.id}) — **{html.escape(claim.title)}** · "
                f"{verdict} ({layers}{worst_text}){' · ' + refs if refs else ''}",
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
                *["    " + line for line in _bibtex(claim, url).splitlines()],
                "    ```",
                "",
                "</div>",
                "",
                "</div>",
                "",
            ]
    return "\n".join(lines)


def _page_title(page: str) -> str:
    path = Path(_state["config"]["docs_dir"]) / page
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page


def _refs_text(refs) -> str:
    seeds = [r for r in refs if r.startswith("S")]
    cookbook = [r[3:] for r in refs if r.startswith("MC-")]
    parts = []
    if cookbook:
        parts.append("Matrix Cookbook (" + ", ".join(cookbook) + ")")
    if seeds:
        parts.append("source notes " + ", ".join(seeds))
    return "; ".join(parts)


def pitfalls_markdown() -> str:
    registry = _state["registry"]
    pitfalls = [c for c in registry if c.pitfall]
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
    for claim in pitfalls:
        result = result_for(claim.id)
        cx = result["evidence"].get("counterexample") or {}
        page = _state["pages"].get(claim.id)
        if page is None:
            continue
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
            _counterexample_html(cx),
            "",
            "</div>",
            "",
        ]
        links = [f"[the box]({page}#{claim.id})"]
        if claim.corrects and claim.corrects in _state["pages"]:
            links.append(
                f"[the correct statement]({_state['pages'][claim.corrects]}#{claim.corrects})"
            )
        lines += ["See " + " and ".join(links) + ".", ""]
    if not pitfalls:
        lines.append("No pitfalls are declared yet.")
    return "\n".join(lines)


def changelog_markdown() -> str:
    data = _state["lock"]
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


def _retired_notes(src: str) -> str:
    notes = []
    for claim_id, entry in _state.get("lock", {}).get("retired", {}).items():
        if entry.get("page") != src:
            continue
        target = entry.get("replaced_by")
        link = f" Its replacement is {render_ref(target, src)}." if target else ""
        notes.append(
            f'\n<div class="claim claim--retired" id="{claim_id}" markdown>\n'
            f"**Retired claim `{claim_id}`** (in version {entry['in']}): "
            f"{html.escape(entry['note'])}.{link}\n</div>\n"
        )
    return "".join(notes)


def result_for(claim_id: str) -> dict:
    cached = _state["results"].get(claim_id)
    if cached is None:
        result = verify(_state["registry"][claim_id])
        cached = result.to_json()
        _state["results"][claim_id] = cached
        _state["dirty"] = True
    return cached


def on_pre_build(config):
    """A whole site needs every verdict: compute the missing ones on every core, up front, and
    store them before the lab pages execute (they reuse them: see hooks/labs.py)."""
    extra = config["extra"]
    if not (extra.get("generated_claim_pages") or extra.get("lab_pages")):
        return  # a small fixture site verifies the few claims it shows, lazily
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


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri

    def replace(match: re.Match) -> str:
        kind, ident = match.group(1), match.group(2)
        if kind == "figure":
            if ident not in FIGURES:
                raise PluginError(f"{src}: unknown figure id {ident!r}")
            return _indent_like(render_figure(ident, src), match)
        if ident not in _state["registry"]:
            raise PluginError(f"{src}: unknown claim id {ident!r} in {{{{ {kind}(...) }}}}")
        if kind == "ref":
            return render_ref(ident, src)
        return _indent_like(render_claim(ident, src), match)

    return MARKER.sub(replace, markdown) + _retired_notes(src)


def _indent_like(block: str, match: re.Match) -> str:
    """A block marker inside an admonition or list item keeps that item's indentation."""
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    prefix = text[line_start : match.start()]
    if not prefix or prefix.strip():
        return block
    lines = block.split("\n")
    return "\n".join([lines[0]] + [prefix + line if line else line for line in lines[1:]])


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


_CX_LABELS = {
    "dims": "sizes",
    "point": "at the point",
    "direction": "along the direction",
    "second_direction": "and the direction",
    "claimed": "the claim gives",
    "numeric": "finite differences of f give",
    "derived": "the true value is",
    "relative_discrepancy": "relative discrepancy",
    "shape": "shape",
    "limit": "limit",
    "relation": "relation",
    "value": "its truth value there",
    "lhs": "left-hand side",
    "rhs": "right-hand side",
    "entry": "entry",
}


def _number_tex(value) -> str:
    text = str(value)
    if isinstance(value, bool) or text in ("True", "False", "true", "false"):
        return r"\text{" + text.lower() + "}"
    try:
        parsed = sympy.sympify(text)  # engine output (numbers, expressions), never user input
        if parsed.is_number:
            parsed = sympy.nsimplify(parsed, rational=False)
        return latex.tex(parsed)
    except (sympy.SympifyError, TypeError, ValueError, AttributeError, SyntaxError):
        pass
    plain = (
        html.escape(text).replace("\\", "").replace("_", r"\_").replace("{", "").replace("}", "")
    )
    return r"\text{" + plain + "}"


def _value_tex(value) -> str:
    if isinstance(value, list) and value and isinstance(value[0], list):
        rows = r" \\ ".join(" & ".join(_number_tex(v) for v in row) for row in value)
        return r"\begin{bmatrix}" + rows + r"\end{bmatrix}"
    if isinstance(value, list):
        return r"\begin{bmatrix}" + r" \\ ".join(_number_tex(v) for v in value) + r"\end{bmatrix}"
    return _number_tex(value)


def _inline_math(tex: str) -> str:
    """Inline math inside raw HTML, where arithmatex does not look: math.js typesets it."""
    return f'<span class="arithmatex">\\({html.escape(tex, quote=False)}\\)</span>'


def _counterexample_html(cx: dict) -> str:
    """The counterexample as a short list of formulas a reader can check by hand."""
    items = []
    for key, value in cx.items():
        if key in ("layer", "exact") or value is None:
            continue
        label = _CX_LABELS.get(key, key)
        if key == "point" and isinstance(value, dict):
            body = ",\\; ".join(f"{name} = {_value_tex(v)}" for name, v in value.items())
            items.append(f"<li>{label} {_inline_math(body)}</li>")
        elif key in ("dims", "shape", "limit", "relation", "entry"):
            items.append(f"<li>{label}: {html.escape(str(value))}</li>")
        elif key == "relative_discrepancy":
            items.append(f"<li>{label}: {float(value):.3g}</li>")
        else:
            items.append(f"<li>{label} {_inline_math(_value_tex(value))}</li>")
    exact = " (exact arithmetic)" if cx.get("exact") else ""
    layer = html.escape(str(cx.get("layer", "")))
    return (
        f'<ul class="claim__counterexample"><li>found by the {layer} layer{exact}</li>'
        + "".join(items)
        + "</ul>"
    )


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
    domain = latex.domain(claim)
    if domain:
        parts += ["for " + ", ".join(domain) + ".", ""]
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
    issues_url = _state["config"]["extra"].get("issues_url")
    if issues_url:
        query = urllib.parse.urlencode(
            {
                "template": "claim-problem.yml",
                "title": f"Problem with claim {claim_id}",
                "claim-id": claim_id,
                "version": f"{_state['version']} ({_state['commit']})",
            }
        )
        parts.append(
            f'<p class="claim__report"><a href="{issues_url}?{html.escape(query)}" '
            f'rel="nofollow">Report a problem with this claim</a></p>'
        )
        parts.append("")
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
