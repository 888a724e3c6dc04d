"""The renderer (derivations/render/), on its own: no MkDocs, no site build, made-up verdicts."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys

import markdown
import pytest
import sympy as sp

from derivations import catalogue, load_claims, render
from derivations.engine import Registry, claim, dim, latex, matrix, scalar, vector
from derivations.engine.verify import verify_topic
from derivations.render import values
from derivations.render.box import domain_lines
from derivations.render.sources import sources_html, words

from .conftest import ROOT

n = dim("n")
x = vector("x", n)
A = matrix("A", n, n)
t, a, b = scalar("t"), scalar("a"), scalar("b")


def _registry() -> Registry:
    reg = Registry()
    claim(
        "fx.gradient",
        "Gradient of a squared norm",
        kind="gradient",
        f=x.T @ x,
        wrt=x,
        claimed=2 * x,
        refs=["S4-23", "MC-81"],
        registry=reg,
    )
    claim(
        "fx.fact",
        "A square expanded",
        kind="identity",
        f=(t + 1) ** 2,
        claimed=t**2 + 2 * t + 1,
        refs=["S0-01"],
        registry=reg,
    )
    claim(
        "fx.pitfall",
        "Gradient of a squared norm, without the 2",
        kind="gradient",
        f=x.T @ x,
        wrt=x,
        claimed=x,
        pitfall=True,
        corrects="fx.gradient",
        refs=["S4-23"],
        registry=reg,
    )
    claim(
        "fx.jacobian_transposed",
        "Jacobian of Ax, transposed",
        kind="jacobian",
        f=A @ x,
        wrt=x,
        claimed=A.T,
        pitfall=True,
        corrects="fx.gradient",
        registry=reg,
    )
    claim(
        "fx.along",
        "A directional derivative at a point",
        kind="directional",
        f=a**2 * b,
        wrt=(a, b),
        direction=(t, scalar("s")),
        at={a: 1, b: 2, t: 1, scalar("s"): 0},
        claimed=sp.Integer(4),
        registry=reg,
    )
    return reg


def _result(reg, verdicts=None):
    verdicts = verdicts or {}

    def result(claim_id):
        claim_ = reg[claim_id]
        return {
            "verdict": verdicts.get(claim_id, claim_.expected),
            "evidence": {
                "layers": {"symbolic": "pass", "exact": "pass", "numeric": "pass"},
                "checks": 7,
                # what the engine reports for a claim without dimension names
                "dimensions": ["scalar"] if claim_id == "fx.fact" else ["n=2", "n=3"],
                "worst_relative_error": 1e-15,
                "reason": "made up for the test",
                "counterexample": {"layer": "exact", "dims": "n=2", "point": {"x": ["1", "2"]}}
                if claim_.pitfall
                else None,
            },
        }

    return result


def _context(**kwargs) -> render.Context:
    reg = _registry()
    options = {
        "registry": reg,
        "result": _result(reg),
        "pages": {
            "fx.gradient": "chapters/a.md",
            "fx.pitfall": "chapters/a.md",
            "fx.fact": "chapters/b.md",
            "fx.along": "chapters/a.md",
        },
        "boxes": {
            "fx.gradient": "chapters/a.md",
            "fx.pitfall": "chapters/a.md",
            "fx.along": "chapters/a.md",
        },
        "claim_index": "claims.md",
        "sources_page": "sources.md",
    }
    options.update(kwargs)
    return render.Context(**options)


# ── {{ eq("id") }} ───────────────────────────────────────────────────────────


def test_eq_prints_the_whole_statement_rhs_or_lhs_from_the_claim():
    ctx = _context()
    c = ctx.registry["fx.gradient"]
    link = '<sup class="claim-eq__check">[✓](#fx.gradient "Verified claim fx.gradient")</sup>'
    whole = render.eq(ctx, "fx.gradient", "chapters/a.md")
    assert whole == f'<span class="claim-eq">\\({latex.statement(c)}\\)</span>{link}'
    rhs = render.eq(ctx, "fx.gradient", "chapters/a.md", "rhs")
    assert rhs == f'<span class="claim-eq">\\({latex.rhs(c)}\\)</span>{link}'
    lhs = render.eq(ctx, "fx.gradient", "chapters/a.md", "lhs")
    assert lhs == f'<span class="claim-eq">\\({latex.lhs(c)}\\)</span>{link}'
    elsewhere = render.eq(ctx, "fx.gradient", "chapters/b.md", "rhs")
    assert '[✓](a.md#fx.gradient "Verified claim fx.gradient")' in elsewhere
    display = render.eq(ctx, "fx.gradient", "chapters/a.md", "display")
    assert (
        f"\\[ {latex.statement(c)} \\]" in display
        and 'class="claim-eq claim-eq--display"' in display
    )


def test_a_fact_gets_its_anchor_on_its_first_eq_on_its_home_page():
    ctx = _context()
    anchored: set[str] = set()
    first = render.eq(ctx, "fx.fact", "chapters/b.md", "", anchored)
    second = render.eq(ctx, "fx.fact", "chapters/b.md", "rhs", anchored)
    assert first.startswith('<span class="claim-eq" id="fx.fact">')
    assert 'id="fx.fact"' not in second
    assert 'id="fx.fact"' not in render.eq(ctx, "fx.fact", "chapters/a.md", "", set())
    # a fact has no box: its check mark leads to its entry in the claim index
    assert "(../claims/b.md#index-fx.fact " in first
    # a claim with a box never takes an anchor from eq: the box has it
    assert 'id="fx.gradient"' not in render.eq(ctx, "fx.gradient", "chapters/a.md", "", set())
    assert 'id="index-fx.fact"' in render.claim_index_pages(ctx)["claims/b.md"]


def test_eq_refuses_a_pitfall_an_unknown_id_a_bad_form_and_an_unexpected_verdict():
    ctx = _context()
    with pytest.raises(render.RenderError, match="pitfall"):
        render.eq(ctx, "fx.pitfall", "chapters/a.md")
    with pytest.raises(render.RenderError, match=r"chapters/b\.md: unknown claim id 'fx\.nope'"):
        render.eq(ctx, "fx.nope", "chapters/b.md")
    with pytest.raises(render.RenderError, match="form must be one of"):
        render.eq(ctx, "fx.gradient", "chapters/a.md", "middle")
    wrong = _context()
    wrong.result = _result(wrong.registry, {"fx.gradient": "refuted"})
    with pytest.raises(render.RenderError, match="is refuted but must be verified"):
        render.eq(wrong, "fx.gradient", "chapters/a.md")


def test_eq_inside_a_table_keeps_the_cell_whole():
    ctx = _context()
    shown = render.eq(ctx, "fx.along", "chapters/a.md", "", None, in_table=True)
    assert "|" not in shown.split("</span>")[0] and r"\vert" in shown


MD_OPTIONS = {
    "extensions": ["md_in_html", "attr_list", "admonition", "pymdownx.arithmatex"],
    "extension_configs": {"pymdownx.arithmatex": {"generic": True}},
}


@pytest.mark.parametrize(
    "template",
    [
        "Its gradient is {eq}, as shown.",
        "- an item: {eq} here",
        '!!! note "Aside"\n\n    In a note: {eq}.',
        "1. first\n\n    indented under the item: {eq}",
    ],
)
def test_arithmatex_typesets_eq_in_paragraphs_admonitions_and_lists(template):
    ctx = _context()
    shown = render.eq(ctx, "fx.gradient", "chapters/b.md", "rhs")
    out = markdown.markdown(template.format(eq=shown), **MD_OPTIONS)
    tex = latex.tex(ctx.registry["fx.gradient"].claimed)
    assert f'<span class="claim-eq"><span class="arithmatex">\\({tex}\\)</span></span>' in out
    assert '<sup class="claim-eq__check"><a href="a.md#fx.gradient"' in out
    assert 'title="Verified claim fx.gradient"' in out


def test_arithmatex_typesets_the_display_form():
    ctx = _context()
    shown = render.eq(ctx, "fx.gradient", "chapters/a.md", "display")
    out = markdown.markdown(f"Text before.\n{shown}\nText after.", **MD_OPTIONS)
    assert '<div class="claim-eq claim-eq--display">' in out
    assert '<div class="arithmatex">\\[' in out


def test_markers_accept_single_quotes_and_a_form():
    found = [
        m.group("kind", "id", "form")
        for m in catalogue.MARKER.finditer(
            "{{ eq('a.b') }} {{eq(\"a.c\", 'rhs')}} {{ claim('a.d') }} {{ ref(\"a.e\") }}"
        )
    ]
    assert found == [
        ("eq", "a.b", None),
        ("eq", "a.c", "rhs"),
        ("claim", "a.d", None),
        ("ref", "a.e", None),
    ]


def test_claim_pages_prefer_the_box_and_map_a_fact_to_its_first_eq(tmp_path):
    (tmp_path / "a.md").write_text('{{ eq("m.boxed") }} {{ eq("m.fact") }}\n')
    (tmp_path / "b.md").write_text('{{ claim("m.boxed") }}\n{{ eq("m.fact", "rhs") }}\n')
    assert catalogue.box_pages(tmp_path) == {"m.boxed": "b.md"}
    assert catalogue.claim_pages(tmp_path) == {"m.boxed": "b.md", "m.fact": "a.md"}


# ── the render package stands alone ──────────────────────────────────────────


def test_the_render_package_imports_nothing_of_mkdocs():
    code = (
        "import sys, derivations.render\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_engine_imports_no_catalogue():
    for path in sorted((ROOT / "derivations" / "engine").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bcatalogue\b", text), f"{path.name} mentions the catalogue"


def test_verify_topic_reuses_verdicts_it_is_handed(capsys):
    reg = Registry()
    claim("fy.one", "one", kind="gradient", f=x.T @ x, wrt=x, claimed=2 * x, registry=reg)
    stored = {"fy.one": {"verdict": "verified"}}
    assert verify_topic("fy", registry=reg, stored=stored) == {"fy.one": "verified"}
    assert "verdicts of this build" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="unexpected verdicts"):
        verify_topic("fy", registry=reg, stored={"fy.one": {"verdict": "refuted"}})


# ── boxes, counterexamples, sources ──────────────────────────────────────────


def test_box_keeps_its_structure_and_names_sources_in_words():
    ctx = _context(issues_url="https://example.org/new")
    box = render.claim_box(ctx, "fx.gradient", "chapters/a.md")
    for cls in (
        "claim claim--verified",
        "claim__head",
        "claim__badge--verified",
        "claim__report",
        "claim__evidence",
    ):
        assert cls in box
    evidence = box[box.index('<details class="claim__evidence">') :]
    assert 'class="claim__report"' in evidence  # the report link is inside the evidence
    assert (
        'sources: source notes 4, <a href="../../sources/#s4-23">item 23</a>; '
        'Matrix Cookbook, <a href="../../sources/#mc-81">eq. (81)</a>'
    ) in evidence
    assert "symbolic ✓, exact ✓, numeric ✓" in evidence
    assert "<li>sizes n=2; n=3</li>" in evidence
    scalar_box = render.claim_box(ctx, "fx.fact", "chapters/a.md")
    assert "sizes" not in scalar_box  # no dimension names: no "sizes: scalar" line
    pitfall = render.claim_box(ctx, "fx.pitfall", "chapters/a.md")
    assert "claim__refutation" in pitfall
    assert "Correct statement: [Gradient of a squared norm](#fx.gradient)." in pitfall
    offline = _context(use_directory_urls=False)
    assert 'href="../sources.html#s4-23"' in sources_html(offline, ["S4-23"], "chapters/a.md")
    grouped = sources_html(_context(sources_page=None), ["S0-06", "MC-81", "S0-01"], "a.md")
    assert grouped == "source notes 0, item 1, item 6; Matrix Cookbook, eq. (81)"


def test_the_report_link_is_a_small_flag_named_for_screen_readers():
    ctx = _context(issues_url="https://example.org/new", version="1.2.3", commit="abc1234")
    box = render.claim_box(ctx, "fx.gradient", "chapters/a.md")
    (report,) = re.findall(r'<li class="claim__report">.*?</li>', box)
    assert report == (
        '<li class="claim__report"><a href="https://example.org/new?template=claim-problem.yml'
        '&amp;claim-id=fx.gradient&amp;version=1.2.3+%28abc1234%29" rel="nofollow" '
        'title="Report a problem">'
        '<span class="claim__sr">Report a problem with this claim</span></a></li>'
    )
    assert "Report a problem with this claim" not in box.replace(report, "")  # named once
    assert "claim__report" not in render.claim_box(_context(), "fx.gradient", "chapters/a.md")


def test_the_box_carries_the_claim_index_bibtex_entry_in_its_evidence():
    """What "Copy BibTeX" copies: the claim index's entry, byte for byte, inside the evidence
    (the handout drops the evidence, and with it the entry) in a script, out of the search."""
    from derivations.render.pages import bibtex

    ctx = _context(site_url="https://example.org/site/", version="1.2.3", commit="abc1234")
    for claim_id in ("fx.gradient", "fx.pitfall"):
        box = render.claim_box(ctx, claim_id, "chapters/a.md")
        evidence = box[box.index('<details class="claim__evidence">') : box.index("</details>")]
        (carried,) = re.findall(
            r'<script type="text/plain" class="claim__bibtex">(.*?)</script>', evidence, re.S
        )
        assert carried == bibtex(ctx, ctx.registry[claim_id])
        assert "url          = {https://example.org/site/chapters/a/#" + claim_id + "}" in carried
    # the box's statement is the first display formula after its head, for "Copy TeX"
    box = render.claim_box(ctx, "fx.gradient", "chapters/a.md")
    head_end = box.index("</div>", box.index('class="claim__head"')) + len("</div>")
    statement = rf"\[ {latex.statement(ctx.registry['fx.gradient'])} \]"
    assert box[head_end:].lstrip().startswith(statement)
    html_out = markdown.markdown(
        box,
        extensions=["md_in_html", "pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    assert re.search(
        r'<div class="claim__head">.*?</div>\s*<div class="arithmatex">\\\[', html_out, re.S
    )


def test_a_bibtex_entry_that_could_end_its_script_element_fails_the_render(monkeypatch):
    from derivations.render import box as box_module

    monkeypatch.setattr(
        box_module, "bibtex", lambda ctx, claim: "@misc{k,\n  title = {</script>}\n}"
    )
    with pytest.raises(render.RenderError, match="cannot sit in a script element"):
        render.claim_box(_context(), "fx.gradient", "chapters/a.md")


def test_source_codes_read_as_words():
    assert words("S4-23") == "source notes 4, item 23"
    assert words("S0-05") == "source notes 0, item 5"
    assert words("MC-81") == "Matrix Cookbook eq. (81)"


def test_sources_page_has_an_anchor_for_every_code_with_links_to_its_claims():
    ctx = _context()
    page = render.sources_page(ctx)
    for code in ("s4-23", "mc-81", "s0-01"):
        assert f'<span id="{code}"></span>' in page
    line = next(x for x in page.splitlines() if 'id="s4-23"' in x)
    assert "[Gradient of a squared norm](chapters/a.md#fx.gradient)" in line
    assert "(a pitfall, refuted on purpose)" in line


def test_counterexample_matrices_print_as_matrices():
    reg = _registry()
    cx = {
        "layer": "exact",
        "dims": "n=2",
        "point": {"A": [["2", "-2"], ["-3", "-1"]], "x": ["2", "-2"]},
        "claimed": ["2", "-3", "-2", "-1"],  # the exact layer flattens a matrix row by row
        "derived": "Matrix([[2, -2], [-3, -1]])",  # the symbolic layer prints sympy text
        "exact": True,
    }
    out = values.counterexample_html(cx, reg["fx.jacobian_transposed"])
    assert "Matrix(" not in out
    assert out.count(r"\begin{bmatrix}2 &amp; -3 \\ -2 &amp; -1\end{bmatrix}") == 1
    assert out.count(r"\begin{bmatrix}2 &amp; -2 \\ -3 &amp; -1\end{bmatrix}") == 2
    assert r"x = \begin{bmatrix}2 \\ -2\end{bmatrix}" in out  # a vector stays a column
    direction = {"layer": "numeric", "dims": "n=2", "point": {}, "direction": [1, 2, 3, 4]}
    reg2 = Registry()
    X = matrix("X", n, n)
    c = claim(
        "fz.trace",
        "t",
        kind="gradient",
        f=sp.Trace(X),
        wrt=X,
        claimed=sp.Identity(n),
        registry=reg2,
    )
    shown = values.counterexample_html(direction, c)
    assert r"\begin{bmatrix}1 &amp; 2 \\ 3 &amp; 4\end{bmatrix}" in shown


def test_the_domain_line_names_only_the_variables_the_formula_shows():
    reg = _registry()
    lines = domain_lines(reg["fx.along"])  # the direction (t, s) is printed as its value
    assert lines == [r"$a, b \in \mathbb{R}$"]  # one space, one formula
    assert len(domain_lines(reg["fx.gradient"])) == 1


def test_every_pitfall_links_to_the_claim_that_corrects_it():
    registry = load_claims()
    problems = [
        f"{c.id} corrects {c.corrects!r}"
        for c in registry
        if c.pitfall
        and (not c.corrects or c.corrects not in registry or registry[c.corrects].pitfall)
    ]
    assert not problems, "pitfalls without an existing, correct claim to point to:\n" + (
        "\n".join(problems)
    )


def test_generated_pages_render_for_the_real_claims():
    registry = load_claims()
    reg = registry

    def result(claim_id):
        return {
            "verdict": reg[claim_id].expected,
            "evidence": {
                "layers": {"numeric": "pass"},
                "checks": 1,
                "dimensions": [],
                "worst_relative_error": None,
                "reason": "",
                "counterexample": None,
            },
        }

    ctx = render.Context(
        registry=registry,
        result=result,
        pages=catalogue.claim_pages(),
        boxes=catalogue.box_pages(),
        docs_dir=catalogue.DOCS,
        claim_index="claims.md",
        sources_page="sources.md",
    )
    sources = render.sources_page(ctx)
    for claim_ in registry:
        for ref in claim_.refs:
            assert f'<span id="{ref.lower()}"></span>' in sources, ref
    index = "".join(render.claim_index_pages(ctx).values())
    assert not re.search(r"\bS\d-\d{2}\b|\bMC-\d+\b", index), "raw source codes in the index"
    assert render.pitfalls(ctx).startswith("# Pitfalls")


def test_the_hook_renders_nothing_itself():
    text = (ROOT / "hooks" / "claims.py").read_text(encoding="utf-8")
    assert 'class="claim' not in text and "latex" not in text


# ── whitespace ───────────────────────────────────────────────────────────────


def test_collapsed_pages_keep_verbatim_text_and_line_ends():
    from derivations.render.whitespace import collapse

    page = (
        "<nav>\n      <ul>\n        <li>a</li>   <li>b</li>\n</ul></nav>\n"
        "<pre><code>x  =  1\n    y = 2\n</code></pre>\n"
        '<p><code>a  b</code> <span class="arithmatex">\\(x  % note\n  + y\\)</span></p>\n'
        "<script>var s = 'a  b';\n  f();</script>\t<textarea>  keep  </textarea>"
        '<div class="clipboard-copy-txt" id="cell-2">if x:\n    f()</div>  <div>\n  z</div>'
    )
    out = collapse(page)
    assert out == (
        "<nav>\n<ul>\n<li>a</li> <li>b</li>\n</ul></nav>\n"
        "<pre><code>x  =  1\n    y = 2\n</code></pre>\n"
        '<p><code>a  b</code> <span class="arithmatex">\\(x % note\n+ y\\)</span></p>\n'
        "<script>var s = 'a  b';\n  f();</script> <textarea>  keep  </textarea>"
        '<div class="clipboard-copy-txt" id="cell-2">if x:\n    f()</div> <div>\nz</div>'
    )
    assert collapse(out) == out


# ── figures ──────────────────────────────────────────────────────────────────


def test_lab_figures_are_inline_svg_with_alt_text_and_under_200_kb(monkeypatch, tmp_path):
    from derivations.figures import FIGURES, figure_html, show

    monkeypatch.delenv("DERIVATIONS_FIGURES", raising=False)  # as in a reader's Jupyter
    load_claims()
    assert FIGURES
    for fig_id, spec in FIGURES.items():
        block = figure_html(fig_id)
        assert block.startswith('<figure class="lab-figure"><svg role="img" aria-label="')
        assert "<?xml" not in block and "<!DOCTYPE" not in block
        assert html.escape(spec.alt, quote=True) in block
        assert len(block.encode()) < 200 * 1024, f"{fig_id}: {len(block) // 1024} KB"
    with pytest.raises(KeyError, match=r"unknown figure id 'no\.such'"):
        show("no.such")
    # in a site build, the file the build drew for these sources, by its site address
    fig_id = next(iter(FIGURES))
    built = tmp_path / catalogue.source_fingerprint() / f"{fig_id}.svg"
    built.parent.mkdir()
    built.write_text("<svg/>", encoding="utf-8")
    monkeypatch.setenv("DERIVATIONS_FIGURES", str(tmp_path))
    assert f'<img data-site-figure src="figures/{fig_id}.svg" alt="' in figure_html(fig_id)


# ── printed TeX kept between builds ──────────────────────────────────────────


def test_kept_printings_bind_to_the_same_claim_objects_only():
    reg = _registry()
    first = reg["fx.gradient"]
    printed = latex.statement(first)
    kept = latex.printings([first])
    assert kept["statement"] == {"fx.gradient": printed}
    # a new build of the same sources: other objects, the kept text is taken as it is
    again = _registry()
    latex.reuse_printings(again, {"statement": {"fx.gradient": "KEPT"}})
    assert latex.statement(again["fx.gradient"]) == "KEPT"
    # a claim made elsewhere under the same id (a fixture, a mutant) is printed afresh
    other = Registry()
    claim("fx.gradient", "g", kind="gradient", f=x.T @ x, wrt=x, claimed=3 * x, registry=other)
    assert latex.statement(other["fx.gradient"]) != "KEPT"
    assert "3 x" in latex.statement(other["fx.gradient"])


def test_kept_tex_file_round_trips_and_survives_a_bad_file(tmp_path):
    from derivations.render import kept_tex

    reg = _registry()
    path = tmp_path / "tex" / "abc.json"
    printed = latex.statement(reg["fx.gradient"])
    kept_tex.keep(reg, path, known=0)
    again = _registry()
    assert kept_tex.reuse(again, path) >= 1
    assert latex.statement(again["fx.gradient"]) == printed
    path.write_text("{not json", encoding="utf-8")
    assert kept_tex.reuse(_registry(), path) == 0


# ── BibTeX ───────────────────────────────────────────────────────────────────


_LATEX_SPECIAL = re.compile(r"(?<!\\)[_%&#$^~]")  # each stops or changes LaTeX unescaped
_OT1_MISPRINTED = re.compile(r"[<>|]")  # pdfLaTeX's default text fonts print ¡ ¿ — for these


def _without_math(value: str) -> str:
    r"""``value`` with each ``\ensuremath{...}`` group (where ^ _ < > | belong) taken out."""
    out, i = [], 0
    while (start := value.find(r"\ensuremath{", i)) >= 0:
        out.append(value[i:start])
        depth, j = 0, start + len(r"\ensuremath")
        while True:
            depth += {"{": 1, "}": -1}.get(value[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    return "".join(out) + value[i:]


def bibtex_problems(entry: str) -> list[str]:
    r"""What stops BibTeX or LaTeX in one entry, checked by a real BibTeX parser (pybtex): it must
    parse as exactly one entry; outside the url field (typeset verbatim by \url) no unescaped
    _ % & # $ ^ ~, no < > | outside math, only ASCII (pdfLaTeX stops at an unknown Unicode
    character); braces balanced in the raw text too."""
    from pybtex.database import parse_string
    from pybtex.scanner import PybtexSyntaxError

    problems = []
    depth = 0
    for ch in entry:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth:
        problems.append("unbalanced braces")
    try:
        entries = parse_string(entry, "bibtex").entries
    except PybtexSyntaxError as exc:
        return [*problems, f"pybtex cannot parse it: {exc}"]
    if len(entries) != 1:
        return [*problems, f"{len(entries)} entries, expected one"]
    (parsed,) = entries.values()
    fields = dict(parsed.fields)  # author and editor are read as names: checked as written
    fields.update({role: " and ".join(map(str, people)) for role, people in parsed.persons.items()})
    for name, value in fields.items():
        if name.lower() == "url":
            continue
        if bad := sorted({ch for ch in value if ord(ch) > 127}):
            problems.append(f"{name}: non-ASCII {''.join(bad)}")
        text = _without_math(value)
        if found := _LATEX_SPECIAL.findall(text):
            problems.append(f"{name}: unescaped {''.join(sorted(set(found)))}")
        if found := _OT1_MISPRINTED.findall(text):
            problems.append(f"{name}: {''.join(sorted(set(found)))} outside math")
    return problems


def _real_entries() -> list[tuple[str, str]]:
    from derivations.render.pages import bibtex

    reg = load_claims()
    ctx = render.Context(**{**_context().__dict__, "registry": reg})
    return [(c.id, bibtex(ctx, c)) for c in reg]


def test_every_bibtex_entry_parses_and_escapes_what_latex_would_read():
    """Each claim's entry, read by pybtex: one entry with its fields, nothing LaTeX would stop at
    (an unescaped _ in `note` used to stop LaTeX in 391 entries)."""
    from pybtex.database import parse_string

    entries = _real_entries()
    assert len(entries) >= 500
    problems = [f"{claim_id}: {p}" for claim_id, entry in entries for p in bibtex_problems(entry)]
    assert not problems, "\n".join(problems[:20])
    sample = dict(entries)["gradients.quadratic_form"]
    fields = parse_string(sample, "bibtex").entries["cmlv:gradients.quadratic_form"].fields
    assert fields["note"].startswith(r"Machine-verified claim gradients.quadratic\_form;")
    assert fields["title"] == r"{Gradient of a quadratic form} (claim gradients.quadratic\_form)"
    assert set(fields) == {"title", "howpublished", "year", "note", "url"}
    (author,) = (
        parse_string(sample, "bibtex").entries["cmlv:gradients.quadratic_form"].persons["author"]
    )
    assert str(author) == "{Calculus for ML, Verified contributors}"  # one name, not two


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("@misc{k,\n  note = {claim gradients.quadratic_form}\n}", "note: unescaped _"),
        ("@misc{k,\n  title = {Fish & chips}\n}", "title: unescaped &"),
        ("@misc{k,\n  title = {50% off}\n}", "title: unescaped %"),
        ("@misc{k,\n  title = {item #3}\n}", "title: unescaped #"),
        ("@misc{k,\n  title = {x^2}\n}", "title: unescaped ^"),
        ("@misc{k,\n  title = {costs $5}\n}", "title: unescaped $"),
        ("@misc{k,\n  title = {Gradient of wᵀx}\n}", "title: non-ASCII ᵀ"),
        ("@misc{k,\n  title = {when |x| < 1}\n}", "title: <| outside math"),
        ("@misc{k,\n  title = {{Gradient} of x}}\n}", "unbalanced braces"),
        ("@misc{k,\n  title = {a}\n  note = {b}\n}", "pybtex cannot parse it"),
        ("@misc{k,\n  title = {a}\n}\n@misc{j,\n  title = {b}\n}", "2 entries, expected one"),
        ("@misc{k,\n  author = {Smith_Jones}\n}", "author: unescaped _"),
    ],
)
def test_the_bibtex_checker_fails_on_what_latex_would_stop_at(entry, problem):
    found = bibtex_problems(entry)
    assert any(p.startswith(problem) for p in found), found


def test_bibtex_text_escapes_and_writes_unicode_mathematics_as_latex():
    from derivations.render.pages import bibtex_text

    assert bibtex_text("a_b & 50% #1 $x$ {y} ^~\\") == (
        r"a\_b \& 50\% \#1 \$x\$ y \^{}\~{}\textbackslash{}"
    )
    # a run of superscripts is one superscript (X^{-1}, not X^{-}^{1}, a LaTeX error)
    assert bibtex_text("X⁻¹ and wᵀx") == r"X\ensuremath{^{-1}} and w\ensuremath{^{\top }}x"
    assert bibtex_text("x₁ − ½‖x‖²") == (
        r"x\ensuremath{_{1}} \ensuremath{-} \ensuremath{\frac{1}{2}}\ensuremath{\|}x"
        r"\ensuremath{\|}\ensuremath{^{2}}"
    )
    assert bibtex_text("|x| < 1") == r"\textbar{}x\textbar{} \textless{} 1"
    assert bibtex_text("Cauchy–Schwarz …") == r"Cauchy--Schwarz \ldots{}"
    for c in load_claims():  # every title the site has is written in ASCII
        assert bibtex_text(c.title).isascii(), (c.id, bibtex_text(c.title))


BIBTEX = shutil.which("bibtex")


def bibtex_run(entries: list[str], tmp_path) -> list[str]:
    r"""Runs ``bibtex`` with the standard plain.bst on an .aux citing every entry: its errors and
    warnings (empty when it reads every entry cleanly and writes a \bibitem for each)."""
    keys = [re.match(r"@\w+\{([^,]+),", e).group(1) for e in entries]
    (tmp_path / "claims.bib").write_text("\n\n".join(entries) + "\n", encoding="ascii")
    (tmp_path / "cite.aux").write_text(
        "\\relax\n"
        + "".join(f"\\citation{{{k}}}\n" for k in keys)
        + "\\bibstyle{plain}\n\\bibdata{claims}\n",
        encoding="ascii",
    )
    proc = subprocess.run(
        [BIBTEX, "cite"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    log = proc.stdout + proc.stderr
    problems = [
        line
        for line in log.splitlines()
        if line.startswith("Warning--") or "error" in line.lower() or "---" in line
    ]
    if proc.returncode != 0:
        problems.append(f"bibtex exited {proc.returncode}")
    bbl = tmp_path / "cite.bbl"
    items = bbl.read_text(encoding="ascii").count("\\bibitem") if bbl.exists() else 0
    if items != len(keys):
        problems.append(f"{items} bibitems for {len(keys)} citations")
    return problems


def _need_bibtex():
    if BIBTEX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("bibtex is required under CI=true (apt-get install texlive-base)")
        pytest.skip("bibtex not installed (CI installs texlive-base and runs this test)")


def _cite_page_entries() -> list[str]:
    text = (ROOT / "docs" / "cite.md").read_text(encoding="utf-8")
    return re.findall(r"```bibtex\n(.*?)\n```", text, re.DOTALL)


def test_the_whole_site_entry_on_the_cite_page_parses_cleanly():
    (entry,) = _cite_page_entries()
    assert bibtex_problems(entry) == []


def test_bibtex_reads_every_entry_without_an_error_or_warning(tmp_path):
    _need_bibtex()
    entries = [entry for _, entry in _real_entries()] + _cite_page_entries()
    assert len(entries) >= 500
    assert not bibtex_run(entries, tmp_path)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("@misc{k,\n  title = {a}\n  note = {b}\n}", "I was expecting a `,' or a `}'"),
        ("@article{k,\n  title = {a}\n}", "Warning--empty author in k"),
        ("@misc{k,\n  title = {a{b}\n}", "Illegal end of database file"),
    ],
)
def test_the_bibtex_run_fails_on_an_entry_bibtex_cannot_read(entry, problem, tmp_path):
    _need_bibtex()
    found = bibtex_run([entry], tmp_path)
    assert any(problem in p for p in found), found
