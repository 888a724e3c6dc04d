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


def is_zero(expr) -> bool:
    """True only when sympy can show ``expr`` is identically zero (cheap tries first)."""
    if expr == 0:
        return True
    for attempt in (sp.expand, sp.cancel, sp.simplify):
        try:
            if attempt(expr) == 0:
                return True
        except (TypeError, ValueError, NotImplementedError):
            continue
    return False


def check(claim: Claim) -> LayerResult:
    result = LayerResult(layer="symbolic", status="pass")
    for dims in dimension_sets(claim, SYMBOLIC_SIZES):
        ctx = context(claim, dims, family=None)
        f_val = f_value(claim, ctx)
        try:
            claimed = claimed_value(claim, ctx, f_val)
        except ShapeMismatch as exc:
            return LayerResult(
                layer="symbolic", status="fail", dims=[dims_label(dims)], detail=str(exc),
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
