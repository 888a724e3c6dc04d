"""Matrix-expression classes for the numpy operations of users' expressions.

The engine's own classes (``derivations.engine.functions``) cover what topic pages need; a user's
numpy-style expression also broadcasts, indexes, builds arrays from lists and takes the diagonal
of a matrix. Each class here has a shape and an explicit form, registered with the engine through
``concrete.register_handler``, so the three layers treat it like any other statement.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.core.symbol import Str

from ..engine import fastnum, identity
from ..engine.concrete import Context, as_scalar, dims_of, explicit, register_handler
from ..engine.functions import ScalarOfMatrix


def _basic(value):
    """A sympy integer for a Python int; sympy objects pass through (no parsing of any kind)."""
    return value if isinstance(value, sp.Basic) else sp.Integer(value)


def _matrix(value):
    return value if isinstance(value, sp.MatrixBase) else sp.Matrix([[value]])


class ScalarOf(ScalarOfMatrix):
    """The single entry of a 1×1 matrix, as a scalar (``x.T @ y`` used in scalar arithmetic)."""

    def _latex_body(self, printer):
        return printer._print(self.args[0])

    @classmethod
    def explicit(cls, arg):
        if arg.shape != (1, 1):
            raise ValueError(f"a {arg.shape[0]}×{arg.shape[1]} matrix used as a scalar")
        return arg[0, 0]


class Elementwise(sp.MatrixExpr):
    """``Elementwise(Lambda((p, q), body), (A, s), rows, cols)``: body applied entry by entry.

    Operands are matrices of shape rows×cols or scalars (broadcast to every entry); this is how
    ``x ** 2``, ``exp(X)``, ``1 / x``, ``x + 1`` and ``np.maximum(x, 0)`` become statements.
    """

    def __new__(cls, lam, operands, rows, cols):
        return sp.Basic.__new__(cls, lam, sp.Tuple(*operands), _basic(rows), _basic(cols))

    @property
    def shape(self):
        return (self.args[2], self.args[3])

    def _latex(self, printer, exp=None):
        lam, operands = self.args[0], self.args[1]
        body = lam.expr.xreplace(dict(zip(lam.variables, operands, strict=True)))
        return printer._print(body)


def _elementwise(expr: Elementwise, ctx: Context):
    lam, operands = expr.args[0], expr.args[1]
    rows, cols = dims_of(expr.args[2], ctx.dims), dims_of(expr.args[3], ctx.dims)
    values = []
    for operand in operands:
        value = explicit(operand, ctx)
        if isinstance(value, sp.MatrixBase) and value.shape != (rows, cols):
            value = as_scalar(value)
        values.append(value)

    def entry(i, j):
        return lam(*[v[i, j] if isinstance(v, sp.MatrixBase) else v for v in values])

    return sp.Matrix(rows, cols, entry)


class Entry(sp.Expr):
    """``A[i, j]`` (``v[i]`` is ``Entry(v, i, 0)``); indices may involve dimensions (``n - 1``)."""

    is_commutative = True
    is_real = True

    def __new__(cls, matrix, i, j):
        return sp.Expr.__new__(cls, matrix, _basic(i), _basic(j))

    def _latex(self, printer, exp=None):
        tex = rf"{printer._print(self.args[0])}_{{{self.args[1]},{self.args[2]}}}"
        return f"{tex}^{{{exp}}}" if exp is not None else tex


def _entry(expr: Entry, ctx: Context):
    value = _matrix(explicit(expr.args[0], ctx))
    return value[dims_of(expr.args[1], ctx.dims), dims_of(expr.args[2], ctx.dims)]


class Part(sp.MatrixExpr):
    """Row ``A[i]`` / ``A[i, :]`` or column ``A[:, j]`` of a matrix, as a column vector."""

    def __new__(cls, matrix, which, index):
        return sp.Basic.__new__(cls, matrix, Str(str(which)), _basic(index))

    @property
    def which(self) -> str:
        return str(self.args[1])

    @property
    def shape(self):
        rows, cols = self.args[0].shape
        return (cols, 1) if self.which == "row" else (rows, 1)


def _part(expr: Part, ctx: Context):
    value = _matrix(explicit(expr.args[0], ctx))
    k = dims_of(expr.args[2], ctx.dims)
    return value[k, :].T if expr.which == "row" else value[:, k]


class Stack(sp.MatrixExpr):
    """``np.array([...])`` of scalar entries: ``Stack(rows, cols, *entries)`` in row-major order."""

    def __new__(cls, rows, cols, *entries):
        return sp.Basic.__new__(cls, sp.Integer(rows), sp.Integer(cols), *entries)

    @property
    def shape(self):
        return (self.args[0], self.args[1])


def _stack(expr: Stack, ctx: Context):
    rows, cols = int(expr.args[0]), int(expr.args[1])
    entries = [as_scalar(explicit(e, ctx)) for e in expr.args[2:]]
    return sp.Matrix(rows, cols, entries)


class DiagOf(sp.MatrixExpr):
    """``np.diag(A)`` of a square matrix: its diagonal as a column vector."""

    def __new__(cls, matrix):
        return sp.Basic.__new__(cls, matrix)

    @property
    def shape(self):
        return (self.args[0].shape[0], sp.Integer(1))


def _diag_of(expr: DiagOf, ctx: Context):
    value = _matrix(explicit(expr.args[0], ctx))
    return sp.Matrix([value[i, i] for i in range(value.rows)])


register_handler(Elementwise, _elementwise)
register_handler(Entry, _entry)
register_handler(Part, _part)
register_handler(Stack, _stack)
register_handler(DiagOf, _diag_of)


# ── the same classes for the identity test (exact forward mode at random points) ────────────


def _id_scalar_of(ev, expr, local):
    value = ev.value(expr.args[0], local)
    return identity.scalar_of(value)


def _id_elementwise(ev, expr, local):
    lam, operands = expr.args[0], expr.args[1]
    rows, cols = dims_of(expr.args[2], ev.dims), dims_of(expr.args[3], ev.dims)
    values = []
    for operand in operands:
        value = ev.value(operand, local)
        if identity.is_matrix(value) and value.shape != (rows, cols):
            value = identity.scalar_of(value)
        values.append(value)

    def entry(i, j):
        bound = dict(local or {})
        for var, v in zip(lam.variables, values, strict=True):
            bound[var] = v[i, j] if identity.is_matrix(v) else v
        return identity.scalar_of(ev.value(lam.expr, bound))

    return identity.matrix([[entry(i, j) for j in range(cols)] for i in range(rows)])


def _id_entry(ev, expr, local):
    value = identity.as_matrix(ev.value(expr.args[0], local))
    return value[dims_of(expr.args[1], ev.dims), dims_of(expr.args[2], ev.dims)]


def _id_part(ev, expr, local):
    value = identity.as_matrix(ev.value(expr.args[0], local))
    k = dims_of(expr.args[2], ev.dims)
    column = value[k, :] if expr.which == "row" else value[:, k]
    return identity.matrix([[v] for v in column])


def _id_stack(ev, expr, local):
    rows, cols = int(expr.args[0]), int(expr.args[1])
    entries = [identity.scalar_of(ev.value(e, local)) for e in expr.args[2:]]
    return identity.matrix([entries[r * cols : (r + 1) * cols] for r in range(rows)])


def _id_diag_of(ev, expr, local):
    value = identity.as_matrix(ev.value(expr.args[0], local))
    return identity.matrix([[value[i, i]] for i in range(value.shape[0])])




# ── the same classes for the numeric layer's numpy path ─────────────────────────────────────


def _np_scalar(value):
    value = np.asarray(value, dtype=float)
    if value.size != 1:
        raise ValueError(f"a {value.shape[0]}×{value.shape[1]} matrix used as a scalar")
    return float(value.reshape(-1)[0])


def _np_scalar_of(expr, env, dims):
    return _np_scalar(fastnum.evaluate(expr.args[0], env, dims))


def _np_elementwise(expr, env, dims):
    lam, operands = expr.args[0], expr.args[1]
    rows, cols = dims_of(expr.args[2], dims), dims_of(expr.args[3], dims)
    values = []
    for operand in operands:
        value = fastnum.evaluate(operand, env, dims)
        if isinstance(value, np.ndarray) and value.shape != (rows, cols):
            value = _np_scalar(value)
        values.append(value)
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            bound = dict(env)
            for var, v in zip(lam.variables, values, strict=True):
                bound[var] = float(v[i, j]) if isinstance(v, np.ndarray) else v
            out[i, j] = _np_scalar(fastnum.evaluate(lam.expr, bound, dims))
    return out


def _np_matrix(value):
    value = np.asarray(value, dtype=float)
    return value.reshape(1, 1) if value.ndim == 0 else value


def _np_entry(expr, env, dims):
    value = _np_matrix(fastnum.evaluate(expr.args[0], env, dims))
    return float(value[dims_of(expr.args[1], dims), dims_of(expr.args[2], dims)])


def _np_part(expr, env, dims):
    value = _np_matrix(fastnum.evaluate(expr.args[0], env, dims))
    k = dims_of(expr.args[2], dims)
    return (value[k, :] if expr.which == "row" else value[:, k]).reshape(-1, 1)


def _np_stack(expr, env, dims):
    rows, cols = int(expr.args[0]), int(expr.args[1])
    entries = [_np_scalar(fastnum.evaluate(e, env, dims)) for e in expr.args[2:]]
    return np.array(entries, dtype=float).reshape(rows, cols)


def _np_diag_of(expr, env, dims):
    return np.diag(_np_matrix(fastnum.evaluate(expr.args[0], env, dims))).reshape(-1, 1).copy()


# each class: how the identity test (jets) and the numeric layer's numpy path evaluate it
for _cls, _jets, _floats in (
    (ScalarOf, _id_scalar_of, _np_scalar_of),
    (Elementwise, _id_elementwise, _np_elementwise),
    (Entry, _id_entry, _np_entry),
    (Part, _id_part, _np_part),
    (Stack, _id_stack, _np_stack),
    (DiagOf, _id_diag_of, _np_diag_of),
):
    identity.register(_cls, _jets)
    fastnum.register(_cls, _floats)
