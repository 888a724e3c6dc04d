"""The small vocabulary topic modules use to state claims.

n = dim("n")
w, X = vector("w", n), matrix("X", n, n)
claim("gradients.quadratic_form", "Gradient of a quadratic form", kind="gradient",
      f=w.T @ X @ w, wrt=w, claimed=(X + X.T) @ w, refs=["S0-10"])
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping

import sympy as sp

from .claims import Claim, ClaimError, Registry, Variable, is_dimension

REGISTRY = Registry()


def dim(name: str) -> sp.Symbol:
    """A dimension symbol such as n or m; its values are chosen by the layers."""
    return sp.Symbol(name, integer=True, positive=True)


def scalar(name: str, **assumptions) -> sp.Symbol:
    return sp.Symbol(name, real=True, **assumptions)


def _assumed_domain(symbol) -> str:
    """A scalar declared ``positive=True`` is sampled positive, and finite-difference steps stay
    inside ``(0, ∞)``; a ``nonzero`` one avoids 0."""
    if isinstance(symbol, sp.Symbol):
        if symbol.is_positive:
            return "positive"
        if symbol.is_nonzero:
            return "nonzero"
    return "real"


def vector(name: str, rows) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(name, rows, 1)


def matrix(name: str, rows, cols) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(name, rows, cols)


def claim(
    id: str,
    title: str,
    *,
    kind: str,
    f,
    claimed,
    wrt=None,
    direction=None,
    domains: Mapping | None = None,
    at: Mapping | None = None,
    where: Mapping | None = None,
    dims: Mapping | None = None,
    refs: Iterable[str] = (),
    layout: str = "numerator",
    pitfall: bool = False,
    corrects: str | None = None,
    note: str = "",
    by_limit: bool = False,
    side: str | None = None,
    display=None,
    display_f=None,
    registry: Registry | None = None,
) -> Claim:
    """Declare and register one claim; its variables are the inputs its expressions use.

    ``display`` / ``display_f``: ``claimed`` / ``f`` as the author writes them (built with
    ``evaluate=False``), printed on the page and proved equal to what is checked.

    Re-declaring an id with the same statement (re-running a notebook cell) replaces it quietly;
    a different statement under an existing id is an error.
    """
    domains = dict(domains or {})
    where = dict(where or {})
    if isinstance(wrt, list | tuple):
        wrt = sp.Tuple(*wrt)
    if isinstance(direction, list | tuple):
        direction = sp.Tuple(*direction)
    if isinstance(f, list | tuple):
        f = sp.ImmutableMatrix([[e] for e in f])
    if isinstance(claimed, list | tuple):
        claimed = sp.ImmutableMatrix([[e] for e in claimed])
    f, claimed = sp.sympify(f), sp.sympify(claimed)
    display, display_f = (_shown(e) for e in (display, display_f))
    at = {k: sp.sympify(v) if not isinstance(v, list | tuple) else v for k, v in (at or {}).items()}
    inputs = _inputs(f, claimed, wrt, direction, *where.values()) - set(where)
    for symbol in domains:
        inputs.add(symbol)
    variables = tuple(
        Variable(symbol=s, domain=domains.get(s, _assumed_domain(s)))
        for s in sorted(inputs, key=lambda s: str(s))
    )
    caller = inspect.currentframe().f_back
    module = caller.f_globals.get("__name__", "") if caller else ""
    new = Claim(
        id=id,
        title=title,
        kind=kind,
        f=f,
        claimed=claimed,
        variables=variables,
        wrt=wrt,
        direction=direction,
        at=at,
        where=where,
        dims=dict(dims or {}),
        refs=tuple(refs),
        layout=layout,
        pitfall=pitfall,
        corrects=corrects,
        note=note,
        module=module,
        by_limit=by_limit,
        side=side,
        display=display,
        display_f=display_f,
    )
    target = REGISTRY if registry is None else registry
    if id in target:
        old = target[id]
        if (old.f, old.claimed, old.kind) != (new.f, new.claimed, new.kind):
            raise ClaimError(f"claim id {id!r} is declared twice with different statements")
        target._claims[id] = new
        return new
    return target.add(new)


def _shown(expr):
    """A display form as given: a list is a column, like ``claimed``; nothing is evaluated."""
    if expr is None:
        return None
    if isinstance(expr, list | tuple):
        return sp.ImmutableMatrix([[e] for e in expr])
    if not isinstance(expr, sp.Basic | int):
        raise ClaimError(f"a display form is a sympy expression, not {type(expr).__name__}")
    return sp.sympify(expr)


def _inputs(*exprs) -> set:
    out: set = set()
    for e in exprs:
        if e is None:
            continue
        e = sp.sympify(e)
        if isinstance(e, sp.Tuple):
            out |= {s for s in e if not is_dimension(s)}
            continue
        out |= {s for s in e.free_symbols if not is_dimension(s)}
        out |= set(e.atoms(sp.MatrixSymbol))
    return out
