r"""The one printer every formula on the site goes through.

Transposes print as ``^\top``, determinants as ``\det``, terms keep the order they were written in
(``order="none"``), and each kind of claim has one sentence shape, so all pages look alike.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

from .claims import Claim


class ClaimPrinter(LatexPrinter):
    def __init__(self, settings=None):
        base = {"order": "lex", "mat_delim": "", "mat_str": "bmatrix", "mul_symbol": None}
        base.update(settings or {})
        super().__init__(base)

    def _print_Transpose(self, expr):
        arg = expr.arg
        tex = self._print(arg)
        if not isinstance(arg, sp.MatrixSymbol):
            tex = rf"\left({tex}\right)"
        return rf"{tex}^\top"

    def _print_Determinant(self, expr):
        return rf"\det\left({self._print(expr.arg)}\right)"

    def _print_Trace(self, expr):
        return rf"\operatorname{{tr}}\left({self._print(expr.arg)}\right)"

    def _print_Inverse(self, expr):
        arg = expr.arg
        tex = self._print(arg)
        if isinstance(arg, sp.Transpose) and isinstance(arg.arg, sp.MatrixSymbol):
            return rf"{self._print(arg.arg)}^{{-\top}}"
        if not isinstance(arg, sp.MatrixSymbol):
            tex = rf"\left({tex}\right)"
        return rf"{tex}^{{-1}}"

    def _print_Identity(self, expr):
        return "I"

    def _print_MatrixSymbol(self, expr):
        return self._deal_with_super_sub(expr.name)


def tex(expr) -> str:
    """LaTeX of one sympy object, in the site's notation."""
    return ClaimPrinter().doprint(expr)


def _tuple(symbols) -> str:
    if len(symbols) == 1:
        return tex(symbols[0])
    return r"\left(" + ", ".join(tex(x) for x in symbols) + r"\right)"


def _wrt(claim: Claim) -> str:
    return _tuple(claim.wrt_symbols)


def _at(claim: Claim) -> str:
    if not claim.at:
        return ""
    shown = [k for k in claim.at if k not in claim.direction_symbols] or list(claim.at)
    parts = []
    for k in shown:
        v = claim.at[k]
        value = tex(sp.Matrix(v) if isinstance(v, list | tuple) else v)
        parts.append(f"{tex(k)} = {value}")
    return r"\Big|_{" + ",\\ ".join(parts) + "}"


def _partial_operator(claim: Claim) -> str:
    order = claim.wrt_symbols
    if len(order) == 1:
        if claim.side:
            return rf"D^{{{claim.side}}}_{{{tex(order[0])}}}"
        return rf"\frac{{\partial}}{{\partial {tex(order[0])}}}"
    # the last variable acts last, so it is written first: ∂²f/∂y∂x = ∂/∂y(∂f/∂x)
    groups: list[list] = []
    for symbol in reversed(order):
        if groups and groups[-1][0] == symbol:
            groups[-1][1] += 1
        else:
            groups.append([symbol, 1])
    denominator = r"\,".join(
        rf"\partial {tex(s)}" + (f"^{{{k}}}" if k > 1 else "") for s, k in groups
    )
    return rf"\frac{{\partial^{{{len(order)}}}}}{{{denominator}}}"


def lhs(claim: Claim) -> str:
    """The left-hand side: the derivative being taken, written as the reader would."""
    f = tex(claim.f)
    wrapped = rf"\left({f}\right)"
    kind = claim.kind
    at = _at(claim)
    if kind in ("identity", "property"):
        return f
    if kind == "derivative":
        if claim.side:
            return rf"D^{{{claim.side}}}_{{{_wrt(claim)}}}{wrapped}{at}"
        return rf"\frac{{d}}{{d{_wrt(claim)}}}{wrapped}{at}"
    if kind == "partial":
        return rf"{_partial_operator(claim)}{wrapped}{at}"
    if kind == "gradient":
        if claim.wrt_is_scalar:
            return rf"\frac{{\partial}}{{\partial {_wrt(claim)}}}{wrapped}{at}"
        return rf"\nabla_{{{_wrt(claim)}}}{wrapped}{at}"
    if kind == "jacobian":
        return rf"\frac{{\partial}}{{\partial {_wrt(claim)}}}{wrapped}{at}"
    if kind == "hessian":
        return rf"\nabla^2_{{{_wrt(claim)}}}{wrapped}{at}"
    if kind == "directional":
        direction = _tuple(claim.direction_symbols)
        if claim.at and all(s in claim.at for s in claim.direction_symbols):
            values = [claim.at[s] for s in claim.direction_symbols]
            direction = _tuple(values)
        return rf"D_{{{direction}}}{wrapped}{at}"
    raise ValueError(kind)


def statement(claim: Claim) -> str:
    """The whole claim as one display formula: left-hand side = claimed result."""
    point = ""
    if claim.kind in ("identity", "property") and claim.at:
        values = ",\\ ".join(f"{tex(k)} = {tex(v)}" for k, v in claim.at.items())
        point = rf"\quad\text{{at }} {values}"
    if claim.kind == "property":
        body = lhs(claim) if claim.claimed == sp.true else rf"\neg\left({lhs(claim)}\right)"
        return body + point
    return rf"{lhs(claim)} = {tex(claim.claimed)}{point}"


def where(claim: Claim) -> list[str]:
    """``symbol = definition`` for each abbreviation the statement uses."""
    return [rf"{tex(k)} = {tex(v)}" for k, v in claim.where.items()]


def domain(claim: Claim) -> list[str]:
    """Inline LaTeX for each variable: its space and, when restricted, its domain."""
    words = {
        "symmetric": "symmetric",
        "spd": "symmetric positive definite",
        "invertible": "invertible",
        "nonzero": "nonzero",
        "positive": "entrywise positive",
        "probability": "a probability vector",
        "unit-interval": "with entries in [0, 1]",
    }
    out = []
    for v in claim.variables:
        if v.is_scalar:
            space = r"\mathbb{R}"
        else:
            rows, cols = v.shape
            space = (
                rf"\mathbb{{R}}^{{{tex(rows)}}}"
                if cols == 1
                else rf"\mathbb{{R}}^{{{tex(rows)} \times {tex(cols)}}}"
            )
        text = rf"${tex(v.symbol)} \in {space}$"
        if v.domain != "real":
            text += f" {words[v.domain]}"
        out.append(text)
    return out
