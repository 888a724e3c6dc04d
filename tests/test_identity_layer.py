"""The identity test (engine/identity.py): exact forward-mode derivatives at random points.

It may call a claim verified only with a stated error bound, refute only with exact arithmetic
free of generators, and otherwise stay out of the verdict."""

from __future__ import annotations

import pytest

from derivations import load_claims
from derivations.checker.spec import build
from derivations.engine import identity
from derivations.engine.statement import NUMERIC_SIZES, dimension_sets
from derivations.engine.verify import verify

SOFTMAX = "np.exp(W @ x) / np.sum(np.exp(W @ x))"


def _claim(f, claimed, wrt, *variables, kind="gradient", direction=None):
    from derivations.checker.lower import to_claim

    problem = build(f=f, claimed=claimed, wrt=wrt, var=list(variables), kind=kind,
                    direction=direction, assume=[])  # fmt: skip
    return to_claim(problem)


def _tested(c):
    return identity.check(c, dimension_sets(c, NUMERIC_SIZES))


RIGHT = [
    (f"-(y @ np.log({SOFTMAX}))", f"W.T @ ({SOFTMAX} * np.sum(y) - y)", "x",
     ["W=k,n", "x=n", "y=k"], "gradient"),
    (f"-(y @ np.log({SOFTMAX}))", f"np.outer({SOFTMAX} * np.sum(y) - y, x)", "W",
     ["W=k,n", "x=n", "y=k"], "gradient"),
    ("np.trace(np.linalg.inv(X.T @ C @ X) @ X.T @ B @ X)",
     "-C @ X @ np.linalg.inv(X.T @ C @ X) @ X.T @ B @ X @ np.linalg.inv(X.T @ C @ X)"
     " - C.T @ X @ np.linalg.inv(X.T @ C.T @ X) @ X.T @ B.T @ X @ np.linalg.inv(X.T @ C.T @ X)"
     " + B @ X @ np.linalg.inv(X.T @ C @ X) + B.T @ X @ np.linalg.inv(X.T @ C.T @ X)",
     "X", ["X=n,n", "B=n,n", "C=n,n"], "gradient"),
    ("np.trace(A @ B @ C @ D @ X)", "(A @ B @ C @ D).T", "X",
     ["X=8,8", "A=8,8", "B=8,8", "C=8,8", "D=8,8"], "gradient"),
    ("np.sum(np.log(np.cosh(x)))", "np.tanh(x)", "x", ["x=n"], "gradient"),
    ("np.tanh(x)", "1 - ((np.exp(2 * x) - 1) / (np.exp(2 * x) + 1)) ** 2", "x", ["x=scalar"],
     "gradient"),
    ("np.log(np.sum(np.exp(x)))", "np.diag(np.exp(x) / np.sum(np.exp(x))) - np.outer("
     "np.exp(x) / np.sum(np.exp(x)), np.exp(x) / np.sum(np.exp(x)))", "x", ["x=n"], "hessian"),
]  # fmt: skip


@pytest.mark.parametrize("f, claimed, wrt, variables, kind", RIGHT)
def test_right_ml_derivatives_pass_with_a_tiny_error_bound(f, claimed, wrt, variables, kind):
    tested = _tested(_claim(f, claimed, wrt, *variables, kind=kind))
    assert tested.status == "pass", tested.detail
    bound = float(tested.detail.split("probability at most ")[1].split(" ")[0])
    assert bound < 1e-30


WRONG = [
    ("x @ A @ x", "2 * A @ x", "x", ["x=n", "A=n,n"], "gradient"),
    ("np.trace(A @ X)", "A", "X", ["X=n,n", "A=n,n"], "gradient"),
    ("np.linalg.slogdet(X)[1]", "np.linalg.inv(X)", "X", ["X=n,n"], "gradient"),
    ("np.trace(A @ B @ C @ D @ X)", "A @ B @ C @ D", "X",
     ["X=8,8", "A=8,8", "B=8,8", "C=8,8", "D=8,8"], "gradient"),
    ("x @ x", "2 * x * (1 + (n - 2) * (n - 3) * (n - 5))", "x", ["x=n"], "gradient"),
    ("A @ x", "A.T", "x", ["A=n,n", "x=n"], "jacobian"),
]  # fmt: skip


@pytest.mark.parametrize("f, claimed, wrt, variables, kind", WRONG)
def test_wrong_derivatives_fail_with_exact_arithmetic(f, claimed, wrt, variables, kind):
    tested = _tested(_claim(f, claimed, wrt, *variables, kind=kind))
    assert tested.status == "fail", tested.detail
    assert tested.counterexample["exact"] is True


def test_a_difference_through_generators_is_never_a_refutation():
    # exp(x + y) = exp(x) exp(y) is a relation the independent generators do not know:
    # the layer must stay undecided (not fail) and leave the verdict to the other layers
    c = _claim("np.exp(x + y)", "np.exp(x) * np.exp(y)", "x", "x=scalar", "y=scalar")
    tested = _tested(c)
    assert tested.status == "undecided", tested.detail
    assert verify(c, identity_first=True).verdict == "verified"


def test_transposed_answers_are_not_waved_through_by_flattening():
    c = _claim("a @ x", "a.T", "x", "a=n", "x=n")
    assert _tested(c).status != "pass"
    assert verify(c, identity_first=True).verdict == "refuted"


def test_site_claims_no_false_pass_or_false_fail():
    """Every pitfall (a wrong formula, refuted on purpose) and every verified claim of the site:
    the identity test never passes the first nor fails the second."""
    passed = failed = 0
    for c in load_claims():
        tested = identity.check(c, dimension_sets(c, NUMERIC_SIZES))
        if c.expected == "refuted":
            assert tested.status != "pass", c.id
            failed += tested.status == "fail"
        else:
            assert tested.status != "fail", (c.id, tested.counterexample)
            passed += tested.status == "pass"
    assert passed > 200 and failed > 5  # it decides most of them, both ways


def test_same_inputs_same_verdict_and_no_clock():
    c = _claim(RIGHT[0][0], RIGHT[0][1], "x", *RIGHT[0][3])
    first, second = _tested(c), _tested(c)
    assert (first.status, first.detail) == (second.status, second.detail)


def test_precise_mode_refutes_through_generators_and_never_passes():
    # wrong: the transposes belong on the inverses, E = exp(X⁻¹) is not symmetric
    wrong = _claim("np.sum(np.exp(np.linalg.inv(X)))",
                   "-(np.linalg.inv(X) @ np.exp(np.linalg.inv(X)) @ np.linalg.inv(X)).T",
                   "X", "X=6,6")  # fmt: skip
    assert _tested(wrong).status == "undecided"  # a difference through generators only
    sizes = dimension_sets(wrong, NUMERIC_SIZES)
    precise = identity.check(wrong, sizes, precise=True)
    assert precise.status == "fail" and precise.counterexample["exact"] is False
    assert verify(wrong, identity_first=True).verdict == "refuted"
    right = _claim("np.exp(x + y)", "np.exp(x) * np.exp(y)", "x", "x=scalar", "y=scalar")
    agreed = identity.check(right, dimension_sets(right, NUMERIC_SIZES), precise=True)
    assert agreed.status == "undecided"  # 60 digits of agreement are evidence, not a proof


def test_precise_mode_never_fails_a_site_claim_the_generators_could_not_prove():
    checked = 0
    for c in load_claims():
        sizes = dimension_sets(c, NUMERIC_SIZES)
        tested = identity.check(c, sizes)
        if c.expected == "verified" and "indeterminates" in tested.detail:
            checked += 1
            assert identity.check(c, sizes, precise=True).status != "fail", c.id
    assert checked >= 10


def test_a_refutation_at_a_fixed_8x8_size_comes_with_short_integer_entries():
    wrong = _claim("np.trace(A @ X @ B @ X)", "A.T @ X.T @ B.T", "X", "X=8,8", "A=8,8", "B=8,8")
    cx = _tested(wrong).counterexample
    entries = [v for name in ("X", "A", "B") for row in cx["point"][name] for v in row]
    assert len(entries) == 3 * 64 and all(1 <= abs(v) <= 4 for v in entries)
    assert cx["claimed"] != cx["derived"]
