"""Stress run: the numeric and exact layers again, at points chosen to be hard.

    python -m derivations stress [--json] [--claims PATTERN]     (make stress)

Three families of profiles, each a transformation of the sampled points only; the verdict logic
(tolerances, noise floor, gates) is the engine's own:

* **condition** ``kappa=1e2 … 1e8``: every matrix argument (both sides at least 2) is
  U diag(s) Vᵀ with log-spaced singular values 1 … 1/κ; symmetric arguments are Q diag(±s) Qᵀ
  and positive-definite ones Q diag(s) Qᵀ, so declared domains still hold;
* **scale** ``scale=1e-6 … 1e6``: the usual sample times the scale (positive stays positive,
  SPD stays SPD; probability vectors and unit-interval values cannot be scaled and are left);
* **kink** ``kink=1e-3 … 1e-9``: a worked example about a ReLU, max or |x| is moved to that
  distance from its kink, on the side the claim is about (its ``side`` at the kink itself,
  otherwise the side its point lies on).

A correct claim must never be refuted (exit 1 if one is); inconclusive is allowed and carries
the engine's reason. Pitfalls are run too: they may become inconclusive under stress, and one that
is *verified* is reported (the stress would have blinded the checker).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import multiprocessing
import os
import sys
import time
from collections import Counter

import numpy as np
import sympy as sp

from . import catalogue
from .engine import exact, numeric, symbolic
from .engine.claims import Claim
from .engine.concrete import ConcretiseError
from .engine.report import LayerResult
from .engine.sampling import SamplingError, sample_float
from .engine.statement import context, f_value

CONDITIONS = (1e2, 1e4, 1e6, 1e8)
SCALES = (1e-6, 1e-3, 1.0, 1e3, 1e6)
KINK_DISTANCES = tuple(10**-k for k in range(3, 10))  # 1e-3 … 1e-9
CONDITIONABLE = ("real", "invertible", "nonzero", "symmetric", "spd")
UNSCALABLE = ("probability", "unit-interval")
_LAYER_ERRORS = (ConcretiseError, SamplingError, ZeroDivisionError, ValueError, TypeError)


def _orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def conditioned(domain: str, shape, kappa: float, rng: np.random.Generator):
    """A matrix in ``domain`` with condition number ``kappa`` (largest singular value 1), or None
    when the shape or domain has no condition number to prescribe (vectors, positive entries…)."""
    rows, cols = shape
    k = min(rows, cols)
    if k < 2 or domain not in CONDITIONABLE:
        return None
    s = np.logspace(0.0, -np.log10(kappa), k)
    if domain in ("symmetric", "spd"):
        q = _orthogonal(rows, rng)
        if domain == "symmetric":  # indefinite: eigenvalues ±s with both signs present
            signs = np.resize([1.0, -1.0], k)
            s = s * rng.permutation(signs)
        m = q @ np.diag(s) @ q.T
        return (m + m.T) / 2  # exactly symmetric in floating point
    u = _orthogonal(rows, rng)[:, :k]
    v = _orthogonal(cols, rng)[:, :k]
    return u @ np.diag(s) @ v.T


@dataclasses.dataclass(frozen=True)
class Profile:
    """One stress: ``family`` is condition, scale or kink; ``value`` its κ, scale or distance."""

    family: str
    value: float

    @property
    def name(self) -> str:
        key = {"condition": "kappa", "scale": "scale", "kink": "kink"}[self.family]
        return f"{key}={self.value:.0e}".replace("e+0", "e").replace("e-0", "e-")

    def sample(self, domain: str, shape, rng):
        """The engine's hook (``sampling.draw_float``): a stressed point, or None to leave it."""
        if self.family == "condition":
            return conditioned(domain, shape, self.value, rng)
        if self.family == "scale":
            if domain in UNSCALABLE:
                return None
            return self.value * sample_float(domain, shape, rng)
        return None


PROFILES = (
    *(Profile("condition", k) for k in CONDITIONS),
    *(Profile("scale", s) for s in SCALES),
    *(Profile("kink", d) for d in KINK_DISTANCES),
)


def profile_named(name: str) -> Profile:
    for p in PROFILES:
        if p.name == name:
            return p
    raise KeyError(name)


# ── which claims a profile applies to ───────────────────────────────────────────


def _has_conditionable_matrix(claim: Claim) -> bool:
    for v in claim.variables:
        if v.is_scalar or v.domain not in CONDITIONABLE:
            continue
        if all(sp.sympify(d) != 1 for d in v.shape):
            return True
    return False


def _kink_functions(expr) -> list:
    """Expressions whose zero set is a kink of ``expr``: |a|, sign, Heaviside, max/min ties and
    the inequality conditions of a Piecewise (not Ne/Eq, which only define a value at a point)."""
    out = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Abs | sp.sign | sp.Heaviside):
            out.append(node.args[0])
        elif isinstance(node, sp.Max | sp.Min):
            args = list(node.args)
            out += [a - b for i, a in enumerate(args) for b in args[i + 1 :]]
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                for rel in sp.preorder_traversal(cond):
                    if isinstance(rel, sp.core.relational.Relational) and not isinstance(
                        rel, sp.Eq | sp.Ne
                    ):
                        out.append(rel.lhs - rel.rhs)
    return out


def kink_target(claim: Claim):
    """(variable, kink value, side sign) for a worked example near or at a kink, else None.

    The variable moved is the (first) one differentiated. The kink is the nearest zero, along
    that variable, of a kink function of the explicit f. The side is the claim's own at the kink,
    otherwise the side its point lies on; a two-sided claim *at* a kink has no side to move to.
    """
    if not claim.at or not claim.wrt_symbols or claim.kind == "identity":
        return None
    var = claim.wrt_symbols[0]
    if not claim.variable(var).is_scalar:
        return None
    try:
        f_val = f_value(claim, context(claim, {}, 0))
    except Exception:  # a statement that needs dimensions has no scalar kink to find
        return None
    at = {k: sp.sympify(v) for k, v in claim.at.items() if not isinstance(v, list | tuple)}
    if var not in at:
        return None
    here = at[var]
    roots = []
    for g in _kink_functions(f_val):
        g = sp.sympify(g).xreplace({k: v for k, v in at.items() if k != var})
        if var not in g.free_symbols:
            continue
        try:
            roots += [r for r in sp.solve(g, var) if r.is_real]
        except (NotImplementedError, ValueError, TypeError):
            continue
    if not roots:
        return None
    kink = min(roots, key=lambda r: abs(float(r - here)))
    if here == kink:
        if claim.side is None:
            return None
        sign = 1 if claim.side == "+" else -1
    else:
        sign = 1 if here > kink else -1
    return var, kink, sign


def moved_claim(claim: Claim, distance: float):
    """The same claim with its point moved to ``distance`` from the kink (exactly), or None."""
    target = kink_target(claim)
    if target is None:
        return None
    var, kink, sign = target
    exponent = round(-np.log10(distance))
    at = dict(claim.at)
    at[var] = kink + sign * sp.Rational(1, 10**exponent)
    return dataclasses.replace(claim, at=at)


def applies(claim: Claim, profile: Profile) -> str:
    """Why ``profile`` does not apply to ``claim`` ("" when it does)."""
    if profile.family == "kink":
        return "" if kink_target(claim) else "not a derivative beside a kink"
    if claim.at:
        return "a worked example at a fixed point"
    if profile.family == "condition" and not _has_conditionable_matrix(claim):
        return "no matrix argument with a condition number"
    if profile.family == "scale" and all(v.domain in UNSCALABLE for v in claim.variables):
        return "no variable that can be scaled"
    return ""


# ── one claim under one profile ─────────────────────────────────────────────────


def _layer(name, run) -> LayerResult:
    try:
        return run()
    except _LAYER_ERRORS as exc:
        return LayerResult(layer=name, status="undecided", detail=f"{type(exc).__name__}: {exc}")


def verdict_of(layers: list[LayerResult]) -> tuple[str, str]:
    """Refuted if any re-run layer found a counterexample (never hidden behind a pass),
    inconclusive if one is undecided, verified if every applicable layer passed."""
    applicable = [x for x in layers if x.status != "skipped"]
    failed = [x for x in applicable if x.status == "fail"]
    if failed:
        return "refuted", "; ".join(f"{x.layer}: {x.detail}" for x in failed)
    undecided = [x for x in applicable if x.status == "undecided"]
    if undecided:
        return "inconclusive", "; ".join(f"{x.layer}: {x.detail}" for x in undecided)
    if not applicable:
        return "inconclusive", "no layer applies at the stressed points"
    return "verified", ", ".join(x.layer for x in applicable) + " agree"


def stress_claim(claim: Claim, profile: Profile) -> dict:
    """The stressed verdict of ``claim`` under ``profile``, as a report row."""
    start = time.perf_counter()
    row = {"claim": claim.id, "profile": profile.name, "expected": claim.expected}
    why = applies(claim, profile)
    target, stress = claim, profile
    if not why and profile.family == "kink":
        target, stress = moved_claim(claim, profile.value), None
        row["point"] = {str(k): str(v) for k, v in target.at.items()}
        # the moved statement must still be true: the exact limit definition is the judge
        proof = _layer("symbolic", lambda: symbolic.check(target))
        if proof.status == "fail":
            why = "the statement does not hold at the moved point"
    if why:
        row.update(verdict="n/a", reason=why, seconds=0.0)
        return row
    salt = f"stress:{profile.name}"
    layers = [
        _layer("exact", lambda: exact.check(target, salt, stress)),
        _layer("numeric", lambda: numeric.check(target, salt, stress)),
    ]
    verdict, reason = verdict_of(layers)
    row.update(verdict=verdict, reason=reason, layers={x.layer: x.status for x in layers})
    for x in layers:
        if x.status == "fail" and x.counterexample:
            row["counterexample"] = {"layer": x.layer, **x.counterexample}
            break
    row["seconds"] = round(time.perf_counter() - start, 3)
    return row


# ── the whole run ───────────────────────────────────────────────────────────────

_REGISTRY = None


def _init() -> None:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = catalogue.load_claims()


def _task(task) -> dict:
    claim_id, name = task
    return stress_claim(_REGISTRY[claim_id], profile_named(name))


def select(registry, pattern: str | None) -> list[str]:
    """Claim ids matching ``pattern``: a glob (``identities.*``), or a plain id or prefix."""
    ids = registry.ids()
    if not pattern:
        return ids
    if any(ch in pattern for ch in "*?["):
        return [i for i in ids if fnmatch.fnmatchcase(i, pattern)]
    if pattern in registry:
        return [pattern]
    return [i for i in ids if i.startswith(pattern)]


def run_stress(
    registry, ids: list[str], processes: int | None = None, progress: bool = True, profiles=PROFILES
) -> dict:
    global _REGISTRY
    start = time.perf_counter()
    _REGISTRY = registry
    tasks = [(claim_id, p.name) for claim_id in ids for p in profiles]
    processes = max(1, min(processes or os.cpu_count() or 1, 8, len(tasks)))
    rows: list[dict] = []
    step = max(1, len(tasks) // 20)

    def refuted_correct(row: dict) -> bool:
        return row["verdict"] == "refuted" and row["expected"] == "verified"

    def report(k: int, row: dict) -> None:
        if progress and (k % step == 0 or k == len(tasks) or refuted_correct(row)):
            bad = sum(refuted_correct(r) for r in rows)
            print(
                f"[{k:>5}/{len(tasks)}] {time.perf_counter() - start:6.1f}s "
                f"{bad} correct claims refuted so far",
                file=sys.stderr,
                flush=True,
            )

    if processes == 1:
        for k, task in enumerate(tasks, 1):
            rows.append(_task(task))
            report(k, rows[-1])
    else:
        with multiprocessing.get_context("fork").Pool(processes, initializer=_init) as pool:
            for k, row in enumerate(pool.imap_unordered(_task, tasks, chunksize=2), 1):
                rows.append(row)
                report(k, row)
    order = {(c, p): i for i, (c, p) in enumerate(tasks)}
    rows.sort(key=lambda r: order[(r["claim"], r["profile"])])
    return summarise(rows, [p.name for p in profiles], ids, time.perf_counter() - start)


def summarise(rows: list[dict], profile_names: list[str], ids: list[str], seconds: float) -> dict:
    table = {}
    for name in profile_names:
        mine = [r for r in rows if r["profile"] == name]
        correct = Counter(r["verdict"] for r in mine if r["expected"] == "verified")
        pitfalls = Counter(r["verdict"] for r in mine if r["expected"] == "refuted")
        table[name] = {
            "correct": {
                v: correct.get(v, 0) for v in ("verified", "inconclusive", "refuted", "n/a")
            },
            "pitfalls": {
                v: pitfalls.get(v, 0) for v in ("refuted", "inconclusive", "verified", "n/a")
            },
        }
    refuted = [r for r in rows if r["expected"] == "verified" and r["verdict"] == "refuted"]
    blinded = [r for r in rows if r["expected"] == "refuted" and r["verdict"] == "verified"]
    return {
        "claims": len(ids),
        "profiles": profile_names,
        "table": table,
        "inconclusive": [r for r in rows if r["verdict"] == "inconclusive"],
        "refuted_correct": refuted,
        "verified_pitfalls": blinded,
        "rows": [r for r in rows if r["verdict"] != "n/a"],
        "seconds": round(seconds, 1),
    }


def print_report(report: dict, out=sys.stdout) -> None:
    header = (
        f"{'profile':<12} {'verified':>8} {'inconcl.':>8} {'refuted':>8} {'n/a':>6}   "
        f"pitfalls: {'refuted':>7} {'inconcl.':>8} {'verified':>8}"
    )
    print(header, file=out)
    for name, counts in report["table"].items():
        c, p = counts["correct"], counts["pitfalls"]
        print(
            f"{name:<12} {c['verified']:>8} {c['inconclusive']:>8} {c['refuted']:>8} "
            f"{c['n/a']:>6}             {p['refuted']:>7} {p['inconclusive']:>8} "
            f"{p['verified']:>8}",
            file=out,
        )
    if report["inconclusive"]:
        print(
            f"\ninconclusive ({len(report['inconclusive'])}, each with the engine's reason):",
            file=out,
        )
        for r in report["inconclusive"]:
            kind = "pitfall " if r["expected"] == "refuted" else ""
            print(f"  {r['profile']:<11} {kind}{r['claim']}: {r['reason']}", file=out)
    if report["verified_pitfalls"]:
        print("\npitfalls the stressed points cannot tell from a true statement:", file=out)
    for r in report["verified_pitfalls"]:
        print(f"  PITFALL VERIFIED {r['profile']} {r['claim']}: {r['reason']}", file=out)
    if report["refuted_correct"]:
        print("\ncorrect claims refuted under stress:", file=out)
    for r in report["refuted_correct"]:
        print(f"  REFUTED {r['profile']} {r['claim']}: {r['reason']}", file=out)
        if r.get("counterexample"):
            print(f"      counterexample: {r['counterexample']}", file=out)
    total = sum(
        sum(c["correct"][v] for v in ("verified", "inconclusive", "refuted"))
        for c in report["table"].values()
    )
    print(
        f"\n{report['claims']} claims × {len(report['profiles'])} profiles: {total} stressed "
        f"checks of correct claims, {len(report['refuted_correct'])} refuted, "
        f"{len(report['verified_pitfalls'])} pitfalls verified, in {report['seconds']}s",
        file=out,
    )
