"""What a claim says, made explicit at given dimensions: the derived side and the claimed side.

The derived side is always computed from ``f`` alone, entry by entry (``sympy.diff`` on explicit
scalar expressions); the claimed side is the claim's own expression made explicit. The layers
compare the two.
"""

from __future__ import annotations

import functools
import itertools

import sympy as sp
from sympy.matrices.exceptions import ShapeError

from .claims import Claim
from .concrete import Context, as_scalar, build_context, explicit

SYMBOLIC_SIZES = (2, 3)
NUMERIC_SIZES = (2, 3, 5)
# the sizes above, when the statement uses a dimension name as a number (see dimension_sets)
AS_NUMBER_SIZES = {SYMBOLIC_SIZES: (2, 3, 4), NUMERIC_SIZES: (2, 3, 4, 5, 6, 7, 8, 11)}


class ShapeMismatch(ValueError):
    """The claimed expression does not have the shape the kind of claim requires."""


def dimension_sets(claim: Claim, sizes: tuple[int, ...]) -> list[dict]:
    """Dimension assignments to test, smallest first; distinct symbols get distinct sizes.

    A statement that uses a dimension name as a number can agree with the truth at a few sizes
    by coincidence (a factor ``(n - 2)(n - 3)(n - 5)`` vanishes at the usual three): it is
    checked at every size from 2 to 8 and at 11 (the symbolic layer at 2, 3 and 4), and its
    evidence lists them; a coincidence at all of these needs a factor of degree 8."""
    if claim.dims:
        chosen = [dict(zip(claim.dims, combo, strict=True)) for combo in _dims_product(claim)]
        return sorted(chosen, key=lambda d: sum(d.values()))
    symbols = claim.dimension_symbols()
    if not symbols:
        return [{}]
    if claim.dimensions_used_as_numbers():
        sizes = AS_NUMBER_SIZES.get(tuple(sizes), sizes)
    out = []
    for base in sizes:
        forward = {s: base + i for i, s in enumerate(symbols)}
        out.append(forward)
        if len(symbols) > 1:
            out.append({s: base + len(symbols) - 1 - i for i, s in enumerate(symbols)})
    unique = []
    for d in out:
        if d not in unique:
            unique.append(d)
    return unique


def _dims_product(claim: Claim):
    return itertools.product(*claim.dims.values())


def context(claim: Claim, dims: dict, family: int | None) -> Context:
    return build_context(claim, dims, family)


def _stack(symbols, ctx: Context) -> sp.Matrix:
    if len(symbols) == 1:
        value = ctx.env[symbols[0]]
        return value if isinstance(value, sp.MatrixBase) else sp.Matrix([[value]])
    return sp.Matrix([[ctx.env[s]] for s in symbols])


def wrt_entries(claim: Claim, ctx: Context) -> sp.Matrix:
    """The explicit entries being differentiated, as a matrix (a column when stacked)."""
    return _stack(claim.wrt_symbols, ctx)


def direction_entries(claim: Claim, ctx: Context) -> sp.Matrix:
    return _stack(claim.direction_symbols, ctx)


def required_shape(claim: Claim, ctx: Context, f_value) -> tuple[int, int] | None:
    """The shape the claimed side must have, or None for a scalar."""
    kind = claim.kind
    if kind == "identity":
        return f_value.shape if isinstance(f_value, sp.MatrixBase) else None
    if kind in ("derivative", "partial", "property"):
        return None
    w = wrt_entries(claim, ctx)
    if kind == "gradient":
        return None if claim.wrt_is_scalar else w.shape
    if kind == "jacobian":
        rows = f_value.shape[0] if isinstance(f_value, sp.MatrixBase) else 1
        return (rows, len(w))
    if kind == "hessian":
        return (len(w), len(w))
    if kind == "directional":
        return f_value.shape if isinstance(f_value, sp.MatrixBase) else None
    raise ValueError(kind)


def shape_of(value) -> tuple[int, int] | None:
    return value.shape if isinstance(value, sp.MatrixBase) else None


def f_value(claim: Claim, ctx: Context):
    value = explicit(claim.f, ctx)
    if claim.kind in ("derivative", "partial", "gradient", "hessian"):
        return as_scalar(value)
    if claim.kind == "property":
        return value
    if claim.kind == "jacobian" and isinstance(value, sp.MatrixBase) and value.shape[1] != 1:
        raise ShapeMismatch(f"f must be a column vector for a Jacobian; it is {value.shape}")
    if isinstance(value, sp.MatrixBase) and value.shape == (1, 1) and claim.kind != "identity":
        return value[0, 0]
    return value


def claimed_value(claim: Claim, ctx: Context, f_val):
    if claim.kind == "property":
        return claim.claimed
    try:
        value = explicit(claim.claimed, ctx)
    except ShapeError as exc:
        # a claimed expression whose shapes do not fit is wrong, not undecidable
        raise ShapeMismatch(f"claimed cannot be computed at these sizes: {exc}") from exc
    need = required_shape(claim, ctx, f_val)
    if need is None:
        if isinstance(value, sp.MatrixBase):
            if value.shape != (1, 1):
                raise ShapeMismatch(f"claimed is {_fmt(value.shape)} but a scalar is required")
            value = value[0, 0]
        return value
    if not isinstance(value, sp.MatrixBase):
        if need == (1, 1):
            return sp.Matrix([[value]])
        raise ShapeMismatch(f"claimed is a scalar but a {_fmt(need)} matrix is required")
    if value.shape != need:
        raise ShapeMismatch(f"claimed is {_fmt(value.shape)} but {_fmt(need)} is required")
    return value


def _fmt(shape) -> str:
    return f"{shape[0]}×{shape[1]}"


@functools.lru_cache(maxsize=50_000)
def partial(expr, *symbols):
    """∂expr/∂symbols, remembered: a claim's twin in the other layout, and the exact layer after
    the symbolic one, differentiate the same explicit f by the same entries. sympy expressions
    are immutable and compare structurally, so a remembered derivative is the derivative."""
    return sp.diff(expr, *symbols)


def derived_value(claim: Claim, ctx: Context, f_val):
    """The true derivative (or left-hand side), entry by entry, from f alone."""
    kind = claim.kind
    if kind in ("identity", "property"):
        return f_val
    w = wrt_entries(claim, ctx)
    if kind == "partial":
        return partial(f_val, *list(w))
    if kind == "derivative" or (kind == "gradient" and claim.wrt_is_scalar):
        return partial(f_val, w[0, 0])
    if kind == "gradient":
        return w.applyfunc(lambda e: partial(f_val, e))
    if kind == "jacobian":
        column = f_val if isinstance(f_val, sp.MatrixBase) else sp.Matrix([[f_val]])
        return sp.Matrix(column.shape[0], len(w), lambda i, j: partial(column[i], w[j]))
    if kind == "hessian":
        return sp.Matrix(len(w), len(w), lambda i, j: partial(partial(f_val, w[i]), w[j]))
    if kind == "directional":
        d = direction_entries(claim, ctx)

        def along(value):
            return sum(partial(value, we) * de for we, de in zip(w, d, strict=True))

        if isinstance(f_val, sp.MatrixBase):
            return f_val.applyfunc(along)
        return along(f_val)
    raise ValueError(kind)


class ExplicitStatement:
    """A claim made explicit at one dimension assignment: its context, f, the claimed side (or
    the shape mismatch that stops it) and, on first request, the derived side."""

    def __init__(self, claim: Claim, dims: dict, family: int | None):
        self.claim = claim
        self.ctx = context(claim, dims, family)
        self.f_val = f_value(claim, self.ctx)
        self.mismatch: ShapeMismatch | None = None
        self._claimed = None
        try:
            self._claimed = claimed_value(claim, self.ctx, self.f_val)
        except ShapeMismatch as exc:
            self.mismatch = exc
        self._derived = None

    @property
    def claimed(self):
        if self.mismatch is not None:
            raise self.mismatch
        return self._claimed

    def derived(self):
        if self._derived is None:
            self._derived = derived_value(self.claim, self.ctx, self.f_val)
        return self._derived


_current: dict = {"claim": None, "built": {}}


def explicit_statement(claim: Claim, dims: dict, family: int | None) -> ExplicitStatement:
    """The claim made explicit at ``dims``, built once for all the layers that ask.

    The symbolic layer (family None) and the exact layer (family 0) make the same statement
    explicit at the same sizes; unless building it read the family (arbitrary functions, whose
    stand-ins differ by layer), the second layer gets the first one's. Only the claim being
    verified is kept: a new claim object starts afresh (a mutant is a new object). sympy
    matrices are mutable, so the layers must not change the values they are given (none does).
    """
    if _current["claim"] is not claim:
        _current["claim"], _current["built"] = claim, {}
    built = _current["built"]
    key = tuple(sorted((str(k), v) for k, v in dims.items()))
    found = built.get((key, "any")) or built.get((key, family))
    if found is None:
        found = ExplicitStatement(claim, dims, family)
        built[(key, family if found.ctx.family_read else "any")] = found
    return found


def domain_ties(claim: Claim, ctx: Context) -> dict:
    """Substitutions that put explicit entries on their domain's structure (after differentiating)."""
    subs = {}
    for var in claim.variables:
        value = ctx.env.get(var.symbol)
        if not isinstance(value, sp.MatrixBase):
            continue
        if var.domain in ("symmetric", "spd"):
            for i in range(value.rows):
                for j in range(i + 1, value.cols):
                    subs[value[j, i]] = value[i, j]
        elif var.domain == "probability":
            entries = list(value)
            subs[entries[-1]] = 1 - sum(entries[:-1])
    return subs


def point_substitution(claim: Claim, ctx: Context, point: dict) -> dict:
    """Map every explicit entry symbol to its value at ``point`` (variable symbol → value)."""
    subs = {}
    for symbol, value in point.items():
        stand_in = ctx.env[symbol]
        if isinstance(stand_in, sp.MatrixBase):
            value = sp.Matrix(value)
            if value.shape != stand_in.shape:
                raise ShapeMismatch(f"point for {symbol} has shape {value.shape}")
            subs.update(zip(stand_in, value, strict=True))
        else:
            subs[stand_in] = sp.sympify(value)
    return subs


def derived_by_limit(claim: Claim, ctx: Context, f_val, point: dict):
    """The derivative at ``point`` from its limit definition (for functions not smooth there).

    Each derivative is lim_{h→0} (f(p + h e) − f(p)) / h along the relevant direction, one-sided
    when the claim says so. An iterated partial ∂/∂y(∂f/∂x) takes the inner limit at a point moved
    by a symbolic step k along y, then the outer limit in k. Raises ``ValueError`` when a limit
    does not exist (sympy reports different one-sided limits).
    """
    subs = point_substitution(claim, ctx, point)
    w = list(wrt_entries(claim, ctx))
    direction = "+-" if claim.side is None else claim.side
    h = sp.Symbol("h_limit", real=True, nonzero=True)

    def quotient_limit(expr, at: dict, move: dict, dir_=direction):
        moved = {s: v + h * move.get(s, 0) for s, v in at.items()}
        base = expr.xreplace(at)
        q = (expr.xreplace(moved) - base) / h
        value = sp.limit(sp.simplify(q), h, 0, dir=dir_)
        if value.has(sp.AccumBounds, sp.zoo, sp.nan) or value in (sp.oo, -sp.oo):
            raise ValueError(f"the limit does not exist (got {value})")
        return value

    kind = claim.kind
    if kind == "derivative" or (kind == "gradient" and claim.wrt_is_scalar):
        return quotient_limit(f_val, subs, {w[0]: 1})
    if kind == "gradient":
        return sp.Matrix([[quotient_limit(f_val, subs, {e: 1})] for e in w])
    if kind == "directional":
        d = list(direction_entries(claim, ctx).xreplace(subs))
        return quotient_limit(f_val, {k: v for k, v in subs.items()}, dict(zip(w, d, strict=True)))
    if kind == "partial":
        return _iterated_limit(f_val, w, subs, direction, quotient_limit)
    raise ValueError(f"limit definition is not available for {kind} claims")


def _iterated_limit(f_val, order, subs, direction, quotient_limit):
    if len(order) == 1:
        return quotient_limit(f_val, subs, {order[0]: 1})
    # d/d(order[-1]) of the (len-1)-th derivative: move the point by k along order[-1]
    k = sp.Symbol("k_limit", real=True, nonzero=True)
    outer = order[-1]
    moved = dict(subs)
    moved[outer] = subs[outer] + k
    inner_at_moved = _iterated_limit(f_val, order[:-1], moved, "+-", quotient_limit)
    inner_at_point = _iterated_limit(f_val, order[:-1], subs, "+-", quotient_limit)
    value = sp.limit(sp.simplify((inner_at_moved - inner_at_point) / k), k, 0, dir=direction)
    if value.has(sp.AccumBounds, sp.zoo, sp.nan) or value in (sp.oo, -sp.oo):
        raise ValueError(f"the limit does not exist (got {value})")
    return value
