"""A numpy evaluator for abstract statements: the numeric layer's fast path.

Building explicit symbolic matrices at size 5 and lambdifying them is slow for inverses and
determinants (a symbolic 5×5 adjugate). The numeric layer needs only *values* of f and of the
claimed result at points, so for the common matrix operations it walks the abstract sympy tree
with numpy arrays instead. Anything this evaluator does not know (arbitrary functions, Piecewise,
user-registered classes without a ``numeric`` method) makes ``supports`` return False and the
layer falls back to the explicit path. It never differentiates: derivatives stay finite
differences of f.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .functions import (
    Applied,
    AsScalar,
    Diag,
    LogSumExp,
    Norm,
    Softmax,
    SumEntries,
)


class Unsupported(Exception):
    """The expression contains a node the fast path does not evaluate."""


def _sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


ELEMENTWISE_NUMPY = {
    "sigma": _sigmoid,
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "sin": np.sin,
}
SCALAR_FUNCTIONS = {
    sp.exp: np.exp,
    sp.log: np.log,
    sp.sin: np.sin,
    sp.cos: np.cos,
    sp.tan: np.tan,
    sp.tanh: np.tanh,
    sp.cosh: np.cosh,
    sp.sinh: np.sinh,
    sp.Abs: np.abs,
    sp.sign: np.sign,
}
_MATRIX_NODES = (
    sp.MatrixSymbol,
    sp.MatMul,
    sp.MatAdd,
    sp.Transpose,
    sp.Inverse,
    sp.MatPow,
    sp.Determinant,
    sp.Trace,
    sp.HadamardProduct,
    sp.HadamardPower,
    sp.Identity,
    sp.ZeroMatrix,
    sp.OneMatrix,
    Applied,
    Softmax,
    Diag,
    Norm,
    LogSumExp,
    SumEntries,
    AsScalar,
    sp.ImmutableDenseMatrix,
)
_SCALAR_NODES = (sp.Add, sp.Mul, sp.Pow, sp.Symbol, sp.Number, sp.NumberSymbol)
# nodes that only hold other nodes (a Lambda's variables and body, operand tuples)
_STRUCTURE = (sp.Lambda, sp.Tuple)
_REGISTERED: list = []  # (class, evaluate(expr, env, dims) -> value), from other packages


def register(cls, handler) -> None:
    """Teach the fast path a node class (the checker's broadcasting, indexing, ...)."""
    _REGISTERED.append((cls, handler))


def supports(*exprs) -> bool:
    """True when every node of every expression has a numpy evaluation here."""
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, _MATRIX_NODES + _SCALAR_NODES + _STRUCTURE):
                continue
            if any(isinstance(node, cls) for cls, _ in _REGISTERED):
                continue
            if type(node) in SCALAR_FUNCTIONS:
                continue
            if callable(getattr(type(node), "numeric", None)):
                continue  # a class that evaluates itself on arrays (LogAbsDet: log|det X|)
            if isinstance(node, sp.core.symbol.Str):
                continue
            return False
    return True


def evaluate(expr, env: dict, dims: dict):
    """The value of ``expr`` with numpy: 2-D arrays for matrices, floats for scalars.

    ``env`` gives the values of the symbols (the leaves); the tree is walked once per
    expression and size (``compiled``), after which each evaluation only calls numpy."""
    return compiled(expr, dims)(env)


_COMPILED: dict = {}


def compiled(expr, dims: dict):
    """``env -> value`` for ``expr`` at the sizes ``dims``: the same value ``evaluate`` gives,
    with the dispatch on node types done once (the numeric layer evaluates f hundreds of times
    per claim)."""
    key = (expr, tuple(sorted((str(k), v) for k, v in dims.items())))
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) > 20_000:
            _COMPILED.clear()
        found = _COMPILED[key] = _compile(expr, dict(dims))
    return found


def _compile(expr, dims: dict):
    if isinstance(expr, sp.Symbol | sp.MatrixSymbol):  # a leaf: its value comes from env
        fallback = float(dims[expr]) if isinstance(expr, sp.Symbol) and expr in dims else None

        def leaf(env):
            value = env.get(expr)
            if value is not None:
                return value
            if fallback is not None:
                return fallback
            kind = "symbol" if isinstance(expr, sp.Symbol) else "matrix symbol"
            raise Unsupported(f"{kind} {expr} has no value")

        return leaf
    if isinstance(expr, sp.Number | sp.NumberSymbol):
        constant = float(expr)
        return lambda env: constant
    for cls, handler in _REGISTERED:
        if isinstance(expr, cls):
            return lambda env: handler(expr, env, dims)
    own = getattr(type(expr), "numeric", None)
    if callable(own):
        parts = [_compile(a, dims) for a in expr.args]
        return lambda env: own(*[part(env) for part in parts])
    if isinstance(expr, sp.Identity):
        size = _dim(expr.shape[0], dims)
        return lambda env: np.eye(size)
    if isinstance(expr, sp.ZeroMatrix | sp.OneMatrix):
        shape = (_dim(expr.shape[0], dims), _dim(expr.shape[1], dims))
        fill = np.zeros if isinstance(expr, sp.ZeroMatrix) else np.ones
        return lambda env: fill(shape)
    if isinstance(expr, sp.ImmutableDenseMatrix):  # a matrix written out entry by entry
        entries = [_compile(e, dims) for e in expr]
        shape = expr.shape
        return lambda env: np.array(
            [_scalar(entry(env)) for entry in entries], dtype=float
        ).reshape(shape)
    parts = [_compile(a, dims) for a in expr.args if not isinstance(a, sp.core.symbol.Str)]
    return lambda env: _apply(expr, [part(env) for part in parts], dims)


def _apply(expr, args: list, dims: dict):
    """The node ``expr`` applied to the values of its operands."""
    if isinstance(expr, sp.MatMul):
        out = 1.0
        for value in args:
            out = out @ value if _is_matrix(out) and _is_matrix(value) else out * value
        return out
    if isinstance(expr, sp.MatAdd | sp.Add):
        return _scalarise_sum(args)
    if isinstance(expr, sp.Transpose):
        return np.asarray(args[0]).T
    if isinstance(expr, sp.Inverse):
        return np.linalg.inv(args[0])
    if isinstance(expr, sp.MatPow):
        return np.linalg.matrix_power(args[0], int(expr.args[1]))
    if isinstance(expr, sp.Determinant):
        return float(np.linalg.det(args[0]))
    if isinstance(expr, sp.Trace):
        return float(np.trace(args[0]))
    if isinstance(expr, sp.HadamardPower):
        return np.asarray(args[0]) ** _scalar(args[1])
    if isinstance(expr, sp.HadamardProduct):
        out = args[0]
        for value in args[1:]:
            out = out * value
        return out
    if isinstance(expr, sp.Mul):
        out = 1.0
        for value in args:
            out = out * _scalar(value)
        return out
    if isinstance(expr, sp.Pow):
        return _scalar(args[0]) ** _scalar(args[1])
    if isinstance(expr, Applied):
        return ELEMENTWISE_NUMPY[expr.name](args[0])
    if isinstance(expr, Softmax):
        z = args[0] - np.max(args[0])
        e = np.exp(z)
        return e / e.sum()
    if isinstance(expr, Diag):
        return np.diag(np.asarray(args[0]).ravel())
    if isinstance(expr, Norm):
        return float(np.linalg.norm(args[0]))
    if isinstance(expr, LogSumExp):
        z = np.asarray(args[0]).ravel()
        top = z.max()
        return float(top + np.log(np.exp(z - top).sum()))
    if isinstance(expr, SumEntries):
        return float(np.sum(args[0]))
    if isinstance(expr, AsScalar):
        return _scalar(args[0])
    function = SCALAR_FUNCTIONS.get(type(expr))
    if function is not None:
        return function(_scalar(args[0]))
    raise Unsupported(type(expr).__name__)


def _dim(d, dims) -> int:
    value = sp.sympify(d).subs(dims)
    return int(value)


def _is_matrix(value) -> bool:
    return isinstance(value, np.ndarray) and value.ndim == 2


def _scalar(value):
    if _is_matrix(value):
        if value.shape != (1, 1):
            raise ValueError(f"a {value.shape[0]}×{value.shape[1]} matrix used as a scalar")
        return float(value[0, 0])
    return value


def _scalarise_sum(values):
    if any(_is_matrix(v) and v.shape != (1, 1) for v in values):
        total = values[0]
        for v in values[1:]:
            total = total + v
        return total
    return float(sum(_scalar(v) for v in values))
