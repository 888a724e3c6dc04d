"""The print handout and the offline build.

* The handout (``print_page/``, mkdocs-print-site-plugin with hooks/handout.py): Conventions,
  every chapter (with its pitfall boxes) on one page, without the labs, the claim index or the
  evidence drop-downs; every
  formula typeset, every in-page link landing on an element, nothing fetched from another host;
  printed by Chromium to ``test-artifacts/handout.pdf``.
* Paper (docs/stylesheets/print.css, docs/javascripts/math.js): each chapter page prints as a
  handout of that chapter, and so does the whole book; printed to PDF by Chromium (A4) and read
  back with pypdf: no claim box split across two pages, no near-empty page, every formula
  typeset (also when printing starts before the idle typesetting is done), no site chrome.
* The offline build (``mkdocs-offline.yml``), opened from ``file://`` with no server: typeset
  math, working search, lab plots, the handout, and no request to anything but local files.

The browser tests need Chromium, like test_browser.py (skipped locally without it, required
under CI=true).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from pypdf import PdfReader

from derivations import catalogue

from .conftest import ROOT, load_hook
from .test_browser import LOADED_WIDTHS

ARTIFACTS = ROOT / "test-artifacts"
PRINT_PAGE = "print_page/"
TYPESET = "document.documentElement.dataset.mathTypeset === '1'"
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]")


def handout_pages() -> list[tuple[str, str]]:
    """(nav title, docs path) of every page the handout must hold, in nav order."""
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    entries = {title: target for item in nav for title, target in item.items()}
    pages = [("Conventions", entries["Conventions"])]
    pages += [next(iter(item.items())) for item in entries["Chapters"]]
    pages += [next(iter(item.items())) for item in entries.get("Identity reference", [])]
    return pages


def page_key(md: str) -> str:
    """The id of a page's section on the print page (mkdocs-print-site-plugin's page key)."""
    return catalogue.page_url(md).rstrip("/").replace("/", "-") or "index"


def expected_claim_boxes() -> int:
    printed = {md for _, md in handout_pages()}
    return sum(1 for md in catalogue.box_pages().values() if md in printed)


# ── the link repair of hooks/handout.py, on a small made-up print page ─────────


def test_handout_hook_points_every_renamed_link_at_an_element():
    hook = load_hook("handout")
    text = (
        '<section class="print-page" id="chapters-a"><h2 id="chapters-a-intro">I</h2>'
        '<div class="claim" id="a.claim"></div>'
        '<a href="#chapters-a-a.claim">box</a><a href="#chapters-a-intro">heading</a>'
        '<a href="#labs-x">lab</a><a href="#labs-x-cell-3">lab cell</a>'
        '<a href="#chapters-a-nowhere">broken</a></section>'
    )
    pages = {"chapters-a": "chapters/a/", "labs-x": "labs/x/"}
    fixed, unresolved = hook.fix_links(text, pages, "print_page/")
    assert 'href="#a.claim"' in fixed  # the claim box keeps its own id
    assert 'href="#chapters-a-intro"' in fixed  # already right: untouched
    assert 'href="../labs/x/"' in fixed and 'href="../labs/x/#cell-3"' in fixed
    assert unresolved == ["chapters-a-nowhere"]
    offline, _ = hook.fix_links(
        text, {"chapters-a": "chapters/a.html", "labs-x": "labs/x.html"}, "print_page.html"
    )
    assert 'href="labs/x.html#cell-3"' in offline


# ── paper: what Chromium prints, read back from the PDF ──────────────────────

PRINT_CSS = ROOT / "docs" / "stylesheets" / "print.css"
CLAIMS_CSS = ROOT / "docs" / "stylesheets" / "claims.css"
MM = 72 / 25.4  # PDF points per millimetre
# A page other than the last of its chapter (or of the cover, the contents, Conventions) must
# be filled at least this far down its printable area. Measured on the handout and on each
# chapter printed alone: full pages reach 90-100 %; a page that ends early because the next
# claim box or figure does not fit stops at 46 % or more (56 % on the handout). Before
# print.css, the pages this check was written against stopped at 16 % (the handout's
# "Chapters" title alone on its page) and 16-38 % (the page before a worked solution that
# moved whole to the next page, in 4 of the 11 chapters printed alone).
MIN_FILL = 0.4
LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"})
MARK = re.compile(r"pdfmark([SEBHZ])(\d*)x")
# Markers added to the page just before printing: absolutely positioned (they take no room and
# move nothing), transparent, yet drawn as text, so pypdf tells on which page, and how far
# down, each lands. S/E: the top and bottom edge of claim box i; B: the bottom of a figure,
# table or admonition (whose height text alone does not show); H: the bottom of heading i (or
# of an admonition's title); Z: the end of printed unit i (a chapter; on the handout also the
# cover, the contents and Conventions).
MARK_PAGE = """(units) => {
  const style = document.createElement('style');
  style.textContent = '.pdfmark{position:absolute;left:0;font:2px/2px monospace;' +
    'color:transparent;white-space:nowrap;pointer-events:none}.pdfmarked{position:relative}';
  document.head.append(style);
  const mark = (el, token, edge) => {
    el.classList.add('pdfmarked');
    const span = document.createElement('span');
    span.className = 'pdfmark';
    span.textContent = token;
    span.style[edge] = '0';
    el.append(span);
  };
  const boxes = [...document.querySelectorAll('div.claim')];
  boxes.forEach((box, i) => {
    mark(box, 'pdfmarkS' + i + 'x', 'top');
    mark(box, 'pdfmarkE' + i + 'x', 'bottom');
  });
  document.querySelectorAll(
    'figure, .md-typeset__table, .admonition, details:not(.claim__evidence)'
  ).forEach(el => mark(el, 'pdfmarkBx', 'bottom'));
  document.querySelectorAll(units).forEach((el, i) => mark(el, 'pdfmarkZ' + i + 'x', 'bottom'));
  const headings = [...document.querySelectorAll(
    '.md-typeset :is(h1, h2, h3, h4, h5, h6), .admonition-title, ' +
    'details:not(.claim__evidence) > summary'
  )];
  headings.forEach((el, i) => mark(el, 'pdfmarkH' + i + 'x', 'bottom'));
  return {
    boxes: boxes.map(box => box.id || box.textContent.trim().slice(0, 60)),
    headings: headings.map(el => el.textContent.replace(/pdfmark\\w+/g, '').trim().slice(0, 60)),
  };
}"""
CHAPTER_UNITS = "article.md-content__inner"
HANDOUT_UNITS = "#print-site-cover-page, #print-site-page section.print-page:not(.md-section)"


def page_margins() -> tuple[float, float]:
    """The top and bottom margin of the printed page in points, as print.css sets them."""
    rule = re.search(r"@page\s*\{[^}]*?margin:\s*([^;]+);", PRINT_CSS.read_text(encoding="utf-8"))
    assert rule, "print.css sets no @page margin"
    sizes = [float(v.removesuffix("mm")) * MM for v in rule.group(1).split()]  # CSS shorthand
    return sizes[0], sizes[2] if len(sizes) > 2 else sizes[0]


@dataclass
class PrintedPage:
    number: int  # 1-based
    marks: list[tuple[str, str, float]]  # (kind, index, y) of every marker on the page
    fill: float  # how far down its printable area the page's lowest text or marker reaches
    lines: int  # distinct text baselines in the printable area
    text: str
    body: list[tuple[str, float]]  # every text run in the printable area, and its baseline


def read_paper(pdf: Path) -> list[PrintedPage]:
    top_margin, bottom_margin = page_margins()
    pages = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        top = float(page.mediabox.height) - top_margin
        items: list[tuple[str, float]] = []

        def visit(text, cm, tm, _font, _size, items=items):
            if text.strip():
                items.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

        text = page.extract_text(visitor_text=visit).translate(LIGATURES)
        body = [(t, y) for t, y in items if y > bottom_margin - 1]  # not the page number
        marks = [(m[0], m[1], y) for t, y in items for m in MARK.findall(t)]
        lowest = min((y for _, y in body), default=top)
        fill = max(0.0, min(1.0, (top - lowest) / (top - bottom_margin)))
        lines = len({round(y) for t, y in body if not MARK.fullmatch(t.strip())})
        pages.append(PrintedPage(number, marks, fill, lines, text, body))
    return pages


def split_boxes(pages: list[PrintedPage], box_ids: list[str]) -> list[str]:
    """Every claim box whose top and bottom edge are printed on different pages (or not at all)."""
    where: dict[tuple[str, int], list[int]] = {}
    for page in pages:
        for kind, index, _ in page.marks:
            if kind in "SE":
                where.setdefault((kind, int(index)), []).append(page.number)
    out = []
    for i, box in enumerate(box_ids):
        start, end = where.get(("S", i), []), where.get(("E", i), [])
        if len(start) != 1 or len(end) != 1:
            out.append(f"{box}: edges printed on pages {start} and {end}")
        elif start != end:
            out.append(f"{box}: split over pages {start[0]}-{end[0]}")
    return out


def sparse_pages(pages: list[PrintedPage], min_fill: float = MIN_FILL) -> list[str]:
    """Pages filled less than ``min_fill`` that are not the last page of a printed unit."""
    out = []
    for page in pages:
        if any(kind == "Z" for kind, _, _ in page.marks):
            continue  # a chapter ends on this page: it may be short
        if page.fill < min_fill:
            out.append(f"page {page.number}: {page.fill:.0%} full, {page.lines} lines")
    return out


def stranded_headings(pages: list[PrintedPage], headings: list[str]) -> list[str]:
    """Headings (and admonition titles) with nothing printed below them on their page."""
    out = []
    for page in pages:
        for kind, index, y in page.marks:
            if kind != "H":
                continue
            below = [
                t for t, other in page.body if other < y - 0.5 and not t.startswith("pdfmarkH")
            ]
            if not below:
                out.append(f"{headings[int(index)]!r} ends page {page.number}")
    return out


def print_to_pdf(page, path: Path, units: str) -> tuple[dict, float]:
    """Mark the page and print it as Chromium's DevTools does (A4): the claim boxes and
    headings marked (in the markers' order), and the seconds printing took."""
    marked = page.evaluate(MARK_PAGE, units)
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    page.pdf(path=str(path), format="A4", print_background=True)
    return marked, time.perf_counter() - start


def paper_report(pages: list[PrintedPage]) -> dict:
    fills = sorted(p.fill for p in pages)
    inside = [p.fill for p in pages if not any(kind == "Z" for kind, _, _ in p.marks)]
    return {
        "pages": len(pages),
        "fill_min_but_last_pages": round(min(inside, default=1), 3),
        "fill_median": round(fills[len(fills) // 2], 3),
        "fill_per_page": [round(p.fill, 2) for p in pages],
    }


def check_paper(pdf: Path, marked: dict) -> list[PrintedPage]:
    pages = read_paper(pdf)
    assert pages
    split = split_boxes(pages, marked["boxes"])
    assert not split, f"{len(split)} claim boxes split across pages: {split[:10]}"
    sparse = sparse_pages(pages)
    assert not sparse, f"near-empty pages in {pdf.name}: {sparse}"
    stranded = stranded_headings(pages, marked["headings"])
    assert not stranded, f"headings at the foot of a page in {pdf.name}: {stranded}"
    text = "\n".join(p.text for p in pages)
    assert not RAW_TEX.search(text), f"untypeset TeX on paper: {RAW_TEX.search(text)}"
    return pages


# on a chapter printed from the site, none of the site around it
SITE_CHROME = (
    "Skip to content",
    "Back to top",
    "Lab: ",  # the navigation
    "Claim index",
    "worst relative error",  # a claim's evidence list
    "Report a problem with this claim",
    "Copy TeX",
    "Copy BibTeX",
    "Made with",
)


FIXTURE_BOX = (
    '<div class="claim claim--verified" id="fixture.box{i}"><div class="claim__head">'
    '<span class="claim__title">Box {i}</span> <span class="claim__badge '
    'claim__badge--verified">✓ verified</span> <a class="claim__id" href="#fixture.box{i}">'
    "fixture.box{i}</a></div><p>{body}</p><p>for all x in R.</p></div>"
)


def fixture_page(extra_css: str, *, print_css: bool = True) -> str:
    """A made-up chapter: prose and claim boxes, laid out by the real stylesheets."""
    css = CLAIMS_CSS.read_text(encoding="utf-8")
    css += PRINT_CSS.read_text(encoding="utf-8") if print_css else "@page{margin:14mm 12mm 16mm}"
    body = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 6
    blocks = []
    for i in range(24):
        if i == 14:
            blocks.append("<h2>A section</h2>")
        blocks.append(f"<p>{body}</p>")
        blocks.append(FIXTURE_BOX.format(i=i, body=body * (1 + i % 3)))
    return (
        f"<!doctype html><html><head><style>{css}{extra_css}</style></head><body>"
        f'<article class="md-content__inner md-typeset"><h1>Fixture</h1>{"".join(blocks)}'
        "</article></body></html>"
    )


# ── the handout in the served site ───────────────────────────────────────────


@pytest.mark.slow
def test_handout_holds_the_chapters_and_nothing_else(built_site):
    text = (built_site / PRINT_PAGE / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r'<section class="print-page" id="([^"]+)"', text)
    assert sections == [page_key(md) for _, md in handout_pages()]
    assert "jupyter-wrapper" not in text and "@misc{cmlv:" not in text  # no labs, no index
    assert not re.search(r"<h1>\s*Labs", text), "an empty Labs section is printed"
    boxes = len(re.findall(r'<div class="claim claim--(?:verified|pitfall)"', text))
    assert boxes == expected_claim_boxes() > 100
    ids = set(re.findall(r"""\bid=["']([^"']+)["']""", text))
    broken = sorted({h for h in re.findall(r'href="#([^"]*)"', text) if h and h not in ids})
    assert not broken, f"links to missing anchors on the print page: {broken[:10]}"
    assert '"base": ".."' in text, "Material's base must be relative (not site_url's path)"
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<a class="print-handout" href="print_page/">' in index


@pytest.mark.browser
@pytest.mark.slow
def test_handout_is_typeset_and_prints_to_a_pdf(chromium, served_site):
    base, _ = served_site
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda r: errors.append(f"failed {r.url}"))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    remote: list[str] = []
    page.on(
        "request",
        lambda r: (
            remote.append(r.url)
            if urlparse(r.url).hostname != "127.0.0.1" and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(base, wait_until="load")
    page.locator("a.print-handout").click()  # the link on the home page
    page.wait_for_url(base + PRINT_PAGE)
    page.wait_for_function(TYPESET, timeout=120_000)
    typeset_ms = page.evaluate("[window.__mathTypesetMs, window.__mathCompleteMs]")
    page.wait_for_load_state("networkidle")

    titles = page.eval_on_selector_all(
        "section.print-page > h1", "els => els.map(e => e.textContent.replace('¶', '').trim())"
    )
    expected = [title for title, _ in handout_pages()]
    assert [t for t in titles if t in expected] == expected, titles

    assert page.locator(".arithmatex").count() > 1000
    assert page.locator(".arithmatex:not(:has(.katex))").count() == 0
    assert page.locator(".katex").count() > 1000
    assert page.locator(".katex-error").count() == 0
    raw = page.eval_on_selector_all(
        ".arithmatex", "els => els.map(e => e.querySelector('.katex-html')?.textContent ?? '')"
    )
    assert not [t for t in raw if RAW_TEX.search(t)]
    visible = page.evaluate("document.body.innerText")  # the table of contents included
    assert not RAW_TEX.search(visible), RAW_TEX.search(visible)
    assert page.locator("div.claim:not(.claim--retired)").count() == expected_claim_boxes()
    assert not errors, errors
    assert not remote, remote

    # for the screen only: left out of the handout
    assert page.locator(".claim__evidence, .claim__report").count() == 0
    page.emulate_media(media="print")
    pdf = ARTIFACTS / "handout.pdf"
    marked, seconds = print_to_pdf(page, pdf, HANDOUT_UNITS)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 200_000
    assert len(marked["boxes"]) == page.locator("div.claim").count() > 100
    printed = check_paper(pdf, marked)  # no box split, no near-empty page, no raw TeX
    assert len(printed) >= len(expected), f"{len(printed)} pages for {len(expected)} chapters"
    text = "\n".join(p.text for p in printed)
    assert not [c for c in SITE_CHROME if c in text], "site chrome in the handout"
    report = {
        "first_screen_typeset_ms": round(typeset_ms[0]),
        "all_typeset_ms": round(typeset_ms[1]),
        "pdf_s": round(seconds, 2),
        **paper_report(printed),
    }
    (ARTIFACTS / "print-handout.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    context.close()


# ── paper: the checker on made-up pages, then each chapter printed on its own ──


@pytest.mark.browser
def test_paper_checker_finds_split_boxes_near_empty_pages_and_stranded_headings(chromium, tmp_path):
    """The checker must fail on paper that is wrong, and print.css is what makes it right."""
    context = chromium.new_context()
    page = context.new_page()

    def paper(html: str) -> tuple[list[str], list[str], list[str]]:
        page.set_content(html)
        pdf = tmp_path / "fixture.pdf"
        marked, _ = print_to_pdf(page, pdf, CHAPTER_UNITS)
        assert len(marked["boxes"]) == 24
        pages = read_paper(pdf)
        assert len(pages) > 4
        return (
            split_boxes(pages, marked["boxes"]),
            sparse_pages(pages),
            stranded_headings(pages, marked["headings"]),
        )

    # forced: a break inside box 5, a page holding only the paragraph before box 9, and a
    # break right after the heading
    split, sparse, stranded = paper(
        fixture_page(
            '[id="fixture.box5"] > p:last-of-type { break-before: page; }'
            'article > p:nth-of-type(10), [id="fixture.box9"] { break-before: page; }'
            "h2 + p { break-before: page; }"
        )
    )
    assert [s.split(":")[0] for s in split] == ["fixture.box5"], split
    assert len(sparse) == 1, f"a page holding one paragraph passed as full: {sparse}"
    assert [s.split(" ends")[0] for s in stranded] == ["'A section'"], stranded
    # without print.css boxes fall where the page ends: some are cut in two
    split, _, _ = paper(fixture_page("", print_css=False))
    assert split, "no box straddles a page end without print.css: the fixture proves nothing"
    # with it, none is, no page is near-empty, and the heading stays with its paragraph
    assert paper(fixture_page("")) == ([], [], [])
    context.close()


# math.js typesets the first screen at once and the rest while the browser is idle; holding the
# idle callbacks back leaves formulas untypeset, as when a reader prints right after the page
# has loaded: printing itself must typeset them.
HOLD_IDLE = "window.requestIdleCallback = () => 0;"
PENDING = ".arithmatex:not([data-typeset])"


@pytest.mark.browser
@pytest.mark.slow
def test_each_chapter_prints_as_its_own_handout(chromium, served_site):
    """Every chapter (and Conventions), printed from its own page before its math is typeset."""
    base, _ = served_site
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context(color_scheme="dark")  # paper is light all the same
    context.add_init_script(HOLD_IDLE)
    report = {}
    problems: list[str] = []
    for title, md in handout_pages():
        url = catalogue.page_url(md)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.goto(base + url, wait_until="load")
        pending = page.locator(PENDING).count()
        assert pending > 0, f"{title}: every formula typeset before printing: nothing tested"
        pdf = ARTIFACTS / f"chapter-{page_key(md)}.pdf"
        marked, seconds = print_to_pdf(page, pdf, CHAPTER_UNITS)  # fires beforeprint
        untypeset = page.eval_on_selector_all(
            ".arithmatex:not(:has(.katex))", "els => els.map(e => e.outerHTML.slice(0, 120))"
        )
        assert not untypeset, f"{title}: {pending} formulas pending at print, left: {untypeset}"
        pages = check_paper(pdf, marked)  # no box split, no near-empty page, no raw TeX
        text = "\n".join(p.text for p in pages)
        assert title.split(":")[0] in text, title
        ids = page.eval_on_selector_all(".claim__id", "els => els.map(e => e.textContent.trim())")
        assert ids or not marked["boxes"], title
        assert not [i for i in ids if i not in text], f"{title}: claim ids missing on paper"
        chrome = [c for c in SITE_CHROME if c in text]
        assert not chrome, f"{title}: site chrome on paper: {chrome}"
        report[url] = {
            "formulas_pending_at_print": pending,
            "pdf_s": round(seconds, 2),
            **paper_report(pages),
        }
        # on paper links read as text
        page.emulate_media(media="print", color_scheme="dark")
        noisy = page.eval_on_selector_all(
            "article a[href]:not(.claim__id)",
            """els => els.filter(a => a.getClientRects().length).filter(a => {
                 const s = getComputedStyle(a), parent = getComputedStyle(a.parentElement);
                 return s.textDecorationLine !== 'none' || s.color !== parent.color;
               }).map(a => a.textContent)""",
        )
        assert not noisy, f"{title}: links that stand out on paper: {noisy[:5]}"
        # white paper in dark mode, margins included (the page's canvas)
        canvas = page.evaluate(
            "(s => [s.colorScheme, s.backgroundColor])(getComputedStyle(document.documentElement))"
        )
        assert canvas == ["light", "rgb(255, 255, 255)"], (title, canvas)
        page.close()
    context.close()
    assert not problems, problems
    (ARTIFACTS / "print-chapters.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


@pytest.mark.browser
@pytest.mark.slow
def test_the_print_dialog_gets_every_formula_typeset_and_light_colours(chromium, served_site):
    """window.print() (Ctrl+P) right after load, in dark mode, on the largest chapter and on
    the handout: by the time the browser lays out the paper, every formula is typeset and the
    palette is the light one; after printing the dark one comes back."""
    base, _ = served_site
    context = chromium.new_context(color_scheme="dark")
    context.add_init_script(HOLD_IDLE)
    for url in (catalogue.page_url("chapters/identities.md"), PRINT_PAGE):
        page = context.new_page()
        page.goto(base + url, wait_until="load")
        page.evaluate(
            """() => {
                 window.__atPrint = null;
                 // the last beforeprint listener, as the paper is laid out right after
                 addEventListener('beforeprint', () => { window.__atPrint = {
                   pending: document.querySelectorAll('.arithmatex:not([data-typeset])').length,
                   scheme: document.body.dataset.mdColorScheme,
                   color: getComputedStyle(document.querySelector('.md-typeset')).color,
                 }; });
               }"""
        )
        before = page.locator(PENDING).count()
        assert before > 0, f"{url}: nothing left to typeset: the test proves nothing"
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        started = time.perf_counter()
        page.evaluate("window.print()")  # headless: fires beforeprint, shows no dialog
        seconds = time.perf_counter() - started
        at_print = page.evaluate("window.__atPrint")
        assert at_print == {"pending": 0, "scheme": "default", "color": "rgba(0, 0, 0, 0.87)"}, (
            url,
            at_print,
        )
        assert page.locator(".arithmatex:not(:has(.katex))").count() == 0
        assert page.evaluate("document.documentElement.dataset.mathTypeset") == "1"
        page.evaluate("dispatchEvent(new Event('afterprint'))")  # the dialog closed
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        assert seconds < 60, f"{url}: typesetting {before} formulas for print took {seconds:.0f} s"
        page.close()
    context.close()


# ── the offline build, from file:// ──────────────────────────────────────────


LOCAL_HREF = re.compile(r'<a [^>]*?href="(?![a-z]+:|#|//)([^"]*)"')


@pytest.mark.slow
def test_offline_build_links_files_and_ships_its_search(offline_site):
    index = (offline_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert index.startswith("var __index = {") and "Hessian" in index
    shim = offline_site / "assets" / "vendor" / "iframe-worker" / "shim.js"
    assert "IFrameWorker" in shim.read_text(encoding="utf-8")
    assert (offline_site / "print_page.html").exists()
    pages = list(offline_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        if path.name == "404.html":
            continue  # served by a web host at any path, so its links are absolute by design
        text = path.read_text(encoding="utf-8")
        assert "assets/vendor/iframe-worker/shim.js" in text, path
        for href in LOCAL_HREF.findall(text):
            target = href.split("#", 1)[0].split("?", 1)[0]  # a prefilled check has a query
            assert not target or target.endswith((".html", ".py", ".svg")), (path, href)
            resolved = (path.parent / target).resolve()
            assert not target or resolved.is_file(), f"{path}: {href} is not a file"


@pytest.mark.browser
@pytest.mark.slow
def test_offline_site_works_from_file_urls(chromium, offline_site):
    context = chromium.new_context()
    problems: list[str] = []
    context.on(
        "request",
        lambda r: (
            problems.append(f"request {r.url}")
            if urlparse(r.url).scheme not in ("file", "data")
            else None
        ),
    )
    context.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    root = offline_site.as_uri() + "/"

    def open_page(rel: str):
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.goto(root + rel, wait_until="load")
        page.wait_for_function(TYPESET, timeout=120_000)
        return page

    # (a) math on a chapter page, and its build-time figures
    page = open_page("chapters/gradients.html")
    assert page.locator(".katex").count() > 50
    assert page.locator(".arithmatex:not(:has(.katex))").count() == 0
    assert not RAW_TEX.search(page.evaluate("document.querySelector('article').innerText"))
    figures = page.eval_on_selector_all(".build-figure img", LOADED_WIDTHS)
    assert figures and min(figures) > 0, figures

    # (b) search: the inlined index, searched by the worker running in the iframe shim
    query = page.locator("input.md-search__input")
    query.click()
    query.press_sequentially("Hessian", delay=30)  # Material searches on key events
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=30_000)
    assert results.count() >= 3
    first = page.locator(".md-search-result__link").first.get_attribute("href")
    assert first and ".html" in first and not first.startswith("http"), first

    # (c) a lab page shows its plots (lazy images: each scrolled into view, then awaited)
    lab = open_page("derivations/least_squares.html")
    plots = lab.eval_on_selector_all(".jupyter-wrapper .lab-figure img", LOADED_WIDTHS)
    assert plots and min(plots) > 0, plots
    assert lab.locator(".jupyter-wrapper .katex").count() > 0

    # the handout, reached from the navigation
    home = open_page("index.html")
    home.locator("a.print-handout").click()
    home.wait_for_url(root + "print_page.html")
    home.wait_for_function(TYPESET, timeout=120_000)
    assert home.locator(".arithmatex:not(:has(.katex))").count() == 0
    printed = home.locator("section.print-page[id]:not(.md-section)")
    assert printed.count() == len(handout_pages())

    # (d) nothing but local files was requested, (e) no console errors, on any page
    for p in context.pages:
        p.wait_for_load_state("networkidle")
    context.close()
    assert not problems, "\n".join(problems)
