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
from sympy.core.relational import Relational

from . import fastnum
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
from .symbolic import dims_label, uses_limit_definition

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
    skipped = 0
    directions = 1 if claim.kind in ("identity", "property", "partial") else DIRECTIONS
    if claim.kind in ("derivative",) or claim.wrt_is_scalar:
        directions = 1
    sets = dimension_sets(claim, NUMERIC_SIZES)
    first = sets[0]
    fast = claim.kind != "property" and fastnum.supports(
        claim.f, claim.claimed, *claim.where.values()
    )
    for dims in sets:
        for family in families:
            try:
                if fast and dims is not first:
                    # larger sizes: numpy on the abstract statement (no symbolic 5×5 inverse)
                    problem = _FastProblem(claim, dims)
                else:
                    ctx = context(claim, dims, family)
                    f_val = f_value(claim, ctx)
                    claimed = claimed_value(claim, ctx, f_val)
                    problem = _Problem(claim, ctx, f_val, claimed)
            except ShapeMismatch as exc:
                result.status, result.detail = "fail", str(exc)
                result.counterexample = {"dims": dims_label(dims), "shape": str(exc)}
                return result
            rng = rng_for(claim.id, "numeric", salt, dims_label(dims), family)
            result.dims.append(dims_label(dims))
            for _ in range(1 if claim.at else POINTS):
                try:
                    point = problem.point(rng)
                except SamplingError as exc:
                    undecided = str(exc)
                    continue
                except ShapeMismatch as exc:
                    result.status, result.detail = "fail", str(exc)
                    result.counterexample = {"dims": dims_label(dims), "shape": str(exc)}
                    return result
                for _ in range(directions):
                    try:
                        outcome = problem.compare(point, rng)
                    except ShapeMismatch as exc:
                        result.status, result.detail = "fail", str(exc)
                        result.counterexample = {"dims": dims_label(dims), "shape": str(exc)}
                        return result
                    if outcome["status"] == "skipped":
                        skipped += 1
                        continue
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
    elif result.checks == 0 and skipped:
        result.status, result.detail = "skipped", "not a relation the numeric layer can evaluate"
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
        self.vars = list(claim.variables)
        stand_ins = [ctx.env[v.symbol] for v in self.vars]
        self.shapes = [s.shape if isinstance(s, sp.MatrixBase) else (1, 1) for s in stand_ins]
        flat = [e for s in stand_ins for e in (list(s) if isinstance(s, sp.MatrixBase) else [s])]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if claim.kind == "property":
                relation = f_val
                self.relation = type(relation) if isinstance(relation, Relational) else None
                pair = (relation.lhs, relation.rhs) if self.relation else (sp.S.Zero, sp.S.Zero)
                self._f = sp.lambdify(flat, pair[0], modules="numpy", cse=True)
                self._c = sp.lambdify(flat, pair[1], modules="numpy", cse=True)
            else:
                self._f = sp.lambdify(flat, f_val, modules="numpy", cse=True)
                self._c = sp.lambdify(flat, claimed, modules="numpy", cse=True)
        self.wrt_idx = [self.vars.index(claim.variable(s)) for s in claim.wrt_symbols]
        self.dir_idx = [self.vars.index(claim.variable(s)) for s in claim.direction_symbols]
        self.by_limit = uses_limit_definition(claim)

    # ── evaluation ───────────────────────────────────────────────────────────
    def _flat(self, values):
        # numpy scalars, not Python floats: 0/0 in an unused Piecewise branch must give nan
        return [v for arr in values for v in np.asarray(arr, dtype=float).ravel()]

    def f(self, values):
        with np.errstate(all="ignore"):
            return np.asarray(self._f(*self._flat(values)), dtype=float)

    def claimed(self, values):
        with np.errstate(all="ignore"):
            return np.asarray(self._c(*self._flat(values)), dtype=float)

    def get(self, values, idx) -> np.ndarray:
        return np.concatenate([np.asarray(values[k], dtype=float).ravel() for k in idx])

    def put(self, values, idx, flat) -> list:
        out = [v.copy() for v in values]
        pos = 0
        for k in idx:
            size = int(np.prod(self.shapes[k]))
            out[k] = flat[pos : pos + size].reshape(self.shapes[k])
            pos += size
        return out

    def point(self, rng):
        for _ in range(20):
            if self.claim.at:
                values = [self._fixed(v) for v in self.vars]
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

    def _fixed(self, var) -> np.ndarray:
        value = self.claim.at[var.symbol]
        if var.is_scalar:
            return np.array([[float(value)]])
        return np.asarray(sp.Matrix(value), dtype=float)

    def step(self, values) -> float:
        scale = min(
            length_scale(self.vars[k].domain, np.asarray(values[k], dtype=float))
            for k in self.wrt_idx
        )
        if self.by_limit:
            scale = 1.0  # at a kink the step is limited by nothing but the regime of the point
        return 0.1 * min(scale, 1.0)

    # ── comparisons ──────────────────────────────────────────────────────────
    def compare(self, values, rng) -> dict:
        kind = self.claim.kind
        if kind == "identity":
            return self._compare_identity(values)
        if kind == "property":
            return self._compare_property(values)
        if kind == "partial":
            return self._compare_partial(values)
        x = self.get(values, self.wrt_idx)
        h0 = self.step(values)

        def moved(t, u):
            return self.put(values, self.wrt_idx, x + t * u)

        if kind == "hessian":
            u = gaussian_direction((x.size, 1), rng).ravel()
            u2 = gaussian_direction((x.size, 1), rng).ravel()

            def estimator(h):
                out = 0.0
                for s1, s2, sign in ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)):
                    out = out + sign * self.f(
                        self.put(values, self.wrt_idx, x + h * (s1 * u + s2 * u2))
                    )
                return out / (4 * h * h)

            numeric, err, h_used = richardson(estimator, h0)
            c = self.claimed(values)
            claimed = float(u @ c @ u2)
            noise = 400 * EPS * _magnitude(self.f(values)) / h_used**2
            return _verdict(claimed, numeric, err, noise, np.linalg.norm(c), values, self, u, u2)
        if kind == "directional":
            if self.claim.at and all(self.vars[k].symbol in self.claim.at for k in self.dir_idx):
                u = self.get(values, self.dir_idx)
            else:
                u = gaussian_direction((x.size, 1), rng).ravel()
                directions = [self.vars[k] for k in self.dir_idx]
                if len(directions) == 1 and directions[0].domain in ("symmetric", "spd"):
                    # a direction declared symmetric is sampled symmetric (f may be defined on
                    # symmetric matrices only)
                    square = u.reshape(self.shapes[self.dir_idx[0]])
                    square = (square + square.T) / 2
                    u = (square / np.linalg.norm(square)).ravel()
            claimed = self.claimed(self.put(values, self.dir_idx, u))
            bound = np.linalg.norm(claimed)
        else:
            c = self.claimed(values)
            if self.by_limit and kind == "gradient" and not self.claim.wrt_is_scalar:
                u = np.zeros(x.size)  # partials exist where the gradient need not be Fréchet
                u[int(rng.integers(x.size))] = 1.0
            elif self.claim.wrt_is_scalar:
                u = np.array([1.0])
            else:
                u = gaussian_direction((x.size, 1), rng).ravel()
            # Jacobian: J u; gradient: the Frobenius inner product <G, u>
            claimed = c @ u if kind == "jacobian" else float(np.sum(c.ravel() * u))
            bound = np.linalg.norm(c)

        side = self.claim.side
        if side == "+":

            def estimator(h):
                return (self.f(moved(h, u)) - self.f(moved(0.0, u))) / h
        elif side == "-":

            def estimator(h):
                return (self.f(moved(0.0, u)) - self.f(moved(-h, u))) / h
        else:

            def estimator(h):
                return (self.f(moved(h, u)) - self.f(moved(-h, u))) / (2 * h)

        if self.by_limit and side is None:
            # at a possible kink a central difference averages the two one-sided slopes
            # (|x| at 0 would give 0): compare each one-sided limit with the claim instead
            outcomes = []
            for sign in (1.0, -1.0):

                def one_sided(h, sign=sign):
                    return sign * (self.f(moved(sign * h, u)) - self.f(moved(0.0, u))) / h

                numeric, err, h_used = richardson(one_sided, h0, even=False)
                noise = 100 * EPS * _magnitude(self.f(values)) / h_used
                outcomes.append(
                    _verdict(claimed, numeric, err, noise, bound, values, self, u, None)
                )
            failed = [o for o in outcomes if o["status"] == "fail"]
            if failed:
                return failed[0]
            undecided = [o for o in outcomes if o["status"] == "undecided"]
            return undecided[0] if undecided else max(outcomes, key=lambda o: o["relative_error"])
        numeric, err, h_used = richardson(estimator, h0, even=side is None)
        noise = 100 * EPS * _magnitude(self.f(values)) / h_used
        return _verdict(claimed, numeric, err, noise, bound, values, self, u, None)

    def _compare_partial(self, values) -> dict:
        """Iterated partial derivatives by nested finite differences, innermost first."""
        unique = list(dict.fromkeys(self.wrt_idx))  # ∂²/∂x² repeats a variable
        order = [unique.index(k) for k in self.wrt_idx]
        x = self.get(values, unique)
        side = self.claim.side

        def derivative(point, depth, h_limit):
            if depth == 0:
                return self.f(self.put(values, unique, point))
            axis = order[depth - 1]
            e = np.zeros(x.size)
            e[axis] = 1.0
            one_sided = side if depth == len(order) else None

            def estimator(h):
                inner = min(h_limit, 0.25 * h)
                if one_sided == "+":
                    return (
                        derivative(point + h * e, depth - 1, inner)
                        - derivative(point, depth - 1, inner)
                    ) / h
                if one_sided == "-":
                    return (
                        derivative(point, depth - 1, inner)
                        - derivative(point - h * e, depth - 1, inner)
                    ) / h
                return (
                    derivative(point + h * e, depth - 1, inner)
                    - derivative(point - h * e, depth - 1, inner)
                ) / (2 * h)

            value, err, _ = richardson(estimator, h_limit, levels=8, even=one_sided is None)
            errors.append(err)
            return value

        errors: list[float] = []
        h0 = self.step(values)
        numeric = derivative(x, len(order), h0)
        claimed = self.claimed(values)
        err = max(errors) if errors else 0.0
        noise = 100 * EPS * _magnitude(self.f(values)) / h0 ** len(order)
        return _verdict(
            claimed, numeric, err, noise, np.linalg.norm(claimed), values, self, None, None
        )

    def _compare_identity(self, values) -> dict:
        lhs = self.f(values)
        rhs = self.claimed(values)
        if lhs.shape != rhs.shape and lhs.size == rhs.size == 1:
            lhs, rhs = lhs.reshape(()), rhs.reshape(())
        noise = 100 * EPS * max(_magnitude(lhs), _magnitude(rhs))
        return _verdict(rhs, lhs, 0.0, noise, np.linalg.norm(rhs), values, self, None, None)

    def _compare_property(self, values) -> dict:
        if self.relation is None:
            return {"status": "skipped"}
        lhs, rhs = float(self.f(values)), float(self.claimed(values))
        margin = {
            sp.GreaterThan: lhs - rhs,
            sp.StrictGreaterThan: lhs - rhs,
            sp.LessThan: rhs - lhs,
            sp.StrictLessThan: rhs - lhs,
        }.get(self.relation)
        if margin is None or not np.isfinite(margin):
            return {"status": "skipped"}
        scale = abs(lhs) + abs(rhs) + EPS
        holds_strictly = margin > 1e-9 * scale
        holds = margin >= -1e-12 * scale
        violated = margin < -1e-6 * scale
        want = self.claim.claimed == sp.true
        strict = self.relation in (sp.StrictGreaterThan, sp.StrictLessThan)
        if want and (holds_strictly or (holds and not strict)):
            return {"status": "pass", "relative_error": 0.0}
        if (want and violated) or (not want and holds_strictly):
            report = {
                "point": {v.name: _rounded(x) for v, x in zip(self.vars, values, strict=True)},
                "lhs": lhs,
                "rhs": rhs,
                "relation": self.relation.__name__,
            }
            return {"status": "fail", "report": report}
        return {"status": "undecided", "reason": "the relation is too close to call at a point"}


class _FastProblem(_Problem):
    """Like ``_Problem``, but f and the claim are evaluated by numpy on the abstract statement
    (``fastnum``); shapes are checked against the kind at every evaluation."""

    def __init__(self, claim: Claim, dims: dict):  # no symbolic build, on purpose
        self.claim = claim
        self.dims = dict(dims)
        self.vars = list(claim.variables)
        self.shapes = [
            (1, 1) if v.is_scalar else tuple(int(sp.sympify(d).subs(dims)) for d in v.shape)
            for v in self.vars
        ]
        self.relation = None
        self.wrt_idx = [self.vars.index(claim.variable(s)) for s in claim.wrt_symbols]
        self.dir_idx = [self.vars.index(claim.variable(s)) for s in claim.direction_symbols]
        self.by_limit = uses_limit_definition(claim)

    def _env(self, values) -> dict:
        env = {}
        for var, arr in zip(self.vars, values, strict=True):
            arr = np.asarray(arr, dtype=float)
            env[var.symbol] = float(arr[0, 0]) if var.is_scalar else arr
        for symbol, definition in self.claim.where.items():
            env[symbol] = fastnum.evaluate(definition, env, self.dims)
        return env

    def f(self, values):
        with np.errstate(all="ignore"):
            value = fastnum.evaluate(self.claim.f, self._env(values), self.dims)
        value = np.asarray(value, dtype=float)
        if self.claim.kind in ("derivative", "partial", "gradient", "hessian"):
            if value.size != 1:
                raise ShapeMismatch(f"f must be a scalar; it is {value.shape}")
            return value.reshape(())
        return value

    def claimed(self, values):
        try:
            with np.errstate(all="ignore"):
                value = fastnum.evaluate(self.claim.claimed, self._env(values), self.dims)
        except ValueError as exc:  # numpy's shape errors
            raise ShapeMismatch(f"claimed cannot be computed at these sizes: {exc}") from exc
        value = np.asarray(value, dtype=float)
        need = self._required(values)
        if need is None:
            if value.size != 1:
                raise ShapeMismatch(f"claimed is {value.shape} but a scalar is required")
            return value.reshape(())
        if value.shape != need:
            raise ShapeMismatch(
                f"claimed is {value.shape[0]}×{value.shape[1]} but {need[0]}×{need[1]} is required"
            )
        return value

    def _required(self, values):
        kind = self.claim.kind
        wrt_size = sum(int(np.prod(self.shapes[k])) for k in self.wrt_idx)
        if kind in ("derivative", "partial") or (kind == "gradient" and self.claim.wrt_is_scalar):
            return None
        if kind == "gradient":
            return self.shapes[self.wrt_idx[0]] if not self.claim.stacked else (wrt_size, 1)
        if kind == "hessian":
            return (wrt_size, wrt_size)
        f = np.asarray(fastnum.evaluate(self.claim.f, self._env(values), self.dims))
        if kind == "jacobian":
            return (f.size, wrt_size)
        if kind in ("directional", "identity"):
            return f.shape if f.ndim == 2 and f.shape != (1, 1) else None
        return None


def _magnitude(value) -> float:
    return float(np.max(np.abs(value), initial=0.0))


def richardson(estimator, h0: float, levels: int = 10, even: bool = True):
    """Neville-Richardson tableau on h, h/2, h/4...; stops when the error starts growing.

    ``even``: the estimator's error has only even powers of h (central differences); one-sided
    differences have every power.
    """
    ratio = 4.0 if even else 2.0
    best, best_err, best_h = None, np.inf, h0
    previous = None
    for i in range(levels):
        h = h0 / 2**i
        row = [np.asarray(estimator(h), dtype=float)]
        if best is None:
            best, best_h = row[0], h
        for j in range(1, i + 1):
            row.append(row[j - 1] + (row[j - 1] - previous[j - 1]) / (ratio**j - 1))
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
