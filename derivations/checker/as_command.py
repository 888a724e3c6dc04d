"""A claim as the options of ``python -m derivations check`` (numpy-style text), when it can be.

The site links each pitfall that the checker can state to a prefilled check of itself on the
"Check your own derivative" page. A claim is printed when every part of it has a numpy-style
spelling the checker reads back as the same statement: derivative, partial, gradient, Jacobian,
Hessian, directional and identity claims built from matrix algebra (products, sums, transposes,
inverses, powers, trace, determinants, norms), the elementwise functions (exp, log, sqrt, tanh,
sin, cos, abs, max, min, the sigmoid), softmax, log-sum-exp, diag and functions defined
piecewise (``np.where``); scalars stacked into a vector (``wrt=(x, y)``) print as ``x,y``, a
point (``at``) and a one-sided derivative (``side``) as ``--at`` and ``--side``, and the
abbreviations of ``where`` are written out. Anything else (an abstract function f or g, a
Taylor polynomial as an operation, a rounding, a property such as a statement about
eigenvalues) gives ``None`` and no link, and so does a printed statement the checker would
refuse as bad input.
tests/test_browser_checker.py runs every printed pitfall through the checker (refuted) and the
claim it corrects (verified), and checks that each printed expression is the claim's own.
"""

from __future__ import annotations

import itertools

import sympy as sp

from .parser import CheckError
from .spec import ASSUMPTIONS, DIRECTION_DOMAINS, build

KINDS = ("derivative", "partial", "gradient", "jacobian", "hessian", "directional", "identity")


class Unprintable(Exception):
    pass


def fields(claim) -> dict | None:
    """``{"f": ..., "wrt": ..., "claimed": ..., "var": [...], "kind": ..., ...}`` or None."""
    if claim.kind not in KINDS or (claim.by_limit and not claim.at):
        return None
    try:
        return _fields(claim)
    except Unprintable:
        return None
    except Exception:  # a topic's own class that cannot be rebuilt: no link, never a crash
        return None


def _fields(claim) -> dict:
    if any(v.domain not in ASSUMPTIONS for v in claim.variables):
        raise Unprintable("domain")
    f, claimed = written_out(claim, claim.f), written_out(claim, claim.claimed)
    out = {"f": text(f)}
    if claim.kind != "identity":
        out["wrt"] = ",".join(str(s) for s in claim.wrt_symbols)
    out["claimed"] = text(claimed)
    out["var"] = [declare(v, claim.at.get(v.symbol)) for v in claim.variables]
    out["kind"] = claim.kind
    if claim.kind == "directional":
        out["direction"] = ",".join(str(s) for s in claim.direction_symbols)
        for v in claim.variables:
            if v.symbol in claim.direction_symbols and v.domain not in ("real",
                                                                        *DIRECTION_DOMAINS):
                raise Unprintable("the checker restricts a direction to symmetric matrices only")
    assume = [f"{v.symbol}={v.domain}" for v in claim.variables if v.domain != "real"]
    if assume:
        out["assume"] = assume
    if claim.at:
        out["at"] = [f"{v.symbol}={value_text(claim.at[v.symbol])}" for v in claim.variables]
    if claim.side:
        out["side"] = claim.side
    try:  # the checker must read it (names, sizes, points): else no link
        build(f=out["f"], claimed=out["claimed"], wrt=out.get("wrt"), var=out["var"],
              kind=out["kind"], direction=out.get("direction"), assume=out.get("assume"),
              at=out.get("at"), side=out.get("side"))
    except CheckError as exc:
        raise Unprintable(str(exc)) from None
    return out


def written_out(claim, expr):
    """``expr`` with the abbreviations of ``where`` replaced by what they stand for."""
    for _ in range(len(claim.where) + 1):
        if not any(expr.has(k) for k in claim.where):
            return expr
        with sp.evaluate(False):  # the statement as written, not simplified
            expr = expr.xreplace(dict(claim.where))
    raise Unprintable("circular where")


def declare(var, value=None) -> str:
    shape = tuple(var.shape)
    if value is not None and shape:
        shape = tuple(sp.Matrix(value).shape)  # a point fixes the sizes
    if shape == ():
        return f"{var.symbol}=scalar"
    if len(shape) == 2 and shape[1] == 1:
        shape = shape[:1]  # a column vector is a 1-D array
    return f"{var.symbol}=" + ",".join(str(d) for d in shape)


def value_text(value) -> str:
    """``0``, ``1/2``, ``[1, 2]`` (a column), ``[[2, 1], [1, 3]]``."""
    if isinstance(value, sp.MatrixBase | list | tuple):
        m = sp.Matrix(value)
        if m.cols == 1:
            return "[" + ", ".join(_number(x) for x in m) + "]"
        return "[" + ", ".join("[" + ", ".join(_number(x) for x in m.row(i)) + "]"
                               for i in range(m.rows)) + "]"
    return _number(value)


def _number(x) -> str:
    x = sp.Integer(x) if isinstance(x, int) else x
    if not isinstance(x, sp.Rational):
        raise Unprintable(x)
    return str(x)


def text(e) -> str:
    """numpy-style text of a sympy (matrix) expression, or ``Unprintable``."""
    return _text(e)[0]


ATOM, POWER, PRODUCT, SUM = 4, 3, 2, 1  # binding strength of what _text returns

SCALAR_FUNCTIONS = {sp.exp: "np.exp", sp.log: "np.log", sp.tanh: "np.tanh", sp.sin: "np.sin",
                    sp.cos: "np.cos", sp.tan: "np.tan", sp.sinh: "np.sinh", sp.cosh: "np.cosh",
                    sp.Abs: "np.abs", sp.sign: "np.sign"}
APPLIED = {"exp": "np.exp", "log": "np.log", "tanh": "np.tanh", "sin": "np.sin"}


def _operand(e, strength: int) -> str:
    out, level = _text(e)
    return out if level >= strength else f"({out})"


def _call(name: str, *args) -> tuple[str, int]:
    return f"{name}({', '.join(text(a) if isinstance(a, sp.Basic) else str(a) for a in args)})", ATOM


def _is_column(e) -> bool:
    return getattr(e, "is_Matrix", False) and e.shape[1] == 1


def _sigmoid(arg) -> tuple[str, int]:
    return f"1 / (1 + np.exp(-{_operand(arg, POWER)}))", PRODUCT


def _text(e) -> tuple[str, int]:
    name = type(e).__name__
    if isinstance(e, sp.MatrixSymbol | sp.Symbol):
        return str(e), ATOM
    if isinstance(e, sp.Integer) and e >= 0:
        return str(e), ATOM
    if isinstance(e, sp.Integer | sp.Rational):
        return str(e), PRODUCT if e >= 0 else SUM
    if e is sp.pi:
        return "np.pi", ATOM
    if e is sp.E:
        return "np.e", ATOM
    if isinstance(e, sp.Identity):
        return _call("np.eye", e.shape[0])
    if isinstance(e, sp.OneMatrix) and e.shape[1] == 1:
        return _call("np.ones", e.shape[0])
    if isinstance(e, sp.MatrixBase):
        if e.cols == 1:
            return "np.array([" + ", ".join(text(x) for x in e) + "])", ATOM
        rows = ("[" + ", ".join(text(x) for x in e.row(i)) + "]" for i in range(e.rows))
        return "np.array([" + ", ".join(rows) + "])", ATOM
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
    if isinstance(e, sp.HadamardPower):
        base, k = e.args
        return _power(base, k)
    if isinstance(e, sp.Trace):
        return _call("np.trace", e.arg)
    if isinstance(e, sp.Determinant):
        return _call("np.linalg.det", e.arg)
    if name == "LogAbsDet":  # smooth where det X != 0, as on the page check.md
        return f"np.log(np.linalg.det({text(e.args[0])}) ** 2) / 2", PRODUCT
    if name == "Norm":
        return _call("np.linalg.norm", e.args[0])
    if name == "SumEntries":
        return _call("np.sum", e.args[0])
    if name == "LogSumExp":
        return f"np.log(np.sum(np.exp({text(e.args[0])})))", ATOM
    if name == "Softmax":
        z = text(e.args[0])
        return f"np.exp({z}) / np.sum(np.exp({z}))", PRODUCT
    if name == "Diag":
        if not _is_column(e.args[0]):
            raise Unprintable(e)
        return _call("np.diag", e.args[0])
    if name == "Applied":
        if e.name == "sigma":
            return _sigmoid(e.args[1])
        return _call(APPLIED[e.name], e.args[1])
    if name in ("AsScalar", "ScalarOf"):
        return _as_scalar(e.args[0])
    if name == "Sigma":
        return _sigmoid(e.args[0])
    if name == "OneMinus":
        return f"1 - {_operand(e.args[0], PRODUCT)}", SUM
    if name == "Max2":
        return _call("np.maximum", *e.args)
    if isinstance(e, sp.Max | sp.Min):
        fn = "np.maximum" if isinstance(e, sp.Max) else "np.minimum"
        args = list(e.args)
        out = text(args[-1])
        for a in reversed(args[:-1]):
            out = f"{fn}({text(a)}, {out})"
        return out, ATOM
    if isinstance(e, sp.Piecewise):
        *pieces, (last, otherwise) = e.args
        if otherwise is not sp.true:
            raise Unprintable(e)
        out = text(last)
        for value, cond in reversed(pieces):
            out = f"np.where({_condition(cond)}, {text(value)}, {out})"
        return out, ATOM
    if type(e) in SCALAR_FUNCTIONS:
        return _call(SCALAR_FUNCTIONS[type(e)], *e.args)
    if isinstance(e, sp.Pow):
        return _power(*e.args)
    if isinstance(e, sp.MatMul | sp.Mul | sp.HadamardProduct):
        return _product(e)
    if isinstance(e, sp.MatAdd | sp.Add):
        terms = [text(t) for t in (e.as_ordered_terms() if isinstance(e, sp.Add) else e.args)]
        terms.sort(key=lambda t: t.startswith("-"))  # x - y rather than -y + x
        out = terms[0]
        for t in terms[1:]:
            out += f" - {t[1:]}" if t.startswith("-") else f" + {t}"
        return out, SUM
    raise Unprintable(e)


RELATIONS = {sp.Eq: "==", sp.Ne: "!=", sp.Lt: "<", sp.Le: "<=", sp.Gt: ">", sp.Ge: ">="}


def _condition(c) -> str:
    """``(x == 0) & (y == 0)``: numpy's elementwise logic, each comparison in brackets."""
    if isinstance(c, sp.And | sp.Or):
        joint = " & " if isinstance(c, sp.And) else " | "
        return joint.join(f"({_condition(a)})" if isinstance(a, sp.And | sp.Or) else
                          _condition(a) for a in c.args)
    if type(c) in RELATIONS:
        return f"({text(c.lhs)} {RELATIONS[type(c)]} {text(c.rhs)})"
    raise Unprintable(c)


def _power(base, k) -> tuple[str, int]:
    if k == sp.Rational(1, 2):
        return _call("np.sqrt", base)
    if k == -1:
        return f"1 / {_operand(base, POWER)}", PRODUCT
    if not k.is_Rational:
        raise Unprintable(k)
    exponent = str(k) if k.is_Integer and k >= 0 else f"({k})"
    return f"{_operand(base, ATOM)} ** {exponent}", POWER


def _as_scalar(arg) -> tuple[str, int]:
    """A 1×1 product ``uᵀ M v`` as numpy writes it with 1-D vectors: ``u @ M @ v``."""
    if isinstance(arg, sp.MatMul):
        factors = [a for a in arg.args if getattr(a, "is_Matrix", False)]
        scalars = [a for a in arg.args if not getattr(a, "is_Matrix", False)]
        first = factors[0] if factors else None
        column = sp.Transpose(first).doit() if first is not None and first.shape[0] == 1 \
            else None
        if not scalars and len(factors) > 1 and column is not None and _is_column(column):
            rest = [column, *factors[1:]]
            return " @ ".join(_operand(a, ATOM) for a in rest), PRODUCT
    out, _ = _text(arg)
    return f"({out})", ATOM  # a 1×1 array: the checker reads it as a number


def _product(e) -> tuple[str, int]:
    factors = list(e.args)
    sign = ""
    if factors and factors[0] == -1:
        sign, factors = "-", factors[1:]
    elif factors and factors[0].is_Number and factors[0] < 0:
        sign, factors = "-", [-factors[0], *factors[1:]]
    if isinstance(e, sp.Mul):  # scalar: a numerator and a denominator
        numerator = [a for a in factors if not _reciprocal(a)]
        denominator = [1 / a for a in factors if _reciprocal(a)]
        if denominator:
            top = _product_of(numerator, e) if numerator else ("1", ATOM)
            bottom = [_operand(a, POWER) for a in denominator]
            out = _operand_text(top, PRODUCT) + "".join(f" / {b}" for b in bottom)
            return sign + out, SUM if sign else PRODUCT
    if not factors:
        return sign + "1", SUM if sign else ATOM
    out, level = _product_of(factors, e)
    return sign + out, SUM if sign else level


def _reciprocal(a) -> bool:
    """1/b in a scalar product: a negative integer power, or a unit fraction 1/q."""
    if isinstance(a, sp.Pow):
        return bool(a.exp.is_Integer and a.exp < 0)
    return isinstance(a, sp.Rational) and not a.is_Integer and a.p == 1


def _operand_text(pair, strength: int) -> str:
    out, level = pair
    return out if level >= strength else f"({out})"


def _product_of(factors, e) -> tuple[str, int]:
    if len(factors) == 1:
        return _text(factors[0])
    ops = [" @ " if getattr(a, "is_Matrix", False) and getattr(b, "is_Matrix", False)
           and not isinstance(e, sp.HadamardProduct) else " * "
           for a, b in itertools.pairwise(factors)]
    out = _operand(factors[0], PRODUCT)
    for op, factor in zip(ops, factors[1:], strict=True):
        out += op + _operand(factor, ATOM if op == " @ " else POWER)
    return out, PRODUCT
