"""The claim model: one object per mathematical result, and the registry that holds them.

A claim is stated with abstract sympy objects (``MatrixSymbol`` with symbolic dimensions, plain
``Symbol`` for scalars). Those same objects are rendered on the site (``derivations.engine.latex``)
and concretised into explicit matrices by the verification layers, so what a reader sees is what
was checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

import sympy as sp

Kind = Literal[
    "derivative",
    "partial",
    "gradient",
    "jacobian",
    "hessian",
    "directional",
    "identity",
    "property",
]
Domain = Literal[
    "real",
    "symmetric",
    "spd",
    "invertible",
    "nonzero",
    "positive",
    "probability",
    "unit-interval",
]
KINDS: tuple[str, ...] = get_args(Kind)
DERIVATIVE_KINDS = ("derivative", "partial", "gradient", "jacobian", "hessian", "directional")
DOMAINS: tuple[str, ...] = get_args(Domain)
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


class ClaimError(ValueError):
    """A claim was declared wrongly (bad id, unknown variable, duplicate registration...)."""


@dataclass(frozen=True)
class Variable:
    """A declared input: its sympy object, its shape in dimension symbols and its domain."""

    symbol: sp.Symbol | sp.MatrixSymbol
    domain: str = "real"

    @property
    def name(self) -> str:
        return str(self.symbol.name)

    @property
    def is_scalar(self) -> bool:
        return not isinstance(self.symbol, sp.MatrixSymbol)

    @property
    def shape(self) -> tuple:
        return () if self.is_scalar else tuple(self.symbol.shape)


@dataclass(frozen=True)
class Claim:
    """One mathematical result, stated with the sympy objects that are shown and checked.

    kind
        ``derivative`` (d/dx of a scalar f of a scalar x), ``partial`` (iterated partial
        derivatives of a scalar f, in the order of ``wrt``: ``wrt=(x, y)`` is ∂/∂y(∂f/∂x)),
        ``gradient`` (scalar f; ``claimed`` has the shape of ``wrt``, entry = ∂f/∂entry),
        ``jacobian`` (vector f of a vector; m×n, rows are outputs), ``hessian`` (scalar f of a
        vector; n×n), ``directional`` (f of any shape; the derivative of f at ``wrt`` in the
        direction of the variable ``direction``), ``identity`` (``f`` equals ``claimed`` wherever
        the domain allows) or ``property`` (``f`` is a sympy relation, ``claimed`` is
        ``sympy.true`` or ``sympy.false``).
    wrt
        The variable differentiated: one declared variable, or a tuple of scalar variables stacked
        into a column (``wrt=(x, y)`` for the gradient of f(x, y)). For ``partial`` it is the
        sequence of variables, in the order the derivatives are taken.
    by_limit, side
        Take the derivative by its limit definition at the point ``at`` (for functions that are
        not smooth there, such as |x| at 0); ``side`` "+" or "-" makes it one-sided.
    at
        For worked examples with numbers: the exact point (variable → value) where the statement
        is made. Without it the statement holds for all admissible points.
    where
        Definitions of named sub-expressions shown beside the result (``s = softmax(z)``): each
        maps a symbol that appears in ``f`` or ``claimed`` to the expression it abbreviates.
    expected
        ``"verified"``, or ``"refuted"`` for a pitfall: a common mistake stated wrongly on purpose.
    display, display_f
        Presentation only: ``claimed`` (and ``f``) written as the author writes them, built
        unevaluated so the printer keeps their order and grouping (``2Xᵀ(Xw − y)`` rather than
        sympy's ``2XᵀXw − 2Xᵀy``). The page prints these instead; verification proves each equal
        to the expression it stands for (``engine/display.py``) and a claim whose display form
        differs is not verified. They are not part of the statement (``lock.statement_hash``).
    """

    id: str
    title: str
    kind: str
    f: sp.Expr | sp.MatrixExpr
    claimed: sp.Expr | sp.MatrixExpr
    variables: tuple[Variable, ...]
    wrt: sp.Symbol | sp.MatrixSymbol | None = None
    direction: sp.Symbol | sp.MatrixSymbol | None = None
    at: Mapping = field(default_factory=dict)
    where: Mapping = field(default_factory=dict)
    dims: Mapping = field(default_factory=dict)
    refs: tuple[str, ...] = ()
    layout: str = "numerator"
    pitfall: bool = False
    corrects: str | None = None
    note: str = ""
    module: str = ""
    by_limit: bool = False
    side: str | None = None
    display: sp.Expr | sp.MatrixExpr | None = None
    display_f: sp.Expr | sp.MatrixExpr | None = None

    def _repr_latex_(self) -> str:
        """A claim left at the end of a lab cell shows its formula, not its fields."""
        from . import latex

        return f"$${latex.statement(self)}$$"

    @property
    def expected(self) -> str:
        return "refuted" if self.pitfall else "verified"

    @property
    def anchor(self) -> str:
        return self.id

    @property
    def wrt_symbols(self) -> tuple:
        """The differentiated variables, in order (one entry unless ``wrt`` is a tuple)."""
        if self.wrt is None:
            return ()
        return tuple(self.wrt) if isinstance(self.wrt, sp.Tuple) else (self.wrt,)

    @property
    def direction_symbols(self) -> tuple:
        if self.direction is None:
            return ()
        return tuple(self.direction) if isinstance(self.direction, sp.Tuple) else (self.direction,)

    def dimensions_used_as_numbers(self) -> list[sp.Symbol]:
        """Dimension names that the statement uses as numbers (``x / n``, ``(n - 2) * g``), not
        only as sizes (``A`` being n×n, ``np.eye(n)``). Such a statement can agree with the
        truth at a few sizes by coincidence, so it is checked at more of them."""
        dims = set(self.dimension_symbols())
        found: list[sp.Symbol] = []
        # matrix expressions whose arguments are operands; any other matrix expression
        # (MatrixSymbol, Identity, OneMatrix, the engine's function classes) takes its size
        # among its arguments
        operations = (sp.MatMul, sp.MatAdd, sp.MatPow, sp.HadamardProduct, sp.Transpose)

        def walk(expr) -> None:
            if expr in dims:
                if expr not in found:
                    found.append(expr)
                return
            sizes = set()
            if isinstance(expr, sp.MatrixExpr) and not isinstance(expr, operations):
                sizes = {s for d in expr.shape for s in sp.sympify(d).free_symbols}
            for arg in getattr(expr, "args", ()):
                if arg not in sizes:
                    walk(arg)

        for expr in (self.f, self.claimed, *self.where.values()):
            if expr is not None:
                walk(sp.sympify(expr))
        return found

    @property
    def stacked(self) -> bool:
        """True when ``wrt`` is a tuple of scalars stacked into a column."""
        return isinstance(self.wrt, sp.Tuple)

    @property
    def wrt_is_scalar(self) -> bool:
        """One scalar variable (not a stacked tuple): derivatives are scalars too."""
        return not self.stacked and self.wrt is not None and self.variable(self.wrt).is_scalar

    def variable(self, symbol) -> Variable:
        for v in self.variables:
            if v.symbol == symbol:
                return v
        raise ClaimError(f"{self.id}: {symbol} is not a declared variable")

    def dimension_symbols(self) -> list[sp.Symbol]:
        seen: list[sp.Symbol] = []
        shapes = [v.shape for v in self.variables]
        shapes += [tuple(k.shape) for k in self.where if isinstance(k, sp.MatrixSymbol)]
        for shape in shapes:
            for d in shape:
                for s in sp.sympify(d).free_symbols:
                    if s not in seen:
                        seen.append(s)
        for expr in (self.f, self.claimed, *self.where.values()):
            for s in sorted(expr.free_symbols, key=str):
                if is_dimension(s) and s not in seen:
                    seen.append(s)
        return seen


class Registry:
    """Claims by id, in declaration order. Registering an id twice is an error."""

    def __init__(self) -> None:
        self._claims: dict[str, Claim] = {}

    def add(self, claim: Claim) -> Claim:
        validate(claim)
        if claim.id in self._claims:
            raise ClaimError(f"claim id {claim.id!r} is declared twice")
        self._claims[claim.id] = claim
        return claim

    def __getitem__(self, claim_id: str) -> Claim:
        return self._claims[claim_id]

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._claims

    def __iter__(self):
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def ids(self) -> list[str]:
        return list(self._claims)


def validate(claim: Claim) -> None:
    """Reject malformed declarations early, with the claim id in the message."""
    if not _ID.match(claim.id):
        raise ClaimError(f"claim id {claim.id!r} must look like 'module.name' (lowercase, dots)")
    if claim.kind not in KINDS:
        raise ClaimError(f"{claim.id}: unknown kind {claim.kind!r}; expected one of {KINDS}")
    declared = {v.symbol for v in claim.variables}
    for v in claim.variables:
        if v.domain not in DOMAINS:
            raise ClaimError(f"{claim.id}: unknown domain {v.domain!r} for {v.name}")
    if claim.kind in DERIVATIVE_KINDS:
        if not claim.wrt_symbols or any(s not in declared for s in claim.wrt_symbols):
            raise ClaimError(f"{claim.id}: wrt={claim.wrt} must be declared variables")
        if (claim.stacked or claim.kind == "partial") and not all(
            claim.variable(s).is_scalar for s in claim.wrt_symbols
        ):
            raise ClaimError(f"{claim.id}: a tuple wrt must hold scalar variables")
    elif claim.wrt is not None:
        raise ClaimError(f"{claim.id}: a {claim.kind} claim takes no wrt")
    if claim.kind == "directional":
        dirs = claim.direction_symbols
        if not dirs or any(s not in declared for s in dirs):
            raise ClaimError(f"{claim.id}: a directional claim needs a declared direction variable")
        if len(dirs) != len(claim.wrt_symbols):
            raise ClaimError(f"{claim.id}: direction and wrt must have the same length")
    if claim.side not in (None, "+", "-"):
        raise ClaimError(f"{claim.id}: side must be '+', '-' or None")
    if (claim.by_limit or claim.side) and not claim.at:
        raise ClaimError(f"{claim.id}: a limit-definition derivative needs the point `at`")
    if claim.side and claim.kind not in ("derivative", "partial"):
        raise ClaimError(f"{claim.id}: one-sided derivatives are for derivative/partial claims")
    if claim.kind == "property" and claim.claimed not in (sp.true, sp.false):
        raise ClaimError(f"{claim.id}: a property claim's claimed value is sympy.true or false")
    free = _free_inputs(claim.f) | _free_inputs(claim.claimed)
    for expr in claim.where.values():
        free |= _free_inputs(expr)
    for name in ("display", "display_f"):
        shown = getattr(claim, name)
        if shown is None:
            continue
        if claim.kind == "property" and name == "display":
            raise ClaimError(f"{claim.id}: a property claim shows its relation; use display_f")
        # a display form may only use what the statement already uses
        extra = _free_inputs(shown) - free - set(claim.where) - _dimension_set(claim)
        if extra:
            names = ", ".join(sorted(str(s) for s in extra))
            raise ClaimError(f"{claim.id}: {name} uses symbols the statement does not: {names}")
    undeclared = free - declared - set(claim.where) - _dimension_set(claim)
    if undeclared:
        names = ", ".join(sorted(str(s) for s in undeclared))
        raise ClaimError(f"{claim.id}: undeclared symbols {names}")
    for key in claim.at:
        if key not in declared:
            raise ClaimError(f"{claim.id}: point given for undeclared variable {key}")
    if claim.at and set(claim.at) != declared:
        missing = ", ".join(sorted(str(s) for s in declared - set(claim.at)))
        raise ClaimError(f"{claim.id}: `at` must give every variable a value (missing {missing})")


def is_dimension(symbol) -> bool:
    """Dimension symbols are the integer, positive ones (see ``declare.dim``)."""
    return bool(getattr(symbol, "is_integer", False)) and bool(
        getattr(symbol, "is_positive", False)
    )


def _dimension_set(claim: Claim) -> set:
    return set(claim.dimension_symbols())


def _free_inputs(expr) -> set:
    out = set(expr.free_symbols)
    out |= set(expr.atoms(sp.MatrixSymbol))
    # entries of matrix symbols show up as free symbols of MatrixElement; keep the parents only
    return {s for s in out if not isinstance(s, sp.Indexed)}


def refs_tuple(refs: Iterable[str]) -> tuple[str, ...]:
    return tuple(refs)
