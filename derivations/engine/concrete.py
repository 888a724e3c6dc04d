"""Turn an abstract statement into explicit matrices at chosen dimensions.

``explicit(expr, ctx)`` walks the sympy tree: matrix symbols become matrices of entry symbols
(or numbers), matrix operations become explicit matrix arithmetic, and the named functions of
``functions.py`` expand to their definitions. Nothing here uses ``MatrixSymbol.diff``; derivatives
are taken entry by entry on the explicit result (sympy issues 15136, 15614, 26585 are why).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.exceptions import ShapeError
from sympy.matrices.expressions.matexpr import MatrixElement

from .claims import Claim, Variable
from .functions import (
    Applied,
    Diag,
    FunctionOf,
    GradientOf,
    JacobianOf,
    ScalarOfMatrix,
    Softmax,
    VectorFunctionOf,
)
from .written import unwrap


class ConcretiseError(ValueError):
    """The statement uses something the engine cannot make explicit."""


class ScalarShapeError(ConcretiseError, ShapeError):
    """A matrix that is not 1×1 used where a scalar is required (a shape error)."""


@dataclass
class Context:
    """Dimensions, explicit values of the declared symbols, and how to read arbitrary functions.

    ``family`` is None for the symbolic layer (arbitrary functions stay undefined sympy functions,
    so a proof covers every f) and an index into the concrete test family otherwise.
    ``family_read`` records whether anything asked for it: an explicit statement built without
    reading it is the same in every layer (see ``statement.explicit_statement``).
    """

    dims: dict
    env: dict = field(default_factory=dict)
    _family: int | None = None
    family_read: bool = False

    @property
    def family(self) -> int | None:
        self.family_read = True
        return self._family


def entry_symbols(var: Variable, dims: dict) -> sp.Expr | sp.Matrix:
    """A fresh explicit stand-in for ``var``: the symbol itself for a scalar, a matrix of entries."""
    if var.is_scalar:
        return var.symbol
    rows, cols = (int(sp.sympify(d).subs(dims)) for d in var.shape)
    positive = var.domain in ("positive", "probability", "unit-interval")
    name = var.name

    def sym(i, j):
        label = f"{name}{i + 1}" if cols == 1 else f"{name}{i + 1}{j + 1}"
        return sp.Symbol(label, real=True, positive=positive or None)

    return sp.Matrix(rows, cols, lambda i, j: sym(i, j))


def dims_of(d, dims) -> int:
    value = sp.sympify(d).subs(dims)
    if not value.is_Integer:
        raise ConcretiseError(f"dimension {d} has no value in {dims}")
    return int(value)


def as_scalar(value):
    if isinstance(value, sp.MatrixBase):
        if value.shape != (1, 1):
            raise ScalarShapeError(f"a {value.shape[0]}×{value.shape[1]} matrix used as a scalar")
        return value[0, 0]
    return value


def explicit(expr, ctx: Context):
    """The explicit form of ``expr`` (a sympy Matrix or scalar expression) in ``ctx``."""
    if expr in ctx.env:
        return ctx.env[expr]
    if isinstance(expr, sp.MatrixSymbol):
        raise ConcretiseError(f"matrix symbol {expr.name} is not declared")
    if isinstance(expr, sp.Identity):
        return sp.eye(dims_of(expr.shape[0], ctx.dims))
    if isinstance(expr, sp.ZeroMatrix):
        return sp.zeros(dims_of(expr.shape[0], ctx.dims), dims_of(expr.shape[1], ctx.dims))
    if isinstance(expr, sp.OneMatrix):
        return sp.ones(dims_of(expr.shape[0], ctx.dims), dims_of(expr.shape[1], ctx.dims))
    if isinstance(expr, sp.Symbol):
        if expr in ctx.dims:
            return sp.Integer(ctx.dims[expr])
        raise ConcretiseError(f"symbol {expr} is not declared")
    if expr.is_Atom:
        return expr
    handler = _HANDLERS.get(type(expr))
    if handler is not None:
        return handler(expr, ctx)
    if isinstance(expr, ScalarOfMatrix):
        return type(expr).explicit(_as_matrix(explicit(expr.args[0], ctx)))
    if isinstance(expr, FunctionOf):
        return _function_of(expr, ctx)
    if isinstance(expr, sp.MatrixExpr):
        raise ConcretiseError(f"cannot make {type(expr).__name__} explicit")
    args = [as_scalar(explicit(a, ctx)) for a in expr.args]
    return expr.func(*args)


def _as_matrix(value):
    return value if isinstance(value, sp.MatrixBase) else sp.Matrix([[value]])


def _matmul(expr, ctx):
    out = sp.Integer(1)
    for a in expr.args:
        value = explicit(a, ctx)
        if isinstance(out, sp.MatrixBase) and isinstance(value, sp.MatrixBase):
            out = out * value
        else:
            out = value * out if isinstance(value, sp.MatrixBase) else out * value
    return out


def _matadd(expr, ctx):
    values = [explicit(a, ctx) for a in expr.args]
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _function_of(expr: FunctionOf, ctx: Context):
    arg = _as_matrix(explicit(expr.args[1], ctx))
    entries = list(arg)
    if ctx.family is None:
        return sp.Function(expr.label)(*entries)
    return scalar_test_function(entries, ctx.family)


def _gradient_of(expr: GradientOf, ctx: Context):
    func = expr.args[0]
    arg = _as_matrix(explicit(func.args[1], ctx))
    value = _function_of(func, ctx)
    return arg.applyfunc(lambda e: sp.diff(value, e))


def _vector_function_of(expr: VectorFunctionOf, ctx: Context):
    arg = _as_matrix(explicit(expr.args[1], ctx))
    rows = dims_of(expr.args[2], ctx.dims)
    entries = list(arg)
    if ctx.family is None:
        return sp.Matrix([sp.Function(f"{expr.label}{i + 1}")(*entries) for i in range(rows)])
    return vector_test_function(entries, rows, ctx.family)


def _jacobian_of(expr: JacobianOf, ctx: Context):
    q = expr.args[0]
    values = _vector_function_of(q, ctx)
    arg = list(_as_matrix(explicit(q.args[1], ctx)))
    return values.jacobian(arg)


def scalar_test_function(x: list, family: int):
    """Concrete smooth functions standing in for an arbitrary f (rational for family 0)."""
    a = [sp.Rational(i + 2, i + 3) * (-1) ** i for i in range(len(x))]
    lin = sum(ai * xi for ai, xi in zip(a, x, strict=True))
    if family % 2 == 0:
        return 1 + lin + lin**2 / 2 + x[0] ** 3 / 3
    return sp.sin(lin) + sp.exp(x[-1] / 2)


def vector_test_function(x: list, rows: int, family: int):
    """Concrete smooth maps standing in for an arbitrary q: ℝⁿ → ℝᵐ."""
    n = len(x)
    out = []
    for i in range(rows):
        lin = sum(sp.Rational((i + 2 * j) % 5 + 1, 3) * (-1) ** (i + j) * x[j] for j in range(n))
        out.append(lin + x[i % n] ** 2 if family % 2 == 0 else sp.sin(lin) + x[i % n] ** 2)
    return sp.Matrix(out)


def _matrix_power(m: sp.Matrix, k) -> sp.Matrix:
    """M**k by repeated products: ``Matrix.__pow__`` simplifies as it goes (minutes on
    symbolic rational entries)."""
    k = int(k)
    if k < 0:
        return _matrix_power(_inverse(m), -k)
    out = sp.eye(m.rows)
    for _ in range(k):
        out = out * m
    return out


def _explicit_matrix(expr, ctx):
    """A matrix written out entry by entry, such as the vector (x²y, cos y)."""
    return sp.Matrix(expr.rows, expr.cols, [as_scalar(explicit(e, ctx)) for e in expr])


_HANDLERS = {
    sp.ImmutableDenseMatrix: _explicit_matrix,
    MatrixElement: lambda e, c: _as_matrix(explicit(e.parent, c))[int(e.i), int(e.j)],
    sp.MatMul: _matmul,
    sp.MatAdd: _matadd,
    sp.Transpose: lambda e, c: _as_matrix(explicit(e.arg, c)).T,
    sp.Inverse: lambda e, c: _inverse(_as_matrix(explicit(e.arg, c))),
    sp.MatPow: lambda e, c: _matrix_power(_as_matrix(explicit(e.args[0], c)), e.args[1]),
    sp.Determinant: lambda e, c: _as_matrix(explicit(e.arg, c)).det(method="berkowitz"),
    sp.Trace: lambda e, c: _as_matrix(explicit(e.arg, c)).trace(),
    sp.HadamardProduct: lambda e, c: _hadamard([explicit(a, c) for a in e.args]),
    sp.HadamardPower: lambda e, c: _as_matrix(explicit(e.base, c)).applyfunc(
        lambda v: v ** as_scalar(explicit(e.exp, c))
    ),
    Applied: lambda e, c: e.explicit(_as_matrix(explicit(e.args[1], c))),
    Softmax: lambda e, c: e.explicit(_as_matrix(explicit(e.args[0], c))),
    Diag: lambda e, c: e.explicit(_as_matrix(explicit(e.args[0], c))),
    GradientOf: _gradient_of,
    VectorFunctionOf: _vector_function_of,
    JacobianOf: _jacobian_of,
}


def _inverse(m: sp.Matrix) -> sp.Matrix:
    """adj(M) / det(M): polynomials over one determinant. ``inv(method="LU")`` on symbolic
    entries first proves invertibility with ``simplify`` (seconds at 3×3, minutes at 5×5) and
    returns nested fractions that are slow to lambdify and to simplify."""
    if not m.is_square:
        raise ConcretiseError(f"inverse of a non-square {m.rows}×{m.cols} matrix")
    det = m.det(method="berkowitz")
    if det == 0:
        raise ZeroDivisionError("inverse of a singular matrix")
    return m.adjugate(method="berkowitz") / det


def register_handler(cls, handler) -> None:
    """Teach ``explicit`` one more expression class: ``handler(expr, ctx)`` returns its explicit
    form. Used by ``derivations.checker`` for the numpy-style operations of users' expressions."""
    _HANDLERS[cls] = handler


def _hadamard(values):
    out = values[0]
    for v in values[1:]:
        out = out.multiply_elementwise(v)
    return out


def build_context(claim: Claim, dims: dict, family: int | None) -> Context:
    """Explicit entries for every variable, then the ``where`` definitions in order."""
    ctx = Context(dims=dict(dims), _family=family)
    for var in claim.variables:
        ctx.env[var.symbol] = entry_symbols(var, dims)
    for symbol, definition in claim.where.items():
        # a definition may be written in the author's order (engine/written.py): same value
        ctx.env[symbol] = explicit(unwrap(definition), ctx)
    return ctx
