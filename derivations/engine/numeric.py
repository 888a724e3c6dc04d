"""Numeric layer: finite differences of f alone, compared with the claimed derivative.

The traps this layer avoids (learned from gradcheck-style tools): several dimensions including
rectangular shapes; generic non-symmetric matrices unless the domain says otherwise; points in the
unit regime; a conditioning gate (κ ≤ 1e3) and a saturation gate (finite, moderate values);
Gaussian directions, so a transposed or permuted answer cannot hide; central differences on a
step ladder capped by the point's length scale, with Richardson extrapolation; a relative
tolerance that does not grow with size, plus a floor for rounding noise measured from f itself.
A failure is reported only if it survives the rounding error measured at the point (cancellation)
and a step ladder 1024 times finer; near a kink the ladder shrinks until both one-sided quotients
resolve it. Points harder than the sampled ones come from ``python -m derivations stress``.
"""

from __future__ import annotations

import contextlib
import warnings

import mpmath
import numpy as np
import sympy as sp
from mpmath import iv
from sympy.core.relational import Relational

from . import fastnum
from .claims import Claim
from .concrete import FunctionOf, JacobianOf, VectorFunctionOf
from .functions import GradientOf
from .report import LayerResult
from .sampling import SamplingError, draw_float, gaussian_direction, length_scale, rng_for
from .statement import (
    NUMERIC_SIZES,
    ShapeMismatch,
    claimed_value,
    context,
    dimension_sets,
    f_value,
)
from .symbolic import dims_label, uses_limit_definition
from .written import unwrap

POINTS = 3
DIRECTIONS = 3
PASS_RTOL = 1e-6
FAIL_RTOL = 1e-3
EPS = np.finfo(float).eps
MAX_MAGNITUDE = 1e10
LADDER = 10  # steps h0, h0/2, … h0/2**(LADDER-1) in one Richardson tableau
JITTER = 6  # copies of the point, a few ulps apart, that measure rounding noise after a failure


def check(claim: Claim, salt: str = "", stress=None, fast: bool | None = None) -> LayerResult:
    """Finite differences of f against the claim; ``stress`` (a stress profile, see
    ``sampling.draw_float``) replaces the sampled points and nothing else.

    ``fast`` (by default, whenever ``fastnum`` evaluates every node) computes with numpy on the
    abstract statement. When that leaves the layer undecided, the explicit path runs instead:
    sympy's explicit form may cancel exactly what floating point cannot tell from rounding (a
    sum of terms that is 0 for every θ, say)."""
    if fast is None:
        fast = claim.kind != "property" and fastnum.supports(
            claim.f, claim.claimed, *claim.where.values()
        )
        result = check(claim, salt, stress, fast)
        if fast and result.status == "undecided":
            return check(claim, salt, stress, fast=False)
        return result
    result = LayerResult(layer="numeric", status="pass", worst_relative_error=0.0)
    families = (0, 1) if _has_arbitrary_functions(claim) else (0,)
    undecided = ""
    skipped = 0
    directions = 1 if claim.kind in ("identity", "property", "partial") else DIRECTIONS
    if claim.kind in ("derivative",) or claim.wrt_is_scalar:
        directions = 1
    sets = dimension_sets(claim, NUMERIC_SIZES)
    for dims in sets:
        for family in families:
            try:
                if fast:
                    # numpy on the abstract statement, at every size: no symbolic inverse or
                    # determinant to build and lambdify (the explicit statement is built only
                    # when a failure needs interval arithmetic)
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
                    point = problem.point(rng, stress)
                except SamplingError as exc:
                    undecided = str(exc)
                    continue
                except ShapeMismatch as exc:
                    result.status, result.detail = "fail", str(exc)
                    result.counterexample = {"dims": dims_label(dims), "shape": str(exc)}
                    return result
                for _ in range(directions):
                    state = rng.bit_generator.state  # to replay this comparison's direction
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
                        outcome = problem.confirm(point, outcome, state)
                    elif outcome["status"] == "undecided" and outcome.get("between"):
                        outcome = problem.refine(point, outcome, state)
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
        as_numbers = claim.dimensions_used_as_numbers()
        if as_numbers and not claim.dims:
            names = ", ".join(str(d) for d in as_numbers)
            result.detail += (
                f"; {names} {'is' if len(as_numbers) == 1 else 'are'} used as a number, so "
                f"every size listed was checked ({len(result.dims)} sizes), not three"
            )
    return result


def _has_arbitrary_functions(claim: Claim) -> bool:
    exprs = [claim.f, claim.claimed, *claim.where.values()]
    kinds = (FunctionOf, GradientOf, VectorFunctionOf, JacobianOf)
    return any(e.atoms(*kinds) or e.has(*kinds) for e in exprs if hasattr(e, "atoms"))


class _Problem:
    """One claim at one dimension assignment, as fast numpy functions."""

    shrink = 1.0  # steps divided by this while a failure is re-checked at smaller steps
    _mp = None  # f and the claim for mpmath (60 digits, intervals), built on the first failure

    def __init__(self, claim: Claim, ctx, f_val, claimed):
        self.claim = claim
        self.vars = list(claim.variables)
        stand_ins = [ctx.env[v.symbol] for v in self.vars]
        self.shapes = [s.shape if isinstance(s, sp.MatrixBase) else (1, 1) for s in stand_ins]
        flat = [e for s in stand_ins for e in (list(s) if isinstance(s, sp.MatrixBase) else [s])]
        self._explicit = (flat, f_val, claimed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if claim.kind == "property":
                relation = f_val
                self.relation = type(relation) if isinstance(relation, Relational) else None
                pair = (relation.lhs, relation.rhs) if self.relation else (sp.S.Zero, sp.S.Zero)
                # a compound statement (an implication, a conjunction) or one sympy already
                # decided: its truth value at each point, in floating point
                self._truth = None
                if self.relation is None and isinstance(relation, sp.logic.boolalg.Boolean):
                    self._truth = sp.lambdify(
                        flat, sp.logic.boolalg.to_nnf(relation), modules="numpy"
                    )
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

    def point(self, rng, stress=None):
        for _ in range(20):
            if self.claim.at:
                values = [self._fixed(v) for v in self.vars]
            else:
                values = [
                    draw_float(v.domain, shape, rng, stress)
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
        return 0.1 * min(scale, 1.0) / self.shrink

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
            recheck = {"f_scale": h_used**2}
            return _verdict(
                claimed, numeric, err, noise, np.linalg.norm(c), values, self, u, u2, recheck
            )
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

            def claim_args(v):
                return self.put(v, self.dir_idx, u)
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
            claim_args = None

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
            return self._both_sides(values, x, moved, u, claimed, bound, h0, claim_args)
        numeric, err, h_used = richardson(estimator, h0, even=side is None)
        noise = 100 * EPS * _magnitude(self.f(values)) / h_used
        recheck = {"f_scale": h_used, "claim_args": claim_args}
        return _verdict(claimed, numeric, err, noise, bound, values, self, u, None, recheck)

    def _both_sides(self, values, x, moved, u, claimed, bound, h0, claim_args) -> dict:
        """Each one-sided limit compared with the claim: at a possible kink a central difference
        averages the two one-sided slopes (|x| at 0 would give 0).

        A claim that matches neither side fails; one that matches both passes. When it matches
        one side only, either the point is a kink (no derivative there: the claim is wrong) or the
        steps straddle a kink closer to the point than they are (the claim may be right). Then
        the ladder restarts at steps 8 times smaller, its smallest step kept where rounding noise
        stays under the pass tolerance, until both sides agree with the claim or neither does.
        Sides that still disagree are undecided, with the step reached.
        """
        f0 = _magnitude(self.f(values))
        floor = 64 * EPS * max(1.0, float(np.abs(x).max(initial=0.0)))
        levels = LADDER
        while True:
            outcomes, estimates = [], []
            for sign in (1.0, -1.0):

                def one_sided(h, sign=sign):
                    return sign * (self.f(moved(sign * h, u)) - self.f(moved(0.0, u))) / h

                numeric, err, h_used = richardson(one_sided, h0, levels, even=False)
                noise = 100 * EPS * f0 / h_used
                estimates.append(float(np.linalg.norm(numeric)))
                recheck = {"f_scale": h_used, "claim_args": claim_args}
                outcomes.append(
                    _verdict(claimed, numeric, err, noise, bound, values, self, u, None, recheck)
                )
            statuses = {o["status"] for o in outcomes}
            if statuses in ({"pass"}, {"fail"}, {"undecided"}):
                break
            reached = h0 / 2 ** (levels - 1)
            reference = max(float(bound) + max(estimates), np.finfo(float).tiny)
            h_min = max(floor, 200 * EPS * f0 / (PASS_RTOL * reference))
            h0 /= 8
            levels = min(LADDER, int(np.log2(h0 / h_min)) + 1) if h0 > h_min else 0
            if levels < 3:
                return {
                    "status": "undecided",
                    "reason": "the one-sided difference quotients disagree down to step "
                    f"{reached:.1e}: a kink at the point, or closer to it than rounding lets a "
                    "step resolve",
                }
        failed = [o for o in outcomes if o["status"] == "fail"]
        if failed:
            return failed[0]
        undecided = [o for o in outcomes if o["status"] == "undecided"]
        return undecided[0] if undecided else max(outcomes, key=lambda o: o["relative_error"])

    def refine(self, values, outcome, state) -> dict:
        """A finite-difference gap between the pass and fail tolerances is looked at again with
        the same direction and every step 1024 (then 1024²) times smaller, while rounding allows:
        f may vary on a scale finer than the first steps (sin x³ at x = 3 turns every 0.2).
        Only a replay that passes the same tight tolerance changes the outcome (to a pass); a
        replay that fails or stays in between leaves it undecided."""
        if self.claim.kind in ("identity", "property") or self.by_limit:
            return outcome
        for _, again in self._finer_replays(values, state, 2):
            if again["status"] == "pass":
                return again
        return outcome

    def _finer_replays(self, values, state, times: int):
        """The comparison replayed with the same direction (``state`` is the generator's state
        before it) and every step 1024, 1024², ... times smaller, while x + h still differs
        from x: yields (shrink, outcome)."""
        x = self.get(values, self.wrt_idx)
        floor = 64 * EPS * max(1.0, float(np.abs(x).max(initial=0.0)))
        for k in range(1, times + 1):
            shrink = 1024.0**k
            if self.step(values) / shrink / 2 ** (LADDER - 1) < floor:
                return
            rng = np.random.default_rng()
            rng.bit_generator.state = state
            self.shrink = shrink
            try:
                again = self.compare(values, rng)
            finally:
                self.shrink = 1.0
            yield shrink, again

    def confirm(self, values, outcome, state) -> dict:
        """A failure stands only if rounding does not explain it and smaller steps reproduce it.

        First the rounding noise is measured (``rounding``). Then, for finite differences, the
        comparison is replayed (same direction: ``state`` is the generator's state before it)
        with every step 1024, 1024² and 1024³ times smaller, while x + h still differs from x.
        A ladder too coarse for f (an oscillation, or a singularity closer than the steps) gives
        a wrong value with a small error estimate, and a finer ladder does not reproduce it.
        Two successive ladders that agree on a value the claim is not confirm the failure.
        Either check can only turn a failure into undecided, never into a pass.
        """
        outcome = self.rounding(values, outcome)
        if outcome["status"] != "fail" or self.claim.kind in ("identity", "property"):
            return outcome
        previous = outcome
        for shrink, again in self._finer_replays(values, state, 3):
            if again["status"] == "fail":
                again = self.rounding(values, again)
            if again["status"] != "fail":
                why = again.get("reason", "they agree with the claim")
                return {
                    "status": "undecided",
                    "reason": f"finite differences at steps {shrink:.0f} times smaller do not "
                    f"reproduce the failure ({why}): f changes on a scale below the first steps",
                }
            a, b = previous.get("recheck"), again.get("recheck")
            if a is None or b is None:
                return outcome
            # the ladders agree within the failure tolerance (no slack for their error
            # estimates: a coarse ladder's estimate can be wrong with a small estimate)
            a_value, b_value = np.ravel(a["numeric"]), np.ravel(b["numeric"])
            gap = float(np.linalg.norm(a_value - b_value))
            size = float(np.linalg.norm(a_value) + np.linalg.norm(b_value))
            if gap <= FAIL_RTOL * size + 2 * (a["noise"] + b["noise"]):
                return outcome
            previous = again
        if previous is outcome:
            return outcome
        return {
            "status": "undecided",
            "reason": "the finite differences keep changing as the steps shrink: f changes on a "
            "scale below every step that rounding allows",
        }

    def rounding(self, values, outcome) -> dict:
        """Re-judge a failure with the rounding error measured at the point.

        The noise floor assumes f and the claim are evaluated to about eps relative to their
        size. Formulas with cancellation are far worse: 1 − σ(t) for large t, (1 + δ)³ − 1 − 3δ
        for small δ, a cofactor 5×5 inverse at condition 1e8. Their error is measured against
        the same explicit expressions in 60-digit and in interval arithmetic
        (``_evaluation_error``), and as the spread of f and the claim over ``JITTER``
        copies of the point a few ulps apart (every entry times 1 + η, |η| ≤ 4 eps: this also
        covers the numpy fast path). The failure is re-judged with
        that error added to the claim's side and, divided by the step's power, to f's rounding
        noise; if it no longer fails, the comparison is undecided and says why. This can only
        turn a failure into undecided, never into a pass.
        """
        info = outcome.get("recheck")
        if info is None:
            return outcome
        args = info.get("claim_args") or (lambda v: v)
        base = [np.asarray(v, dtype=float) for v in values]
        f0, c0 = self.f(base), self.claimed(args(base))
        df = dc = 0.0
        rng = np.random.default_rng(0)
        for _ in range(JITTER):
            jittered = [v * (1 + 4 * EPS * rng.uniform(-1.0, 1.0, v.shape)) for v in base]
            df = max(df, float(np.linalg.norm(self.f(jittered) - f0)))
            dc = max(dc, float(np.linalg.norm(self.claimed(args(jittered)) - c0)))
        df = max(df, self._evaluation_error(0, base))
        dc = max(dc, self._evaluation_error(1, args(base)))
        if not (np.isfinite(df) and np.isfinite(dc)):
            df = dc = np.inf
        err, noise = info["err"] + dc, max(info["noise"], df / info["f_scale"])
        redo = _verdict(
            info["claimed"], info["numeric"], err, noise, info["bound"], values, self, None, None
        )
        if redo["status"] == "fail":
            return outcome
        gap = float(np.linalg.norm(np.ravel(info["claimed"]) - np.ravel(info["numeric"])))
        return {
            "status": "undecided",
            "reason": f"rounding: in double precision f is off by up to {df:.1e} and the claim "
            f"by {dc:.1e} at this point (cancellation), enough to explain the gap {gap:.2e}",
        }

    def _explicit_parts(self):
        return self._explicit

    def _evaluation_error(self, which: int, args) -> float:
        """How far the double value of f (``which`` 0) or of the claim (1) at ``args`` may be
        from the truth, from the same explicit expressions evaluated by mpmath: the larger of
        its distance from the 60-digit value (which catches any double evaluation that loses
        accuracy: a numpy formula, a cofactor inverse) and the width of the 53-bit interval
        value (which also bounds a loss below every working precision: 1 − σ(300) is 0 in
        double and at 60 digits, and in fact 5e-131). Each is 0 where it cannot evaluate the
        expression (complex values, undecidable branches, unsupported functions)."""
        if self._mp is None:
            try:
                flat, f_val, claimed = self._explicit_parts()
                rows = {"ImmutableDenseMatrix": lambda r: r, "MutableDenseMatrix": lambda r: r}
                self._mp = tuple(
                    tuple(sp.lambdify(flat, e, modules=[ns, "mpmath"]) for e in (f_val, claimed))
                    for ns in (rows, _interval_namespace())
                )
            except Exception:  # anything lambdify cannot print: no measurement
                self._mp = ()
        if not self._mp:
            return 0.0
        double = np.ravel(self.f(args) if which == 0 else self.claimed(args))
        point = [float(v) for v in self._flat(args)]
        error = 0.0
        with contextlib.suppress(Exception), mpmath.workdps(60):
            entries = _entries(self._mp[0][which](*[mpmath.mpf(v) for v in point]))
            if len(entries) == double.size:
                total = sum(
                    (mpmath.mpf(float(d)) - mpmath.mpf(e)) ** 2
                    for d, e in zip(double, entries, strict=True)
                )
                error = float(mpmath.sqrt(total))
        with contextlib.suppress(Exception):
            iv.prec = 53
            entries = _entries(self._mp[1][which](*[iv.mpf(v) for v in point]))
            error = max(error, float(np.sqrt(sum(float(iv.mpf(e).delta) ** 2 for e in entries))))
        return error

    def _compare_partial(self, values) -> dict:
        """Iterated partial derivatives by nested finite differences, innermost first."""
        unique = list(dict.fromkeys(self.wrt_idx))  # ∂²/∂x² repeats a variable
        order = [unique.index(k) for k in self.wrt_idx]
        x = self.get(values, unique)
        side = self.claim.side
        if self.by_limit and side is None and len(order) == 1:
            claimed = self.claimed(values)

            def moved(t, u):
                return self.put(values, unique, x + t * u)

            e = np.ones(1)
            bound = np.linalg.norm(claimed)
            h0 = self.step(values)
            return self._both_sides(values, x, moved, e, claimed, bound, h0, None)

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
        recheck = {"f_scale": h0 ** len(order)}
        return _verdict(
            claimed, numeric, err, noise, np.linalg.norm(claimed), values, self, None, None, recheck
        )

    def _compare_identity(self, values) -> dict:
        lhs = self.f(values)
        rhs = self.claimed(values)
        if lhs.shape != rhs.shape and lhs.size == rhs.size == 1:
            lhs, rhs = lhs.reshape(()), rhs.reshape(())
        noise = 100 * EPS * max(_magnitude(lhs), _magnitude(rhs))
        recheck = {"f_scale": 1.0}
        return _verdict(
            rhs, lhs, 0.0, noise, np.linalg.norm(rhs), values, self, None, None, recheck
        )

    def _compare_property(self, values) -> dict:
        if self.relation is None:
            return self._compare_truth(values)
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
        if not want and violated:  # claimed false, and clearly false at this point
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

    def _compare_truth(self, values) -> dict:
        """A compound statement at a point. Floating point may misjudge a relation on its
        boundary, so a disagreement here is never a refutation (the exact layer refutes);
        it leaves the layer undecided."""
        if getattr(self, "_truth", None) is None:
            return {"status": "skipped"}
        try:
            with np.errstate(all="ignore"):
                value = bool(self._truth(*self._flat(values)))
        except (TypeError, ValueError, ZeroDivisionError):
            return {"status": "skipped"}
        if value == (self.claim.claimed == sp.true):
            return {"status": "pass", "relative_error": 0.0}
        return {
            "status": "undecided",
            "reason": "the statement's truth value differs at a point "
            "in floating point (the exact layer decides)",
        }


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
        # numpy functions of the values, the tree walked once (fastnum.compiled)
        self._where = [
            (symbol, fastnum.compiled(unwrap(definition), self.dims))
            for symbol, definition in claim.where.items()
        ]
        self._f = fastnum.compiled(claim.f, self.dims)
        self._claimed = fastnum.compiled(claim.claimed, self.dims)

    def _explicit_parts(self):
        """The explicit statement at these sizes: built only when a failure needs intervals."""
        ctx = context(self.claim, self.dims, 0)
        f_val = f_value(self.claim, ctx)
        claimed = claimed_value(self.claim, ctx, f_val)
        stand_ins = [ctx.env[v.symbol] for v in self.vars]
        flat = [e for s in stand_ins for e in (list(s) if isinstance(s, sp.MatrixBase) else [s])]
        return flat, f_val, claimed

    def _env(self, values) -> dict:
        env = {}
        for var, arr in zip(self.vars, values, strict=True):
            arr = np.asarray(arr, dtype=float)
            env[var.symbol] = float(arr[0, 0]) if var.is_scalar else arr
        for symbol, value_of in self._where:
            env[symbol] = value_of(env)
        return env

    def f(self, values):
        with np.errstate(all="ignore"):
            value = self._f(self._env(values))
        value = np.asarray(value, dtype=float)
        if self.claim.kind in ("derivative", "partial", "gradient", "hessian"):
            if value.size != 1:
                raise ShapeMismatch(f"f must be a scalar; it is {value.shape}")
            return value.reshape(())
        return value

    def claimed(self, values):
        try:
            with np.errstate(all="ignore"):
                value = self._claimed(self._env(values))
        except ValueError as exc:  # numpy's shape errors
            raise ShapeMismatch(f"claimed cannot be computed at these sizes: {exc}") from exc
        value = np.asarray(value, dtype=float)
        need = self._required(values)
        if need is None:
            if value.size != 1:
                raise ShapeMismatch(f"claimed is {value.shape} but a scalar is required")
            return value.reshape(())
        if value.ndim == 0 and need == (1, 1):
            value = value.reshape(1, 1)  # a scalar where a 1×1 matrix is due, as the explicit path
        if value.shape != need:
            shown = "×".join(map(str, value.shape)) if value.ndim else "a scalar"
            raise ShapeMismatch(f"claimed is {shown} but {need[0]}×{need[1]} is required")
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
        f = np.asarray(self._f(self._env(values)))
        if kind == "jacobian":
            return (f.size, wrt_size)
        if kind in ("directional", "identity"):
            return f.shape if f.ndim == 2 and f.shape != (1, 1) else None
        return None


def _entries(value) -> list:
    """The entries of an mpmath result (a scalar, or rows of a matrix), row by row."""
    if isinstance(value, mpmath.matrix):
        return [value[i, j] for i in range(value.rows) for j in range(value.cols)]
    return list(np.ravel(np.array(value, dtype=object)))


def _interval_namespace() -> dict:
    """mpmath's interval functions under the names sympy's mpmath printer uses."""
    namespace = {name: getattr(iv, name) for name in dir(iv) if not name.startswith("_")}
    for name in ("ImmutableDenseMatrix", "MutableDenseMatrix", "Matrix"):
        namespace[name] = lambda rows: rows
    namespace["tanh"] = lambda t: 1 - 2 / (iv.exp(2 * t) + 1)
    namespace["sinh"] = lambda t: (iv.exp(t) - iv.exp(-t)) / 2
    namespace["cosh"] = lambda t: (iv.exp(t) + iv.exp(-t)) / 2
    return namespace


def _magnitude(value) -> float:
    return float(np.max(np.abs(value), initial=0.0))


def richardson(estimator, h0: float, levels: int = LADDER, even: bool = True):
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


def _verdict(claimed, numeric, err, noise, bound, values, problem, u, u2, recheck=None) -> dict:
    """pass / fail / undecided for one comparison. ``recheck`` (the step's power dividing f's
    rounding noise, and the claimed quantity as a function of the point) lets a failure be
    re-judged with rounding noise measured at the point (``_Problem.rounding``)."""
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
        outcome = {"status": "fail", "report": report}
        if recheck is not None:
            outcome["recheck"] = {
                "claimed": claimed,
                "numeric": numeric,
                "err": err,
                "noise": noise,
                "bound": bound,
                **recheck,
            }
        return outcome
    return {
        "status": "undecided",
        "reason": f"gap {gap:.2e} between tolerance and failure (error estimate {err:.1e})",
        "between": True,
    }


def _rounded(value):
    arr = np.asarray(value, dtype=float)
    if arr.size == 1:
        return float(f"{arr.item():.6g}")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    return np.vectorize(lambda v: float(f"{v:.6g}"))(arr).tolist()
