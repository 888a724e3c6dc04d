"""Numeric layer: finite differences of f alone, compared with the claimed derivative.

The traps this layer avoids (learned from gradcheck-style tools): several dimensions including
rectangular shapes; generic non-symmetric matrices unless the domain says otherwise; points in the
unit regime; a conditioning gate (κ ≤ 1e3) and a saturation gate (finite, moderate values);
Gaussian directions, so a transposed or permuted answer cannot hide; central differences on a
step ladder capped by the point's length scale, with Richardson extrapolation; a relative
tolerance that does not grow with size, plus a floor for rounding noise measured from f itself.
"""

from __future__ import annotations

import warnings

import numpy as np
import sympy as sp

from .claims import Claim
from .concrete import FunctionOf, JacobianOf, VectorFunctionOf
from .functions import GradientOf
from .report import LayerResult
from .sampling import SamplingError, gaussian_direction, length_scale, rng_for, sample_float
from .statement import (
    NUMERIC_SIZES,
    ShapeMismatch,
    claimed_value,
    context,
    dimension_sets,
    f_value,
)
from .symbolic import dims_label

POINTS = 3
DIRECTIONS = 3
PASS_RTOL = 1e-6
FAIL_RTOL = 1e-3
EPS = np.finfo(float).eps
MAX_MAGNITUDE = 1e10


def check(claim: Claim, salt: str = "") -> LayerResult:
    result = LayerResult(layer="numeric", status="pass", worst_relative_error=0.0)
    families = (0, 1) if _has_arbitrary_functions(claim) else (0,)
    undecided = ""
    for dims in dimension_sets(claim, NUMERIC_SIZES):
        for family in families:
            ctx = context(claim, dims, family)
            f_val = f_value(claim, ctx)
            try:
                claimed = claimed_value(claim, ctx, f_val)
            except ShapeMismatch as exc:
                result.status, result.detail = "fail", str(exc)
                result.counterexample = {"dims": dims_label(dims), "shape": str(exc)}
                return result
            problem = _Problem(claim, ctx, f_val, claimed)
            rng = rng_for(claim.id, "numeric", salt, dims_label(dims), family)
            result.dims.append(dims_label(dims))
            for _ in range(1 if claim.at else POINTS):
                try:
                    point = problem.point(rng)
                except SamplingError as exc:
                    undecided = str(exc)
                    continue
                for _ in range(DIRECTIONS):
                    outcome = problem.compare(point, rng)
                    result.checks += 1
                    if outcome["status"] == "fail":
                        result.status = "fail"
                        result.detail = "finite differences of f disagree with the claim"
                        result.counterexample = {"dims": dims_label(dims), **outcome["report"]}
                        return result
                    if outcome["status"] == "undecided":
                        undecided = outcome["reason"]
                    else:
                        result.worst_relative_error = max(
                            result.worst_relative_error, outcome["relative_error"]
                        )
    if undecided:
        result.status, result.detail = "undecided", undecided
    elif result.checks == 0:
        result.status, result.detail = "undecided", "no admissible point"
    else:
        result.detail = f"central differences with Richardson extrapolation, rtol {PASS_RTOL:g}"
    return result


def _has_arbitrary_functions(claim: Claim) -> bool:
    exprs = [claim.f, claim.claimed, *claim.where.values()]
    kinds = (FunctionOf, GradientOf, VectorFunctionOf, JacobianOf)
    return any(e.atoms(*kinds) or e.has(*kinds) for e in exprs if hasattr(e, "atoms"))


class _Problem:
    """One claim at one dimension assignment, as fast numpy functions."""

    def __init__(self, claim: Claim, ctx, f_val, claimed):
        self.claim = claim
        self.ctx = ctx
        self.vars = list(claim.variables)
        self.stand_ins = [ctx.env[v.symbol] for v in self.vars]
        self.shapes = [s.shape if isinstance(s, sp.MatrixBase) else (1, 1) for s in self.stand_ins]
        flat = [
            e for s in self.stand_ins for e in (list(s) if isinstance(s, sp.MatrixBase) else [s])
        ]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._f = sp.lambdify(flat, f_val, modules="numpy", cse=True)
            self._c = sp.lambdify(flat, claimed, modules="numpy", cse=True)
        self.wrt_index = (
            self.vars.index(claim.variable(claim.wrt)) if claim.wrt is not None else None
        )
        self.dir_index = (
            self.vars.index(claim.variable(claim.direction))
            if claim.direction is not None
            else None
        )

    def _flat(self, values):
        return [float(v) for arr in values for v in np.asarray(arr, dtype=float).ravel()]

    def f(self, values):
        with np.errstate(all="ignore"):
            return np.asarray(self._f(*self._flat(values)), dtype=float)

    def claimed(self, values):
        with np.errstate(all="ignore"):
            return np.asarray(self._c(*self._flat(values)), dtype=float)

    def point(self, rng):
        for _ in range(20):
            if self.claim.at:
                values = [
                    np.asarray(
                        sp.Matrix(self.claim.at[v.symbol])
                        if not v.is_scalar
                        else [[self.claim.at[v.symbol]]],
                        dtype=float,
                    )
                    for v in self.vars
                ]
            else:
                values = [
                    sample_float(v.domain, shape, rng)
                    for v, shape in zip(self.vars, self.shapes, strict=True)
                ]
            value = self.f(values)
            if np.all(np.isfinite(value)) and np.max(np.abs(value), initial=0) < MAX_MAGNITUDE:
                return values
            if self.claim.at:
                break
        raise SamplingError("saturation gate: f is not finite and moderate at the sampled points")

    def compare(self, values, rng) -> dict:
        kind = self.claim.kind
        if kind == "identity":
            return self._compare_identity(values)
        k = self.wrt_index
        var = self.vars[k]
        x = values[k]
        scale = length_scale(var.domain, x)
        h0 = 0.1 * min(scale, 1.0)

        def moved(t, u, extra=None):
            out = [v.copy() for v in values]
            out[k] = x + t * u
            if extra is not None:
                out[k] = out[k] + extra
            return out

        u = gaussian_direction(x.shape, rng)
        if kind == "hessian":
            u2 = gaussian_direction(x.shape, rng)

            def estimator(h):
                return (
                    self.f(moved(h, u, h * u2))
                    - self.f(moved(h, u, -h * u2))
                    - self.f(moved(-h, u, h * u2))
                    + self.f(moved(-h, u, -h * u2))
                ) / (4 * h * h)

            numeric, err, h_used = richardson(estimator, h0)
            c = self.claimed(values)
            claimed = float(u.ravel() @ c @ u2.ravel())
            bound = np.linalg.norm(c)
            noise = 400 * EPS * _magnitude(self.f(values)) / h_used**2
            return _verdict(claimed, numeric, err, noise, bound, values, self, u, u2)
        if kind == "directional":
            with_dir = [v.copy() for v in values]
            with_dir[self.dir_index] = u
            claimed = self.claimed(with_dir)
            bound = np.linalg.norm(claimed)
        else:
            c = self.claimed(values)
            # Jacobian: J u; gradient: the Frobenius inner product <G, u>
            claimed = c @ u.ravel() if kind == "jacobian" else float(np.sum(c * u.reshape(c.shape)))
            bound = np.linalg.norm(c)

        def estimator(h):
            return (self.f(moved(h, u)) - self.f(moved(-h, u))) / (2 * h)

        numeric, err, h_used = richardson(estimator, h0)
        noise = 100 * EPS * _magnitude(self.f(values)) / h_used
        return _verdict(claimed, numeric, err, noise, bound, values, self, u, None)

    def _compare_identity(self, values) -> dict:
        lhs = self.f(values)
        rhs = self.claimed(values)
        if lhs.shape != rhs.shape and lhs.size == rhs.size == 1:
            lhs, rhs = lhs.reshape(()), rhs.reshape(())
        noise = 100 * EPS * max(_magnitude(lhs), _magnitude(rhs))
        return _verdict(rhs, lhs, 0.0, noise, np.linalg.norm(rhs), values, self, None, None)


def _magnitude(value) -> float:
    return float(np.max(np.abs(value), initial=0.0))


def richardson(estimator, h0: float, levels: int = 10):
    """Neville-Richardson tableau on h, h/2, h/4...; stops when the error starts growing."""
    best, best_err, best_h = None, np.inf, h0
    previous = None
    for i in range(levels):
        h = h0 / 2**i
        row = [np.asarray(estimator(h), dtype=float)]
        if best is None:
            best, best_h = row[0], h
        for j in range(1, i + 1):
            row.append(row[j - 1] + (row[j - 1] - previous[j - 1]) / (4.0**j - 1))
            err = max(np.linalg.norm(row[j] - row[j - 1]), np.linalg.norm(row[j] - previous[j - 1]))
            if err <= best_err:
                best, best_err, best_h = row[j], err, h
        if (
            previous is not None
            and i >= 3
            and np.linalg.norm(row[i] - previous[i - 1]) >= 2 * best_err
        ):
            break
        previous = row
    if not np.isfinite(best_err):
        best_err = np.inf
    return best, float(best_err), best_h


def _verdict(claimed, numeric, err, noise, bound, values, problem, u, u2) -> dict:
    claimed = np.asarray(claimed, dtype=float)
    numeric = np.asarray(numeric, dtype=float)
    if claimed.size != numeric.size:
        return {
            "status": "undecided",
            "reason": f"sizes {claimed.shape} and {numeric.shape} differ",
        }
    numeric = numeric.reshape(claimed.shape)
    if not (np.all(np.isfinite(claimed)) and np.all(np.isfinite(numeric))):
        return {"status": "undecided", "reason": "non-finite value at a sampled point"}
    gap = float(np.linalg.norm(claimed - numeric))
    size = float(bound) + float(np.linalg.norm(numeric))
    relative = gap / size if size > 0 else 0.0
    if gap <= PASS_RTOL * size + 2 * noise:
        return {"status": "pass", "relative_error": relative}
    if gap > FAIL_RTOL * size + 10 * (err + noise):
        report = {
            "point": {v.name: _rounded(x) for v, x in zip(problem.vars, values, strict=True)},
            "direction": _rounded(u) if u is not None else None,
            "claimed": _rounded(claimed),
            "numeric": _rounded(numeric),
            "relative_discrepancy": float(f"{relative:.3g}"),
        }
        if u2 is not None:
            report["second_direction"] = _rounded(u2)
        return {"status": "fail", "report": report}
    return {
        "status": "undecided",
        "reason": f"gap {gap:.2e} between tolerance and failure (error estimate {err:.1e})",
    }


def _rounded(value):
    arr = np.asarray(value, dtype=float)
    if arr.size == 1:
        return float(f"{arr.item():.6g}")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    return np.vectorize(lambda v: float(f"{v:.6g}"))(arr).tolist()
