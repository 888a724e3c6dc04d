"""The built site: strict build, anchors for every claim, nothing from another host, formulas
from the tested objects, lab pages with plots; and must-fail fixture sites for each guard."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from derivations import catalogue, formulas, load_claims
from derivations.engine import Registry, claim, dim, latex, vector

from .conftest import ROOT, load_hook

pytestmark = pytest.mark.slow
REGISTRY = load_claims()


def page_html(site: Path, url: str) -> str:
    path = url.split("#", 1)[0]
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_every_claim_url_anchor_exists_in_the_built_site(built_site):
    pages = catalogue.claim_pages()
    assert len(pages) >= 10
    for claim_id in REGISTRY.ids():
        url = catalogue.claim_url(claim_id, pages)
        assert url is not None, f"{claim_id} is on no page"
        assert f'id="{claim_id}"' in page_html(built_site, url), url


class _Resources(HTMLParser):
    """Collects every URL the browser would fetch by itself (not plain <a> links)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.urls.append(a["src"])
        fetched = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}
        if tag == "link" and a.get("href") and fetched & set((a.get("rel") or "").split()):
            self.urls.append(a["href"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])


REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)
# names of public CDNs, spelled in pieces so the repository itself never mentions one
CDN_WORDS = re.compile(
    "|".join(
        [
            "cdn" + "js",
            "js" + "delivr",
            "un" + "pkg\\.com",
            "google" + "apis",
            "g" + "static",
            "poly" + "fill\\.io",
            "math" + "jax\\.org",
        ]
    )
)


def test_the_site_requests_nothing_from_another_host(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = _Resources()
        parser.feed(text)
        remote = [u for u in parser.urls if REMOTE.match(u)]
        assert not remote, f"{page.relative_to(built_site)} loads {remote}"
        assert not CDN_WORDS.search(text), f"{page.relative_to(built_site)} mentions a CDN"
    for asset in list(built_site.rglob("*.css")) + list(built_site.rglob("*.js")):
        text = asset.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), asset
    assert (built_site / "assets/vendor/katex/katex.min.js").exists()
    assert list((built_site / "assets/vendor/katex/fonts").glob("*.woff2"))


def test_formulas_on_pages_are_printed_from_the_verified_objects(built_site):
    """Every box and every inline form shows exactly the TeX of its claim, where it stands."""
    shown = [
        s
        for s in formulas.inventory(REGISTRY)
        if s.status in ("claim", "fact") and s.page.startswith("docs/")
    ]
    assert len(shown) >= len(catalogue.box_pages())
    for span in shown:
        rel = span.page.removeprefix("docs/")
        text = html.unescape(page_html(built_site, catalogue.page_url(rel)))
        assert span.tex in text, f"{span.page}:{span.line}: {span.id}"


RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\\frac|\\begin\{|\\mathbb")
OUTSIDE_MATH = re.compile(
    r'<(span|div) class="arithmatex">.*?</\1>|<(code|pre|script|style|textarea)\b.*?</\2>',
    re.DOTALL,
)
ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)


def raw_tex_outside_math(page: str) -> list[str]:
    """TeX that reached the article as text: math the Markdown did not recognise as math.
    (Headings' math in the navigation is typeset by the page script: see test_browser.)"""
    article = " ".join(ARTICLE.findall(page)) or page
    text = html.unescape(re.sub(r"<[^>]+>", " ", OUTSIDE_MATH.sub(" ", article)))
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in RAW_TEX.finditer(text)]


def test_raw_tex_detector_fails_on_a_display_formula_glued_to_its_paragraph():
    glued = '<p>To first order, by <span class="arithmatex">\\(J\\)</span>:\n$$\ng(x)\n$$</p>'
    assert raw_tex_outside_math(glued)
    assert not raw_tex_outside_math('<div class="arithmatex">\\[ \\frac{a}{b} \\]</div>')


def test_no_page_shows_raw_tex(built_site):
    problems = {}
    for path in sorted(built_site.rglob("index.html")):
        rel = path.parent.relative_to(built_site).as_posix()
        if rel.startswith("derivations/"):
            continue  # lab pages: notebook Markdown is typeset in the browser (test_browser)
        found = raw_tex_outside_math(path.read_text(encoding="utf-8"))
        if found:
            problems[rel] = found[:3]
    assert not problems, problems


def test_render_changes_when_the_claim_object_changes():
    hook = load_hook("claims")
    n = dim("n")
    x = vector("x", n)
    reg = Registry()
    right = claim(
        "fixture.render", "r", kind="gradient", f=x.T @ x, wrt=x, claimed=2 * x, registry=reg
    )
    hook._state.update(
        registry=reg,
        pages={right.id: "p.md"},
        results={},
        version="0.0.0",
        commit="abc",
        config={"extra": {"issues_url": "https://example.org/new"}},
    )
    first = hook.render_claim(right.id, "p.md")
    assert latex.statement(right) in first and "✓ verified" in first
    assert "Report a problem with this claim" in first
    y = vector("y", n)
    reg._claims[right.id] = claim(
        "fixture.render", "r", kind="gradient", f=y.T @ y, wrt=y, claimed=2 * y, registry=Registry()
    )
    hook._state["results"] = {}
    second = hook.render_claim(right.id, "p.md")
    assert latex.statement(reg[right.id]) in second and second != first


def test_lab_pages_are_executed_with_their_plots(built_site):
    for name in catalogue.TOPICS:
        lab = built_site / name.replace(".", "/") / "index.html"
        text = lab.read_text(encoding="utf-8")
        assert "jupyter-wrapper" in text
        # the lab draws the chapter's registered figures, as inline SVG announced by alt text
        # the lab shows the chapter's figure files, with their alt text
        images = re.findall(r'<figure class="lab-figure">\s*(<img[^>]*>)', text)
        assert images, f"{lab}: no figure"
        for img in images:
            assert re.search(r'alt="[^"]{20,}"', img), img
            src = re.search(r'src="([^"]+)"', img).group(1)
            assert (lab.parent / src).resolve().is_file(), f"{lab}: {src} is not in the site"
        assert "No description has been provided" not in text, f"{lab}: an image without alt"
        # the copy button copies the cell as written: indentation kept
        copies = re.findall(r'<div class="clipboard-copy-txt"[^>]*>([^<]*)</div>', text)
        blocks = [c for c in copies if c.startswith("if __name__")]
        assert blocks and all("\n    " in c for c in blocks), f"{lab}: copied code lost its indent"
        assert "Traceback" not in text


def test_build_time_figures_have_alt_text(built_site):
    from derivations.figures import FIGURES

    assert FIGURES
    for fig_id in FIGURES:
        svg = built_site / "figures" / f"{fig_id}.svg"
        assert svg.exists() and svg.read_text().lstrip().startswith("<?xml")
    texts = "".join(p.read_text(encoding="utf-8") for p in built_site.rglob("*.html"))
    for fig_id, spec in FIGURES.items():
        assert f"figures/{fig_id}.svg" in texts, f"figure {fig_id} is used on no page"
        assert (
            f'alt="{html.escape(spec.alt.replace("[", "(").replace("]", ")"), quote=True)}"'
            in texts
            or spec.alt[:40] in texts
        )


# ── must-fail fixture sites: each guard of the build fires ───────────────────

GOOD_PAGE = """\
# Fixture

{{ claim("gradients.linear_form") }}
"""


def test_fixture_control_builds(fixture_site):
    proc, site = fixture_site({"index.md": GOOD_PAGE})
    assert proc.returncode == 0, proc.stderr
    assert 'id="gradients.linear_form"' in (site / "index.html").read_text()


def test_unknown_claim_id_fails_the_build(fixture_site):
    proc, _ = fixture_site({"index.md": '# F\n\n{{ claim("nope.not_a_claim") }}\n'})
    assert proc.returncode != 0
    assert "unknown claim id 'nope.not_a_claim'" in proc.stdout + proc.stderr


def test_wrong_claim_fails_the_build_naming_it_with_a_counterexample(fixture_site):
    hook = str(ROOT / "tests" / "fixtures" / "wrong_claim_hook.py")
    page = '# F\n\n{{ claim("fixture.missing_factor_two") }}\n'
    proc, _ = fixture_site({"index.md": page}, extra_hooks=(hook,))
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "fixture.missing_factor_two" in log and "is refuted but must be verified" in log
    cx = json.loads(log.split("counterexample: ", 1)[1].splitlines()[0])
    assert "point" in cx or "claimed" in cx


def test_raising_lab_cell_fails_the_build(fixture_site):
    lab = "# %%\nprint('before')\n\n# %%\nraise ZeroDivisionError('a lab cell that raises')\n"
    proc, _ = fixture_site({"index.md": "# F\n"}, labs={"raising.py": lab})
    assert proc.returncode != 0
    assert "a lab cell that raises" in proc.stdout + proc.stderr


def test_link_to_a_missing_anchor_fails_the_build(fixture_site):
    page = GOOD_PAGE + "\nSee [this](#no-such-anchor).\n"
    proc, _ = fixture_site({"index.md": page})
    assert proc.returncode != 0
    assert "no-such-anchor" in proc.stdout + proc.stderr


# ── citable: index, BibTeX, report links, version footer, retired anchors ────


def test_claim_index_lists_every_claim_with_a_bibtex_entry(built_site):
    overview = (built_site / "claims" / "index.html").read_text(encoding="utf-8")
    chapters = sorted((built_site / "claims").glob("*/index.html"))
    assert len(chapters) >= 11
    for chapter in chapters:
        assert f'href="{chapter.parent.name}/"' in overview, f"{chapter} is not linked"
    raw = "".join(p.read_text(encoding="utf-8") for p in chapters)
    text = html.unescape(re.sub(r"<[^>]+>", "", raw))  # code blocks are split into spans
    for claim_id in REGISTRY.ids():
        assert f"@misc{{cmlv:{claim_id}," in text, claim_id
        assert f'#{claim_id}"' in raw, f"no link to the box of {claim_id}"


def test_every_claim_box_has_a_report_link_and_every_page_the_version(built_site):
    from derivations import lock

    version = lock.release_version()
    for page in built_site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        assert f"verified at version {version}" in text, page
        if page.parent.name == "print_page":
            continue  # paper: the handout leaves report links out (test_print_offline)
        boxes = len(re.findall(r'<div class="claim claim--(?:verified|pitfall)"', text))
        assert text.count("Report a problem with this claim") == boxes, page


def test_pitfalls_page_gathers_every_pitfall_with_its_counterexample(built_site):
    text = (built_site / "pitfalls" / "index.html").read_text(encoding="utf-8")
    pitfalls = [c for c in REGISTRY if c.pitfall]
    assert pitfalls
    for pitfall in pitfalls:
        assert f"#{pitfall.id}" in text, pitfall.id
    assert text.count("Counterexample found by the engine") == len(pitfalls)


def test_a_retired_id_keeps_its_anchor_with_a_note():
    hook = load_hook("claims")
    hook._state.update(
        registry=REGISTRY,
        pages=catalogue.claim_pages(),
        lock={
            "claims": {},
            "changed": {},
            "retired": {
                "gradients.old_statement": {
                    "in": "0.2.0",
                    "replaced_by": "gradients.linear_form",
                    "note": "merged into the linear-form claim",
                    "page": "chapters/gradients.md",
                }
            },
        },
    )
    note = hook._retired_notes("chapters/gradients.md")
    assert 'id="gradients.old_statement"' in note
    assert "#gradients.linear_form" in note and "merged into the linear-form claim" in note
    assert hook._retired_notes("index.md") == ""


def test_every_page_weighs_under_600_kb(built_site):
    """Uncompressed HTML per page; shared, cached assets (CSS, JS, fonts, figures, the search
    index) are not counted. The limit is a reader's phone on a lecture hall's Wi-Fi. The
    whole-book handout is the one page that grows with the book: it has its own budget below."""
    heavy = {
        path.relative_to(built_site).as_posix(): path.stat().st_size // 1024
        for path in built_site.rglob("*.html")
        if path.stat().st_size >= 600 * 1024 and path.parent.name != "print_page"
    }
    assert not heavy, f"pages over 600 KB (KB): {heavy}"


def handout_weighs_less_than_its_pages(site) -> tuple[bool, int, int]:
    """The handout gathers Conventions and the chapters into one page. It may weigh no more than
    those pages do separately (each carries the site's chrome once; the handout once in all), so it
    grows with the book but never by repeating anything."""
    handout = (site / "print_page" / "index.html").stat().st_size
    pages = [site / "conventions" / "index.html", *sorted((site / "chapters").glob("*/index.html"))]
    pages += sorted((site / "reference").glob("*/index.html"))  # the identity reference pages
    gathered = sum(page.stat().st_size for page in pages)
    return handout <= gathered, handout // 1024, gathered // 1024


def test_the_whole_book_handout_weighs_less_than_the_pages_it_gathers(built_site):
    fits, handout, gathered = handout_weighs_less_than_its_pages(built_site)
    assert fits, f"print_page/ is {handout} KB, the pages it gathers {gathered} KB"


def test_handout_budget_catches_a_handout_that_repeats_its_pages(tmp_path):
    for folder, size in [("conventions", 50), ("chapters/a", 200), ("chapters/b", 300)]:
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.html").write_bytes(b"x" * size * 1024)
    (tmp_path / "print_page").mkdir()
    (tmp_path / "print_page" / "index.html").write_bytes(b"x" * 480 * 1024)
    assert handout_weighs_less_than_its_pages(tmp_path) == (True, 480, 550)
    (tmp_path / "print_page" / "index.html").write_bytes(b"x" * 2 * 550 * 1024)  # twice over
    assert handout_weighs_less_than_its_pages(tmp_path)[0] is False


def test_lab_code_loses_only_the_spans_that_style_nothing():
    labs = load_hook("labs")
    page = (
        '<div class="highlight-ipynb hl-python"><pre><span class="n">x</span><span class="w"> '
        '</span><span class="o">=</span> <span class="n">f</span><span class="p">(</span>'
        '<span class="mi">1</span><span class="p">)</span></pre></div>'
        '<div class="highlight"><pre><span class="n">y</span></pre></div>'
    )
    assert labs.plain_unstyled_tokens(page) == (
        '<div class="highlight-ipynb hl-python"><pre>x <span class="o">=</span> f'
        '<span class="p">(</span><span class="mi">1</span><span class="p">)</span></pre></div>'
        '<div class="highlight"><pre><span class="n">y</span></pre></div>'  # Material styles .n
    )
