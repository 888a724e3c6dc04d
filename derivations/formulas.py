r"""The formula inventory: every math span on the site, and what it is.

A formula a reader sees is one of

``claim``       rendered from a claim: a box ``{{ claim("id") }}`` or the inline form
                ``{{ eq("id") }}`` of a claim that has a box;
``fact``        the inline form ``{{ eq("id") }}`` of a small checked claim shown only inline;
``definition``, ``notation``, ``problem``, ``no-result``
                hand-typed TeX that states no result: a definition, a name for something, part of
                a problem statement, an expression being named ("the bowl $x_1^2 + x_2^2$");
``unchecked``   hand-typed TeX nobody has classified yet. A test fails on any.

Hand-typed spans are classified in three ways, cheapest first:

1. a span that is one symbol (``$x$``, ``$\nabla f(x)$``, ``$\mathbb{R}^{m\times n}$``) is
   ``notation`` without asking;
2. a span inside a ``question`` admonition (``!!! question "Problem"``) is ``problem``;
3. every other span is looked up in the page's reviewed list,
   ``derivations/formula_reviews/<page>.json``: one ``{"tex", "status", "count"}`` per span, in
   page order; ``count`` is how often the span stands on the page, so typing the same TeX once
   more (``$0$`` as a result, where ``$0$`` was notation) needs a new review.
   ``python -m derivations formulas --update-reviews`` adds new spans there as ``unchecked`` (the
   author replaces the word) and drops spans that left the page.

A reviewed ``no-result`` may not contain a relation (=, <, ≤, ≈, ...): an equation is a result,
a definition, notation or part of a problem, and the reviewer must say which.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from . import catalogue

ROOT, DOCS = catalogue.ROOT, catalogue.DOCS
REVIEWS = Path(__file__).resolve().parent / "formula_reviews"

STATUSES = ("claim", "fact", "definition", "notation", "problem", "no-result", "unchecked")
REVIEWABLE = ("definition", "notation", "problem", "no-result")

MARKER = catalogue.MARKER  # the markers the site renders; claim and eq print formulas
# the delimiters pymdownx.arithmatex (generic mode, smart dollar) recognises
_MATH = re.compile(
    r"(?P<dd>(?<!\\)\$\$(?P<dd_tex>(?:\\.|[^\\])+?)\$\$)"
    r"|(?P<br>(?<!\\)\\\[(?P<br_tex>(?:\\[^\]]|[^\\])+?)\\\])"
    r"|(?P<pa>(?<!\\)\\\((?P<pa_tex>(?:\\[^)]|[^\\])+?)\\\))"
    r"|(?P<d>(?<![\\$])\$(?![\s$])(?P<d_tex>(?:\\.|[^\\$])+?)(?<!\s)\$)",
    re.S,
)
_FENCE = re.compile(r"^(\s*)(```|~~~)")
_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ADMONITION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s+([\w-]+)")
_RELATION = re.compile(r"(?<![\\a-zA-Z])(=|<|>)|\\(?:le|ge|leq|geq|ne|neq|approx|equiv|sim|to)\b")

# One symbol, possibly decorated, sub/superscripted and applied to symbols: notation.
_NAME = r"(?:[A-Za-z]|\\(?:[a-zA-Z]+))"
_DECOR = r"(?:\\(?:mathbf|mathbb|mathcal|boldsymbol|bar|hat|tilde|operatorname|mathrm)\{[^{}]*\})"
_SCRIPT = r"(?:[_^](?:[A-Za-z0-9]|\\top|\\prime|\{[^{}]*\}))"
_ATOM = rf"(?:{_DECOR}|{_NAME})(?:{_SCRIPT}|')*"
_ARGS = rf"(?:\s*\(\s*{_ATOM}(?:\s*,\s*{_ATOM})*\s*\))?"
_NOTATION = re.compile(
    rf"^(?:\\nabla(?:\^2)?(?:_(?:[A-Za-z]|\{{[A-Za-z, ]*\}}))?\s*)?{_ATOM}{_ARGS}$"
    rf"|^[A-Za-z]\s*\\times\s*[A-Za-z]$"
)
# words that, on their own, are values a sentence can assert ("the Hessian is $I$")
_VALUE_WORDS = re.compile(r"^(?:I|0|\\infty|\\emptyset)$")


@dataclass(frozen=True)
class Span:
    page: str
    line: int
    tex: str
    status: str
    id: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


class InventoryError(ValueError):
    """A review file that cannot be read, or names a status that does not exist."""


def normalise(tex: str) -> str:
    return " ".join(tex.split())


def is_relation(tex: str) -> bool:
    return bool(_RELATION.search(tex))


def is_notation(tex: str) -> bool:
    t = normalise(tex)
    return bool(_NOTATION.match(t)) and not _VALUE_WORDS.match(t)


# --------------------------------------------------------------------------------------------
# Reading pages: markdown of docs/ and the markdown cells of the lab (topic) files


@dataclass(frozen=True)
class _Text:
    text: str  # the markdown, with code and comments blanked (offsets kept)
    line_of: list[int]  # 1-based source line of each line of ``text``
    question: list[bool]  # line is inside a ``question`` admonition


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _prepare(lines: list[str], line_numbers: list[int]) -> _Text:
    kept, in_fence, fence_indent = [], False, 0
    question, q_indent = [], None
    for line in lines:
        m = _FENCE.match(line)
        if m and not in_fence:
            in_fence, fence_indent = True, len(m.group(1))
            kept.append("")
        elif in_fence:
            if m and len(m.group(1)) <= fence_indent + 3:
                in_fence = False
            kept.append("")
        else:
            kept.append(line)
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        a = _ADMONITION.match(line)
        if a:
            q_indent = indent if a.group(2) == "question" else None
            question.append(q_indent is not None)
            continue
        if q_indent is not None and stripped and indent <= q_indent:
            q_indent = None
        question.append(q_indent is not None)
    text = "\n".join(kept)
    text = _HTML_COMMENT.sub(_blank, text)
    text = _INLINE_CODE.sub(_blank, text)
    return _Text(text, line_numbers, question)


def prepare_markdown(text: str) -> _Text:
    lines = text.split("\n")
    return _prepare(lines, list(range(1, len(lines) + 1)))


def markdown_pages(docs: Path = DOCS) -> Iterator[tuple[str, _Text]]:
    for path in sorted(docs.rglob("*.md")):
        yield path.relative_to(ROOT).as_posix(), prepare_markdown(path.read_text(encoding="utf-8"))


def lab_pages(topics: Iterable[str]) -> Iterator[tuple[str, _Text]]:
    """The markdown cells of each jupytext percent file, with their lines in the .py file."""
    for topic in topics:
        path = ROOT / (topic.replace(".", "/") + ".py")
        lines, numbers, in_markdown = [], [], False
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if line.startswith("# %%"):
                in_markdown = "[markdown]" in line
                continue
            if in_markdown:
                if line.startswith("# ") or line == "#":
                    lines.append(line[2:])
                    numbers.append(number)
                elif line.strip():
                    in_markdown = False
        yield path.relative_to(ROOT).as_posix(), _prepare(lines, numbers)


# --------------------------------------------------------------------------------------------
# Classifying


def review_path(page: str, reviews: Path = REVIEWS) -> Path:
    return reviews / f"{page}.json"


@dataclass(frozen=True)
class Review:
    status: str
    count: int  # how many times the span stands on its page: one more needs a new look


def read_reviews(page: str, reviews: Path = REVIEWS) -> dict[str, Review]:
    path = review_path(page, reviews)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {e["tex"]: Review(e["status"], int(e["count"])) for e in data["spans"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise InventoryError(
            f"{path.name}: expected {{'page': ..., 'spans': [{{'tex', 'status', 'count'}}]}} "
            f"({type(exc).__name__}: {exc})"
        ) from exc
    for tex, review in entries.items():
        if review.status not in (*REVIEWABLE, "unchecked"):
            raise InventoryError(
                f"{path.name}: {tex!r} has status {review.status!r}; "
                f"a hand-typed span is one of {', '.join(REVIEWABLE)}"
            )
    return entries


def _line(prepared: _Text, offset: int) -> int:
    index = prepared.text.count("\n", 0, offset)
    return prepared.line_of[index] if index < len(prepared.line_of) else prepared.line_of[-1]


def _in_question(prepared: _Text, offset: int) -> bool:
    index = prepared.text.count("\n", 0, offset)
    return index < len(prepared.question) and prepared.question[index]


def raw_spans(prepared: _Text) -> Iterator[tuple[int, str, str | None, str | None, bool]]:
    """(offset, tex, marker kind, claim id, marker part, in a question block), in page order."""
    found = [
        (m.start(), m.group(0), m["kind"], m["id"], m["form"])
        for m in MARKER.finditer(prepared.text)
        if m["kind"] in ("claim", "eq")
    ]
    text = MARKER.sub(_blank, prepared.text)
    for m in _MATH.finditer(text):
        tex = next(m.group(k) for k in ("dd_tex", "br_tex", "pa_tex", "d_tex") if m.group(k))
        found.append((m.start(), tex, None, None, None))
    for offset, tex, kind, ident, part in sorted(found):
        yield offset, tex, kind, ident, (part or ""), _in_question(prepared, offset)


def inventory(
    registry, pages: dict[str, _Text] | None = None, reviews: Path = REVIEWS
) -> list[Span]:
    """Every math span of docs/ and of the lab markdown, with its status."""
    from .engine import latex

    if pages is None:
        pages = dict(markdown_pages())
        pages.update(lab_pages(catalogue.TOPICS))
    boxed = set(catalogue.box_pages())  # claims with a box on the site
    for prepared in pages.values():
        boxed |= {m["id"] for m in MARKER.finditer(prepared.text) if m["kind"] == "claim"}
    spans = []
    for page, prepared in pages.items():
        reviewed = read_reviews(page, reviews)
        seen: dict[str, int] = {}
        for offset, tex, kind, ident, part, in_question in raw_spans(prepared):
            line = _line(prepared, offset)
            if kind is not None:
                if ident not in registry:
                    spans.append(Span(page, line, tex, "unchecked", ident))
                    continue
                claim = registry[ident]
                shown = {"rhs": latex.rhs, "lhs": latex.lhs}.get(part, latex.statement)(claim)
                status = "claim" if (kind == "claim" or ident in boxed) else "fact"
                spans.append(Span(page, line, shown, status, ident))
                continue
            tex = normalise(tex)
            if is_notation(tex):
                status = "notation"
            elif in_question:
                status = "problem"
            else:
                seen[tex] = seen.get(tex, 0) + 1
                review = reviewed.get(tex, Review("unchecked", 0))
                status = review.status if seen[tex] <= review.count else "unchecked"
                if status == "no-result" and is_relation(tex):
                    status = "unchecked"  # an equation is never "no result": say what it is
            spans.append(Span(page, line, tex, status))
    return spans


def needs_review(spans: Iterable[Span]) -> dict[str, dict[str, int]]:
    """Per page, the hand-typed spans that go through its review file, in page order, with the
    number of times each stands there."""
    out: dict[str, dict[str, int]] = {}
    for span in spans:
        if span.id is not None or span.status in ("claim", "fact", "problem"):
            continue
        if is_notation(span.tex):
            continue
        counts = out.setdefault(span.page, {})
        counts[span.tex] = counts.get(span.tex, 0) + 1
    return out


def review_problems(spans: list[Span], reviews: Path = REVIEWS) -> list[str]:
    """Review files out of step with the pages: entries for spans that left the page or stand
    there fewer times, files for pages that are gone."""
    wanted = needs_review(spans)
    problems = []
    for page, counts in wanted.items():
        for tex, review in read_reviews(page, reviews).items():
            if tex not in counts:
                problems.append(f"{page}: review entry no longer on the page: {tex!r}")
            elif counts[tex] < review.count:
                problems.append(f"{page}: {tex!r} stands {counts[tex]} times, not {review.count}")
    if reviews.exists():
        for path in sorted(reviews.rglob("*.json")):
            page = path.relative_to(reviews).as_posix()[: -len(".json")]
            if page not in wanted and not (ROOT / page).exists():
                problems.append(f"{page}.json: reviews a page that does not exist")
    return problems


def update_reviews(spans: list[Span], only: str = "", reviews: Path = REVIEWS) -> dict[str, int]:
    """Rewrite each page's review file in page order: keep statuses, add new spans as
    ``unchecked``, drop spans that left the page. A span that now stands more often than its
    entry says goes back to ``unchecked``: the new place may state a result. Returns, per page,
    the entries that need a status."""
    pending: dict[str, int] = {}
    for page, counts in needs_review(spans).items():
        if only not in page:
            continue
        old = read_reviews(page, reviews)
        entries = []
        for tex, count in counts.items():
            review = old.get(tex)
            status = review.status if review and count <= review.count else "unchecked"
            entries.append({"tex": tex, "status": status, "count": count})
        pending[page] = sum(e["status"] == "unchecked" for e in entries)
        path = review_path(page, reviews)
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = ",\n".join("  " + json.dumps(e, ensure_ascii=False) for e in entries)
        path.write_text(
            f'{{\n "page": {json.dumps(page)},\n "spans": [\n{rows}\n ]\n}}\n', encoding="utf-8"
        )
    return pending


def summary(spans: list[Span]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for span in spans:
        counts[span.status] += 1
    return counts
