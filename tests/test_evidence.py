"""Mutation operators produce the mistakes they promise, and the engine classifies them."""

from __future__ import annotations

import sympy as sp

from derivations.engine import Registry, claim, dim, matrix, vector
from derivations.mutants import classify, mutate

n = dim("n")
w, X = vector("w", n), matrix("X", n, n)


def quadratic():
    return claim(
        "fixture.mut",
        "m",
        kind="gradient",
        f=w.T @ X @ w,
        wrt=w,
        claimed=(X + X.T) @ w,
        refs=["S0-10"],
        registry=Registry(),
    )


def test_operators_cover_the_usual_mistakes():
    operators = {m.operator for m in mutate(quadratic())}
    assert {
        "add-transpose",
        "drop-transpose",
        "swap-matmul",
        "drop-term",
        "flip-term-sign",
        "symmetrise-as-2A",
        "double",
        "flip-sign",
    } <= operators


def test_inverse_and_factor_two_operators():
    Y = matrix("Y", n, n)
    c = claim(
        "fixture.mut2",
        "m",
        kind="gradient",
        f=sp.log(sp.Determinant(Y)),
        wrt=Y,
        claimed=2 * sp.Inverse(Y).T,
        registry=Registry(),
    )
    mutants = list(mutate(c))
    # X⁻¹ where X⁻ᵀ is meant (whichever operator reaches it first; duplicates are dropped)
    assert any(m.claimed == 2 * sp.Inverse(Y) for m in mutants)
    assert "drop-factor-2" in {m.operator for m in mutants}
    assert len({sp.srepr(m.claimed) for m in mutants}) == len(mutants)


def test_classification_kills_wrong_and_recognises_equivalent_mutants():
    c = quadratic()
    rows = {m.description: classify(c, m) for m in mutate(c)}
    two_a = next(r for d, r in rows.items() if "→ 2X" in d)
    assert two_a["status"] == "killed"
    equivalent = [r for r in rows.values() if r["status"] == "equivalent"]
    assert equivalent and all("X → (X)ᵀ" in r["mutation"] for r in equivalent)
    assert not [r for r in rows.values() if r["status"] == "survived"]


def test_sweep_reports_every_seed_of_a_flaking_claim_and_none_of_a_sound_one():
    """Must-fail fixture: a wrong formula declared as correct flakes on every fresh seed, each
    reported with its seed; the right formula flakes on none."""
    from derivations.evidence import run_sweep

    reg = Registry()
    claim(
        "fixture.right",
        "r",
        kind="gradient",
        f=w.T @ X @ w,
        wrt=w,
        claimed=(X + X.T) @ w,
        registry=reg,
    )
    claim(
        "fixture.wrong", "w", kind="gradient", f=w.T @ X @ w, wrt=w, claimed=2 * X @ w, registry=reg
    )
    report = run_sweep(
        ["fixture.right", "fixture.wrong"], seeds=3, processes=2, progress=False, registry=reg
    )
    assert report["checks"] == 6
    assert report["verdicts"] == {"verified": 3, "refuted": 3}
    assert sorted(f["salt"] for f in report["flakes"]) == ["sweep-0", "sweep-1", "sweep-2"]
    assert {f["claim"] for f in report["flakes"]} == {"fixture.wrong"}
