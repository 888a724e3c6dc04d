"""The stress run: hard points must not blind the checker, and must not refute correct claims."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from derivations import cli
from derivations.engine import Registry, claim, dim, matrix, numeric, scalar, vector
from derivations.engine.sampling import draw_float, sample_float
from derivations.stress import Profile, conditioned, kink_target, moved_claim, stress_claim

n = dim("n")
x = vector("x", n)
A, X = matrix("A", n, n), matrix("X", n, n)
t = scalar("t")

HARD = [Profile("condition", 1e8), Profile("scale", 1e6), Profile("scale", 1e-6)]


def make(claim_id, **kwargs):
    return claim(claim_id, claim_id, registry=Registry(), **kwargs)


WRONG = {
    "d/dX tr(AX) = A": dict(kind="gradient", f=sp.Trace(A @ X), wrt=X, claimed=A),
    "grad x'Ax = 2Ax": dict(kind="gradient", f=x.T @ A @ x, wrt=x, claimed=2 * A @ x),
}
RIGHT = {
    "d/dX tr(AX) = A'": dict(kind="gradient", f=sp.Trace(A @ X), wrt=X, claimed=A.T),
    "grad x'Ax = (A + A')x": dict(kind="gradient", f=x.T @ A @ x, wrt=x, claimed=(A + A.T) @ x),
    "d/dX log det X = X^-1 (SPD)": dict(
        kind="gradient",
        f=sp.log(sp.Determinant(X)),
        wrt=X,
        claimed=sp.Inverse(X),
        domains={X: "spd"},
        dims={n: (2, 3)},
    ),
}


@pytest.mark.parametrize("profile", HARD, ids=lambda p: p.name)
@pytest.mark.parametrize("name", list(WRONG))
def test_wrong_claims_are_still_refuted_at_stressed_points(name, profile):
    row = stress_claim(make("fixture.stress_wrong", **WRONG[name]), profile)
    assert row["verdict"] == "refuted", row
    assert row["counterexample"], row
    if profile.name != "scale=1e6":  # at 1e6 the saturation gate closes; exact still refutes
        assert row["layers"]["numeric"] == "fail", row


@pytest.mark.parametrize("profile", HARD, ids=lambda p: p.name)
@pytest.mark.parametrize("name", list(RIGHT))
def test_correct_claims_are_never_refuted_at_stressed_points(name, profile):
    row = stress_claim(make("fixture.stress_right", **RIGHT[name]), profile)
    assert row["verdict"] in ("verified", "inconclusive"), row
    if row["verdict"] == "inconclusive":
        assert row["reason"], row


def test_profiles_keep_domains_and_prescribe_the_condition_number():
    rng = np.random.default_rng(0)
    for kappa in (1e2, 1e8):
        for domain in ("real", "invertible", "symmetric", "spd"):
            m = conditioned(domain, (4, 4), kappa, rng)
            assert np.linalg.cond(m) == pytest.approx(kappa, rel=1e-3)
            if domain in ("symmetric", "spd"):
                assert np.array_equal(m, m.T)
        assert np.linalg.eigvalsh(conditioned("spd", (4, 4), kappa, rng)).min() > 0
        eig = np.linalg.eigvalsh(conditioned("symmetric", (4, 4), kappa, rng))
        assert eig.min() < 0 < eig.max()
    rect = conditioned("real", (3, 5), 1e6, rng)
    assert np.linalg.cond(rect) == pytest.approx(1e6, rel=1e-3)
    assert conditioned("real", (5, 1), 1e6, rng) is None  # a vector has no condition number
    tiny = Profile("scale", 1e-6)
    assert tiny.sample("positive", (3, 1), rng).min() > 0
    assert tiny.sample("probability", (3, 1), rng) is None  # left to the usual sampler


def test_without_a_profile_the_sampler_is_unchanged():
    one, two = np.random.default_rng(7), np.random.default_rng(7)
    for domain in ("real", "spd", "positive", "probability"):
        assert np.array_equal(draw_float(domain, (3, 3), one), sample_float(domain, (3, 3), two))


relu = sp.Piecewise((0, t < 0), (t, True))


def test_kink_claims_move_to_the_side_they_are_about():
    right = make(
        "fixture.relu_right",
        kind="derivative",
        f=sp.Max(0, t),
        wrt=t,
        claimed=1,
        at={t: 0},
        side="+",
    )
    positive = make(
        "fixture.relu_pos", kind="derivative", f=relu, wrt=t, claimed=1, at={t: sp.Rational(4, 5)}
    )
    negative = make("fixture.relu_neg", kind="derivative", f=relu, wrt=t, claimed=0, at={t: -2})
    assert kink_target(right)[1:] == (0, 1)
    assert moved_claim(positive, 1e-9).at[t] == sp.Rational(1, 10**9)
    assert moved_claim(negative, 1e-7).at[t] == -sp.Rational(1, 10**7)
    two_sided_at_kink = make(
        "fixture.relu_kink", kind="derivative", f=sp.Max(0, t), wrt=t, claimed=0, at={t: 0}
    )
    assert kink_target(two_sided_at_kink) is None  # no side to move to: a pitfall stays put
    for d in (1e-3, 1e-6, 1e-9):
        for c in (right, positive, negative):
            row = stress_claim(c, Profile("kink", d))
            assert row["verdict"] == "verified", row


def test_a_step_straddling_a_nearby_kink_does_not_refute():
    near = make(
        "fixture.relu_near",
        kind="derivative",
        f=relu,
        wrt=t,
        claimed=1,
        at={t: sp.Rational(1, 10**6)},
    )
    assert numeric.check(near).status == "pass"  # smaller ladders resolve the kink
    halfway = make(
        "fixture.relu_half",
        kind="derivative",
        f=sp.Max(0, t),
        wrt=t,
        claimed=sp.Rational(1, 2),
        at={t: 0},
    )
    assert numeric.check(halfway).status == "fail"  # matches neither one-sided limit


def test_cancellation_is_inconclusive_not_a_counterexample():
    # 1 − σ(t) is 0 in double precision at t = 300, σ(−t) is 5e-131: both sides are right
    sigma = 1 / (1 + sp.exp(-t))
    right = make(
        "fixture.sigma_sym", kind="identity", f=sigma.subs(t, -t), claimed=1 - sigma, at={t: 300}
    )
    result = numeric.check(right)
    assert result.status == "undecided" and "rounding" in result.detail, result
    wrong = make(
        "fixture.sigma_sym_wrong",
        kind="identity",
        f=sigma.subs(t, -t),
        claimed=1 - sigma + sp.Rational(1, 1000),
        at={t: 300},
    )
    assert numeric.check(wrong).status == "fail"


def test_a_step_too_coarse_for_f_is_inconclusive_not_a_counterexample():
    u = scalar("u")
    fast = make(
        "fixture.sin_cubic",
        kind="derivative",
        f=sp.sin(u**3),
        wrt=u,
        claimed=3 * u**2 * sp.cos(u**3),
        at={u: -520},
    )
    result = numeric.check(fast)
    assert result.status != "fail", result
    slow_wrong = make(
        "fixture.sin_cubic_wrong",
        kind="derivative",
        f=sp.sin(u**3),
        wrt=u,
        claimed=6 * u**2 * sp.cos(u**3),
        at={u: sp.Rational(13, 10)},
    )
    assert numeric.check(slow_wrong).status == "fail"


def run(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_rejects_an_unknown_claim_pattern(capsys):
    code, out, err = run(["stress", "--claims", "no_such_topic.*"], capsys)
    assert code == 2 and not out
    assert (
        err.strip()
        == "error: no claim id matches 'no_such_topic.*' (see `python -m derivations list`)"
    )


def test_cli_json_report_for_one_claim(capsys):
    code, out, err = run(
        ["stress", "--claims", "identities.trace_ax", "--json", "--processes", "1"], capsys
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["claims"] == 1 and report["refuted_correct"] == []
    assert {"kappa=1e8", "scale=1e6", "kink=1e-9"} <= set(report["table"])
    assert report["table"]["kappa=1e8"]["correct"]["verified"] == 1
    assert all(r["claim"] == "identities.trace_ax" for r in report["rows"])
    assert "/" in err  # progress on stderr
