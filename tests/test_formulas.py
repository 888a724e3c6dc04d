"""Every formula on the site is accounted for, and exercises hide their answers.

The real pages are checked against the inventory (``python -m derivations formulas``); the
fixtures below prove each check can fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from derivations import catalogue, formulas, load_claims, solutions

from .conftest import ROOT

REGISTRY = load_claims()


@pytest.fixture(scope="module")
def spans():
    return formulas.inventory(REGISTRY)


def test_the_inventory_covers_docs_and_every_lab(spans):
    pages = {s.page for s in spans}
    assert {f"docs/chapters/{p.name}" for p in (ROOT / "docs" / "chapters").glob("*.md")} <= pages
    labs = {t.replace(".", "/") + ".py" for t in catalogue.TOPICS}
    assert labs <= pages
    assert len(spans) > 2000


def test_no_formula_is_unchecked(spans):
    unchecked = [f"{s.page}:{s.line}: {s.tex}" for s in spans if s.status == "unchecked"]
    assert not unchecked, f"{len(unchecked)} unchecked spans:\n" + "\n".join(unchecked[:60])


def test_review_files_are_in_step_with_the_pages(spans):
    assert formulas.review_problems(spans) == []


def test_claims_and_facts_name_claims_that_exist(spans):
    shown = [s for s in spans if s.status in ("claim", "fact")]
    assert shown
    for span in shown:
        assert span.id in REGISTRY, f"{span.page}:{span.line}: unknown claim {span.id}"
        if span.status == "fact":
            assert not REGISTRY[span.id].pitfall, f"{span.page}:{span.line}: a pitfall inline"


def test_every_collapsed_solution_follows_its_problem_and_hides_its_answer():
    found = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        found += solutions.problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "\n".join(found)


# ----------------------------------------------------------------------------------------------
# must-fail fixtures


def _fixture_spans(text: str, reviews_dir, reviews: dict | None = None):
    page = "fixture/page.md"
    if reviews is not None:
        target = reviews_dir / f"{page}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        entries = [
            {"tex": tex, "status": status, "count": count}
            for tex, (status, count) in (
                (t, v if isinstance(v, tuple) else (v, 1)) for t, v in reviews.items()
            )
        ]
        target.write_text(json.dumps({"page": page, "spans": entries}), encoding="utf-8")
    pages = {page: formulas.prepare_markdown(textwrap.dedent(text))}
    return formulas.inventory(REGISTRY, pages, reviews=reviews_dir)


def test_a_hand_typed_result_is_unchecked(tmp_path):
    spans = _fixture_spans(
        r"""
        The gradient of $x^\top x$ is $3x$, and $\nabla_x (x^\top x) = 3x$.
        """,
        tmp_path,
    )
    by_tex = {s.tex: s.status for s in spans}
    assert by_tex["3x"] == "unchecked"
    assert by_tex[r"\nabla_x (x^\top x) = 3x"] == "unchecked"
    assert by_tex[r"x^\top x"] == "unchecked"  # not one symbol: a reviewer must say what it is


def test_an_equation_cannot_be_waved_through_as_no_result(tmp_path):
    spans = _fixture_spans(
        r"Therefore $f'(x) = 3x^2$.",
        tmp_path,
        reviews={"f'(x) = 3x^2": "no-result"},
    )
    assert [s.status for s in spans] == ["unchecked"]


def test_reviewed_spans_markers_and_problems_are_classified(tmp_path):
    spans = _fixture_spans(
        r"""
        # Page

        Let $f(x) = x^2 + 1$. The symbol $x$ is a scalar.

        !!! question "Problem"
            Differentiate $x^2\sin x$.

        The Hessian is {{ eq("hessians.bowl", "rhs") }}; in a box:

        {{ claim("hessians.saddle") }}

        `$not math$` and

        ```python
        y = "$not math either$"
        ```
        """,
        tmp_path,
        reviews={"f(x) = x^2 + 1": "definition"},
    )
    statuses = [(s.tex, s.status, s.id) for s in spans]
    assert ("f(x) = x^2 + 1", "definition", None) in statuses
    assert ("x", "notation", None) in statuses
    assert (r"x^2\sin x", "problem", None) in statuses
    kinds = {s.id: s.status for s in spans if s.id}
    assert kinds == {"hessians.bowl": "claim", "hessians.saddle": "claim"}
    assert not any("not math" in s.tex for s in spans)


def test_an_unknown_claim_id_and_a_bad_status_are_refused(tmp_path):
    spans = _fixture_spans('{{ eq("no.such_claim") }}', tmp_path)
    assert [s.status for s in spans] == ["unchecked"]
    with pytest.raises(formulas.InventoryError, match="status"):
        _fixture_spans("$a + b$", tmp_path / "bad", reviews={"a + b": "fine"})


def test_typing_a_reviewed_span_once_more_needs_a_new_review(tmp_path):
    """``$0$`` reviewed as notation (a point's name) does not wave through a later ``$0$``
    that states a result."""
    text = "At the point $0 + 0$ the function is defined. Its derivative there is $0 + 0$."
    spans = _fixture_spans(text, tmp_path, reviews={"0 + 0": ("notation", 1)})
    assert [s.status for s in spans] == ["notation", "unchecked"]
    pending = formulas.update_reviews(spans, reviews=tmp_path)
    assert pending == {"fixture/page.md": 1}
    respans = formulas.inventory(
        REGISTRY, {"fixture/page.md": formulas.prepare_markdown(text)}, reviews=tmp_path
    )
    assert [s.status for s in respans] == ["unchecked", "unchecked"]  # the whole entry again


def test_a_stale_review_entry_is_reported(tmp_path):
    spans = _fixture_spans(
        "$a + b$", tmp_path, reviews={"a + b": "no-result", "c + d": "no-result"}
    )
    problems = formulas.review_problems(spans, reviews=tmp_path)
    assert problems == ["fixture/page.md: review entry no longer on the page: 'c + d'"]


@pytest.mark.parametrize(
    ("tex", "notation"),
    [
        ("x", True),
        (r"\nabla f(x)", True),
        (r"\mathbb{R}^{m\times n}", True),
        (r"X^{-\top}", True),
        ("m\\times n", True),
        ("I", False),  # "the Hessian is $I$" asserts a value
        ("0", False),
        ("2x", False),
        (r"\nabla_X\det X = \det X\,X^{-\top}", False),
        (r"\cos z", False),
    ],
)
def test_only_single_symbols_count_as_notation_without_review(tex, notation):
    assert formulas.is_notation(tex) is notation


def test_the_solution_checks_can_fail():
    page = textwrap.dedent(
        """
        ### Worked example: a cubic

        ??? example "Solution"
            The derivative is below.

        {{ claim("derivative.power_rule_cube") }}

        !!! question "Exercise 1"
            Differentiate.

        ???+ success "Answer"
            Open by default.

        1. Differentiate $x^3$. *(Answer: $3x^2$.)*
        """
    )
    found = "\n".join(solutions.problems(page, "p.md"))
    assert "must state its problem first" in found
    assert "must follow its problem" in found
    assert "states its answer in the open" in found
    assert "must start collapsed" in found
    assert "an answer in running text" in found
    good = textwrap.dedent(
        """
        ### Worked example: a cubic

        !!! question "Problem"
            Differentiate $x^3$.

        ??? example "Solution"
            Below.

            {{ claim("derivative.power_rule_cube") }}

        Text after.
        """
    )
    assert solutions.problems(good, "p.md") == []


def test_the_command_prints_json_with_the_documented_keys():
    proc = subprocess.run(
        [sys.executable, "-m", "derivations", "formulas", "--json", "--page", "chapters/hessians"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    rows = json.loads(proc.stdout)
    assert rows and all(set(r) == {"page", "line", "tex", "status", "id"} for r in rows)
    assert all(r["status"] in formulas.STATUSES for r in rows)
    assert {r["page"] for r in rows} == {"docs/chapters/hessians.md"}
    assert proc.returncode == (1 if any(r["status"] == "unchecked" for r in rows) else 0)
