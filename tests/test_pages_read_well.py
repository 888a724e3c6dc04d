"""The built pages read like a textbook: answers hidden until asked for, no computer-algebra
internals (``Matrix(``, helper symbols) in the text, and matrix values printed as matrices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow

# Text a reader must never see: sympy's repr of a matrix, its dummy and helper objects.
INTERNAL = re.compile(
    r"Matrix\(\[|ImmutableMatrix|MatrixSymbol\(|Dummy|_dummy|AsScalar|SumEntries|"
    r"HadamardPower|MatrixElement|Symbol\('|\\operatorname\{(?:AsScalar|SumEntries)\}"
)


def _pages(site: Path):
    for path in sorted(site.rglob("index.html")):
        yield path.relative_to(site).parent.as_posix(), path.read_text(encoding="utf-8")


def reader_text(html: str) -> str:
    """What a reader reads: the article without the code a lab page shows as its source."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    for code in article.select(".jp-InputArea, .jp-InputPrompt, pre code, .highlight, script"):
        code.decompose()
    return article.get_text(" ")


def internal_text(html: str) -> list[str]:
    return sorted({m.group(0) for m in INTERNAL.finditer(reader_text(html))})


def answers_in_the_open(html: str) -> list[str]:
    """Collapsed solutions that do not follow a problem, or are followed by a claim box."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for details in soup.select("article details"):
        summary = details.find("summary")
        title = summary.get_text(" ", strip=True) if summary else ""
        if not re.match(r"(Solution|Answer)", title):
            continue
        if details.has_attr("open"):
            found.append(f"{title!r} is open before the reader asks")
        before = details.find_previous_sibling()
        if before is None or "question" not in (before.get("class") or []):
            found.append(f"{title!r} does not follow a problem statement")
        after = details.find_next_sibling()
        if after is not None and "claim" in (after.get("class") or []):
            found.append(f"{title!r} is followed by the claim box {after.get('id')} in the open")
    return found


def test_no_page_shows_computer_algebra_internals(built_site):
    found = {url: bad for url, html in _pages(built_site) if (bad := internal_text(html))}
    assert not found, found


def test_the_internals_detector_can_fail():
    page = (
        '<article><p>at the point <span class="arithmatex">x = Matrix([[1], [2]])</span></p>'
        "<pre><code>H = sp.ImmutableMatrix([[2, 0], [0, 2]])</code></pre></article>"
    )
    assert internal_text(page) == ["Matrix(["]  # the code block is source, not text


def test_every_solution_is_collapsed_after_its_problem_with_its_boxes_inside(built_site):
    found = {}
    for url, html in _pages(built_site):
        if url.startswith("chapters/") and (bad := answers_in_the_open(html)):
            found[url] = bad
    assert not found, found
    chapters = [html for url, html in _pages(built_site) if url.startswith("chapters/")]
    solutions = sum(html.count("admonition question") for html in chapters)
    assert solutions >= 60, "every chapter's worked examples state their problems"


def test_the_solution_detector_can_fail():
    page = (
        "<article><h3>Worked example</h3>"
        '<details class="example"><summary>Solution</summary><p>2x</p></details>'
        '<div class="claim claim--verified" id="d.x"><p>2x</p></div>'
        '<div class="admonition question"><p>Find it.</p></div>'
        '<details class="success" open><summary>Answer</summary></details></article>'
    )
    found = "\n".join(answers_in_the_open(page))
    assert "'Solution' does not follow a problem statement" in found
    assert "followed by the claim box d.x" in found
    assert "'Answer' is open" in found


def test_matrix_counterexamples_print_as_matrices(built_site):
    """A matrix variable's value in a counterexample is a bmatrix with more than one column."""
    html = (built_site / "pitfalls" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    points = [
        li.get_text()
        for li in soup.select(".claim__counterexample li")
        if li.get_text().startswith("at the point")
    ]
    assert points
    wide = [p for p in points if re.search(r"\\begin\{bmatrix\}[^\\]*&", p)]
    assert wide, "no counterexample shows a matrix with columns"
    for text in points:
        # X = [a \\ b \\ c \\ d] for a 2x2 X would be a flattened matrix
        for name, body in re.findall(
            r"([A-Z])\s*=\s*\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", text
        ):
            assert "&" in body or body.count("\\\\") == 0, f"{name} flattened: {text}"
