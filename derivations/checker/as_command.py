"""A claim as the options of ``python -m derivations check`` (numpy-style text), when it can be.

The site links each pitfall that the checker can state to a prefilled check of itself on the
"Check your own derivative" page. Only gradient, Jacobian and directional claims built from
matrix algebra (products, sums, transposes, inverses, powers, trace, determinants, logarithms)
are printed; anything else gives ``None`` and no link. tests/test_browser_checker.py runs every
printed pitfall through the checker (refuted) and the claim it corrects (verified).
"""

from __future__ import annotations

import itertools

import sympy as sp

from .spec import ASSUMPTIONS

KINDS = ("gradient", "jacobian", "directional")


class Unprintable(Exception):
    pass


def fields(claim) -> dict | None:
    """``{"f": ..., "wrt": ..., "claimed": ..., "var": [...], "kind": ..., ...}`` or None."""
    if claim.kind not in KINDS:
        return None
    try:
        out = {"f": text(claim.f), "wrt": str(claim.wrt), "claimed": text(claim.claimed)}
        out["var"] = [declare(v) for v in claim.variables]
    except Unprintable:
        return None
    out["kind"] = claim.kind
    if claim.kind == "directional":
        out["direction"] = str(claim.direction)
        if any(v.symbol == claim.direction and v.domain != "real" for v in claim.variables):
            return None  # the checker draws any direction: it cannot restrict one
    assume = [f"{v.symbol}={v.domain}" for v in claim.variables
              if v.domain != "real" and v.domain in ASSUMPTIONS]
    if any(v.domain not in ASSUMPTIONS for v in claim.variables):
        return None
    if assume:
        out["assume"] = assume
    return out


def declare(var) -> str:
    shape = tuple(var.shape)
    if shape == ():
        return f"{var.symbol}=scalar"
    if len(shape) == 2 and shape[1] == 1:
        shape = shape[:1]  # a column vector is a 1-D array
    return f"{var.symbol}=" + ",".join(str(d) for d in shape)


def text(e) -> str:
    """numpy-style text of a sympy (matrix) expression, or ``Unprintable``."""
    return _text(e)[0]


ATOM, PRODUCT, SUM = 3, 2, 1  # binding strength of what _text returns


def _operand(e, strength: int) -> str:
    out, level = _text(e)
    return out if level >= strength else f"({out})"


def _call(name: str, *args) -> tuple[str, int]:
    return f"{name}({', '.join(text(a) if isinstance(a, sp.Basic) else str(a) for a in args)})", ATOM


def _text(e) -> tuple[str, int]:
    if isinstance(e, sp.MatrixSymbol | sp.Symbol):
        return str(e), ATOM
    if isinstance(e, sp.Integer) and e >= 0:
        return str(e), ATOM
    if isinstance(e, sp.Integer | sp.Rational):
        return str(e), PRODUCT if e >= 0 else SUM
    if isinstance(e, sp.Identity):
        return _call("np.eye", e.shape[0])
    if isinstance(e, sp.Transpose):
        return f"{_operand(e.arg, ATOM)}.T", ATOM
    if isinstance(e, sp.Inverse):
        return _call("np.linalg.inv", e.arg)
    if isinstance(e, sp.MatPow):
        base, k = e.args
        if k == -1:
            return _call("np.linalg.inv", base)
        if k.is_Integer and k < 0:
            return _call("np.linalg.matrix_power", sp.Inverse(base), -k)
        if k.is_Integer:
            return _call("np.linalg.matrix_power", base, k)
        raise Unprintable(e)
    if isinstance(e, sp.Trace):
        return _call("np.trace", e.arg)
    if isinstance(e, sp.Determinant):
        return _call("np.linalg.det", e.arg)
    if isinstance(e, sp.log):
        return _call("np.log", e.args[0])
    if type(e).__name__ == "LogAbsDet":  # smooth where det X != 0, as on the page check.md
        return f"np.log(np.linalg.det({text(e.args[0])}) ** 2) / 2", PRODUCT
    if isinstance(e, sp.MatMul | sp.Mul | sp.HadamardProduct):
        factors = list(e.args)
        sign = ""
        if factors and factors[0] == -1:
            sign, factors = "-", factors[1:]
        ops = [" @ " if getattr(a, "is_Matrix", False) and getattr(b, "is_Matrix", False)
               and not isinstance(e, sp.HadamardProduct) else " * "
               for a, b in itertools.pairwise(factors)]
        out = _operand(factors[0], PRODUCT)
        for op, factor in zip(ops, factors[1:], strict=True):
            out += op + _operand(factor, ATOM if op == " @ " else PRODUCT)
        return sign + out, SUM if sign else PRODUCT
    if isinstance(e, sp.MatAdd | sp.Add):
        out = text(e.args[0])
        for term in e.args[1:]:
            t = text(term)
            out += f" - {t[1:]}" if t.startswith("-") else f" + {t}"
        return out, SUM
    raise Unprintable(e)
