"""The renderer (derivations/render/), on its own: no MkDocs, no site build, made-up verdicts."""

from __future__ import annotations

import html
import re
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


def test_every_bibtex_entry_is_balanced_and_escapes_what_latex_would_read():
    """Each claim's entry: braces balanced, and outside the verbatim url field no unescaped
    _ % & # $ (an unescaped _ in `note` used to stop LaTeX in 391 entries)."""
    from derivations.render.pages import bibtex

    ctx = _context()
    reg = load_claims()
    ctx = render.Context(**{**ctx.__dict__, "registry": reg})
    unescaped = re.compile(r"(?<!\\)[_%&#$]")
    for c in reg:
        entry = bibtex(ctx, c)
        depth = 0
        for ch in entry:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0, entry
        assert depth == 0, entry
        for line in entry.splitlines()[1:-1]:
            name, _, value = line.partition("=")
            if name.strip() != "url":
                assert not unescaped.search(value), (c.id, line)
    sample = bibtex(ctx, reg["gradients.quadratic_form"])
    assert r"note         = {Machine-verified claim gradients.quadratic\_form;" in sample
