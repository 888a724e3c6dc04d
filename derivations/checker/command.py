"""``python -m derivations check``: is a hand-derived derivative right?

    python -m derivations check --f "x @ A @ x" --wrt x --claimed "(A + A.T) @ x" \\
        --var x=n --var A=n,n

Exit status: 0 verified, 1 refuted (with a small counterexample), 3 inconclusive (with the
reason), 2 bad input (one line naming the problem and where it is; never a traceback).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import signal
import sys
import threading
import time
import warnings
from contextlib import contextmanager

from . import shapes as S
from .numbers import bracketed, show
from .parser import CheckError
from .spec import ASSUMPTIONS, KINDS, SIDES, Problem, build

EXIT = {"verified": 0, "refuted": 1, "inconclusive": 3}
TIME_LIMIT = 30.0


DESCRIPTION = """\
Is a derivative you worked out by hand right? The answer is verified (exit 0), refuted with a
small counterexample (exit 1) or inconclusive with the reason (exit 3); bad input gets exit 2.

Expressions are numpy-style: numbers (decimals such as 0.044715 or 1e-3 are taken exactly as
written, up to 30 significant digits), np.pi and np.e (also pi and e unless a variable or a
dimension has that name), declared variables, + - * / ** @, unary minus, .T, indexing (v[0],
A[0, 1], A[:, 0]), np.array([...]) and exp log sqrt sin cos tan tanh sinh cosh abs sign square
sum trace diag outer eye ones zeros inv det slogdet norm matrix_power dot maximum minimum, with
or without np. / np.linalg. in front, and np.where(condition, a, b) of scalars for a function
defined piecewise (comparisons == != < <= > >=, joined by & and |, only in the condition). As in numpy, * ** / between arrays act entry by entry
and x @ A @ x works with a 1-D x. Vectors are columns: x.T is a row, so x @ y.T is the outer
product. Dimension names (n, m) are drawn at random (from 2 upwards, distinct names get
distinct sizes) and can be used as integers: np.eye(n), x / n.

Kinds: gradient (scalar f; the claim has the shape of the variable; --wrt x,y stacks scalars
into a vector, for a Jacobian, a Hessian or a directional too), jacobian (vector f of a
vector; rows are outputs), hessian (scalar f of a vector), directional (f of any shape; the claim
is the derivative in the direction of the --direction variable, which f must not use; --assume
NAME=symmetric restricts the direction), derivative (scalar f of a scalar), partial (iterated
partial derivatives of a scalar f in the order of --wrt x,y: in x, then in y) and identity (no
--wrt: the claim is an expression equal to f). --assume only restricts where points are
sampled: derivatives are still taken entry by entry.

--at checks the claim at one exact point: every variable gets a value (x=0, t=1/2, v=[1, 2],
A=[[2, 1], [1, 3]]; arrays need fixed sizes). At a kink (abs, maximum...) the derivative is
then taken from its limit definition, one-sided with --side + or --side -.

examples:
  python -m derivations check --f "x @ A @ x" --wrt x --claimed "(A + A.T) @ x" \\
      --var x=n --var A=n,n
  python -m derivations check --kind derivative --f "np.abs(x)" --wrt x --claimed 1 \\
      --var x=scalar --at x=0 --side +
"""


def add_arguments(parser) -> None:
    """The options of ``check`` (the interface of issue 5; keep these names)."""
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--f", required=True, metavar="EXPR",
                        help="the function, numpy-style, e.g. 'x @ A @ x'")
    parser.add_argument("--wrt", metavar="NAME",
                        help="the variable to differentiate with respect to (for --kind "
                             "partial, several in order: x,y; none for --kind identity)")
    parser.add_argument("--claimed", required=True, metavar="EXPR",
                        help="your derivative, e.g. '(A + A.T) @ x'")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=SHAPE",
                        help="declare a variable: x=n (vector), A=m,n (matrix), B=3,3 (fixed "
                             "size), t=scalar; repeat for each variable")
    parser.add_argument("--kind", default="gradient", metavar="|".join(KINDS),
                        help="what --claimed is (default: gradient)")
    parser.add_argument("--direction", metavar="NAME",
                        help="for --kind directional: the variable giving the direction")
    parser.add_argument("--assume", action="append", default=[], metavar="NAME=ASSUMPTION",
                        help=f"restrict where points are sampled: {'|'.join(ASSUMPTIONS[1:])}")
    parser.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                        help="check the claim at one exact point: give every variable a value "
                             "(x=0, t=1/2, v=[1, 2], A=[[2, 1], [1, 3]]); at a kink the "
                             "derivative is taken by its limit definition")
    parser.add_argument("--side", choices=SIDES, metavar="+|-",
                        help="with --at, for --kind derivative or partial: the one-sided "
                             "derivative from the right (+) or the left (-)")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="fresh random points (default 0: the fixed seeds)")
    parser.add_argument("--json", action="store_true",
                        help="print the verdict and the evidence as JSON")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT, metavar="SECONDS",
                        help=f"give the engine this long (default {TIME_LIMIT:g}); past it the "
                             "verdict is inconclusive unless a quick layer still refutes, and the "
                             "whole check stays under about 1.7 times the limit")


_VALUE_OPTIONS = ("--f", "--claimed", "--wrt", "--var", "--direction", "--assume", "--kind",
                  "--at", "--side")


def join_option_values(argv: list[str]) -> list[str]:
    """``--claimed -np.log(p)`` → ``--claimed=-np.log(p)``: argparse would take a value that
    starts with a dash for an option, and expressions often start with a minus sign."""
    out: list[str] = []
    k = 0
    while k < len(argv):
        a = argv[k]
        if (a in _VALUE_OPTIONS and k + 1 < len(argv) and argv[k + 1].startswith("-")
                and not argv[k + 1].startswith("--")):
            out.append(f"{a}={argv[k + 1]}")
            k += 2
            continue
        out.append(a)
        k += 1
    return out


def run(args) -> int:
    """Run one check from parsed command-line options; returns the exit status."""
    try:
        problem = build(f=args.f, claimed=args.claimed, wrt=args.wrt, var=args.var,
                        kind=args.kind, direction=args.direction, assume=args.assume,
                        at=args.at, side=args.side)
        if not 0 <= args.seed < 2**63:
            raise CheckError("--seed must be between 0 and 2**63 - 1")
        if args.time_limit is not None and not 0 < args.time_limit <= 3600:
            raise CheckError("--time-limit must be between 0 and 3600 seconds")
    except CheckError as exc:
        return bad_input(str(exc), args.json)
    except RecursionError:
        return bad_input("the expression is too deeply nested", args.json)
    except Exception as exc:  # never a traceback on input, whatever it is
        return bad_input(f"cannot read this input ({type(exc).__name__}: {str(exc)[:200]})",
                         args.json)
    try:
        with quiet():
            out = check(problem, seed=args.seed, time_limit=args.time_limit)
    except CheckError as exc:
        return bad_input(str(exc), args.json)
    except RecursionError:
        return bad_input("the expression is too deeply nested", args.json)
    if args.json:
        print(json.dumps(out, indent=1, ensure_ascii=False, default=str))
    else:
        print(format_text(out))
    return out["exit_status"]


def bad_input(message: str, as_json: bool = False) -> int:
    """Exit status 2: the one-line message on stderr and, with ``--json``, the same message as
    a JSON object on stdout, so that a script reading stdout always gets JSON to parse."""
    message = " ".join(str(message).splitlines())
    if as_json:
        error = {"verdict": "bad-input", "exit_status": 2, "error": message}
        print(json.dumps(error, indent=1, ensure_ascii=False))
    print(f"error: {message}", file=sys.stderr)
    return 2


@contextmanager
def quiet():
    """No numpy or sympy warning on the terminal during a check: the verdict is the output.

    Overflow in x ** 65536, a division by zero at a sampled point and the like are expected
    while probing a user's expression; the layers already judge non-finite values, and a
    RuntimeWarning naming numpy's installation path tells the user nothing."""
    import numpy as np

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


# ---------------------------------------------------------------------------- the check itself


def check(problem: Problem, seed: int = 0, time_limit: float | None = TIME_LIMIT) -> dict:
    """The verdict and the evidence for one parsed problem, as a JSON-ready dict."""
    start = time.perf_counter()
    out = _request(problem, seed)
    if problem.shape_error:
        out.update(verdict="refuted", reason=problem.shape_error, layers=[],
                   counterexample={"source": "shape", "shape": problem.shape_error,
                                   "claimed_shape": S.fmt(problem.claimed.shape)
                                   if problem.claimed is not None else None,
                                   "required_shape": S.fmt(problem.required)})
        return _finish(out, start)

    from .lower import to_claim  # sympy and the engine only once the input is known to be sane

    try:
        claim = to_claim(problem)
    except CheckError:
        raise
    except Exception as exc:  # a sympy constructor refused the statement
        raise CheckError(f"cannot build this statement: {type(exc).__name__}: {exc}") from None
    salt = "" if seed == 0 else str(seed)
    result = _verify(claim, salt, time_limit)
    counterexample = None
    if result.verdict == "refuted":
        counterexample = _counterexample(claim, result, salt, time_limit)
    if counterexample and claim.at and isinstance(counterexample.get("point"), dict):
        counterexample["point"] = {str(k): _plain(v) for k, v in claim.at.items()}
    reason = _reason(result, problem)
    if result.verdict == "inconclusive" and problem.kinks():
        reason += (f" (the expressions use {', '.join(problem.kinks())}, which is not "
                   "differentiable everywhere: a derivative right almost everywhere may not be "
                   "provable)")
    out.update(verdict=result.verdict, reason=reason,
               layers=[x.to_json() for x in result.layers], counterexample=counterexample)
    return _finish(out, start)


def _request(problem: Problem, seed: int) -> dict:
    return {
        "verdict": None,
        "reason": "",
        "exit_status": None,
        "kind": problem.kind,
        "f": problem.f.src or "",
        "claimed": problem.claimed_text,
        "wrt": problem.wrt,
        "direction": problem.direction,
        "variables": {name: S.fmt(shape) for name, shape in problem.variables.items()},
        "assume": dict(problem.domains),
        "at": dict(problem.at_text),
        "side": problem.side,
        "seed": seed,
    }


def _finish(out: dict, start: float) -> dict:
    out["exit_status"] = EXIT[out["verdict"]]
    out["seconds"] = round(time.perf_counter() - start, 3)
    return out


def _verify(claim, salt: str, time_limit):
    from ..engine.verify import verify

    try:
        return limited(lambda: verify(claim, salt=salt, identity_first=True), time_limit)
    except TimeLimit:
        problem = f"the time limit of {time_limit:g} s was reached"
    except Exception as exc:  # never a traceback, never a verdict from a crashed run
        problem = f"the engine failed: {type(exc).__name__}: {str(exc)[:200]}"
    return _layer_by_layer(claim, salt, time_limit, problem)


def _layer_by_layer(claim, salt: str, time_limit, problem: str):
    """After a time-out or a crash: the fast layers one by one, so a refutation still shows.

    The layer that was interrupted is reported undecided, so the verdict can be refuted or
    inconclusive but never verified.
    """
    from ..engine import exact, numeric
    from ..engine.report import LayerResult, Result, combine

    start = time.perf_counter()
    budget = max(2.0, (time_limit or TIME_LIMIT) / 4)
    layers = [LayerResult(layer="symbolic", status="undecided", detail=problem)]
    for name, layer in (("numeric", numeric.check), ("exact", exact.check)):
        try:
            layers.append(limited(lambda layer=layer: layer(claim, salt), budget))
        except TimeLimit:
            layers.append(LayerResult(layer=name, status="undecided",
                                      detail=f"the time limit of {budget:g} s was reached"))
        except Exception as exc:
            layers.append(LayerResult(layer=name, status="undecided",
                                      detail=f"{type(exc).__name__}: {str(exc)[:200]}"))
    verdict, reason = combine(layers)
    return Result(claim_id=claim.id, verdict=verdict, expected="verified",
                  seconds=time.perf_counter() - start, layers=layers, reason=reason)


def _counterexample(claim, result, salt: str, time_limit):
    from .minimise import counterexample

    engine = {"source": "engine", **result.counterexample} if result.counterexample else None
    if claim.kind not in MINIMISED_KINDS or claim.at or claim.stacked:
        return engine  # the minimiser searches points for the four array kinds only
    if engine and engine.get("point") and _largest_side(claim, engine.get("dims")) > 5:
        # the identity test's point, short integers already: the minimiser would write the
        # statement out symbolically at this size (seconds for a product of 8×8 matrices)
        return engine
    try:
        found = limited(lambda: counterexample(claim, result, salt),
                        max(2.0, (time_limit or TIME_LIMIT) / 6))  # fmt: skip
        return found or engine
    except TimeLimit:
        return engine
    except Exception:
        return engine


def _plain(value):
    """An exact point value as the output shows points: "1/2", ["1", "2"], [["2", "1"], ...]."""
    if hasattr(value, "tolist"):
        rows = [[str(x) for x in row] for row in value.tolist()]
        return [r[0] for r in rows] if all(len(r) == 1 for r in rows) else rows
    return str(value)


MINIMISED_KINDS = ("gradient", "jacobian", "hessian", "directional")


def _largest_side(claim, label) -> int:
    """The largest side of a variable at the sizes ``label`` ("m=2, n=3", "scalar") names."""
    import sympy as sp

    dims = {}
    for part in (label or "").split(","):
        name, _, value = part.strip().partition("=")
        if value.strip().isdigit():
            dims[sp.Symbol(name, integer=True, positive=True)] = int(value)
    sides = []
    for var in claim.variables:
        for d in getattr(var, "shape", ()):
            try:
                sides.append(int(d.subs(dims) if isinstance(d, sp.Basic) else d))
            except TypeError:
                return 0  # a size this label does not fix: let the minimiser look
    return max(sides, default=1)


def _reason(result, problem: Problem) -> str:
    from ..engine.report import below_tolerance

    if result.verdict == "verified":
        return result.reason
    small = below_tolerance(result.layers) if result.verdict == "refuted" else None
    if small is not None:
        return _below_tolerance_reason(small, problem)
    if result.verdict == "refuted":
        failed = [x.layer for x in result.layers if x.status == "fail"]
        what = "expression" if problem.kind == "identity" else "derivative"
        where = " at this point" if problem.at else ""
        return f"the claimed {what} is wrong{where} (counterexample from {', '.join(failed)})"
    failed = [x.layer for x in result.layers if x.status == "fail"]
    passed = [x.layer for x in result.layers if x.status == "pass"]
    if failed and passed:
        return (f"the layers disagree: {', '.join(failed)} found a counterexample while "
                f"{', '.join(passed)} agreed; this needs a closer look (f may not be smooth at "
                "the sampled points)")
    undecided = [f"{x.layer}: {x.detail}" for x in result.layers if x.status == "undecided"]
    if not undecided:
        return result.reason
    reason = "could not decide: " + "; ".join(undecided)
    if "saturation gate" in reason:
        reason += " (f is undefined or huge there: restrict the points with --assume, e.g. " \
                  "NAME=positive)"
    return reason


def _below_tolerance_reason(exact, problem: Problem) -> str:
    """A refutation only exact arithmetic sees, said plainly, with the likely cause when the
    input has decimal literals (3.14159 written for π, 0.7978845608 for √(2/π))."""
    reason = "exact arithmetic shows the claimed derivative differs"
    if exact.worst_relative_error is not None:
        reason += (f" (relative difference {exact.worst_relative_error:.1e}, below "
                   "floating-point tolerance, so the numeric layer agrees)")
    decimals = problem.decimals()
    if decimals:
        reason += (f": a decimal constant approximating an exact one "
                   f"({', '.join(decimals[:4])})?")
    return reason


# ---------------------------------------------------------------------------- time limit


class TimeLimit(BaseException):
    """Raised from SIGALRM when a check runs past its time limit (a BaseException so that no
    ``except Exception`` inside sympy swallows it)."""


def limited(fn, seconds: float | None):
    """``fn()``, stopped for certain after ``seconds``: it runs in a forked child process that
    is killed at the limit (a signal cannot interrupt a long call inside a C extension, and
    the limit is the last guard, not what decides a verdict). Raises ``TimeLimit`` at the
    limit, re-raises what ``fn`` raised. Without ``fork`` (Windows; WebAssembly, where the
    start method is listed but fails), a SIGALRM deadline, or none: in the browser the page
    stops the Web Worker that runs the check (docs/check.md)."""
    if not seconds or seconds <= 0 or not can_fork():
        with deadline(seconds):
            return fn()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child():
        try:
            outcome = ("ok", fn())
        except BaseException as exc:
            outcome = ("error", exc)
        try:
            send.send(outcome)
        except Exception as exc:
            send.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise TimeLimit()
        kind, value = receive.recv()
    except EOFError:  # the child died without a word (killed, out of memory)
        kind, value = "error", RuntimeError("the check's process ended without a result")
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()
    if kind == "error":
        raise value
    return value


def can_fork() -> bool:
    return sys.platform != "emscripten" and "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def deadline(seconds: float | None):
    """Raise ``TimeLimit`` in the main thread after ``seconds`` (no limit elsewhere)."""
    usable = (seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    state = {"active": True}

    def handler(signum, frame):
        if state["active"]:
            raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        while True:
            try:
                state["active"] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except TimeLimit:
                continue


# ---------------------------------------------------------------------------- text output


def format_text(out: dict) -> str:
    lines = [f"{out['verdict']}: {out['reason']}"]
    cx = out.get("counterexample")
    if cx:
        lines += _format_counterexample(cx, out)
    for layer in out.get("layers", []):
        extra = ""
        if layer.get("worst_relative_error") is not None and layer["status"] == "pass":
            extra = f" (worst relative error {layer['worst_relative_error']:.1e})"
        dims = "; ".join(layer.get("dims") or [])
        dims = f" [{dims}]" if dims else ""
        lines.append(f"  {layer['layer']:<9} {layer['status']:<9} {layer['detail']}{extra}{dims}")
    lines.append(f"  seed {out['seed']}, {out['seconds']:.2f}s")
    return "\n".join(lines)


def _format_counterexample(cx: dict, out: dict) -> list[str]:
    """The counterexample in one layout whichever layer found it: the point (``at x = ...``),
    then claimed against true, exactly when the values are exact."""
    source = cx.get("source")
    if source == "shape":
        if cx.get("claimed_shape") is None:
            return []
        return [f"  shape: claimed {cx['claimed_shape']}, required {cx['required_shape']}"]
    lines = []
    dims = cx.get("dimensions")
    if dims is not None:
        label = ", ".join(f"{k}={v}" for k, v in dims.items()) or "the declared sizes"
        lines.append(f"  smallest size that fails: {label}")
    elif cx.get("dims"):
        lines.append(f"  fails at: {cx['dims']} ({cx.get('layer', 'engine')} layer)")
    if source in ("minimised", "exact"):
        return lines + _report_lines(cx)
    return lines + _engine_lines(cx, out.get("kind"))


def _point_lines(point: dict) -> list[str]:
    """``at x = [1/9, 5/9]``, the other variables aligned below."""
    return [f"  {'at' if k == 0 else '  '} {name} = {bracketed(value)}"
            for k, (name, value) in enumerate(point.items())]


def _report_lines(cx: dict) -> list[str]:
    """A minimised report, or the exact layer's point in the same layout."""
    shown = cx.get("shown") or {}
    lines = _point_lines(shown.get("point") or cx["point"])
    entry = "".join(f"[{i}]" for i in cx["entry"]) or "(the value)"
    if "numeric" in cx:
        evidence = f"finite differences: {show(cx['numeric'])}"
    else:
        evidence = "exact arithmetic; finite differences cannot resolve a difference this small"
    lines.append(f"  entry {entry}: claimed {shown.get('claimed', cx['claimed'])}, true "
                 f"{shown.get('true', cx['true'])} ({evidence}), relative discrepancy "
                 f"{cx['relative_discrepancy']}")
    table = shown.get("table") or cx.get("table") or []
    if len(table) > 1:
        rows = [("".join(f"[{i}]" for i in row["entry"]), str(row["claimed"]), str(row["true"]))
                for row in table]
        widths = [max(len(header), *(len(r[k]) for r in rows))
                  for k, header in enumerate(("entry", "claimed", "true"))]
        lines.append(f"  worst entries (of {cx['entries']}):")
        for label, claimed, true in [("entry", "claimed", "true"), *rows]:
            lines.append(f"    {label:<{widths[0]}}  {claimed:>{widths[1]}}  {true:>{widths[2]}}")
    return lines


def _engine_lines(cx: dict, kind: str | None = None) -> list[str]:
    """An engine layer's own counterexample (when no minimised point was found), in the same
    layout: the point, then the values compared there."""
    lines = _point_lines(cx["point"]) if isinstance(cx.get("point"), dict) else []
    for key, label in (("direction", "direction"), ("second_direction", "second direction")):
        if cx.get(key) is not None:
            lines.append(f"     {label} {bracketed(_shown_values(cx[key]))}")
    compared = [(label, cx[key]) for key, label in (
        ("claimed", "claimed"), ("derived", "f" if kind == "identity" else "true"),
        ("numeric", "finite differences"))
        if cx.get(key) is not None]
    if compared:
        scale = max((abs(v) for _, value in compared for v in _numbers(value)), default=0.0)
        parts = [f"{label} {bracketed(_shown_values(value, scale))}" for label, value in compared]
        if cx.get("relative_discrepancy") is not None:
            parts.append(f"relative discrepancy {cx['relative_discrepancy']}")
        lines.append("  " + ", ".join(parts))
    if cx.get("shape"):
        lines.append(f"  shape: {cx['shape']}")
    return lines


def _numbers(value) -> list[float]:
    if isinstance(value, list | tuple):
        return [x for v in value for x in _numbers(v)]
    return [float(value)] if isinstance(value, int | float) else []


def _shown_values(value, scale: float = 0.0):
    """Floats with rounding noise (relative to ``scale``) snapped to 0; exact strings as they
    are."""
    if isinstance(value, list | tuple):
        return [_shown_values(v, scale) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return show(value, scale)
    return value
