"""Shapes of users' expressions, tracked while parsing (pure Python, no sympy).

A shape is numpy's: ``()`` for a scalar, ``(d,)`` for a vector, ``(r, c)`` for a matrix. Each
dimension is a fixed integer or the name of a dimension drawn by the engine (``"n"``). Vectors
are columns: ``(d,)`` and ``(d, 1)`` are the same matrix, and ``v.T`` is the row ``(1, d)``.
Distinct dimension names are always given distinct sizes, so ``n`` and ``m`` never match.
"""

from __future__ import annotations

Dim = int | str
Shape = tuple


def fmt(shape: Shape) -> str:
    """numpy's notation: ``()``, ``(n,)``, ``(m, n)``."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def describe(shape: Shape) -> str:
    if shape == ():
        return "a scalar"
    if len(shape) == 1:
        return f"a vector of shape {fmt(shape)}"
    if shape[0] == 1 and shape[1] != 1:
        return f"a row of shape {fmt(shape)}"
    return f"a matrix of shape {fmt(shape)}"


def scalar_like(shape: Shape) -> bool:
    """A scalar, or an array whose every dimension is 1 (``x.T @ y`` is 1×1)."""
    return all(d == 1 for d in shape)


def as2d(shape: Shape) -> tuple[Dim, Dim]:
    if shape == ():
        return (1, 1)
    if len(shape) == 1:
        return (shape[0], 1)
    return (shape[0], shape[1])


def same(a: Shape, b: Shape) -> bool:
    return as2d(a) == as2d(b)


def is_vector(shape: Shape) -> bool:
    """A column: ``(d,)`` or ``(d, 1)``."""
    return len(shape) == 1 or (len(shape) == 2 and shape[1] == 1)


def is_square(shape: Shape) -> bool:
    return len(shape) == 2 and shape[0] == shape[1]


def broadcast(a: Shape, b: Shape) -> Shape | None:
    """The shape of an elementwise combination, or None when numpy-with-columns would refuse.

    Equal shapes combine; a scalar (or 1×1) combines with anything. Other numpy broadcasting
    (a vector against the rows of a matrix) is refused: it is a frequent silent mistake.
    """
    if same(a, b):
        return a if len(a) >= len(b) else b
    if scalar_like(a):
        return b
    if scalar_like(b):
        return a
    return None


def matmul(a: Shape, b: Shape) -> Shape | str:
    """The shape of ``a @ b``, or a message saying why it is undefined.

    numpy's rules, with one addition that numpy would reject: a vector times a row (``x @ y.T``)
    is the outer product, as it is for columns on paper.
    """
    if a == () or b == ():
        return "@ needs arrays on both sides; use * to multiply by a scalar"
    if len(a) == 1 and len(b) == 1:
        return () if a[0] == b[0] else _inner(a[0], b[0])
    if len(a) == 2 and len(b) == 1:
        return (a[0],) if a[1] == b[0] else _inner(a[1], b[0])
    if len(a) == 1 and len(b) == 2:
        if b[0] == 1 and a[0] != 1:
            return (a[0], b[1])  # a column times a row: x @ y.T is the outer product
        return (b[1],) if a[0] == b[0] else _inner(a[0], b[0])
    return (a[0], b[1]) if a[1] == b[0] else _inner(a[1], b[0])


def _inner(left: Dim, right: Dim) -> str:
    return f"the inner dimensions {left} and {right} differ"


def transpose(shape: Shape) -> Shape:
    if shape == ():
        return ()
    if len(shape) == 1:
        return (1, shape[0])
    return (shape[1], shape[0])


def dims_in(shape: Shape) -> list[str]:
    return [d for d in shape if isinstance(d, str)]
