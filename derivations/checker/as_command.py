"""A claim as the options of ``python -m derivations check`` (numpy-style text), when it can be.

The site links each pitfall that the checker can state to a prefilled check of itself on the
"Check your own derivative" page. A claim is printed when every part of it has a numpy-style
spelling the checker reads back as the same statement: derivative, partial, gradient, Jacobian,
Hessian, directional and identity claims built from matrix algebra (products, sums, transposes,
inverses, powers, trace, determinants, norms), the elementwise functions (exp, log, sqrt, tanh,
sin, cos, abs, max, min, the sigmoid), softmax, log-sum-exp, diag and functions defined
piecewise (``np.where``); scalars stacked into a vector (``wrt=(x, y)``) print as ``x,y``, a
point (``at``) and a one-sided derivative (``side``) as ``--at`` and ``--side``, and the
abbreviations of ``where`` are written out; the vector of ones prints as ``np.ones(n)`` (a
row as ``np.ones(n).T``). A pitfall about abstract functions (f, g, q, h and their derivatives)
is printed as a concrete instance: the stand-ins its author registered next to it
(``instances.py``, e.g. f = sin, g = exp; q(x) = Ax with its Jacobian A), and the claim it
corrects is printed with the same stand-ins. Anything else (an abstract function without
stand-ins, a Taylor polynomial as an operation, a rounding, a property such as a statement
about eigenvalues) gives ``None`` and no link, and so does a printed statement the checker
would refuse as bad input.
tests/test_browser_checker.py runs every printed pitfall through the checker (refuted) and the
claim it corrects (verified); tests/test_checker_kinds.py also checks that each printed
expression is the claim's own (with its stand-ins), and tests/test_pitfall_instances.py that
each instance shows the mistake (an instance that hides it, such as commuting Jacobians, is
flagged).
"""

from __future__ import annotations

import itertools

import sympy as sp

from ..engine.claims import Variable
from ..engine.functions import VectorFunctionOf
from . import instances
from .instances import Instance
from .parser import CheckError
from .spec import ASSUMPTIONS, DIRECTION_DOMAINS, build

KINDS = ("derivative", "partial", "gradient", "jacobian", "hessian", "directional", "identity")


class Unprintable(Exception):
    pass


def fields(claim, instance: Instance | None = None) -> dict | None:
    """``{"f": ..., "wrt": ..., "claimed": ..., "var": [...], "kind": ..., ...}`` or None.

    A claim about abstract functions is printed with the stand-ins of ``instance``, by default
    the one registered for the claim (``instances.py``)."""
    if claim.kind not in KINDS or (claim.by_limit and not claim.at):
        return None
    try:
        return _fields(claim, instance or instances.of(claim))
    except Unprintable:
        return None
    except Exception:  # a topic's own class that cannot be rebuilt: no link, never a crash
        return None


def _fields(claim, instance: Instance | None = None) -> dict:
    if any(v.domain not in ASSUMPTIONS for v in claim.variables):
        raise Unprintable("domain")
    f, claimed = written_out(claim, claim.f), written_out(claim, claim.claimed)
    variables = list(claim.variables)
    if instance is not None:
        try:
            f, claimed = instances.substitute(f, instance), instances.substitute(claimed, instance)
        except instances.MissingStandIn as exc:
            raise Unprintable(str(exc)) from None
        variables += extra_variables(claim, f, claimed)
    if claim.at:  # a point fixes the sizes: np.eye(2), not np.eye(n)
        sizes = point_sizes(claim)
        f, claimed = f.xreplace(sizes), claimed.xreplace(sizes)
    out = {"f": text(f)}
    if claim.kind != "identity":
        out["wrt"] = ",".join(str(s) for s in claim.wrt_symbols)
    out["claimed"] = text(claimed)
    out["var"] = [declare(v, claim.at.get(v.symbol)) for v in variables]
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


def extra_variables(claim, *exprs) -> list[Variable]:
    """The variables a stand-in brings (the A of x ↦ Ax), by name: real, never at a point."""
    known = {v.symbol for v in claim.variables}
    taken = {str(v.symbol) for v in claim.variables}
    extra = {s for e in exprs for s in e.free_symbols
             if s not in known and not s.is_integer and isinstance(s, sp.Symbol | sp.MatrixSymbol)}
    if extra and claim.at:
        raise Unprintable("a stand-in with its own variables in a statement at a point")
    if {str(s) for s in extra} & taken or len({str(s) for s in extra}) < len(extra):
        raise Unprintable("a stand-in's variable has the name of another")
    return [Variable(s) for s in sorted(extra, key=str)]


def point_sizes(claim) -> dict:
    """Dimension symbol → its size at the claim's point (``n`` → 2 when S = [[2, 1], [1, 3]])."""
    sizes = {}
    for v in claim.variables:
        value = claim.at.get(v.symbol)
        if value is not None and v.shape:
            for d, size in zip(v.shape, sp.Matrix(value).shape, strict=True):
                if isinstance(d, sp.Symbol):
                    sizes[d] = sp.Integer(size)
    return sizes


def instance_text(claim, instance: Instance) -> list[str]:
    """The stand-ins as the link shows them: ``["f = sin", "g = exp"]``, ``["q(x) = A @ x"]``."""
    parts = []
    for label, stand_in in instance.stand_ins:
        if isinstance(stand_in.value, sp.FunctionClass):
            parts.append(f"{label} = {stand_in.value.__name__}")
            continue
        found = instances.occurrences(claim, label)
        if not found:
            raise Unprintable(f"{label} does not occur in {claim.id}")
        node = found[0]
        arg = node.args[1]
        if not isinstance(arg, sp.Symbol | sp.MatrixSymbol):
            arg = sp.Symbol("u", real=True)
        if isinstance(node, VectorFunctionOf):
            value = stand_in.value(arg, node.args[2])
        else:
            value = stand_in.value(arg)
        value = sp.Integer(value) if isinstance(value, int) else value
        parts.append(f"{label}({arg}) = {text(value)}")
    return parts


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


def _filled(name: str, rows, cols) -> tuple[str, int]:
    """``np.ones(n)`` (a column), ``np.ones(n).T`` (a row), ``np.ones((m, n))``."""
    if cols == 1:
        return _call(name, rows)
    if rows == 1:
        return f"{_call(name, cols)[0]}.T", ATOM
    return f"{name}(({rows}, {cols}))", ATOM


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
    if isinstance(e, sp.OneMatrix | sp.ZeroMatrix):
        return _filled("np.ones" if isinstance(e, sp.OneMatrix) else "np.zeros", *e.shape)
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
        k = _number_value(k)
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


def _number_value(k):
    """An exponent left unevaluated (``1 + 1`` from a substitution) as its number."""
    return k.doit() if k.is_number and not k.is_Number else k


def _power(base, k) -> tuple[str, int]:
    k = _number_value(k)
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
    # a quotient or an elementwise product before @ in brackets: (a / b) @ c, not a / b @ c
    out = _operand(factors[0], ATOM if ops[0] == " @ " else PRODUCT)
    for op, factor in zip(ops, factors[1:], strict=True):
        out += op + _operand(factor, ATOM if op == " @ " else POWER)
    return out, PRODUCT
