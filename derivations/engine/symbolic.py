"""Symbolic layer: explicit small matrices, entry-wise derivatives, ``claimed - derived == 0``."""

from __future__ import annotations

import contextlib
import functools

import sympy as sp
from sympy.polys.fields import sfield

from .claims import Claim
from .report import LayerResult
from .statement import (
    SYMBOLIC_SIZES,
    ShapeMismatch,
    derived_by_limit,
    dimension_sets,
    domain_ties,
    explicit_statement,
    point_substitution,
)

SIMPLIFY_MAX_OPS = 400


def _numerator_vanishes(expr) -> bool:
    numerator, _ = sp.fraction(sp.together(expr))
    return bool(sp.expand(numerator) == 0)


class _NotRational(Exception):
    """Met a subexpression that is not a rational function of plain symbols."""


def _is_field_operation(e) -> bool:
    return e.is_Add or e.is_Mul or (e.is_Pow and e.exp.is_Integer) or _exp_of_sum_or_multiple(e)


def _exp_of_sum_or_multiple(e) -> bool:
    """exp(a + b) (= exp(a)·exp(b)) or exp(k·a) for an integer k ≠ 1 (= exp(a)^k): rewritten so
    that the field sees one generator exp(a), as sympy's own field does."""
    if not isinstance(e, sp.exp):
        return False
    arg = e.args[0]
    if arg.is_Add:
        return True
    coefficient, _ = arg.as_coeff_Mul()
    return coefficient.is_Integer and coefficient != 1


def _exp_factors(e) -> list:
    """exp(a + b) as [exp(a), exp(b)]; exp(k·a) as [exp(a)^k] (k an integer)."""
    arg = e.args[0]
    if arg.is_Add:
        return [sp.exp(term, evaluate=False) for term in arg.args]
    coefficient, rest = arg.as_coeff_Mul()
    return [sp.Pow(sp.exp(rest, evaluate=False), coefficient, evaluate=False)]


def _generators(expr) -> list:
    """The leaves of ``expr`` under sums, products and integer powers: plain symbols, and any
    other subexpression (exp(x), sqrt(y), f(x), a derivative), taken whole."""
    found, stack, seen = [], [expr], set()
    while stack:
        e = stack.pop()
        if e in seen or e.is_Rational:
            continue
        seen.add(e)
        if _is_field_operation(e):
            stack.extend(_exp_factors(e) if isinstance(e, sp.exp) else e.args)
        else:
            found.append(e)
    return sorted(found, key=sp.default_sort_key)


def _vanishes_by_field_arithmetic(expr) -> tuple[bool, bool]:
    """(are all generators plain symbols?, is the numerator the zero polynomial?)

    ``expr`` is evaluated as a fraction of polynomials over Q, node by node (sums, products,
    integer powers), without cancelling common factors on the way. Every other subexpression
    (exp(x), √y, f(x)) is one more independent generator: a zero numerator is then zero for
    whatever values they take (sound), and when every generator is a plain symbol a nonzero
    numerator is a nonzero function (final). Nothing is expanded symbolically first and no gcd
    is taken: on the entries of symbolic inverses this is many times faster than building the
    field element. Raises ``_NotRational`` when degrees grow past ``_MAX_DEGREE``.
    """
    generators = _generators(expr)
    if not generators:
        if expr.is_Rational:
            return True, expr == 0
        raise _NotRational
    stand_ins = [g if g.is_Symbol else sp.Dummy() for g in generators]
    ring, *gens = sp.polys.rings.ring(stand_ins, sp.QQ)
    index = dict(zip(generators, gens, strict=True))
    memo: dict = {}

    def value(e):  # (numerator, denominator)
        hit = memo.get(e)
        if hit is not None:
            return hit
        if e in index:
            out = (index[e], ring.one)
        elif e.is_Rational:
            out = (ring(sp.QQ(int(e.p), int(e.q))), ring.one)
        elif e.is_Add:
            num, den = ring.zero, ring.one
            for a in e.args:
                n, d = value(a)
                num, den = (num * d + n * den, den * d) if d != den else (num + n, den)
            out = (num, den)
        elif e.is_Mul or isinstance(e, sp.exp):
            num, den = ring.one, ring.one
            for a in _exp_factors(e) if isinstance(e, sp.exp) else e.args:
                n, d = value(a)
                num, den = num * n, den * d
            out = (num, den)
        else:  # an integer power (every other node is a generator)
            (n, d), k = value(e.base), int(e.exp)
            if k < 0:
                if n == 0:
                    raise _NotRational  # 1/0: not a function anywhere
                n, d, k = d, n, -k
            out = (n**k, d**k)
        if out[0] and out[0].degree() > _MAX_DEGREE:
            raise _NotRational  # growing without cancelling: leave it to the field
        memo[e] = out
        return out

    plain = all(g.is_Symbol for g in generators)
    return plain, value(expr)[0] == 0


_MAX_DEGREE = 60


def _in_rational_function_field(expr) -> tuple[bool, bool]:
    """(is it a rational function of plain symbols only?, does it vanish in that field?)

    sympy's sparse field arithmetic treats every non-rational subexpression (``exp(x)``,
    ``log(y)``, ...) as one more independent generator, so a zero there is a zero after
    substituting the true values (sound); and when every generator is a plain symbol, a nonzero
    element is a nonzero function (final). On the entries of symbolic inverses this is ten
    times faster than ``expand``, which multiplies out every quotient before cancelling.
    """
    substituted = expr.atoms(sp.Subs)
    if substituted:
        # Subs(∂h(u, y)/∂u, u, q(x)) is ∂h(q(x), y)/∂q(x): written one way, as the other
        # derivatives of the same h are, it is one generator of the field, not two
        expr = expr.xreplace({s: s.doit() for s in substituted})
    try:
        plain, vanishes = _vanishes_by_field_arithmetic(expr)
        if plain or vanishes:
            return plain, vanishes
    except (_NotRational, RecursionError):
        pass
    try:
        field, value = sfield(expr)
    except Exception:  # sympy raises many kinds for expressions outside a field: not shown
        return False, False
    return all(isinstance(g, sp.Symbol) for g in field.symbols), value == 0


BRANCHED = (sp.Abs, sp.sign, sp.Piecewise, sp.Max, sp.Min, sp.Heaviside, sp.floor, sp.ceiling)


def _clearly_nonzero(expr) -> bool:
    """True when ``expr`` is far from zero at one fixed point of positive rationals, evaluated
    to 30 digits: then no ``simplify`` can show it vanishes, and it is not tried (on a pitfall's
    difference it could take a second). Only ever used to skip a proof attempt, never to claim
    anything: the answer False means "try". Expressions with branches (|·|, sign, Piecewise,
    max) or a root or logarithm, whose value may depend on the domain, are always tried."""
    symbols = sorted(expr.free_symbols, key=sp.default_sort_key)
    if not symbols or not all(isinstance(s, sp.Symbol) for s in symbols):
        return False
    if (
        expr.has(*BRANCHED)
        or any(
            isinstance(node, sp.Pow) and not node.exp.is_Integer
            for node in sp.preorder_traversal(expr)
        )
        or expr.has(sp.log)
    ):
        return False
    point = {s: sp.Rational(5 + 2 * k, 11 + 3 * k) for k, s in enumerate(symbols)}
    try:
        value = complex(expr.evalf(30, subs=point))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return False
    return abs(value.imag) == 0 and 1e-9 < abs(value.real) < 1e30


@functools.lru_cache(maxsize=4096)
def is_zero(expr) -> bool:
    """True only when sympy can show ``expr`` is identically zero (cheap tries first).

    Rational functions of plain symbols are settled in sympy's field of rational functions.
    Otherwise ``simplify`` is tried only on small expressions: on the entries of, say, a
    symbolic 3×3 inverse it can run for minutes.
    """
    if expr == 0:
        return True
    plain, vanishes = _in_rational_function_field(expr)
    if plain:
        # a rational function of independent symbols: the field's answer is final both ways
        return vanishes
    if vanishes:
        return True
    # each attempt answers a real bool: True only when the expression is shown to vanish
    attempts = [lambda e: sp.expand(e) == 0, _numerator_vanishes]
    if sp.count_ops(expr) <= SIMPLIFY_MAX_OPS:
        attempts.append(lambda e: not _clearly_nonzero(e) and sp.simplify(e) == 0)
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
    size 3 at rational points and the numeric layer sizes up to 5. When every set has a side
    above 2, the smallest set whose sides are all at least 2 is proved: at size 1 a transpose
    or a swapped product is invisible, and a proof there would let such a mistake through."""
    sets = dimension_sets(claim, SYMBOLIC_SIZES)
    heavy = any(
        e.has(sp.Inverse, sp.Determinant) for e in (claim.f, claim.claimed, *claim.where.values())
    )
    if heavy:
        small = [d for d in sets if all(v <= 2 for v in d.values())]
        # a size-1 dimension hides transposes and operand order: prefer a set without one
        proper = [d for d in sets if all(v >= 2 for v in d.values())]
        sets = small or proper[:1] or sets[:1]
    return sets


NON_SMOOTH = (sp.Piecewise, sp.Abs, sp.Max, sp.Min, sp.Heaviside, sp.sign)


def uses_limit_definition(claim: Claim) -> bool:
    """At a point where f may not be smooth, derivatives come from their limit definition.
    Identities and properties take no derivative: |x| in them is only evaluated."""
    return claim.by_limit or bool(
        claim.at and claim.kind not in ("identity", "property") and claim.f.has(*NON_SMOOTH)
    )


def check(claim: Claim) -> LayerResult:
    result = LayerResult(layer="symbolic", status="pass")
    by_limit = uses_limit_definition(claim)
    for dims in symbolic_dimension_sets(claim):
        statement = explicit_statement(claim, dims, family=None)
        ctx, f_val = statement.ctx, statement.f_val
        try:
            claimed = statement.claimed
        except ShapeMismatch as exc:
            return LayerResult(
                layer="symbolic",
                status="fail",
                dims=[dims_label(dims)],
                detail=str(exc),
                counterexample={"dims": dims_label(dims), "shape": str(exc)},
            )
        ties = domain_ties(claim, ctx)
        if claim.at:
            ties.update(point_substitution(claim, ctx, claim.at))
        if by_limit:
            try:
                derived = derived_by_limit(claim, ctx, f_val, claim.at)
            except NotImplementedError as exc:
                result.status, result.detail = "undecided", f"limit definition: {exc}"
                return result
            except ValueError as exc:
                # the difference quotient has no limit: no value can be the derivative
                result.status, result.detail = "fail", f"limit definition: {exc}"
                result.dims.append(dims_label(dims))
                result.counterexample = {
                    "point": {str(k): str(v) for k, v in claim.at.items()},
                    "limit": str(exc),
                    "exact": True,
                }
                return result
            claimed = _subs(claimed, ties)
        else:
            derived = statement.derived()
        result.dims.append(dims_label(dims))
        if claim.kind == "property":
            return _check_property(result, derived, claimed, ties)
        difference = derived - claimed
        if ties:
            difference = _subs(difference, ties)
        entries = list(difference) if isinstance(difference, sp.MatrixBase) else [difference]
        result.checks += len(entries)
        for k, entry in enumerate(entries):
            if is_zero(entry):
                continue
            value = sp.simplify(entry) if not entry.free_symbols else None
            if value is not None and value.is_number and value.is_zero is False:
                # no free symbols left: a nonzero number is an exact counterexample
                result.status = "fail"
                result.detail = "at the stated point, derived and claimed differ exactly"
                result.counterexample = {
                    "dims": dims_label(dims),
                    "point": {str(k2): str(v) for k2, v in claim.at.items()},
                    "entry": k,
                    "derived": str(_subs(derived, ties) if not by_limit else derived),
                    "claimed": str(claimed),
                    "exact": True,
                }
                return result
            result.status = "undecided"
            result.detail = f"could not simplify entry {k} to 0 at {dims_label(dims)}"
            return result
    result.detail = (
        "limit definition evaluated exactly at the point"
        if by_limit
        else "claimed − derived simplifies to 0 entry by entry"
    )
    return result


def _decide_by_sign(relation):
    """Settle ``a ≥ b`` and friends from sympy's sign facts about a − b (sums of squares...)."""
    if not isinstance(relation, sp.core.relational.Relational):
        return relation
    gap = sp.expand(relation.lhs - relation.rhs)
    facts = {
        sp.GreaterThan: (gap.is_nonnegative, gap.is_negative),
        sp.StrictGreaterThan: (gap.is_positive, gap.is_nonpositive),
        sp.LessThan: (gap.is_nonpositive, gap.is_positive),
        sp.StrictLessThan: (gap.is_negative, gap.is_nonnegative),
    }.get(type(relation))
    if facts is None:
        return relation
    holds, fails = facts
    if holds:
        return sp.true
    if fails:
        return sp.false
    return relation


def _check_property(result: LayerResult, relation, expected, ties) -> LayerResult:
    """A relation is proved when sympy simplifies it to the expected truth value."""
    result.checks += 1
    value = relation.subs(ties) if ties else relation
    value = _decide_by_sign(value)
    with contextlib.suppress(TypeError, ValueError, NotImplementedError):
        value = sp.simplify(value)
    if value in (sp.true, sp.false):
        if value == expected:
            result.detail = "the relation simplifies to its stated truth value"
            return result
        result.status = "fail"
        result.detail = "the relation simplifies to the opposite truth value"
        result.counterexample = {"relation": str(relation), "simplifies_to": str(value)}
        return result
    result.status = "undecided"
    result.detail = f"sympy cannot decide the relation ({value})"
    return result


def _subs(value, subs):
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(lambda e: e.subs(subs))
    return value.subs(subs)


def dims_label(dims: dict) -> str:
    if not dims:
        return "scalar"
    return ", ".join(f"{k}={v}" for k, v in dims.items())
