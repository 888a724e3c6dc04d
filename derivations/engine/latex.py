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
        base = {"order": "none", "mat_delim": "[", "mat_str": "bmatrix", "mul_symbol": None}
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


def _wrt(claim: Claim) -> str:
    return tex(claim.wrt)


def _at(claim: Claim) -> str:
    if not claim.at:
        return ""
    parts = [
        f"{tex(k)} = {tex(sp.Matrix(v) if isinstance(v, list | tuple) else v)}"
        for k, v in claim.at.items()
    ]
    return r"\Big|_{" + ",\\ ".join(parts) + "}"


def lhs(claim: Claim) -> str:
    """The left-hand side: the derivative being taken, written as the reader would."""
    f = tex(claim.f)
    wrapped = rf"\left({f}\right)"
    kind = claim.kind
    if kind == "identity":
        return f
    if kind == "derivative":
        return rf"\frac{{d}}{{d{_wrt(claim)}}}{wrapped}{_at(claim)}"
    if kind == "gradient":
        if claim.variable(claim.wrt).is_scalar:
            return rf"\frac{{\partial}}{{\partial {_wrt(claim)}}}{wrapped}{_at(claim)}"
        return rf"\nabla_{{{_wrt(claim)}}}{wrapped}{_at(claim)}"
    if kind == "jacobian":
        return rf"\frac{{\partial}}{{\partial {_wrt(claim)}}}{wrapped}{_at(claim)}"
    if kind == "hessian":
        return rf"\nabla^2_{{{_wrt(claim)}}}{wrapped}{_at(claim)}"
    if kind == "directional":
        return rf"D_{{{_wrt(claim)}}}{wrapped}\left[{tex(claim.direction)}\right]{_at(claim)}"
    raise ValueError(kind)


def statement(claim: Claim) -> str:
    """The whole claim as one display formula: left-hand side = claimed result."""
    return rf"{lhs(claim)} = {tex(claim.claimed)}"


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
