"""Exact layer: evaluate derived and claimed at random rational points with no rounding.

For rational expressions (polynomials, traces, determinants, inverses) the comparison is exact:
a non-zero difference is a proof that the claim is wrong there. Where transcendental functions
or constants (π, e) appear, both sides are evaluated to 50 significant digits instead; a
difference found there is then proved, when it can be, by interval arithmetic (enclosures of the
two sides that do not overlap), and the layer's ``proved_by`` says how the failure was shown.
"""

from __future__ import annotations

import contextlib

import sympy as sp
from mpmath import iv

from .claims import Claim
from .report import LayerResult
from .sampling import rng_for, sample_rational
from .statement import (
    NUMERIC_SIZES,
    SYMBOLIC_SIZES,
    ShapeMismatch,
    dimension_sets,
    explicit_statement,
    point_substitution,
)
from .symbolic import dims_label, uses_limit_definition

POINTS_PER_DIMS = 3
DIGITS = 50
PROOF_BITS = 256  # interval precision for proving a difference (about 77 digits)


def check(claim: Claim, salt: str = "", stress=None) -> LayerResult:
    """Derived and claimed at exact points; ``stress`` (a stress profile, see
    ``sampling.draw_float``) supplies float points, taken exactly as rationals."""
    result = LayerResult(layer="exact", status="pass")
    if uses_limit_definition(claim):
        result.status = "skipped"
        result.detail = "the symbolic layer evaluates the limit definition exactly at the point"
        return result
    high_precision = False
    for dims in dimension_sets(claim, SYMBOLIC_SIZES):
        statement = explicit_statement(claim, dims, family=0)
        ctx = statement.ctx
        try:
            claimed = statement.claimed
        except ShapeMismatch as exc:
            return LayerResult(
                layer="exact",
                status="fail",
                detail=str(exc),
                counterexample={"dims": dims_label(dims), "shape": str(exc)},
            )
        derived = statement.derived()
        rng = rng_for(claim.id, "exact", salt, dims_label(dims))
        points = (
            [dict(claim.at)]
            if claim.at
            else [_random_point(claim, ctx, rng, stress) for _ in range(POINTS_PER_DIMS)]
        )
        result.dims.append(dims_label(dims))
        for point in points:
            subs = point_substitution(claim, ctx, point)
            if claim.kind == "property":
                truth = _truth(derived, subs)
                if truth is None:
                    continue
                result.checks += 1
                if truth != bool(claimed):
                    result.status = "fail"
                    result.detail = "the relation has the other truth value at an exact point"
                    result.counterexample = {
                        "dims": dims_label(dims),
                        "point": {str(k): _show(v) for k, v in point.items()},
                        "relation": str(derived),
                        "value": truth,
                        "exact": True,
                    }
                    return result
                continue
            compared = _compare_at(derived, claimed, subs)
            if compared is None:
                continue
            result.checks += 1
            exact, differ, d_val, c_val = compared
            high_precision |= not exact
            if differ:
                result.status = "fail"
                result.detail = "derived and claimed differ at an exact point"
                result.counterexample = _refutation(dims_label(dims), point, d_val, c_val, exact)
                _record_proof(result, exact, d_val, c_val)
                return result
    if result.checks == 0:
        result.status = "skipped"
        result.detail = "no admissible exact point (values undefined there)"
        return result
    result.detail = (
        f"{DIGITS}-digit evaluation at rational points"
        if high_precision
        else "exact rational arithmetic at rational points"
    )
    return result


def confirm(claim: Claim, counterexample: dict) -> LayerResult | None:
    """The numeric layer's counterexample point, taken exactly (every float is a rational):
    a rigorous refutation when derived and claimed differ there, else None.

    Three random exact points can all miss the region where a wrong answer differs (a slope
    that is wrong only for t > 0, say), while the numeric layer, with more points, finds it;
    the point it reports is then checked here in exact arithmetic, so that the verdict is a
    refutation rather than "the layers disagree".
    """
    label, values = counterexample.get("dims"), counterexample.get("point")
    if not values or claim.kind == "property" or claim.at or uses_limit_definition(claim):
        return None
    # the numeric layer's sizes: beyond the symbolic ones only for a statement that uses a
    # dimension name as a number (a coincidence at small sizes), where the larger size matters
    sizes = NUMERIC_SIZES if claim.dimensions_used_as_numbers() else SYMBOLIC_SIZES
    for dims in dimension_sets(claim, sizes):
        if dims_label(dims) != label:
            continue
        statement = explicit_statement(claim, dims, family=0)
        ctx = statement.ctx
        point = {}
        for var in claim.variables:
            given, value = values.get(var.name), ctx.env[var.symbol]
            if given is None:
                return None
            flat = [sp.Rational(str(v)) for v in _flatten(given)]
            if isinstance(value, sp.MatrixBase):
                if len(flat) != value.rows * value.cols:
                    return None
                point[var.symbol] = sp.Matrix(value.rows, value.cols, flat)
            elif len(flat) == 1:
                point[var.symbol] = flat[0]
            else:
                return None
        claimed, derived = statement.claimed, statement.derived()
        compared = _compare_at(derived, claimed, point_substitution(claim, ctx, point))
        if compared is None:
            return None
        exact, differ, d_val, c_val = compared
        if not differ:
            return None
        result = LayerResult(
            layer="exact",
            status="fail",
            detail="derived and claimed differ at the numeric layer's point, taken exactly",
            checks=1,
            dims=[label],
            counterexample=_refutation(label, point, d_val, c_val, exact),
        )
        _record_proof(result, exact, d_val, c_val)
        # only a proved difference is a refutation (not one seen in 50-digit values alone)
        return result if result.proved_by is not None else None
    return None


def _record_proof(result: LayerResult, exact: bool, d_val, c_val) -> None:
    """How the failure in ``result`` is established, and how large it is relative to the
    values (``worst_relative_error``): a verdict may rest on a difference too small for the
    numeric layer only when it is proved."""
    result.proved_by = "rational arithmetic" if exact else _interval_proof(d_val, c_val)
    result.worst_relative_error = _relative_difference(d_val, c_val)
    if result.proved_by == "interval arithmetic":
        result.detail += " (proved by interval arithmetic)"


def _relative_difference(d_val, c_val) -> float | None:
    """max |derived − claimed| over the entries, relative to the largest entry of either."""
    d_list = [sp.N(e, DIGITS) for e in _entries(d_val)]
    c_list = [sp.N(e, DIGITS) for e in _entries(c_val)]
    try:
        gap = max(abs(a - b) for a, b in zip(d_list, c_list, strict=True))
        scale = max(abs(v) for v in d_list + c_list)
        return float(gap / scale) if scale != 0 else None
    except (TypeError, ValueError):  # a complex value: no size to report
        return None


def _entries(value) -> list:
    return list(value) if isinstance(value, sp.MatrixBase) else [value]


class _NoEnclosure(Exception):
    """An expression outside what ``_enclose`` can bound rigorously."""


def _interval_proof(d_val, c_val) -> str | None:
    """Returns "interval arithmetic" when some entry of derived and of claimed have enclosures
    that do not overlap (outward-rounded intervals at ``PROOF_BITS`` bits: a proof that they
    differ), else None. Only a failure found in 50-digit values gets here, so this costs
    nothing on a claim that passes."""
    saved = iv.prec
    iv.prec = PROOF_BITS
    try:
        for d, c in zip(_entries(d_val), _entries(c_val), strict=True):
            with contextlib.suppress(
                _NoEnclosure, ArithmeticError, ValueError, TypeError, RecursionError
            ):
                a, b = _enclose(d), _enclose(c)
                if a.b < b.a or b.b < a.a:
                    return "interval arithmetic"
    finally:
        iv.prec = saved
    return None


_IV_FUNCTIONS = {
    sp.exp: lambda t: iv.exp(t),
    sp.sin: lambda t: iv.sin(t),
    sp.cos: lambda t: iv.cos(t),
    sp.tan: lambda t: iv.tan(t),
    sp.tanh: lambda t: 1 - 2 / (iv.exp(2 * t) + 1),
    sp.sinh: lambda t: (iv.exp(t) - iv.exp(-t)) / 2,
    sp.cosh: lambda t: (iv.exp(t) + iv.exp(-t)) / 2,
    sp.Abs: lambda t: iv.fabs(t),
}


def _enclose(expr):
    """An interval holding the exact value of a constant sympy expression (numbers, π, e,
    + × and powers, and the elementary functions above); ``_NoEnclosure`` for anything else."""
    if expr.is_Integer:
        return iv.mpf(int(expr))
    if expr.is_Rational:
        return iv.mpf(int(expr.p)) / iv.mpf(int(expr.q))
    if expr is sp.pi:
        return iv.pi
    if expr is sp.E:
        return iv.e
    if expr.is_Add or expr.is_Mul:
        parts = [_enclose(a) for a in expr.args]
        total = parts[0]
        for part in parts[1:]:
            total = total + part if expr.is_Add else total * part
        return total
    if expr.is_Pow:
        base, power = expr.args
        if power.is_Integer:
            return _enclose(base) ** int(power)
        return _positive_power(_enclose(base), _enclose(power))
    if isinstance(expr, sp.log):
        return _positive_log(_enclose(expr.args[0]))
    if expr.func in _IV_FUNCTIONS and len(expr.args) == 1:
        return _IV_FUNCTIONS[expr.func](_enclose(expr.args[0]))
    raise _NoEnclosure(type(expr).__name__)


def _positive_log(t):
    if not t.a > 0:
        raise _NoEnclosure("log of an interval reaching 0")
    return iv.log(t)


def _positive_power(base, power):
    return iv.exp(power * _positive_log(base))


def _compare_at(derived, claimed, subs) -> tuple | None:
    """(exact?, do they differ?, derived, claimed) at one point; None where either side is
    undefined. Rational values are compared exactly; others at DIGITS digits, where a
    difference below 10^-(DIGITS-10) of their size is taken for agreement."""
    d_val, c_val = _evaluate(derived, subs), _evaluate(claimed, subs)
    if d_val is None or c_val is None:
        return None
    exact, diff, scale = _difference(d_val, c_val)
    tolerance = 0 if exact else sp.Float(10) ** (-(DIGITS - 10)) * scale
    return exact, abs(diff) > tolerance, d_val, c_val


def _refutation(label: str, point: dict, d_val, c_val, exact: bool) -> dict:
    return {
        "dims": label,
        "point": {str(k): _show(v) for k, v in point.items()},
        "claimed": _show(c_val),
        "derived": _show(d_val),
        "exact": exact,
    }


def _flatten(value) -> list:
    if isinstance(value, list | tuple):
        return [x for v in value for x in _flatten(v)]
    return [value]


def _truth(relation, subs) -> bool | None:
    """The truth value of a relation at a point: exactly, or from 50-digit values of both sides."""
    value = relation.xreplace(subs)
    if value in (sp.true, sp.false):
        return bool(value)
    if isinstance(value, sp.core.relational.Relational):
        lhs, rhs = sp.N(value.lhs, DIGITS), sp.N(value.rhs, DIGITS)
        if lhs.is_real and rhs.is_real:
            decided = value.func(lhs, rhs)
            if decided in (sp.true, sp.false):
                return bool(decided)
    return None


def _random_point(claim: Claim, ctx, rng, stress=None) -> dict:
    point = {}
    for var in claim.variables:
        value = ctx.env[var.symbol]
        shape = value.shape if isinstance(value, sp.MatrixBase) else (1, 1)
        stressed = None if stress is None else stress.sample(var.domain, shape, rng)
        if stressed is not None:  # every float is a rational: take it exactly
            rows = [[sp.Rational(float(v)) for v in row] for row in stressed]
            sample = sp.Matrix(rows)
        else:
            sample = sample_rational(var.domain, shape, rng)
        point[var.symbol] = sample if isinstance(value, sp.MatrixBase) else sample[0, 0]
    return point


class _NotRational(Exception):
    """A node outside the rational operations, or a non-rational value at the point."""


def _rational_values(entries, subs) -> list | None:
    """The entries' exact values when each is a rational function evaluated at a rational point,
    node by node in Q (one memo for all entries: derivatives share most of their subtrees);
    None where one is undefined there (a division by zero). Raises ``_NotRational`` otherwise,
    and the caller substitutes into the expression instead. The arithmetic is that of
    ``xreplace`` followed by sympy's automatic evaluation, without building the tree again."""
    QQ = sp.QQ
    values = {}
    for symbol, value in subs.items():
        if not value.is_Rational:
            raise _NotRational
        values[symbol] = QQ(int(value.p), int(value.q))
    memo: dict = {}

    def value_of(e):
        hit = memo.get(e)
        if hit is not None:
            return hit
        if e.is_Symbol:
            if e not in values:
                raise _NotRational  # a free symbol left: not a value
            out = values[e]
        elif e.is_Rational:
            out = QQ(int(e.p), int(e.q))
        elif e.is_Add:
            out = QQ(0)
            for a in e.args:
                out += value_of(a)
        elif e.is_Mul:
            out = QQ(1)
            for a in e.args:
                out *= value_of(a)
        elif e.is_Pow and e.exp.is_Integer:
            out = value_of(e.base) ** int(e.exp)  # 0 to a negative power: ZeroDivisionError
        else:
            raise _NotRational
        memo[e] = out
        return out

    try:
        computed = [value_of(e) for e in entries]
    except ZeroDivisionError:
        return None
    return [sp.Rational(int(v.numerator), int(v.denominator)) for v in computed]


def _evaluate(value, subs):
    """``value`` at the point, or None where it is undefined (division by zero, log of 0...)."""
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    with contextlib.suppress(_NotRational):
        exact = _rational_values(entries, subs)
        if exact is None:
            return None
        return sp.Matrix(exact) if isinstance(value, sp.MatrixBase) else exact[0]
    out = (
        value.xreplace(subs)
        if not isinstance(value, sp.MatrixBase)
        else value.applyfunc(lambda e: e.xreplace(subs))
    )
    entries = list(out) if isinstance(out, sp.MatrixBase) else [out]
    evaluated = []
    for e in entries:
        e = sp.nsimplify(e) if e.is_Float else e
        if e.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or e.free_symbols:
            return None
        evaluated.append(e)
    return sp.Matrix(evaluated) if isinstance(out, sp.MatrixBase) else evaluated[0]


def _difference(d_val, c_val):
    d_list = list(d_val) if isinstance(d_val, sp.MatrixBase) else [d_val]
    c_list = list(c_val) if isinstance(c_val, sp.MatrixBase) else [c_val]
    if all(e.is_Rational for e in d_list + c_list):
        worst = max(abs(a - b) for a, b in zip(d_list, c_list, strict=True))
        return True, worst, 1
    d_num = [sp.N(e, DIGITS) for e in d_list]
    c_num = [sp.N(e, DIGITS) for e in c_list]
    worst = max(abs(a - b) for a, b in zip(d_num, c_num, strict=True))
    scale = max([abs(v) for v in d_num + c_num] + [sp.Float(1)])
    return False, worst, scale


def _show(value):
    if isinstance(value, list | tuple):
        return [_show(v) for v in value]
    if isinstance(value, sp.MatrixBase):
        if value.shape[1] == 1:
            return [_show(v) for v in value]
        return [[_show(v) for v in value.row(i)] for i in range(value.rows)]
    value = sp.sympify(value)
    if value.is_Rational:
        return str(value)
    return str(sp.N(value, 12))
