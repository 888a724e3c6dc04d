"""Taking a formula or a citation away: copying typeset math gives its TeX (KaTeX's copy-tex),
and every claim box's "Copy TeX" and "Copy BibTeX" buttons copy the box's statement as printed
and the claim index's BibTeX entry, by mouse and keyboard, over http and from file:// (with the
asynchronous clipboard, without it, and with no way to copy at all).

What each compares with is read from the built HTML as served, before any script ran: the TeX
of the page's source and the entries of the claim index. Each checker has a fixture it must fail
on. The BibTeX entries themselves (parsed by pybtex, run through bibtex) are tested in
test_render.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.slow]
browser = pytest.mark.browser

GRADIENTS = "chapters/gradients/"


def _soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def _chapters(site: Path) -> list[str]:
    return sorted(f"chapters/{p.parent.name}/" for p in (site / "chapters").glob("*/index.html"))


def _inner_tex(source: str) -> tuple[str, bool]:
    """A formula's TeX without its delimiters, and whether it is displayed."""
    text = source.strip()
    for left, right, display in (("\\[", "\\]", True), ("\\(", "\\)", False)):
        if text.startswith(left) and text.endswith(right):
            return text[len(left) : -len(right)].strip(), display
    return text, False


def index_entries(site: Path) -> dict[str, str]:
    """claim id -> its BibTeX entry as the claim index prints it."""
    entries = {}
    for page in sorted((site / "claims").glob("*/index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for pre in soup.find_all("pre"):
            text = pre.get_text().strip()
            found = re.match(r"@misc\{cmlv:([^,]+),", text)
            if found:
                entries[found.group(1)] = text
    return entries


def _boxes(soup: BeautifulSoup) -> list:
    return [
        box
        for box in soup.select("div.claim")
        if {"claim--verified", "claim--pitfall"} & set(box.get("class", []))
    ]


def box_problems(soup: BeautifulSoup, entries: dict[str, str], where: str) -> list[str]:
    """Every claim box shows its statement as the first formula after its head (what "Copy TeX"
    copies) and carries the claim index's entry for its id (what "Copy BibTeX" copies)."""
    problems = []
    for box in _boxes(soup):
        claim_id = box.get("id")
        children = box.find_all(recursive=False)
        heads = [i for i, c in enumerate(children) if "claim__head" in c.get("class", [])]
        after = children[heads[0] + 1] if heads and heads[0] + 1 < len(children) else None
        if not (after and after.name == "div" and "arithmatex" in after.get("class", [])):
            problems.append(f"{where}#{claim_id}: no display formula right after the head")
        elif not _inner_tex(after.get_text())[1]:
            problems.append(f"{where}#{claim_id}: the statement is not a display formula")
        carried = box.select("details.claim__evidence script.claim__bibtex")
        if len(carried) != 1:
            problems.append(f"{where}#{claim_id}: {len(carried)} BibTeX entries in the evidence")
        elif carried[0].string != entries.get(claim_id):
            problems.append(f"{where}#{claim_id}: its BibTeX is not the index entry")
    return problems


def test_every_box_carries_its_statement_and_the_claim_index_entry(built_site):
    entries = index_entries(built_site)
    assert len(entries) >= 500
    problems, boxes = [], 0
    for page in sorted(built_site.rglob("index.html")):
        rel = page.parent.relative_to(built_site).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if rel == "print_page":  # paper has no clipboard: the handout drops the entries
            assert not soup.select("script.claim__bibtex"), "the handout carries BibTeX"
            continue
        boxes += len(_boxes(soup))
        problems += box_problems(soup, entries, rel)
    assert boxes >= 300
    assert not problems, "\n".join(problems[:20])


def test_the_box_checker_fails_on_a_box_without_its_statement_or_entry():
    entry = "@misc{cmlv:a.b,\n  title        = {{B} (claim a.b)}\n}"
    good = (
        '<div class="claim claim--verified" id="a.b"><div class="claim__head">B</div>'
        '<div class="arithmatex">\\[ x = 1 \\]</div><details class="claim__evidence"><ul></ul>'
        f'<script type="text/plain" class="claim__bibtex">{entry}</script></details></div>'
    )
    assert box_problems(BeautifulSoup(good, "html.parser"), {"a.b": entry}, "p") == []
    cases = {
        good.replace("(claim a.b)", "(claim a.c)"): "its BibTeX is not the index entry",
        good.replace('<script type="text/plain" class="claim__bibtex">', "<script>").replace(
            "claim__bibtex", ""
        ): "0 BibTeX entries",
        good.replace("\\[ x = 1 \\]", "\\( x = 1 \\)"): "not a display formula",
        good.replace('<div class="arithmatex">\\[ x = 1 \\]</div>', ""): "no display formula",
    }
    for html, problem in cases.items():
        found = box_problems(BeautifulSoup(html, "html.parser"), {"a.b": entry}, "p")
        assert any(problem in p for p in found), (problem, found)


# ── copy-tex: selecting typeset math and copying gives its TeX ──────────────

COPY_SELECTION_JS = """
(target) => {
  const range = document.createRange();
  range.selectNode(target);
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const data = new DataTransfer();
  target.dispatchEvent(new ClipboardEvent("copy", {clipboardData: data, bubbles: true, cancelable: true}));
  selection.removeAllRanges();
  return data.getData("text/plain");
}
"""

COPY_EVERY_FORMULA_JS = f"""
() => Array.from(document.querySelectorAll(".arithmatex")).map(el =>
  ({COPY_SELECTION_JS})(el.querySelector(".katex-display") || el.querySelector(".katex") || el))
"""


def _open(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function("document.documentElement.dataset.mathTypeset === '1'", timeout=20000)


def formula_copy_problems(page, soup: BeautifulSoup, where: str) -> list[str]:
    """Copies every formula of the open page (each selected whole, as a reader's drag selects
    it) and compares the text with the page's source: $$TeX$$ for display, $TeX$ inline."""
    sources = [el.get_text() for el in soup.select(".arithmatex")]
    copied = page.evaluate(COPY_EVERY_FORMULA_JS)
    if len(copied) != len(sources):
        return [f"{where}: {len(copied)} formulas on the page, {len(sources)} in its source"]
    problems = []
    for i, (text, source) in enumerate(zip(copied, sources, strict=True)):
        tex, display = _inner_tex(source)
        mark = "$$" if display else "$"
        inner = text[len(mark) : -len(mark)] if len(text) >= 2 * len(mark) else None
        if not (text.startswith(mark) and text.endswith(mark) and inner.strip() == tex):
            problems.append(f"{where} formula {i}: copied {text[:80]!r}, source {source[:80]!r}")
    return problems


@browser
def test_copying_a_typeset_formula_gives_its_tex(chromium, served_site):
    base, site = served_site
    context = chromium.new_context()
    page = context.new_page()
    problems, formulas = [], 0
    for rel in _chapters(site):
        _open(page, base + rel)
        soup = _soup(site, rel)
        formulas += len(soup.select(".arithmatex"))
        problems += formula_copy_problems(page, soup, rel)
    assert formulas >= 1000
    assert not problems, "\n".join(problems[:20])

    # a sentence with formulas in it: prose and $TeX$, not the interleaved glyphs of both forms
    _open(page, base + GRADIENTS)
    soup = _soup(site, GRADIENTS)
    paragraphs = soup.select("article p")
    index = next(
        i
        for i, p in enumerate(paragraphs)
        if len(p.select(".arithmatex")) >= 2 and not p.find(["sup", "a"])
    )
    expected = paragraphs[index]
    for el in expected.select(".arithmatex"):
        el.replace_with("$" + _inner_tex(el.get_text())[0] + "$")
    copied = page.evaluate(
        f"i => ({COPY_SELECTION_JS})(document.querySelectorAll('article p')[i])", index
    )
    spaces = re.compile(r"\s+")
    assert spaces.sub(" ", copied).strip() == spaces.sub(" ", expected.get_text()).strip()
    context.close()


@browser
def test_the_formula_copy_checker_fails_without_copy_tex(chromium, served_site):
    base, site = served_site
    context = chromium.new_context()
    page = context.new_page()
    page.route("**/copy-tex.min.js", lambda route: route.abort())
    _open(page, base + GRADIENTS)
    problems = formula_copy_problems(page, _soup(site, GRADIENTS), GRADIENTS)
    assert len(problems) == len(_soup(site, GRADIENTS).select(".arithmatex")), problems[:3]
    context.close()


# ── the buttons ───────────────────────────────────────────────────────────────

OPEN_EVERYTHING = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


def expected_copies(site: Path, rel: str) -> dict[str, tuple[str, str]]:
    """claim id -> (its statement's TeX as the page's source has it, its index entry)."""
    entries = index_entries(site)
    out = {}
    for box in _boxes(_soup(site, rel)):
        statement = box.find("div", class_="arithmatex", recursive=False)
        out[box["id"]] = (_inner_tex(statement.get_text())[0], entries[box["id"]])
    return out


def button_problems(page, expected: dict[str, tuple[str, str]], clipboard: str) -> list[str]:
    """Clicks each box's two buttons and reads back, through ``clipboard`` (a script expression
    for the page's real clipboard), what reached it."""
    problems = []
    for claim_id, (tex, entry) in expected.items():
        box = page.locator(f"[id='{claim_id}']")
        for name, want in (("Copy TeX", tex), ("Copy BibTeX", entry)):
            # by their text (the accessible names are checked once per page: a role query on a
            # page of 400 formulas costs a tenth of a second)
            buttons = box.locator("button.claim__copy").filter(has_text=re.compile(f"^{name}$"))
            if buttons.count() != 1:
                problems.append(f"{claim_id}: {buttons.count()} {name!r} buttons")
                continue
            button = buttons.element_handle()
            page.evaluate(f"{clipboard}.writeText('(nothing copied)')")
            button.click()
            page.wait_for_function("b => b.textContent === 'Copied'", arg=button, timeout=3000)
            got = page.evaluate(f"{clipboard}.readText()")
            if got != want:
                problems.append(f"{claim_id}: {name!r} copied {got!r}, expected {want!r}")
    return problems


@browser
def test_copy_buttons_copy_the_statement_and_the_index_entry(chromium, served_site):
    base, site = served_site
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    _open(page, base + GRADIENTS)
    page.evaluate(OPEN_EVERYTHING)
    expected = expected_copies(site, GRADIENTS)
    assert len(expected) >= 20
    assert page.get_by_role("button", name="Copy TeX", exact=True).count() == len(expected)
    assert page.get_by_role("button", name="Copy BibTeX", exact=True).count() == len(expected)
    # every box has its buttons (above); clicked: every third box and every pitfall (each click
    # takes a fifth of a second; every box's statement and entry are checked statically above)
    pitfalls = {box["id"] for box in _soup(site, GRADIENTS).select("div.claim--pitfall")}
    assert pitfalls
    sample = {k: v for i, (k, v) in enumerate(expected.items()) if i % 3 == 0 or k in pitfalls}
    problems = button_problems(page, sample, "navigator.clipboard")
    assert not problems, "\n".join(problems[:10])

    # the keyboard: Enter and Space on a focused button; focus stays; the result is announced
    claim_id, (tex, entry) = next(iter(expected.items()))
    box = page.locator(f"[id='{claim_id}']")
    for key, name, want in (("Enter", "Copy TeX", tex), ("Space", "Copy BibTeX", entry)):
        page.wait_for_function(
            "() => ![...document.querySelectorAll('.claim__copy')]"
            ".some(b => b.textContent === 'Copied')",
            timeout=5000,
        )
        page.evaluate("navigator.clipboard.writeText('(nothing copied)')")
        button = box.get_by_role("button", name=name, exact=True)
        button.focus()
        page.keyboard.press(key)
        page.wait_for_function("() => document.activeElement.textContent === 'Copied'")
        assert page.evaluate("navigator.clipboard.readText()") == want
        assert page.evaluate("document.activeElement.closest('.claim').id") == claim_id
        what = name.removeprefix("Copy ")
        page.wait_for_function(
            "t => document.querySelector('[role=status]').textContent === t",
            arg=f"{what} of {claim_id} copied",
        )
    # the label comes back
    page.wait_for_function("() => document.activeElement.textContent === 'Copy BibTeX'")
    described = page.evaluate(
        "() => document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
        ".textContent"
    )
    assert described == page.locator(f"[id='{claim_id}'] .claim__title").inner_text()
    context.close()


@browser
def test_the_button_checker_fails_without_the_claim_tools(chromium, served_site):
    base, site = served_site
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.route("**/claim-tools.js", lambda route: route.abort())
    _open(page, base + GRADIENTS)
    page.evaluate(OPEN_EVERYTHING)
    expected = dict(list(expected_copies(site, GRADIENTS).items())[:2])
    problems = button_problems(page, expected, "navigator.clipboard")
    assert len(problems) == 4 and all("0 'Copy" in p for p in problems), problems
    context.close()


# Without the asynchronous clipboard (an old browser, a page it is not offered to), the
# script copies through a hidden textarea; the test keeps the real clipboard to read it back.
NO_CLIPBOARD_API = """
window.__clipboard = navigator.clipboard;
Object.defineProperty(Navigator.prototype, "clipboard", {get: () => undefined, configurable: true});
"""


@browser
def test_copy_buttons_work_from_file_urls_with_and_without_the_clipboard_api(chromium, served_site):
    _, site = served_site
    url = (site / GRADIENTS / "index.html").as_uri()
    expected = dict(list(expected_copies(site, GRADIENTS).items())[:3])
    for init, clipboard in (
        ("", "navigator.clipboard"),  # file:// offers the asynchronous clipboard
        (NO_CLIPBOARD_API, "window.__clipboard"),  # a hidden textarea and execCommand("copy")
    ):
        context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        if init:
            page.add_init_script(init)
        _open(page, url)
        page.evaluate(OPEN_EVERYTHING)
        assert page.evaluate("!!navigator.clipboard") == (not init)
        problems = button_problems(page, expected, clipboard)
        assert not problems, "\n".join(problems)
        context.close()

    # no way to copy at all: the text is shown selected, with what to press
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(NO_CLIPBOARD_API + "document.execCommand = () => false;")
    _open(page, url)
    page.evaluate(OPEN_EVERYTHING)
    claim_id, (tex, _) = next(iter(expected.items()))
    page.locator(f"[id='{claim_id}']").get_by_role("button", name="Copy TeX").click()
    area = page.locator(f"[id='{claim_id}'] .claim__manual textarea")
    area.wait_for()
    assert area.input_value() == tex
    assert page.evaluate(
        "() => { const a = document.activeElement;"
        " return [a.tagName, a.selectionStart, a.selectionEnd]; }"
    ) == ["TEXTAREA", 0, len(tex)]
    assert "Ctrl+C" in page.locator(f"[id='{claim_id}'] .claim__manual label").inner_text()
    context.close()
