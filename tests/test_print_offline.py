"""The print handout and the offline build.

* The handout (``print_page/``, mkdocs-print-site-plugin with hooks/handout.py): Conventions,
  every chapter (with its pitfall boxes) on one page, without the labs, the claim index or the
  evidence drop-downs; every
  formula typeset, every in-page link landing on an element, nothing fetched from another host;
  printed by Chromium to ``test-artifacts/handout.pdf``.
* The offline build (``mkdocs-offline.yml``), opened from ``file://`` with no server: typeset
  math, working search, lab plots, the handout, and no request to anything but local files.

The browser tests need Chromium, like test_browser.py (skipped locally without it, required
under CI=true).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
import yaml

from derivations import catalogue

from .conftest import ROOT, load_hook

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
    pdf.unlink(missing_ok=True)
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert data.startswith(b"%PDF") and len(data) > 200_000
    assert pages >= len(expected), f"{pages} pages for {len(expected)} chapters"
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
            target = href.split("#", 1)[0]
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
    figures = page.eval_on_selector_all(".build-figure img", "els => els.map(e => e.naturalWidth)")
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

    # (c) a lab page shows its plots
    lab = open_page("derivations/least_squares.html")
    plots = lab.eval_on_selector_all(
        ".jupyter-wrapper img, .jupyter-wrapper svg",
        "els => els.map(e => e.tagName === 'IMG' ? e.naturalWidth : e.getBBox().width)",
    )
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
