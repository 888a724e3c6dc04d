"""Display forms: a claim printed as its author writes it, proved equal to what is checked.

A claim's ``display`` (standing for ``claimed``) and ``display_f`` (standing for ``f``) are the
same values in the author's term order and grouping, built unevaluated so the printer keeps them
(``2Xᵀ(Xw − y)`` where sympy would write ``2XᵀXw − 2Xᵀy``). They are presentation, not part of the
statement; this check is what entitles the page to show them. At the symbolic layer's sizes both
sides are made explicit with arbitrary functions left undefined (so the proof covers every f),
the domain's ties applied (a symmetric matrix's mirrored entries), and ``checked − shown`` must
vanish entry by entry. An entry sympy cannot simplify is compared at random exact points of the
domain instead (a nonzero value refutes the display form; agreement is reported as such).
"""

from __future__ import annotations

import sympy as sp

from .claims import Claim
from .concrete import ConcretiseError, explicit
from .report import LayerResult
from .sampling import rng_for, sample_rational
from .statement import context, domain_ties
from .symbolic import _in_rational_function_field, dims_label, is_zero, symbolic_dimension_sets
from .written import unwrap

REASON = "display form differs from the checked expression"
UNPROVED = "display form not proved equal to the checked expression"
POINTS = 3
DIGITS = 50

_cache: dict[tuple, LayerResult] = {}


def has_display(claim: Claim) -> bool:
    return claim.display is not None or claim.display_f is not None


def pairs(claim: Claim) -> list[tuple[str, object, object]]:
    """(name, checked expression, display form) for each display form the claim gives."""
    out = []
    if claim.display_f is not None:
        out.append(("display_f", claim.f, claim.display_f))
    if claim.display is not None:
        out.append(("display", claim.claimed, claim.display))
    return out


def _sides(claim: Claim) -> list[tuple[str, object, object]]:
    """The pairs to compare. A relation (a property's ``f``) is compared side by side and must
    keep its kind (a display of ``a > b`` may not show ``a ≥ b``); a compound statement (an
    implication, a conjunction) must keep its connectives, and its parts are compared in turn."""
    out = []
    for name, checked, shown in pairs(claim):
        out += _split(name, checked, shown)
    return out


def _split(name: str, checked, shown) -> list[tuple[str, object, object]]:
    relational = sp.core.relational.Relational
    connective = sp.logic.boolalg.BooleanFunction
    if isinstance(checked, relational) or isinstance(shown, relational):
        if type(checked) is not type(shown):
            raise _Differs(name, "the relation shown is not the relation checked")
        return [
            (f"{name} (left side)", checked.lhs, shown.lhs),
            (f"{name} (right side)", checked.rhs, shown.rhs),
        ]
    if isinstance(checked, connective) or isinstance(shown, connective):
        if type(checked) is not type(shown) or len(checked.args) != len(shown.args):
            raise _Differs(name, "the statement shown is not built like the statement checked")
        return [
            part
            for k, (a, b) in enumerate(zip(checked.args, shown.args, strict=True), 1)
            for part in _split(f"{name} (part {k})", a, b)
        ]
    return [(name, checked, shown)]


class _Differs(ValueError):
    def __init__(self, name: str, why: str):
        super().__init__(why)
        self.name, self.why = name, why


def check(claim: Claim) -> LayerResult | None:
    """The display layer's result, or None when the claim has no display form.

    The result depends only on the claim's expressions, so it is computed once per statement
    (a seed sweep or a stress run verifies the same claim many times).
    """
    if not has_display(claim):
        return None
    key = (
        claim.id,
        *(sp.srepr(e) for _, checked, shown in pairs(claim) for e in (checked, shown)),
        repr(sorted((str(k), sp.srepr(v)) for k, v in claim.where.items())),
        repr(sorted((v.name, v.domain) for v in claim.variables)),
        repr(sorted((str(k), v) for k, v in claim.dims.items())),
    )
    if key not in _cache:
        _cache[key] = _check(claim)
    return _cache[key]


def _check(claim: Claim) -> LayerResult:
    result = LayerResult(layer="display", status="pass")
    try:
        _sides(claim)
    except _Differs as exc:
        return _fail(result, exc.name, "every size", exc.why)
    sampled = False
    for dims in symbolic_dimension_sets(claim):
        label = dims_label(dims)
        result.dims.append(label)
        try:
            ctx = context(claim, dims, family=None)
            ties = domain_ties(claim, ctx)
            for name, checked, shown in _sides(claim):
                left, right = explicit(checked, ctx), explicit(unwrap(shown), ctx)
                mismatch = _shape_mismatch(left, right)
                if mismatch:
                    return _fail(result, name, label, mismatch)
                for k, entry in enumerate(_entries(left - right)):
                    result.checks += 1
                    entry = entry.subs(ties) if ties else entry
                    if is_zero(entry):
                        continue
                    differs, points = _at_exact_points(claim, dims, checked, shown, k)
                    if differs:
                        return _fail(result, name, label, differs)
                    plain, _ = _in_rational_function_field(entry)
                    if plain:  # is_zero's "no" is final for a rational function of symbols
                        return _fail(result, name, label, f"entry {k} does not vanish")
                    if not points:
                        result.status = "undecided"
                        result.detail = (
                            f"{UNPROVED}: entry {k} of {name} at {label} neither simplifies to 0 "
                            "nor can be evaluated at an exact point"
                        )
                        return result
                    sampled = True
        except (ConcretiseError, ZeroDivisionError, ValueError, TypeError) as exc:
            result.status = "undecided"
            result.detail = f"{UNPROVED}: {type(exc).__name__}: {exc}"
            return result
    result.detail = (
        "equal to the checked expression: the difference simplifies to 0 entry by entry"
        if not sampled
        else "equal to the checked expression: simplified to 0, or 0 at exact random points"
    )
    return result


def _entries(value) -> list:
    return list(value) if isinstance(value, sp.MatrixBase) else [value]


def _shape(value):
    if isinstance(value, sp.MatrixBase):
        return None if value.shape == (1, 1) else value.shape
    return None


def _shape_mismatch(left, right) -> str:
    if _shape(left) != _shape(right):
        return (
            f"shapes differ: {_shape(left) or 'scalar'} checked, {_shape(right) or 'scalar'} shown"
        )
    return ""


def _fail(result: LayerResult, name: str, label: str, why: str) -> LayerResult:
    result.status = "fail"
    result.detail = f"{REASON} ({name} at {label}: {why})"
    result.counterexample = {"display": name, "dims": label, "difference": why}
    return result


def _at_exact_points(claim: Claim, dims: dict, checked, shown, k: int) -> tuple[str, int]:
    """Entry ``k`` of both sides at random exact points (concrete functions in place of
    arbitrary ones): a description of a point where they differ ("" if none) and the number of
    admissible points where they agree."""
    ctx = context(claim, dims, family=0)
    left = _entries(explicit(checked, ctx))[k]
    right = _entries(explicit(unwrap(shown), ctx))[k]
    rng = rng_for(claim.id, "display", dims_label(dims))
    agreed = 0
    for _ in range(POINTS):
        subs = {}
        for var in claim.variables:
            value = ctx.env[var.symbol]
            shape = value.shape if isinstance(value, sp.MatrixBase) else (1, 1)
            sample = sample_rational(var.domain, shape, rng)
            if isinstance(value, sp.MatrixBase):
                subs.update(zip(value, sample, strict=True))
            else:
                subs[value] = sample[0, 0]
        a, b = left.xreplace(subs), right.xreplace(subs)
        if any(v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or v.free_symbols for v in (a, b)):
            continue  # undefined there (or a function left symbolic): no evidence either way
        if a.is_Rational and b.is_Rational:
            if a != b:
                return f"entry {k} is {a} checked, {b} shown, at an exact point", agreed
            agreed += 1
            continue
        a_n, b_n = sp.N(a, DIGITS), sp.N(b, DIGITS)
        if abs(a_n - b_n) > sp.Float(10) ** (10 - DIGITS) * max(1, abs(a_n), abs(b_n)):
            return f"entry {k} is {sp.N(a, 8)} checked, {sp.N(b, 8)} shown, at a point", agreed
        agreed += 1
    return "", agreed
