"""A small, concrete counterexample for a refuted check.

The engine stops at the first failure it meets (smallest dimensions first). This module looks
again, dimension set by dimension set from the smallest, for a point made of short numbers
(small integers and halves, inside each variable's domain) where the claimed derivative is
clearly wrong, and reports there: the entry-wise table of claimed against true values (the true
values from differentiating f entry by entry), the worst entry, and a finite-difference estimate
of that entry as independent confirmation. If no short point is found, the engine's own
counterexample is reported.
"""

from __future__ import annotations

import warnings

import numpy as np
import sympy as sp

from ..engine.claims import Claim
from ..engine.numeric import richardson
from ..engine.report import Result
from ..engine.sampling import SamplingError, length_scale, rng_for, sample_rational
from ..engine.statement import (
    NUMERIC_SIZES,
    ShapeMismatch,
    claimed_value,
    context,
    derived_value,
    dimension_sets,
    f_value,
)
from ..engine.symbolic import dims_label

ATTEMPTS = 10
CLEAR_FAILURE = 1e-3  # relative discrepancy that counts as a failure (the numeric layer's)
CONFIRM = 1e-5  # finite differences must agree with the true value this well
TABLE_MAX_ENTRIES = 64
TABLE_ROWS = 6


def counterexample(claim: Claim, result: Result, salt: str = "") -> dict | None:
    """The smallest, shortest counterexample we can confirm, or the engine's own."""
    failing = {str(layer.counterexample.get("dims")) for layer in result.layers
               if layer.status == "fail" and layer.counterexample}
    sets = dimension_sets(claim, NUMERIC_SIZES)
    stop = next((k for k, d in enumerate(sets) if dims_label(d) in failing), len(sets) - 1)
    engine_points = _engine_points(result)
    for dims in sets[: stop + 1]:
        found = _search(claim, dims, salt, engine_points.get(dims_label(dims), []))
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
        report = _try_point(ev, values)
        if report is not None:
            report["dimensions"] = dict_dims(dims)
            report["point"] = {v.name: short(x, v.is_scalar)
                               for v, x in zip(ev.vars, exact, strict=True)}
            return {"source": "minimised", **_ordered(report)}
    return None


def _ordered(report: dict) -> dict:
    keys = ("dimensions", "point", "entry", "direction", "claimed", "numeric", "true",
            "relative_discrepancy", "table", "entries")
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
    c = float(claimed[worst])
    report = {
        "entry": _entry_label(worst, true.shape),
        "claimed": _num(c),
        "numeric": _num(numeric),
        "true": _num(t),
        "relative_discrepancy": float(f"{abs(c - t) / max(abs(c), abs(t)):.3g}"),
    }
    if kind == "directional":
        report["direction"] = {claim.direction.name: short(direction, False)}
    else:
        report["direction"] = {claim.wrt.name: _direction_of(ev, k, worst)}
    if true.size <= TABLE_MAX_ENTRIES:
        order = np.argsort(-gap, axis=None, kind="stable")[:TABLE_ROWS]
        report["table"] = [
            {"entry": _entry_label(idx, true.shape), "claimed": _num(claimed[idx]),
             "true": _num(true[idx]), "difference": _num(claimed[idx] - true[idx])}
            for idx in (np.unravel_index(int(o), gap.shape) for o in order)
            if gap[idx] > 0
        ]
    report["entries"] = int(true.size)
    return report


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


def _num(value) -> float | int:
    value = float(f"{float(value):.6g}")
    if value == int(value) and abs(value) < 1e15:
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
