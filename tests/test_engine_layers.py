"""Each layer of the engine can fail: must-fail fixtures for every checker, and its guards."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derivations.engine import (
    Norm,
    Registry,
    claim,
    dim,
    exact,
    matrix,
    numeric,
    scalar,
    symbolic,
    vector,
    verify,
)
from derivations.engine.claims import ClaimError
from derivations.engine.numeric import richardson
from derivations.engine.sampling import sample_float, stable_seed

n, m = dim("n"), dim("m")
x, w, a = vector("x", n), vector("w", n), vector("a", n)
A, X = matrix("A", m, n), matrix("X", n, n)


def make(claim_id, **kwargs):
    return claim(claim_id, claim_id, registry=Registry(), **kwargs)


WRONG = {
    "jacobian of Ax given as A^T": dict(kind="jacobian", f=A @ x, wrt=x, claimed=A.T),
    "quadratic form as 2Xw": dict(kind="gradient", f=w.T @ X @ w, wrt=w, claimed=2 * X @ w),
    "missing factor 2": dict(kind="gradient", f=x.T @ x, wrt=x, claimed=x),
    "flipped sign": dict(kind="gradient", f=a.T @ x, wrt=x, claimed=-a),
    "X^-1 where X^-T is meant": dict(
        kind="gradient",
        f=sp.log(sp.Determinant(X)),
        wrt=X,
        claimed=sp.Inverse(X),
        domains={X: "invertible"},
        dims={n: (2, 3)},
    ),
    "hessian not symmetrised": dict(kind="hessian", f=w.T @ X @ w, wrt=w, claimed=2 * X),
}

RIGHT = {
    "jacobian of Ax": dict(kind="jacobian", f=A @ x, wrt=x, claimed=A),
    "log det": dict(
        kind="gradient",
        f=sp.log(sp.Determinant(X)),
        wrt=X,
        claimed=sp.Inverse(X).T,
        domains={X: "spd"},
        dims={n: (2, 3)},
    ),
    "norm": dict(kind="gradient", f=Norm(x), wrt=x, claimed=x / Norm(x), domains={x: "nonzero"}),
    "directional of inverse": dict(
        kind="directional",
        f=sp.Inverse(X),
        wrt=X,
        direction=matrix("V", n, n),
        claimed=-sp.Inverse(X) @ matrix("V", n, n) @ sp.Inverse(X),
        domains={X: "invertible"},
        dims={n: (2, 3)},
    ),
}


@pytest.mark.parametrize("name", list(WRONG))
def test_wrong_claims_are_refuted_with_a_counterexample(name):
    result = verify(make("fixture.wrong", **WRONG[name]))
    assert result.verdict == "refuted", result.reason
    assert result.counterexample is not None


@pytest.mark.parametrize("name", list(RIGHT))
def test_right_claims_are_verified(name):
    result = verify(make("fixture.right", **RIGHT[name]))
    assert result.verdict == "verified", (result.reason, result.evidence["details"])


def test_each_layer_fails_on_its_own():
    wrong = make("fixture.layers", **WRONG["quadratic form as 2Xw"])
    assert symbolic.check(wrong).status == "undecided"  # cannot prove a false identity
    ex = exact.check(wrong)
    assert ex.status == "fail" and ex.counterexample["exact"] is True
    nu = numeric.check(wrong)
    assert nu.status == "fail"
    cx = nu.counterexample
    assert {"point", "direction", "claimed", "numeric", "relative_discrepancy"} <= set(cx)
    assert cx["relative_discrepancy"] > 1e-3


def test_numeric_layer_alone_catches_a_transpose_on_a_square_matrix():
    wrong = make(
        "fixture.numeric_transpose", kind="gradient", f=a.T @ X @ w, wrt=X, claimed=w @ a.T
    )
    assert numeric.check(wrong).status == "fail"
    right = make("fixture.numeric_right", kind="gradient", f=a.T @ X @ w, wrt=X, claimed=a @ w.T)
    assert numeric.check(right).status == "pass"


def test_tiny_relative_error_is_not_accepted_by_an_absolute_tolerance():
    # 1e-4 relative error on a large gradient: an absolute tolerance would wave it through
    c = scalar("c")
    wrong = make(
        "fixture.scaled",
        kind="derivative",
        f=1000 * c**2,
        wrt=c,
        claimed=2000 * c * (1 + sp.Rational(1, 1000)),
    )
    assert verify(wrong).verdict == "refuted"


def test_shape_errors_are_refutations_that_say_so():
    result = verify(make("fixture.shape", kind="gradient", f=x.T @ x, wrt=x, claimed=2 * x.T))
    assert result.verdict == "refuted"
    assert "required" in result.counterexample["shape"]


def test_pitfall_expects_refuted_and_verdict_ok_flags_it():
    pit = make("fixture.pit", pitfall=True, **WRONG["missing factor 2"])
    result = verify(pit)
    assert result.expected == "refuted" and result.ok


def test_seeds_are_stable_hashes_of_the_id():
    assert stable_seed("a.b") == stable_seed("a.b")
    assert stable_seed("a.b") != stable_seed("a.c")
    # sha256, not Python's salted hash: the value is fixed across processes
    assert stable_seed("gradients.linear_form") == 0x_0 + int.from_bytes(
        __import__("hashlib").sha256(b"gradients.linear_form").digest()[:8], "little"
    )
    c = make("fixture.seed", **RIGHT["jacobian of Ax"])
    one, two = verify(c).to_json(), verify(c).to_json()
    one.pop("seconds"), two.pop("seconds")
    assert one == two


def test_samplers_respect_domains_and_gates():
    rng = np.random.default_rng(0)
    for _ in range(20):
        s = sample_float("symmetric", (3, 3), rng)
        assert np.allclose(s, s.T)
        spd = sample_float("spd", (3, 3), rng)
        assert np.linalg.eigvalsh(spd).min() > 0
        inv = sample_float("invertible", (3, 3), rng)
        assert np.linalg.cond(inv) <= 1e3
        p = sample_float("probability", (4, 1), rng)
        assert abs(p.sum() - 1) < 1e-12 and p.min() > 0
        g = sample_float("real", (3, 3), rng)
        assert not np.allclose(g, g.T)


def test_richardson_is_accurate_and_reports_its_error():
    est, err, _ = richardson(lambda h: (np.exp(1 + h) - np.exp(1 - h)) / (2 * h), 0.1)
    assert abs(est - np.e) < 1e-10 and err < 1e-8


def test_declaration_errors_are_clear():
    with pytest.raises(ClaimError, match="must look like"):
        make("NoDots", kind="gradient", f=x.T @ x, wrt=x, claimed=2 * x)
    with pytest.raises(ClaimError, match="unknown kind"):
        make("fixture.kind", kind="curl", f=x.T @ x, wrt=x, claimed=2 * x)
    reg = Registry()
    claim("fixture.twice", "t", kind="gradient", f=x.T @ x, wrt=x, claimed=2 * x, registry=reg)
    with pytest.raises(ClaimError, match="twice"):
        claim("fixture.twice", "t", kind="gradient", f=x.T @ x, wrt=x, claimed=x, registry=reg)


def test_is_zero_never_confuses_false_with_zero():
    from derivations.engine.symbolic import is_zero

    t = sp.Symbol("t")
    assert not is_zero(t + 1)
    assert not is_zero(sp.exp(t) - 1)
    assert is_zero(sp.sin(t) ** 2 + sp.cos(t) ** 2 - 1)
    assert is_zero((t**2 - 1) / (t - 1) - t - 1)


def test_is_zero_settles_symbolic_inverses_in_the_rational_function_field():
    """Entries of a symbolic 2×2 inverse: proved zero when right, and a wrong variant is not
    zero (the field's answer is final only when every generator is a plain symbol)."""
    from derivations.engine.symbolic import is_zero

    a, b, c, d = sp.symbols("a b c d")
    m = sp.Matrix([[a, b], [c, d]])
    inverse = m.adjugate() / m.det()
    assert all(is_zero(e) for e in (m * inverse - sp.eye(2)))
    assert not all(is_zero(e) for e in (m * inverse.T - sp.eye(2)))
    # exp(a) and exp(2a) would be independent generators: a nonzero there is not final
    assert is_zero(sp.exp(a) ** 2 / (1 + sp.exp(2 * a)) - 1 + 1 / (1 + sp.exp(2 * a)))


# ── scalar variables, points, limits and relations ──────────────────────────

u, v_ = scalar("u"), scalar("v")
SCHWARZ = sp.Piecewise(
    (u * v_ * (u**2 - v_**2) / (u**2 + v_**2), sp.Ne(u**2 + v_**2, 0)), (0, True)
)
NOT_DIFFERENTIABLE = sp.Piecewise((u**2 * v_ / (u**2 + v_**2), sp.Ne(u**2 + v_**2, 0)), (0, True))

POINT_CLAIMS = {
    # name: (kwargs, expected verdict)
    "stacked gradient": (
        dict(kind="gradient", f=u**2 - v_**2, wrt=(u, v_), claimed=[2 * u, -2 * v_]),
        "verified",
    ),
    "stacked gradient, sign slip": (
        dict(kind="gradient", f=u**2 - v_**2, wrt=(u, v_), claimed=[2 * u, 2 * v_]),
        "refuted",
    ),
    "inner derivative slip": (
        dict(kind="partial", f=(u - 3 * v_) ** 2, wrt=(v_,), claimed=2 * (u - 3 * v_) * (-3 * v_)),
        "refuted",
    ),
    "second derivative": (dict(kind="partial", f=u**3, wrt=(u, u), claimed=6 * u), "verified"),
    "jacobian at a point": (
        dict(
            kind="jacobian",
            f=[u**2 * v_, sp.cos(v_)],
            wrt=(u, v_),
            claimed=sp.ImmutableMatrix([[2 * sp.pi**2, sp.pi**2], [0, 0]]),
            at={u: sp.pi, v_: sp.pi},
        ),
        "verified",
    ),
    "relu right derivative": (
        dict(kind="derivative", f=sp.Max(0, u), wrt=u, claimed=1, at={u: 0}, side="+"),
        "verified",
    ),
    "relu left derivative": (
        dict(kind="derivative", f=sp.Max(0, u), wrt=u, claimed=0, at={u: 0}, side="-"),
        "verified",
    ),
    "relu derivative at the kink": (
        dict(kind="derivative", f=sp.Max(0, u), wrt=u, claimed=sp.Rational(1, 2), at={u: 0}),
        "refuted",
    ),
    "abs derivative at 0 is 0": (
        dict(kind="derivative", f=sp.Abs(u), wrt=u, claimed=0, at={u: 0}),
        "refuted",
    ),
    "mixed partial u then v": (
        dict(kind="partial", f=SCHWARZ, wrt=(u, v_), claimed=-1, at={u: 0, v_: 0}),
        "verified",
    ),
    "mixed partials equal": (
        dict(kind="partial", f=SCHWARZ, wrt=(u, v_), claimed=1, at={u: 0, v_: 0}),
        "refuted",
    ),
    "partials exist": (
        dict(kind="gradient", f=NOT_DIFFERENTIABLE, wrt=(u, v_), claimed=[0, 0], at={u: 0, v_: 0}),
        "verified",
    ),
    "directional is not grad·v": (
        dict(
            kind="directional",
            f=NOT_DIFFERENTIABLE,
            wrt=(u, v_),
            direction=(scalar("d1"), scalar("d2")),
            claimed=0,
            at={u: 0, v_: 0, scalar("d1"): 1, scalar("d2"): 1},
        ),
        "refuted",
    ),
    "sum of squares is nonnegative": (
        dict(kind="property", f=sp.GreaterThan(Norm(A @ x) ** 2, 0), claimed=sp.true),
        "verified",
    ),
    "a false relation at a point": (
        dict(
            kind="property", f=sp.StrictGreaterThan(u * v_, 0), claimed=sp.true, at={u: 1, v_: -1}
        ),
        "refuted",
    ),
}


def test_a_compound_statement_is_checked_numerically_and_never_refuted_by_rounding():
    pos = scalar("p", positive=True)
    true_implication = sp.Implies(sp.StrictGreaterThan(u, 1), sp.StrictGreaterThan(u + 1, 2))
    right = verify(make("fixture.implies", kind="property", f=true_implication, claimed=sp.true))
    assert right.verdict == "verified"
    assert right.evidence["layers"]["numeric"] == "pass"
    decided = verify(make("fixture.decided", kind="property", f=pos**4 >= 0, claimed=sp.true))
    assert decided.verdict == "verified" and decided.evidence["layers"]["numeric"] == "pass"
    wrong_implication = sp.Implies(sp.StrictGreaterThan(u, 0), sp.StrictGreaterThan(u**2, 1))
    wrong = verify(
        make("fixture.implies_wrong", kind="property", f=wrong_implication, claimed=sp.true)
    )
    assert wrong.verdict == "refuted"  # by exact arithmetic
    # evaluated at the points (not waved through), and rounding never refutes
    assert wrong.evidence["layers"]["numeric"] == "undecided"


@pytest.mark.parametrize("name", list(POINT_CLAIMS))
def test_scalar_point_limit_and_relation_claims(name):
    kwargs, expected = POINT_CLAIMS[name]
    result = verify(make("fixture.point", **kwargs))
    assert result.verdict == expected, (result.reason, result.evidence["details"])
    if expected == "refuted":
        assert result.counterexample is not None


def test_limit_claims_need_a_point_and_valid_side():
    with pytest.raises(ClaimError, match="needs the point"):
        make("fixture.limit", kind="derivative", f=sp.Abs(u), wrt=u, claimed=0, by_limit=True)
    with pytest.raises(ClaimError, match="side"):
        make(
            "fixture.side", kind="derivative", f=sp.Abs(u), wrt=u, claimed=0, at={u: 0}, side="left"
        )


def test_scalar_assumptions_become_sampling_domains():
    """``scalar("t", positive=True)`` is sampled positive and finite-difference steps stay inside
    (0, ∞): log t near 0 is then checked, not blown up by a step across 0."""
    t, s = scalar("t", positive=True), scalar("s", nonzero=True)
    c = claim(
        "fixture.log_near_zero",
        "l",
        kind="derivative",
        f=2 * sp.log(t) + s,
        wrt=t,
        claimed=2 / t,
        registry=Registry(),
    )
    assert {v.name: v.domain for v in c.variables} == {"t": "positive", "s": "nonzero"}
    assert verify(c).verdict == "verified"


def test_rational_identities_are_decided_by_fraction_arithmetic_both_ways():
    from derivations.engine.symbolic import _NotRational, _vanishes_by_field_arithmetic, is_zero

    a, b, c = scalar("a"), scalar("b"), scalar("c")
    det = a * c - b**2
    inverse_entry = c / det  # entry of the inverse of [[a, b], [b, c]]
    zero = inverse_entry * a + (-b / det) * b - 1  # (A⁻¹A)₁₁ − 1, written out
    assert _vanishes_by_field_arithmetic(zero) == (True, True)
    assert is_zero(zero)
    off_by_a_term = zero + b / det**2  # a wrong formula must never be called zero
    assert _vanishes_by_field_arithmetic(off_by_a_term) == (True, False)
    assert not is_zero(off_by_a_term)
    with pytest.raises(_NotRational):  # degrees that grow without cancelling: left to sympy
        _vanishes_by_field_arithmetic((a + b) ** 40 * (a - b) ** 40 - 1)


def test_other_subexpressions_are_generators_of_the_field():
    """exp(x), √y, f(x) are independent generators: a zero is a zero whatever their values
    (sound), a nonzero result is not final (it says "not plain"), and exp of a sum or of an
    integer multiple is split so that exp(a + b) and exp(a)·exp(b) meet."""
    from derivations.engine.symbolic import _vanishes_by_field_arithmetic, is_zero

    a, b = scalar("a"), scalar("b")
    assert _vanishes_by_field_arithmetic(sp.exp(a) - sp.exp(a) + sp.sqrt(b)) == (False, False)
    assert _vanishes_by_field_arithmetic(sp.exp(a + b) - sp.exp(a) * sp.exp(b))[1] is True
    assert _vanishes_by_field_arithmetic(sp.exp(-2 * a) * sp.exp(a) ** 2 - 1)[1] is True
    softmax_1 = sp.exp(a) / (sp.exp(a) + sp.exp(b))
    assert is_zero(sp.diff(softmax_1, a) - softmax_1 * (1 - softmax_1))
    # must fail: wrong by a sign, by a generator, by a term
    assert not is_zero(sp.diff(softmax_1, a) + softmax_1 * (1 - softmax_1))
    assert _vanishes_by_field_arithmetic(sp.exp(a) - sp.exp(b)) == (False, False)
    assert not is_zero(sp.exp(a + b) - sp.exp(a) * sp.exp(b) + sp.sqrt(b) / 10**9)
    # a substituted derivative of an arbitrary h is the same generator as the plain one
    h, q = sp.Function("h"), sp.Function("q")(a)
    u = sp.Dummy("u")
    substituted = sp.Subs(sp.Derivative(h(u, b), u), u, q)
    assert is_zero(sp.Derivative(h(q, b), q) - substituted)
    assert not is_zero(sp.Derivative(h(q, b), q) - 2 * substituted)


def test_the_numeric_layers_point_is_confirmed_in_exact_arithmetic():
    """A wrong answer that differs only for t > 0: the numeric layer's point, taken exactly,
    refutes it rigorously; a point where both sides agree confirms nothing."""
    g = scalar("g")
    relu = sp.Max(0, u)
    wrong = make("fixture.relu_split", kind="identity", f=relu - g * u, claimed=sp.Max(0, -u) * g)
    refuted = exact.confirm(wrong, {"dims": "scalar", "point": {"g": 0.25, "u": 1.5}})
    assert refuted is not None and refuted.status == "fail"
    assert refuted.counterexample["exact"] is True
    assert refuted.counterexample["point"] == {"g": "1/4", "u": "3/2"}
    assert exact.confirm(wrong, {"dims": "scalar", "point": {"g": 0.25, "u": -1.5}}) is None
    assert exact.confirm(wrong, {"dims": "n=2", "point": {"g": 0.25, "u": 1.5}}) is None
    assert verify(wrong).verdict == "refuted"


@pytest.mark.parametrize(
    "relation, claimed, expected",
    [
        (
            sp.Abs(sp.sin(scalar("h")) - scalar("h")) <= sp.Abs(scalar("h")) ** 3 / 6,
            sp.true,
            "verified",
        ),
        (
            sp.Abs(sp.sin(scalar("h")) - scalar("h")) <= sp.Abs(scalar("h")) ** 3 / 7,
            sp.false,
            "verified",
        ),
        (
            sp.Abs(sp.sin(scalar("h")) - scalar("h")) <= sp.Abs(scalar("h")) ** 3 / 7,
            sp.true,
            "refuted",
        ),
        (
            sp.Abs(sp.sin(scalar("h")) - scalar("h")) <= sp.Abs(scalar("h")) ** 3 / 6,
            sp.false,
            "refuted",
        ),
    ],
)
def test_a_property_at_a_point_with_abs_is_evaluated_not_differentiated(
    relation, claimed, expected
):
    """|sin 1 − 1| ≈ 0.159 lies under 1/6 and over 1/7. A relation with |·| at a point takes no
    derivative (it once went down the limit-definition path and came out refuted), and a
    relation claimed false that is clearly false passes every layer, the numeric one included."""
    h = scalar("h")
    result = verify(
        make(
            "fixture.abs_bound", kind="property", f=relation, claimed=claimed, at={h: sp.Integer(1)}
        )
    )
    assert result.verdict == expected, result.reason


def test_a_class_that_evaluates_itself_takes_the_fast_path_and_can_still_fail():
    """A ScalarOfMatrix with a ``numeric`` method (log|det X| on the identities page) is evaluated
    by numpy at every size; the numeric layer then still refutes a wrong gradient on its own."""
    from derivations.engine import fastnum
    from derivations.identities import LogAbsDet

    Y = matrix("Y", n, n)
    right = make(
        "fixture.log_abs_det", kind="gradient", f=LogAbsDet(Y), wrt=Y, claimed=sp.Inverse(Y).T,
        domains={Y: "invertible"},
    )  # fmt: skip
    wrong = make(
        "fixture.log_abs_det_untransposed", kind="gradient", f=LogAbsDet(Y), wrt=Y,
        claimed=sp.Inverse(Y), domains={Y: "invertible"},
    )  # fmt: skip
    assert fastnum.supports(right.f, right.claimed)
    assert numeric.check(right).status == "pass"
    assert numeric.check(wrong).status == "fail"
    assert verify(wrong).verdict == "refuted"


def test_the_exact_layer_evaluates_rational_functions_in_q_as_substitution_would():
    """The exact layer's fast evaluation at a rational point gives what substituting into the
    expression gives; a pole is "undefined", and anything beyond + × and integer powers is
    handed back to substitution."""
    from derivations.engine.exact import _NotRational, _rational_values

    p, q = scalar("p"), scalar("q")
    entries = [p**2 / (p - q) + sp.Rational(1, 3), (p * q - 1) ** 3 / q**2]
    point = {p: sp.Rational(5, 7), q: sp.Rational(-2, 3)}
    assert _rational_values(entries, point) == [e.xreplace(point) for e in entries]
    assert _rational_values(entries, {p: sp.Rational(1, 2), q: sp.Rational(1, 2)}) is None
    with pytest.raises(_NotRational):
        _rational_values([sp.exp(p) + q], point)
    with pytest.raises(_NotRational):  # a point that is not rational
        _rational_values(entries, {p: sp.sqrt(2), q: sp.Integer(1)})


def test_layers_share_an_explicit_statement_only_when_it_is_the_same_for_both():
    """The symbolic and exact layers build the same explicit statement unless it has
    arbitrary functions, whose stand-ins differ by layer (undefined for the proof, concrete
    test functions for the exact points): those are never shared."""
    from derivations.engine.functions import VectorFunctionOf
    from derivations.engine.statement import explicit_statement

    plain = make("fixture.share_plain", kind="gradient", f=a.T @ x, wrt=x, claimed=a)
    dims = {n: 2}
    first = explicit_statement(plain, dims, family=None)
    assert explicit_statement(plain, dims, family=0) is first
    assert explicit_statement(plain, {n: 3}, family=0) is not first
    q = VectorFunctionOf("q", x, n)
    arbitrary = make("fixture.share_arbitrary", kind="identity", f=q, claimed=q)
    proof = explicit_statement(arbitrary, dims, family=None)
    tested = explicit_statement(arbitrary, dims, family=0)
    assert tested is not proof
    assert tested.f_val != proof.f_val
    assert proof.f_val[0].has(sp.core.function.AppliedUndef)
    assert not tested.f_val[0].has(sp.core.function.AppliedUndef)


def test_the_numeric_fast_path_compiles_each_expression_per_size():
    """A compiled expression is tied to its sizes: Iₙ + xxᵀ at n = 2 and n = 3 are different
    functions, and a symbol without a value is still reported, not taken as 0."""
    from derivations.engine import fastnum

    expr = sp.Identity(n) + x @ x.T
    two = fastnum.evaluate(expr, {x: np.ones((2, 1))}, {n: 2})
    three = fastnum.evaluate(expr, {x: np.ones((3, 1))}, {n: 3})
    assert two.shape == (2, 2) and three.shape == (3, 3)
    assert np.array_equal(three, np.eye(3) + 1)
    with pytest.raises(fastnum.Unsupported):
        fastnum.evaluate(expr, {}, {n: 2})
