"""Display forms: the page shows a claim as its author writes it, and only if the engine proves
it equal to what was checked. Also: no internal helper names reach the page, and domain words
read right for scalars."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from derivations import load_claims
from derivations.engine import (
    AsScalar,
    Norm,
    Registry,
    claim,
    dim,
    display,
    latex,
    matrix,
    product_of,
    scalar,
    sum_of,
    vector,
    verify,
)
from derivations.engine.claims import ClaimError
from derivations.lock import statement_hash
from derivations.mutants import classify, mutate

n, m = dim("n"), dim("m")
A, x, b = matrix("A", m, n), vector("x", n), vector("b", m)
t = scalar("t")
LOSS = Norm(A @ x - b) ** 2
EXPANDED = 2 * A.T @ A @ x - 2 * A.T @ b
FACTORED = product_of(2, A.T, sum_of(A @ x, -b))  # 2Aᵀ(Ax − b), as a textbook writes it


def make(claim_id, **kwargs):
    return claim(claim_id, claim_id, registry=Registry(), **kwargs)


def test_a_display_form_is_printed_as_written_and_proved_equal():
    c = make(
        "fixture.display_ok", kind="gradient", f=LOSS, wrt=x, claimed=EXPANDED, display=FACTORED
    )
    assert latex.statement(c).endswith(r"= 2 A^\top \left(A x - b\right)")
    assert latex.rhs(c) == r"2 A^\top \left(A x - b\right)"
    result = verify(c)
    assert result.verdict == "verified", result.reason
    assert result.evidence["layers"]["display"] == "pass"


def test_without_a_display_form_the_checked_expression_is_printed():
    c = make("fixture.no_display", kind="gradient", f=LOSS, wrt=x, claimed=EXPANDED)
    assert latex.rhs(c) == latex.tex(EXPANDED)
    assert "display" not in verify(c).evidence["layers"]


WRONG_DISPLAYS = {
    "sign of b flipped": dict(
        kind="gradient",
        f=LOSS,
        wrt=x,
        claimed=EXPANDED,
        display=product_of(2, A.T, sum_of(A @ x, b)),
    ),
    "factor 2 dropped": dict(
        kind="gradient",
        f=LOSS,
        wrt=x,
        claimed=EXPANDED,
        display=product_of(A.T, sum_of(A @ x, -b)),
    ),
    "transpose dropped (square A)": dict(
        kind="gradient",
        f=Norm(matrix("A", n, n) @ x - vector("b", n)) ** 2,
        wrt=x,
        claimed=2 * matrix("A", n, n).T @ (matrix("A", n, n) @ x - vector("b", n)),
        display=product_of(2, matrix("A", n, n), sum_of(matrix("A", n, n) @ x, -vector("b", n))),
    ),
    "display_f differs from f": dict(
        kind="derivative",
        f=t**2 - 2 * t + 1,
        wrt=t,
        claimed=2 * t - 2,
        display_f=sum_of(t**2, -2 * t, -1),
    ),
    "shape differs": dict(
        kind="gradient",
        f=LOSS,
        wrt=x,
        claimed=EXPANDED,
        display=product_of(2, A.T, b).T,
    ),
    "a strict relation shown as a weak one": dict(
        kind="property",
        f=sp.StrictGreaterThan(t**2 + 1, 0, evaluate=False),
        claimed=sp.true,
        display_f=sp.GreaterThan(sum_of(1, t**2), 0, evaluate=False),
    ),
}


@pytest.mark.parametrize("name", list(WRONG_DISPLAYS))
def test_a_display_form_that_differs_fails_verification(name):
    c = make("fixture.display_wrong", **WRONG_DISPLAYS[name])
    result = verify(c)
    assert result.verdict == "inconclusive" and not result.ok, name
    assert result.reason.startswith(display.REASON), result.reason
    assert result.evidence["layers"]["display"] == "fail"


def test_a_wrong_display_fails_a_pitfall_too():
    """A pitfall is expected to be refuted: a wrong display must not pass as that verdict."""
    c = make(
        "fixture.display_pitfall",
        kind="gradient",
        f=LOSS,
        wrt=x,
        claimed=A.T @ A @ x,
        display=product_of(A.T, A, x, 2),
        pitfall=True,
    )
    result = verify(c)
    assert result.verdict == "inconclusive" and not result.ok
    assert display.REASON in result.reason


def test_display_is_presentation_not_part_of_the_statement():
    plain = make("fixture.hash", kind="gradient", f=LOSS, wrt=x, claimed=EXPANDED)
    shown = make(
        "fixture.hash",
        kind="gradient",
        f=LOSS,
        wrt=x,
        claimed=EXPANDED,
        display=FACTORED,
        display_f=Norm(sum_of(A @ x, -b)) ** 2,
    )
    assert statement_hash(plain) == statement_hash(shown)


def test_a_display_form_may_only_use_the_statement_s_symbols():
    c = scalar("c")
    with pytest.raises(ClaimError, match="display uses symbols the statement does not: c"):
        make(
            "fixture.display_symbols",
            kind="derivative",
            f=t**2,
            wrt=t,
            claimed=2 * t,
            display=sum_of(2 * t, c, -c),
        )
    with pytest.raises(ClaimError, match="property"):
        make(
            "fixture.display_property",
            kind="property",
            f=sp.Gt(t**2 + 1, 0),
            claimed=sp.true,
            display=sp.true,
        )


def test_mutants_are_checked_without_the_original_display_form():
    c = make(
        "fixture.display_mutants",
        kind="gradient",
        f=LOSS,
        wrt=x,
        claimed=EXPANDED,
        display=FACTORED,
    )
    rows = [classify(c, mutant) for mutant in list(mutate(c))[:4]]
    assert rows and all(display.REASON not in row["reason"] for row in rows), rows


def test_written_sums_and_products_keep_their_order():
    w = vector("w", n)
    s = scalar("s")
    assert latex.tex(sum_of(1, -s)) == "1 - s"
    assert latex.tex(product_of(s, sum_of(1, -s))) == r"s \left(1 - s\right)"
    assert latex.tex(sum_of(AsScalar(w.T @ x), s)) == r"w^\top x + s"
    assert latex.tex(product_of(sp.Rational(1, 2), AsScalar(w.T @ x))) == r"\frac{1}{2} w^\top x"
    # a subtracted term that carries its own sign is bracketed: a − (−2x)
    assert latex.tex(sum_of(s, product_of(-1, -2 * t))) == r"s - \left(- 2 t\right)"
    # an unevaluated product of explicit matrices is not multiplied out by its minus sign
    M, v = sp.ImmutableMatrix([[1, 2], [3, 4]]), sp.ImmutableMatrix([t, s])
    gap = sum_of(v, product_of(-1, product_of(M, v)))
    assert latex.tex(gap).endswith(
        r"- \begin{bmatrix}1 & 2\\3 & 4\end{bmatrix} \begin{bmatrix}t\\s\end{bmatrix}"
    )
    # evaluated expressions keep the site's one order
    assert latex.tex(t - 1) == "t - 1"
    assert latex.tex(1 - s) == "- s + 1"  # why a display form writes sum_of(1, -s)
    assert latex.tex(A @ x - b) == "A x - b"


# Internal names that must never reach a page: sympy's and the engine's helper classes and the
# stand-in symbols the layers create. Each was looked for in every printed statement, where-line
# and domain line; ``1`` for the ones vector printed bare, ``x^{\circ {2}}`` from sympy folding
# an unevaluated x ∘ x, and ``\lambda_{max}`` with an italic subscript were found and fixed.
HELPER_NAMES = (
    "Dummy",
    "_Dummy",
    "AsScalar",
    "SumEntries",
    "ScalarOfMatrix",
    "Written",
    "WrittenSum",
    "WrittenProduct",
    "WrittenMatSum",
    "UnevaluatedExpr",
    "OneMatrix",
    "ZeroMatrix",
    "Str(",
    "FunctionOf",
    "GradientOf",
    "JacobianOf",
    "VectorFunctionOf",
    "Applied",
    "Softmax",
    "LogSumExp",
    "OneMinus",
    "Difference",
    "Bracketed",
    "Entry",
    "Prime",
    "Max2",
    "Round2",
    "TaylorPolynomial",
    "h_limit",
    "k_limit",
    "h_{limit}",
    "k_{limit}",
    "\\mathtt",
    "\\text{Fn}",
    "\\operatorname{Fn}",
    "_{max}",
    "_{min}",
    "\\circ {2}",
    "MatrixElement",
    "\\mathbb{I}",
)
OPERATOR_NAMES = {"tr", "diag", "softmax", "lse", "round", "sign"}


def _printed(c) -> list[str]:
    return [latex.statement(c), *latex.where(c), *latex.domain(c)]


def test_no_internal_names_reach_the_page():
    problems = []
    for c in load_claims():
        for text in _printed(c):
            problems += [f"{c.id}: {name}" for name in HELPER_NAMES if name in text]
            for op in re.findall(r"\\operatorname\{([^}]*)\}", text):
                if op not in OPERATOR_NAMES:
                    problems.append(f"{c.id}: \\operatorname{{{op}}}")
    assert not problems, problems
    assert latex.tex(sp.OneMatrix(n, 1)) == r"\mathbf{1}"
    assert latex.tex(scalar("lambda_max")) == r"\lambda_{\max}"


def test_every_display_form_in_the_registry_is_proved_equal():
    shown = [c for c in load_claims() if display.has_display(c)]
    assert shown, "no claim uses a display form"
    failed = {c.id: r.detail for c in shown if (r := display.check(c)).status != "pass"}
    assert not failed, failed


def test_domain_words_read_right_for_scalars_and_arrays():
    p, q = scalar("p", positive=True), vector("q", n)
    c = make(
        "fixture.domain_words",
        kind="identity",
        f=p * AsScalar(q.T @ q),
        claimed=p * Norm(q) ** 2,
        domains={q: "positive"},
    )
    words = dict(zip(["p", "q"], latex.domain(c), strict=True))
    assert words["p"].endswith("$ positive") and "entrywise" not in words["p"]
    assert words["q"].endswith("$ entrywise positive")
    sym = make(
        "fixture.domain_scalar_symmetric",
        kind="identity",
        f=t * 2,
        claimed=2 * t,
        domains={t: "symmetric"},
    )
    assert latex.domain(sym) == [r"$t \in \mathbb{R}$"]


def test_a_power_of_a_scalar_product_keeps_its_brackets():
    """(qᵀv)² printed as qᵀv² would say something else."""
    from derivations.engine import AsScalar, SumEntries, dim, tex, vector

    n = dim("n")
    q, v = vector("q", n), vector("v", n)
    assert tex(AsScalar(q.T * v) ** 2) == r"\left(q^\top v\right)^{2}"
    assert tex(SumEntries(v) ** 2) == r"\left(\mathbf{1}^\top v\right)^{2}"


def test_a_compound_statement_keeps_its_connectives_and_each_part_is_proved():
    import sympy as sp

    from derivations.engine import Registry, claim, scalar, verify
    from derivations.engine.written import product_of, sum_of

    eta, lam = scalar("eta"), scalar("lambda", positive=True)
    inside = sp.And(sp.StrictLessThan(0, eta), sp.StrictLessThan(eta, 2 / lam))
    checked = sp.Implies(inside, sp.StrictGreaterThan(eta * lam * (2 - eta * lam), 0))

    def shown_as(gap, connective=sp.Implies):
        registry = Registry()
        return verify(
            claim(
                "fx.window",
                "t",
                kind="property",
                f=checked,
                claimed=sp.true,
                display_f=connective(inside, sp.StrictGreaterThan(gap, 0)),
                refs=["S4-66"],
                registry=registry,
            )
        )

    right = shown_as(product_of(eta, lam, sum_of(2, -eta * lam)))
    assert right.evidence["layers"]["display"] == "pass"
    wrong_sign = shown_as(product_of(eta, lam, sum_of(2, eta * lam)))
    assert wrong_sign.verdict == "inconclusive"
    assert wrong_sign.evidence["layers"]["display"] == "fail"
    wrong_connective = shown_as(product_of(eta, lam, sum_of(2, -eta * lam)), sp.And)
    assert wrong_connective.evidence["layers"]["display"] == "fail"
