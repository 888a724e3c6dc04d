"""Concrete instances of pitfalls stated with abstract functions, for the checker's links.

A rule such as (f/g)′ = f′/g′ is stated for every f and g; the checker only takes concrete
expressions. Next to such a pitfall the author names the concrete functions that stand in for
f, g, q, h (``instance("derivative.pitfall_quotient_of_derivatives", f=sp.sin, g=sp.exp)``),
chosen so that the mistake shows: the checker must refute the pitfall written with them, and
verify the claim it corrects written with the same stand-ins (tests/test_pitfall_instances.py
runs both, and refuses an instance under which the mistake is invisible).

The registry is keyed by claim id and lives here, not on the claim: an instance is a way to
print a check, not part of the statement, so it changes neither the lock's statement hash nor
what ``verify`` proves (the engine never reads it).

Stand-ins:

- a scalar function of a scalar (``Fn``, with its derivatives ``Prime``): a sympy function such
  as ``sp.sin`` or a one-argument callable; sympy takes the derivatives;
- a scalar function of a vector or matrix (``FunctionOf``, ``GradientOf``):
  ``StandIn(value, derivative)`` with ``value(S)`` and its gradient ``derivative(S)`` (the shape
  of S);
- a map (``VectorFunctionOf``, ``JacobianOf`` and ``OuterJacobianOf``): ``value(x, rows)`` and
  its Jacobian ``derivative(x, rows)``, e.g. ``linear_map("A")`` for x ↦ Ax.

A derivative written by the author is checked through the corrected claim, which contains it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..engine.functions import FunctionOf, GradientOf, JacobianOf, VectorFunctionOf


@dataclass(frozen=True)
class StandIn:
    """A concrete function for an abstract one: ``value`` and, unless sympy can take it (a
    scalar function of a scalar), its first ``derivative``: the gradient of a scalar function
    of an array, the Jacobian of a map (called with ``(arg, rows)`` like ``value``)."""

    value: Callable
    derivative: Callable | None = None


@dataclass(frozen=True)
class Instance:
    """Label (``"f"``) → stand-in, in the order the author gave them."""

    stand_ins: tuple[tuple[str, StandIn], ...]

    def __getitem__(self, label: str) -> StandIn:
        for name, stand_in in self.stand_ins:
            if name == label:
                return stand_in
        raise KeyError(label)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.stand_ins)


INSTANCES: dict[str, Instance] = {}


def as_stand_in(value) -> StandIn:
    return value if isinstance(value, StandIn) else StandIn(value)


def make(**stand_ins) -> Instance:
    if not stand_ins:
        raise ValueError("an instance names at least one stand-in")
    return Instance(tuple((label, as_stand_in(v)) for label, v in stand_ins.items()))


def instance(claim, **stand_ins) -> None:
    """Register the concrete functions that stand in for the abstract ones of ``claim`` (a
    claim or its id) when the site links the claim to a check of itself."""
    claim_id = claim if isinstance(claim, str) else claim.id
    INSTANCES[claim_id] = make(**stand_ins)


def of(claim) -> Instance | None:
    return INSTANCES.get(claim if isinstance(claim, str) else claim.id)


def linear_map(name: str) -> StandIn:
    """x ↦ Ax with a matrix A (named ``name``) of the right size, and its Jacobian A."""

    def a(arg, rows):
        return sp.MatrixSymbol(name, rows, arg.shape[0])

    return StandIn(lambda arg, rows: a(arg, rows) @ arg, lambda arg, rows: a(arg, rows))


class MissingStandIn(Exception):
    pass


def substitute(expr, inst: Instance):
    """``expr`` with every abstract function (and derivative) of ``inst``'s labels replaced by
    its stand-in; unevaluated, so the statement keeps its form. ``MissingStandIn`` when an
    abstract function has no stand-in."""
    if not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    name = type(expr).__name__
    if isinstance(expr, GradientOf | JacobianOf):
        func = expr.args[0]
        stand_in = _stand_in(inst, func)
        if stand_in.derivative is None:
            raise MissingStandIn(f"no derivative given for {func.label}")
        return _call(stand_in.derivative, func, inst)
    if isinstance(expr, VectorFunctionOf | FunctionOf):
        return _call(_stand_in(inst, expr).value, expr, inst)
    if name == "Prime":  # derivative.py: the k-th derivative of a scalar function of a scalar
        label, arg, order = expr.args
        stand_in = _stand_in(inst, expr, str(label))
        u = sp.Dummy("u", real=True)
        derivative = sp.diff(stand_in.value(u), u, int(order))
        with sp.evaluate(False):
            return derivative.xreplace({u: substitute(arg, inst)})
    args = [substitute(a, inst) for a in expr.args]
    if all(a is b for a, b in zip(args, expr.args, strict=True)):
        return expr
    with sp.evaluate(False):
        return expr.func(*args)


def _stand_in(inst: Instance, func, label: str | None = None) -> StandIn:
    label = label or func.label
    try:
        return inst[label]
    except KeyError:
        raise MissingStandIn(f"no stand-in for {label}") from None


def _call(fn, func, inst: Instance):
    arg = substitute(func.args[1], inst)
    with sp.evaluate(False):
        if isinstance(func, VectorFunctionOf):
            return fn(arg, func.args[2])
        return fn(arg)


def occurrences(claim, label: str):
    """Where ``label`` is applied in ``claim``: the abstract function objects, arguments first
    given as plain variables (to show the stand-in as ``q(x) = ...``)."""
    found = []
    for expr in (claim.f, claim.claimed, *claim.where.values()):
        for node in sp.preorder_traversal(expr):
            if (isinstance(node, FunctionOf | VectorFunctionOf) and node.label == label) or (
                type(node).__name__ == "Prime" and str(node.args[0]) == label
            ):
                found.append(node)
    return sorted(found, key=lambda node: not isinstance(node.args[1], sp.Symbol | sp.MatrixSymbol))
