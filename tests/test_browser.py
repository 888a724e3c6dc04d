"""Every page in headless Chromium: no console errors or failed requests, nothing fetched from
another host, math typeset without errors, every claim box with its badge, lab plots present,
and dark mode that keeps formulas legible.

Locally this skips when Chromium is absent; under CI=true it must run. The fixtures
(``chromium``, ``served_site``) are in conftest.py, shared with test_print_offline.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlparse

import pytest

from derivations import catalogue

from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = ROOT / "test-artifacts"
PRINT_PAGE = "print_page/"  # the handout: checked on its own in test_print_offline.py


def site_pages(site: Path) -> list[str]:
    out = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        out.append("" if rel == "." else rel + "/")
    return [rel for rel in out if rel != PRINT_PAGE]


def expected_claims_per_page() -> dict[str, int]:
    counts: dict[str, int] = {}
    for claim_id, md in catalogue.box_pages().items():
        url = catalogue.page_url(md)
        counts[url] = counts.get(url, 0) + 1
        assert claim_id
    return counts


LUMINANCE_JS = """
(el) => {
  function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return m; }
  function lum(c) {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function background(node) {
    while (node) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) { if (!(c.length >= 4 && c[3] === 0)) return c; }
      node = node.parentElement;
    }
    return [255, 255, 255];
  }
  const fg = rgb(getComputedStyle(el).color);
  const bg = background(el);
  const l1 = lum(fg), l2 = lum(bg);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}
"""


# Figures load lazily (and not at all inside a closed <details>): each is switched to eager
# loading and awaited, for at most 20 s; its natural width (0: broken or never loaded).
LOADED_WIDTHS = """async els => Promise.all(els.map(async e => {
    e.loading = 'eager';
    if (!e.complete) await new Promise(r => {
        e.addEventListener('load', r); e.addEventListener('error', r); setTimeout(r, 20000);
    });
    return e.naturalWidth;
}))"""


def test_every_page_loads_cleanly_with_typeset_math(chromium, served_site):
    base, site = served_site
    pages = site_pages(site)
    expected = expected_claims_per_page()
    labs = {name.replace(".", "/") + "/" for name in catalogue.TOPICS}
    problems: list[str] = []
    checked_claims = 0
    for rel in pages:
        context = chromium.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on("requestfailed", lambda r, e=errors: e.append(f"failed {r.url}"))
        page.on(
            "response",
            lambda r, e=errors: e.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.on(
            "request",
            lambda r, e=errors: (
                e.append(f"remote {r.url}")
                if urlparse(r.url).hostname not in ("127.0.0.1", None)
                and not r.url.startswith("data:")
                else None
            ),
        )
        page.goto(base + rel, wait_until="load")
        page.wait_for_function(
            "document.documentElement.dataset.mathTypeset === '1'", timeout=15000
        )
        page.wait_for_load_state("networkidle")
        if errors:
            problems.append(f"{rel}: {errors}")
        if page.locator(".katex-error").count():
            problems.append(f"{rel}: KaTeX errors {page.locator('.katex-error').all_inner_texts()}")
        untypeset = page.locator(".arithmatex:not(:has(.katex))").count()
        if untypeset:
            problems.append(f"{rel}: {untypeset} formulas left untypeset")
        boxes = page.locator("div.claim:not(.claim--retired)")
        if boxes.count() != expected.get(rel, 0):
            problems.append(f"{rel}: {boxes.count()} claim boxes, expected {expected.get(rel, 0)}")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            if box.locator(".claim__badge").count() != 1 or box.locator(".katex").count() < 1:
                problems.append(f"{rel}: claim box {box.get_attribute('id')} lacks badge or math")
            checked_claims += 1
        if rel in labs:
            # lab figures load lazily: bring each into view, then wait for it
            sizes = page.eval_on_selector_all(".jupyter-wrapper .lab-figure img", LOADED_WIDTHS)
            if not sizes or min(sizes) == 0:
                problems.append(f"{rel}: lab page without rendered plots ({sizes})")
            if page.locator(".jupyter-wrapper .katex").count() == 0:
                problems.append(f"{rel}: lab page math not typeset")
        widths = page.eval_on_selector_all(".build-figure img", LOADED_WIDTHS)
        alts = page.eval_on_selector_all(".build-figure img", "els => els.map(e => e.alt)")
        if 0 in widths or not all(alts):
            problems.append(f"{rel}: figure without alt text or not loaded ({widths}, {alts})")
        context.close()
    assert checked_claims == sum(expected.values())
    assert not problems, "\n".join(problems)


def test_dark_mode_keeps_math_legible(chromium, served_site):
    base, _ = served_site
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(base + "chapters/gradients/", wait_until="load")
    page.wait_for_function("document.documentElement.dataset.mathTypeset === '1'")
    page.screenshot(path=str(ARTIFACTS / "gradients-light.png"))
    light_scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.screenshot(path=str(ARTIFACTS / "gradients-dark.png"))
    assert light_scheme == "default"
    ratios = page.eval_on_selector_all(
        "div.claim .katex", f"els => els.slice(0, 20).map({LUMINANCE_JS})"
    )
    assert ratios and min(ratios) >= 4.5, ratios
    text_ratio = page.eval_on_selector("article p", LUMINANCE_JS)
    assert text_ratio >= 4.5
    context.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def test_axe_finds_no_serious_or_critical_violations(chromium, served_site):
    base, site = served_site
    script = AXE.read_text(encoding="utf-8")
    problems = []
    for rel in site_pages(site):
        page = chromium.new_page()
        page.goto(base + rel, wait_until="load")
        page.wait_for_function("document.documentElement.dataset.mathTypeset === '1'")
        page.evaluate("document.fonts.ready")
        page.add_script_tag(content=script)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes[0].target.join(' '))"
        )
        if violations:
            problems.append(f"{rel}: {violations}")
        page.close()
    assert not problems, "\n".join(problems)


# Content past the right edge of a 390 px screen that the reader cannot scroll to: elements
# wider than the viewport with no scrolling box (inside the screen) around them. KaTeX's
# visually hidden MathML copy and the inside of its SVG glyphs are not content.
CLIPPED_JS = """() => {
  const W = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('article *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= W + 1) continue;
    if (el.closest('.katex-mathml')) continue;
    if (el instanceof SVGElement && el.tagName.toLowerCase() !== 'svg') continue;
    let p = el.parentElement, reachable = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll')
          && p.getBoundingClientRect().right <= W + 1) { reachable = true; break; }
      p = p.parentElement;
    }
    const cs = getComputedStyle(el);
    if (!reachable && cs.visibility !== 'hidden' && cs.position !== 'fixed') {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ends at ' +
               Math.round(r.right) + 'px: ' + (el.textContent || '').trim().slice(0, 40));
    }
  }
  return out;
}"""

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


def phone_problems(page, rel: str) -> list[str]:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    problems = [f"{rel}: page is {overflow}px wider than the viewport"] if overflow > 1 else []
    clipped = page.evaluate(CLIPPED_JS)
    if clipped:
        problems.append(f"{rel}: {len(clipped)} elements cut off at the right edge: {clipped[:3]}")
    return problems


def test_phone_width_check_catches_wide_inline_content(chromium):
    """Must-fail fixture: a long unbreakable inline formula and a wide command line, once bare
    (reported) and once in a box that scrolls (accepted)."""
    context = chromium.new_context(**PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    wide = '<span style="white-space:nowrap">' + "x + " * 80 + "x</span>"
    page.set_content(
        '<meta name="viewport" content="width=device-width"><body style="margin:0">'
        f"<article><p>{wide}</p></article></body>"
    )
    assert phone_problems(page, "bare"), "wide inline content went unnoticed"
    page.set_content(
        '<meta name="viewport" content="width=device-width"><body style="margin:0">'
        f'<article><p style="overflow-x:auto">{wide}</p><pre style="overflow-x:auto">'
        f"{'--claimed ' * 30}</pre></article></body>"
    )
    assert phone_problems(page, "scrolling") == []
    context.close()


def test_phone_width_keeps_every_page_inside_the_screen(chromium, served_site):
    """Every built page at 390 px (the print handout included): the page is no wider than the
    screen, and nothing in the article is cut off where the reader cannot scroll to it."""
    base, site = served_site
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context(**PHONE, is_mobile=True, has_touch=True)
    problems = []
    pages = [*site_pages(site), PRINT_PAGE]
    for rel in pages:
        page = context.new_page()
        page.goto(base + rel, wait_until="load")
        page.wait_for_function(
            "document.documentElement.dataset.mathTypeset === '1'", timeout=60000
        )
        problems += phone_problems(page, rel)
        if rel == "chapters/gradients/":
            page.screenshot(path=str(ARTIFACTS / "gradients-mobile.png"))
        page.close()
    context.close()
    assert len(pages) > 40
    assert not problems, "\n".join(problems)


def load_transfer():
    spec = importlib.util.spec_from_file_location("bench_transfer", ROOT / "bench" / "transfer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIRST_VISIT_BUDGET = 400 * 1024  # gzip bytes, everything a first visit fetches


def test_first_visit_of_every_chapter_and_lab_fits_the_budget(chromium, served_site):
    """A reader arriving at a chapter or lab with an empty cache (on a lecture hall's Wi-Fi)
    downloads at most 400 KB, gzip-compressed as a server sends it: the page, theme, KaTeX and
    its fonts and figures in view; the search index waits until the reader searches
    (search-on-demand.js). The identity reference's pages are held to it too (`make bench`
    reports every page)."""
    base, site = served_site
    transfer = load_transfer()
    labs = [name.replace(".", "/") + "/" for name in catalogue.TOPICS]
    pages = [p for p in site_pages(site) if p.startswith(("chapters/", "reference/"))] + labs
    over = {}
    for rel in pages:
        visit = transfer.first_visit(chromium, base, site, rel)
        assert visit["files"].get(rel + "index.html"), f"{rel}: the page itself not counted"
        if visit["bytes"] > FIRST_VISIT_BUDGET:
            biggest = sorted(visit["files"].items(), key=lambda kv: -kv[1])[:4]
            over[rel] = (visit["bytes"] // 1024, biggest)
    assert len(pages) >= 22
    assert not over, "\n".join(f"{rel}: {kb} KB; largest {big}" for rel, (kb, big) in over.items())
