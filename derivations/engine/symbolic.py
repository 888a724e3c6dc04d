"""Symbolic layer: explicit small matrices, entry-wise derivatives, ``claimed - derived == 0``."""

from __future__ import annotations

import sympy as sp

from .claims import Claim
from .report import LayerResult
from .statement import (
    SYMBOLIC_SIZES,
    ShapeMismatch,
    claimed_value,
    context,
    derived_value,
    dimension_sets,
    domain_ties,
    f_value,
    point_substitution,
)

SIMPLIFY_MAX_OPS = 400


def _numerator_vanishes(expr) -> bool:
    numerator, _ = sp.fraction(sp.together(expr))
    return bool(sp.expand(numerator) == 0)


def is_zero(expr) -> bool:
    """True only when sympy can show ``expr`` is identically zero (cheap tries first).

    ``simplify`` is tried only on small expressions: on the entries of, say, a symbolic 3×3
    inverse it can run for minutes, and rational expressions are settled by expanding the
    numerator over a common denominator.
    """
    if expr == 0:
        return True
    # each attempt answers a real bool: True only when the expression is shown to vanish
    attempts = [lambda e: sp.expand(e) == 0, _numerator_vanishes]
    if sp.count_ops(expr) <= SIMPLIFY_MAX_OPS:
        attempts.append(lambda e: sp.simplify(e) == 0)
    for attempt in attempts:
        try:
            if attempt(expr) is True:
                return True
        except (TypeError, ValueError, NotImplementedError, sp.PolynomialError):
            continue
    return False


def symbolic_dimension_sets(claim: Claim) -> list[dict]:
    """Sizes for the symbolic layer. Inverses and determinants of symbolic 3×3 matrices blow up
    (minutes per claim), so claims with them are proved at size 2; the exact layer still checks
    size 3 at rational points and the numeric layer sizes up to 5."""
    sets = dimension_sets(claim, SYMBOLIC_SIZES)
    heavy = any(
        e.has(sp.Inverse, sp.Determinant) for e in (claim.f, claim.claimed, *claim.where.values())
    )
    if heavy:
        small = [d for d in sets if all(v <= 2 for v in d.values())]
        sets = small or sets[:1]
    return sets


def check(claim: Claim) -> LayerResult:
    result = LayerResult(layer="symbolic", status="pass")
    for dims in symbolic_dimension_sets(claim):
        ctx = context(claim, dims, family=None)
        f_val = f_value(claim, ctx)
        try:
            claimed = claimed_value(claim, ctx, f_val)
        except ShapeMismatch as exc:
            return LayerResult(
                layer="symbolic",
                status="fail",
                dims=[dims_label(dims)],
                detail=str(exc),
                counterexample={"dims": dims_label(dims), "shape": str(exc)},
            )
        derived = derived_value(claim, ctx, f_val)
        difference = derived - claimed
        ties = domain_ties(claim, ctx)
        if claim.at:
            ties.update(point_substitution(claim, ctx, claim.at))
        if ties:
            difference = _subs(difference, ties)
        entries = list(difference) if isinstance(difference, sp.MatrixBase) else [difference]
        result.dims.append(dims_label(dims))
        result.checks += len(entries)
        for k, entry in enumerate(entries):
            if not is_zero(entry):
                result.status = "undecided"
                result.detail = f"could not simplify entry {k} to 0 at {dims_label(dims)}"
                return result
    result.detail = "claimed − derived simplifies to 0 entry by entry"
    return result


def _subs(value, subs):
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(lambda e: e.subs(subs))
    return value.subs(subs)


def dims_label(dims: dict) -> str:
    if not dims:
        return "scalar"
    return ", ".join(f"{k}={v}" for k, v in dims.items())
