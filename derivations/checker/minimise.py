"""A small, concrete counterexample for a refuted check.

The engine stops at the first failure it meets (smallest dimensions first). This module looks
again, dimension set by dimension set from the smallest, for a point made of short numbers
(small integers and halves, inside each variable's domain) where the claimed derivative is
clearly wrong, and reports there: the entry-wise table of claimed against true values (the true
values from differentiating f entry by entry), the worst entry, and a finite-difference estimate
of that entry as independent confirmation. A difference too small for finite differences (a
decimal 3.14159 written for π) is reported at the exact layer's point instead, with its values in
exact arithmetic. Only when neither works is the engine's own counterexample reported.

Every report has one layout, whatever found it: the point, the worst entry, claimed against true,
the table. Its numbers are JSON numbers (six significant digits, rounding noise snapped to 0); the
same values as printed go under ``shown``, exactly when they are exact (5/9 as ``5/9``), and
``format`` says which: ``exact`` when every value shown is exact, else ``float``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import sympy as sp

from ..engine.claims import Claim
from ..engine.numeric import richardson
from ..engine.report import Result
from ..engine.sampling import SamplingError, length_scale, rng_for, sample_rational
from ..engine.statement import (
    NUMERIC_SIZES,
    SYMBOLIC_SIZES,
    ShapeMismatch,
    claimed_value,
    context,
    derived_value,
    dimension_sets,
    f_value,
    point_substitution,
)
from ..engine.symbolic import dims_label
from .numbers import DIGITS, approximate, digits_to_tell_apart, is_exact, show

ATTEMPTS = 10
CLEAR_FAILURE = 1e-3  # relative discrepancy that counts as a failure (the numeric layer's)
CONFIRM = 1e-5  # finite differences must agree with the true value this well
TABLE_MAX_ENTRIES = 64
TABLE_ROWS = 6
EXACT_MAX_NODES = 50_000  # larger explicit expressions are not evaluated exactly (time)


def counterexample(claim: Claim, result: Result, salt: str = "") -> dict | None:
    """The smallest, shortest counterexample we can confirm; else the exact layer's point with
    its values in exact arithmetic; else the engine's own."""
    failing = {str(layer.counterexample.get("dims")) for layer in result.layers
               if layer.status == "fail" and layer.counterexample}
    sets = dimension_sets(claim, NUMERIC_SIZES)
    stop = next((k for k, d in enumerate(sets) if dims_label(d) in failing), len(sets) - 1)
    engine_points = _engine_points(result)
    for dims in sets[: stop + 1]:
        found = _search(claim, dims, salt, engine_points.get(dims_label(dims), []))
        if found is not None:
            return found
    found = _at_exact_layer_point(claim, result)
    if found is not None:
        return found
    fallback = result.counterexample
    if fallback is None:
        return None
    return {"source": "engine", **fallback}


def _engine_points(result: Result) -> dict:
    """Points where an engine layer saw a failure, by dimension label (exact ones first)."""
    out: dict = {}
    for layer in sorted(result.layers, key=lambda x: x.layer != "exact"):
        cx = layer.counterexample
        if layer.status == "fail" and cx and isinstance(cx.get("point"), dict):
            out.setdefault(str(cx.get("dims")), []).append(cx["point"])
    return out


class _Evaluator:
    """f, the claimed and the true derivative at one dimension set, as numpy functions."""

    def __init__(self, claim: Claim, dims: dict):
        self.claim = claim
        self.dims = dims
        ctx = context(claim, dims, family=0)
        self.ctx = ctx
        f_val = f_value(claim, ctx)
        self.claimed_expr = claimed_value(claim, ctx, f_val)
        self.derived_expr = derived_value(claim, ctx, f_val)
        self.vars = list(claim.variables)
        self.stand_ins = [ctx.env[v.symbol] for v in self.vars]
        self.shapes = [s.shape if isinstance(s, sp.MatrixBase) else (1, 1)
                       for s in self.stand_ins]
        flat = [e for s in self.stand_ins
                for e in (list(s) if isinstance(s, sp.MatrixBase) else [s])]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._f = sp.lambdify(flat, f_val, modules="numpy", cse=True)
            self._c = sp.lambdify(flat, self.claimed_expr, modules="numpy", cse=True)
            self._d = sp.lambdify(flat, self.derived_expr, modules="numpy", cse=True)

    def _call(self, fn, values):
        flat = [float(v) for arr in values for v in np.asarray(arr, dtype=float).ravel()]
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.atleast_2d(np.asarray(fn(*flat), dtype=float))

    def f(self, values):
        return self._call(self._f, values)

    def claimed(self, values):
        return self._call(self._c, values)

    def derived(self, values):
        return self._call(self._d, values)

    def index(self, symbol) -> int:
        return next(k for k, v in enumerate(self.vars) if v.symbol == symbol)


def _search(claim: Claim, dims: dict, salt: str, engine_points: list) -> dict | None:
    try:
        ev = _Evaluator(claim, dims)
    except (ShapeMismatch, ValueError, TypeError, ZeroDivisionError, KeyError) as exc:
        if isinstance(exc, ShapeMismatch):
            return {"source": "shape", "dimensions": dict_dims(dims), "shape": str(exc)}
        return None
    rng = rng_for(claim.id, "minimise", salt, dims_label(dims))
    candidates = [_from_engine(ev, p) for p in engine_points]
    for _ in range(ATTEMPTS):
        try:
            candidates.append([np.array(sample_rational(v.domain, shape, rng).tolist(), dtype=object)
                               for v, shape in zip(ev.vars, ev.shapes, strict=True)])
        except SamplingError:
            break
    candidates.sort(key=_length)
    for exact in candidates:
        if exact is None:
            continue
        values = [np.asarray(x, dtype=float).reshape(shape)
                  for x, shape in zip(exact, ev.shapes, strict=True)]
        found = _try_point(ev, values)
        if found is not None:
            claimed, true = _exact_values(ev, exact) or (found["claimed"], found["true"])
            report = _layout(ev, dims, exact, claimed, true, found["worst"],
                             numeric=found["numeric"], direction=found["direction"])
            return {"source": "minimised", **report}
    return None


def _at_exact_layer_point(claim: Claim, result: Result) -> dict | None:
    """The exact layer's counterexample in the minimised layout, its values recomputed in exact
    arithmetic: the report for a difference too small for finite differences to confirm (a
    decimal constant approximating π), which no short point shows clearly."""
    layer = next((x for x in result.layers if x.layer == "exact" and x.status == "fail"
                  and x.counterexample and isinstance(x.counterexample.get("point"), dict)), None)
    if layer is None:
        return None
    dims = _dims_from_label(claim, layer.counterexample.get("dims"))
    if dims is None:
        return None
    try:
        ev = _Evaluator(claim, dims)
    except (ShapeMismatch, ValueError, TypeError, ZeroDivisionError, KeyError):
        return None
    exact = _from_engine(ev, layer.counterexample["point"])
    values = _exact_values(ev, exact) if exact is not None else None
    if values is None:
        return None
    claimed, true = values
    gaps = np.vectorize(_gap, otypes=[float])(claimed, true)
    if not np.any(gaps > 0):
        return None
    worst = np.unravel_index(int(np.argmax(gaps)), gaps.shape)
    relative = _relative(claimed[worst], true[worst])
    report = _layout(ev, dims, exact, claimed, true, worst,
                     digits=digits_to_tell_apart(relative))
    return {"source": "exact", **report}


def _dims_from_label(claim: Claim, label) -> dict | None:
    """The dimension set a layer's counterexample names (``n=2``), among those layers check."""
    for sizes in (SYMBOLIC_SIZES, NUMERIC_SIZES):
        for dims in dimension_sets(claim, sizes):
            if dims_label(dims) == label:
                return dims
    return None


def _ordered(report: dict) -> dict:
    keys = ("dimensions", "point", "entry", "direction", "claimed", "numeric", "true",
            "relative_discrepancy", "table", "entries", "format", "shown")
    return {k: report[k] for k in keys if k in report}


def _length(candidate) -> int:
    if candidate is None:
        return 10**9
    return sum(len(str(v)) for x in candidate for v in np.asarray(x, dtype=object).ravel())


def _from_engine(ev: _Evaluator, point: dict):
    out = []
    for v, shape in zip(ev.vars, ev.shapes, strict=True):
        if v.name not in point:
            return None
        try:
            arr = np.array(point[v.name], dtype=object).reshape(shape)
            arr = np.vectorize(_parse_number, otypes=[object])(arr)
        except (ValueError, TypeError):
            return None
        out.append(arr)
    return out


def _parse_number(text):
    try:
        return sp.Rational(str(text))
    except (TypeError, ValueError, sp.SympifyError):
        return float(text)


def _try_point(ev: _Evaluator, values: list) -> dict | None:
    """Claimed and true values (doubles) at a point where they clearly differ and finite
    differences confirm the true value of the worst entry; None elsewhere."""
    claim = ev.claim
    kind = claim.kind
    if not np.all(np.isfinite(ev.f(values))):
        return None
    k = ev.index(claim.wrt)
    point_values = [v.copy() for v in values]
    direction = None
    if kind == "directional":
        direction = values[ev.index(claim.direction)]
    claimed = ev.claimed(point_values)
    true = ev.derived(point_values)
    if claimed.shape != true.shape and claimed.size == true.size:
        claimed = claimed.reshape(true.shape)
    if claimed.shape != true.shape:
        return None
    if not (np.all(np.isfinite(claimed)) and np.all(np.isfinite(true))):
        return None
    gap = np.abs(claimed - true)
    scale = max(float(np.abs(claimed).max(initial=0)), float(np.abs(true).max(initial=0)))
    if scale == 0 or gap.max() <= CLEAR_FAILURE * scale:
        return None
    worst = np.unravel_index(int(np.argmax(gap)), gap.shape)
    numeric = _finite_difference(ev, values, k, worst, direction)
    if numeric is None:
        return None
    t = float(true[worst])
    if abs(numeric - t) > CONFIRM * max(1.0, abs(t), scale):
        return None  # f is not smooth here, or the point is badly conditioned: try another
    if kind == "directional":
        moved = {claim.direction.name: short(direction, False)}
    else:
        moved = {claim.wrt.name: _direction_of(ev, k, worst)}
    return {"claimed": claimed, "true": true, "worst": worst, "numeric": numeric,
            "direction": moved}


def _layout(ev: _Evaluator, dims: dict, exact: list, claimed, true, worst, *,
            numeric: float | None = None, direction: dict | None = None,
            digits: int = DIGITS) -> dict:
    """The report, in the one layout every counterexample has (see the module docstring).

    ``claimed`` and ``true`` are 2-D arrays of exact sympy numbers or of doubles; ``exact`` is
    the point, one array of rationals per variable; ``digits`` is how many significant digits
    an inexact value prints with (more than six when the difference is tiny)."""
    scale = max(abs(approximate(v)) for v in [*claimed.flat, *true.flat])
    c, t = claimed[worst], true[worst]
    report = {
        "dimensions": dict_dims(dims),
        "point": {v.name: short(x, v.is_scalar) for v, x in zip(ev.vars, exact, strict=True)},
        "entry": _entry_label(worst, true.shape),
        "direction": direction,
        "claimed": _num(approximate(c, scale), digits),
        "numeric": None if numeric is None else _num(approximate(numeric, scale)),
        "true": _num(approximate(t, scale), digits),
        "relative_discrepancy": float(f"{_relative(c, t):.3g}"),
        "entries": int(true.size),
    }
    shown = {
        "point": {v.name: _shown_point(x, v.is_scalar) for v, x in zip(ev.vars, exact,
                                                                      strict=True)},
        "claimed": show(c, scale, digits),
        "true": show(t, scale, digits),
    }
    if true.size <= TABLE_MAX_ENTRIES:
        rows = _table_rows(claimed, true, worst)
        report["table"] = [
            {"entry": _entry_label(idx, true.shape),
             "claimed": _num(approximate(claimed[idx], scale), digits),
             "true": _num(approximate(true[idx], scale), digits),
             "difference": _num(_signed_gap(claimed[idx], true[idx], scale))}
            for idx in rows
        ]
        shown["table"] = [
            {"entry": _entry_label(idx, true.shape), "claimed": show(claimed[idx], scale, digits),
             "true": show(true[idx], scale, digits)}
            for idx in rows
        ]
    values = [*claimed.flat, *true.flat]
    report["format"] = "exact" if all(is_exact(v) for v in values) else "float"
    report["shown"] = shown
    return _ordered({k: v for k, v in report.items() if v is not None})


def _table_rows(claimed, true, worst) -> list[tuple]:
    """The entries of the table: the reported entry first (the one finite differences
    confirmed), then the others by decreasing difference, those that differ at all."""
    gaps = np.vectorize(_gap, otypes=[float])(claimed, true)
    order = np.argsort(-gaps, axis=None, kind="stable")
    first = tuple(int(i) for i in worst)
    others = [idx for idx in (tuple(int(i) for i in np.unravel_index(int(o), gaps.shape))
                              for o in order) if gaps[idx] > 0 and idx != first]
    return [first, *others][:TABLE_ROWS]


def _gap(c, t) -> float:
    """|c − t|, from the exact values when there are exact values (a difference of 1e-20 is
    not lost in doubles)."""
    return abs(_signed_gap(c, t, 0.0))


def _signed_gap(c, t, scale: float) -> float:
    if isinstance(c, sp.Basic) or isinstance(t, sp.Basic):
        difference = sp.N(c - t, 30)
        return approximate(difference, scale) if difference.is_real else float("nan")
    return approximate(float(c) - float(t), scale)


def _relative(c, t) -> float:
    size = max(abs(approximate(c)), abs(approximate(t)))
    return _gap(c, t) / size if size > 0 else 0.0


def _exact_values(ev: _Evaluator, exact: list):
    """Claimed and true at the rational point ``exact`` in exact arithmetic, as 2-D arrays of
    sympy numbers (rationals, or irrational numbers such as π/2), or None when an entry is not
    a finite number there or the expressions are too large to evaluate quickly."""
    point = {}
    for var, stand_in, x in zip(ev.vars, ev.stand_ins, exact, strict=True):
        entries = [_rational(v) for v in np.asarray(x, dtype=object).ravel()]
        if isinstance(stand_in, sp.MatrixBase):
            point[var.symbol] = sp.Matrix(stand_in.rows, stand_in.cols, entries)
        else:
            point[var.symbol] = entries[0]
    try:
        subs = point_substitution(ev.claim, ev.ctx, point)
        claimed = _evaluated(ev.claimed_expr, subs)
        true = _evaluated(ev.derived_expr, subs)
    except (ShapeMismatch, ValueError, TypeError, ZeroDivisionError):
        return None
    if claimed is None or true is None or claimed.size != true.size:
        return None
    return claimed.reshape(true.shape), true


def _evaluated(expr, subs):
    entries = list(expr) if isinstance(expr, sp.MatrixBase) else [expr]
    if sum(_nodes(e) for e in entries) > EXACT_MAX_NODES:
        return None
    values = [e.xreplace(subs) for e in entries]
    if any(v.free_symbols or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not v.is_real
           for v in values):
        return None
    shape = expr.shape if isinstance(expr, sp.MatrixBase) else (1, 1)
    return np.array(values, dtype=object).reshape(shape)


def _nodes(expr) -> int:
    count = 0
    for _ in sp.preorder_traversal(expr):
        count += 1
        if count > EXACT_MAX_NODES:
            break
    return count


def _rational(value):
    if isinstance(value, sp.Basic):
        return value
    return sp.Integer(value) if isinstance(value, int | np.integer) else sp.Rational(float(value))


def _shown_point(value, scalar: bool):
    """A variable's value at the point as printed: exact rationals (``5/9``), shaped like the
    JSON point (a scalar, a flat list for a vector, rows for a matrix)."""
    arr = np.vectorize(lambda v: show(_rational(v)), otypes=[object])(
        np.asarray(value, dtype=object))
    if scalar:
        return arr.ravel()[0]
    if arr.ndim == 2 and arr.shape[1] == 1:
        return arr.ravel().tolist()
    return arr.tolist()


def _direction_of(ev: _Evaluator, k: int, worst) -> list:
    """The coordinate direction whose finite difference confirms the worst entry."""
    shape = ev.shapes[k]
    u = np.zeros(shape)
    u.flat[_coordinate(ev, worst, shape)[0]] = 1
    return short(u.astype(int), ev.vars[k].is_scalar)


def _coordinate(ev: _Evaluator, worst, shape) -> tuple[int, int | None]:
    """(coordinate of the variable to move, second coordinate for a Hessian, else None)."""
    kind = ev.claim.kind
    i, j = worst
    if kind == "gradient":
        return int(np.ravel_multi_index((i, j), shape)), None
    if kind == "jacobian":
        return j, None
    if kind == "hessian":
        return i, j
    return 0, None


def _finite_difference(ev: _Evaluator, values, k: int, worst, direction) -> float | None:
    kind = ev.claim.kind
    var = ev.vars[k]
    x = values[k]
    h0 = 0.1 * min(length_scale(var.domain, x), 1.0)

    def moved(step):
        out = [v.copy() for v in values]
        out[k] = x + step
        return out

    if kind == "directional":
        u = np.asarray(direction, dtype=float).reshape(x.shape)

        def estimator(h):
            return ((ev.f(moved(h * u)) - ev.f(moved(-h * u))) / (2 * h))[worst]
    else:
        first, second = _coordinate(ev, worst, x.shape)
        u = np.zeros(x.shape)
        u.flat[first] = 1.0
        if kind == "hessian":
            u2 = np.zeros(x.shape)
            u2.flat[second] = 1.0

            def estimator(h):
                return ((ev.f(moved(h * u + h * u2)) - ev.f(moved(h * u - h * u2))
                         - ev.f(moved(-h * u + h * u2)) + ev.f(moved(-h * u - h * u2)))
                        / (4 * h * h))[0, 0]
        else:
            row = worst[0] if kind == "jacobian" else 0

            def estimator(h):
                return ((ev.f(moved(h * u)) - ev.f(moved(-h * u))) / (2 * h)).ravel()[row]

    value, _err, _h = richardson(estimator, h0)
    value = float(np.asarray(value))
    return value if np.isfinite(value) else None


def _entry_label(idx, shape) -> list:
    i, j = (int(v) for v in idx)
    if shape == (1, 1):
        return []
    if shape[1] == 1:
        return [i]
    return [i, j]


def _num(value, digits: int = DIGITS) -> float | int:
    """A JSON number with ``digits`` significant digits (at most a double's; an int when it is
    whole)."""
    value = float(f"{float(value):.{min(digits, 15)}g}")
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return int(value)
    return value


def short(value, scalar: bool):
    """A point's value with short numbers: integers stay integers, the rest 6 digits."""
    arr = np.asarray(value, dtype=object)
    conv = np.vectorize(lambda v: _num(float(v)), otypes=[object])(arr)
    if scalar:
        return conv.ravel()[0]
    if conv.ndim == 2 and conv.shape[1] == 1:
        return conv.ravel().tolist()
    return conv.tolist()


def dict_dims(dims: dict) -> dict:
    return {str(k): int(v) for k, v in dims.items()}
