"""Identity test: the derivative in exact forward mode at random points (Schwartz–Zippel).

The symbolic layer builds every entry of the derivative as a sympy expression and simplifies
``claimed - derived``; on an 8×8 inverse, a degree-4 trace or softmax through a linear layer
that expression explodes. This layer never builds it. It evaluates f in exact rational
arithmetic on *jets* ``a + b ε₁ + c ε₂ + d ε₁ε₂`` (ε₁² = ε₂² = 0): seeding the variable with a
random direction gives the directional derivative in ``b`` (and, with a second direction, the
second derivative in ``d``), with no rounding and no finite-difference error. The claimed
result, contracted with the same directions, must equal it.

Why agreement is a proof, up to a stated probability. For a rational statement (sums, products,
inverses, determinants, traces, integer powers), ``claimed - derived`` contracted with the
directions is a rational function of the point's and the directions' entries. Every entry is
drawn at random from 2**62 integers; if the function is not identically zero, its numerator, a
polynomial of total degree at most D, vanishes at such a point with probability at most
D / 2**62 (the Schwartz–Zippel lemma). The layer tracks a bound on D through every operation
and reports the bound on the probability of a wrong "pass" over its independent points.

Transcendental functions enter as new independent indeterminates ("generators"): ``exp(u)``
is a fresh random value G for each distinct value of u, with the derivative rule dG = G du;
``log(u)`` likewise with dL = du / u; ``tanh``, ``cosh``, ``sinh`` and the sigmoid are written
through ``exp(u)``; ``sin`` and ``cos`` through ``tan(u/2)``; a non-integer power ``u**q`` is a
generator R with dR = q R du / u. An identity that holds with the generators as independent
indeterminates holds for the true functions (substitute them), so a pass stays sound. The
converse fails (exp(2u) and exp(u)² are different generators), so with generators a
difference is never a refutation here: the layer is then undecided and the other layers
decide. Without generators a difference at an exact point is a rigorous counterexample.

Nodes this evaluator does not know (arbitrary functions, absolute values, maxima, Piecewise,
one-sided or limit-defined derivatives) make the layer ``skipped``.
"""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from .claims import Claim
from .functions import Applied, AsScalar, Diag, LogSumExp, Norm, Softmax, SumEntries
from .report import LayerResult
from .written import unwrap

SAMPLE_BITS = 62
POINTS = 3
_DISTINCT = 2**SAMPLE_BITS


class Unsupported(Exception):
    """A node (or a kind of claim) this layer does not evaluate."""


class Undefined(Exception):
    """The point is outside the domain (a zero pivot, log of 0): draw another."""


# ── jets with a degree bound ─────────────────────────────────────────────────


def _add_deg(p, q):
    return (max(p[0] + q[1], q[0] + p[1]), p[1] + q[1])


def _mul_deg(p, q):
    return (p[0] + q[0], p[1] + q[1])


def _div_deg(p, q):
    return (p[0] + q[1], p[1] + q[0])


def _div(a, b):
    if b == 0:
        raise Undefined("division by zero")
    if isinstance(a, int) and isinstance(b, int):
        return Fraction(a, b)
    return a / b


_PRECISE = [False]  # set while a precise (60-digit) evaluation runs; see check()
_SMALL = [False]  # set while looking for a counterexample with short integer entries


def _mpf(v):
    if isinstance(v, Fraction):
        return mpmath.mpf(v.numerator) / v.denominator
    return v if isinstance(v, mpmath.mpf) else mpmath.mpf(v)


class Jet:
    """``a + b ε₁ + c ε₂ + d ε₁ε₂`` with exact coefficients (int or Fraction), and ``deg``, an
    upper bound (numerator degree, denominator degree) of it as a rational function of every
    random entry drawn so far. ``generated`` says whether the value ``a`` depends on a
    generator (exp, log, ...), ``tail`` whether the derivative parts ``b, c, d`` may: the
    derivative of log(u) is u'/u, free of generators when u is."""

    __slots__ = ("a", "b", "c", "d", "deg", "generated", "tail")

    def __init__(self, a, b=0, c=0, d=0, deg=(0, 0), generated=False, tail=False):
        if _PRECISE[0]:  # 60-digit floats throughout (mpmath does not mix with Fraction)
            a, b, c, d = (_mpf(v) for v in (a, b, c, d))
        self.a, self.b, self.c, self.d = a, b, c, d
        self.deg = deg
        self.generated = generated
        self.tail = tail

    @staticmethod
    def of(value) -> Jet:
        return value if isinstance(value, Jet) else Jet(value)

    def moves(self) -> bool:
        return bool(self.b or self.c or self.d)

    def __add__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented  # numpy broadcasts, entry by entry
        o = Jet.of(other)
        return Jet(self.a + o.a, self.b + o.b, self.c + o.c, self.d + o.d,
                   _add_deg(self.deg, o.deg), self.generated or o.generated,
                   self.tail or o.tail)  # fmt: skip

    __radd__ = __add__

    def __neg__(self):
        return Jet(-self.a, -self.b, -self.c, -self.d, self.deg, self.generated, self.tail)

    def __sub__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        return self + (-Jet.of(other))

    def __rsub__(self, other):
        return Jet.of(other) + (-self)

    def __mul__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        o = Jet.of(other)
        a, b, c, d = self.a, self.b, self.c, self.d
        generated = self.generated or o.generated
        tail = (self.tail or o.tail or (self.generated and o.moves())
                or (o.generated and self.moves()))  # fmt: skip
        if not o.moves():  # times a constant: the common case in matrix products
            k = o.a
            return Jet(a * k, b * k, c * k, d * k, _mul_deg(self.deg, o.deg), generated, tail)
        if not self.moves():
            k = a
            return Jet(o.a * k, o.b * k, o.c * k, o.d * k, _mul_deg(self.deg, o.deg),
                       generated, tail)  # fmt: skip
        return Jet(a * o.a, a * o.b + b * o.a, a * o.c + c * o.a,
                   a * o.d + b * o.c + c * o.b + d * o.a,
                   _mul_deg(self.deg, o.deg), generated, tail)  # fmt: skip

    __rmul__ = __mul__

    def inverse(self) -> Jet:
        a = self.a
        if a == 0:
            raise Undefined("division by zero")
        inv = _div(1, a)
        # 1/(a + δ) = 1/a − δ/a² + δ²/a³, with δ² = 2bc ε₁ε₂
        inv2 = inv * inv
        return Jet(inv, -self.b * inv2, -self.c * inv2,
                   -self.d * inv2 + 2 * self.b * self.c * inv2 * inv,
                   (self.deg[1], self.deg[0]), self.generated,
                   self.tail or (self.generated and self.moves()))  # fmt: skip

    def __truediv__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        o = Jet.of(other)
        if not o.moves():
            k = _div(1, o.a)
            return self * Jet(k, deg=(o.deg[1], o.deg[0]), generated=o.generated)
        return self * o.inverse()

    def __rtruediv__(self, other):
        return Jet.of(other) * self.inverse()

    def __pow__(self, k):
        if not isinstance(k, int):
            raise Unsupported("non-integer power of a jet")
        if k < 0:
            return self.inverse() ** (-k)
        out = Jet(1)
        base = self
        while k:
            if k & 1:
                out = out * base
            base = base * base
            k >>= 1
        return out

    def is_zero(self) -> bool:
        return self.a == 0 and self.b == 0 and self.c == 0 and self.d == 0


def _unary(j: Jet, f0, f1, f2, degs, generated=(True, True)) -> Jet:
    """f(j) for f with value, first and second derivative ``f0, f1, f2`` at j's value; ``degs``
    bounds those three (as rational functions of the random entries); ``generated`` says
    whether f0, and f1 or f2, depend on a generator (beyond j's own value)."""
    delta = (j.deg[0] + j.deg[1], 2 * j.deg[1])  # j minus its value
    deg = _add_deg(degs[0], _add_deg(_mul_deg(degs[1], delta),
                                     _mul_deg(degs[2], _mul_deg(delta, delta))))  # fmt: skip
    tail = j.tail or (j.moves() and (generated[1] or j.generated))
    return Jet(f0, f1 * j.b, f1 * j.c, f1 * j.d + f2 * j.b * j.c, deg,
               generated[0] or j.generated, tail)  # fmt: skip


# ── the evaluator ────────────────────────────────────────────────────────────


class _Evaluator:
    """Walks the abstract statement with jets. ``precise``: the transcendental functions take
    their true values (60-digit mpmath) instead of generators: no proof, but a difference of
    many orders above the working precision refutes as the exact layer's 50-digit values do."""

    def __init__(self, env: dict, dims: dict, rng: random.Random, precise: bool = False):
        self.env = env
        self.dims = dims
        self.rng = rng
        self.precise = precise
        self.generators: dict = {}
        self.exp_bases: dict = {}  # first argument value of each ray -> exp(it / 2)
        self.exp_arguments: dict = {}  # value of exp(u) -> u, for log(exp(u)) = u
        self.roots: dict = {}  # value of u**q -> (u, q), for (u**q)**k = u**(qk)

    def generator(self, key) -> int:
        if key not in self.generators:
            self.generators[key] = _draw(self.rng)
        return self.generators[key]

    # scalar functions through generators
    def exp(self, j: Jet) -> Jet:
        """exp(j) through one generator per ray of arguments: for the first argument value b
        of a ray, H = exp(b/2) is drawn at random, and exp(r·b) = H^(2r) whenever 2r is a small
        integer. So exp(-u) = 1/exp(u), exp(2u) = exp(u)², exp(u/2)² = exp(u) hold here as they
        do for the true function (tanh, cosh and the sigmoid, written either way, agree)."""
        if self.precise:
            e = mpmath.exp(j.a)
            return _unary(j, e, e, e, ((0, 0),) * 3)
        g, k = self._exp_value(j.a)
        value = g**k if k >= 0 else _div(1, g ** (-k))
        self.exp_arguments[value] = j.a
        degree = (abs(k), 0) if k >= 0 else (0, -k)
        return _unary(j, value, value, value, (degree, degree, degree))

    def _exp_value(self, a):
        if a == 0:
            return 1, 0
        for base, g in self.exp_bases.items():
            twice = 2 * Fraction(a) / base
            if twice.denominator == 1 and abs(twice.numerator) <= 8:
                return g, twice.numerator
        g = self.generator(("exp", a))
        self.exp_bases[Fraction(a)] = g
        return g, 2

    def log(self, j: Jet) -> Jet:
        if j.a == 0 or (self.precise and j.a < 0):
            raise Undefined("log of 0 or of a negative number")
        if self.precise:
            inv = 1 / j.a
            return _unary(j, mpmath.log(j.a), inv, -inv * inv, ((0, 0),) * 3)
        inv = _div(1, j.a)
        n, d = j.deg
        known = self.exp_arguments.get(j.a)  # log(exp(u)) = u
        f0, deg0 = (known, (n, d)) if known is not None else (self.generator(("log", j.a)), (1, 0))
        return _unary(j, f0, inv, -inv * inv, (deg0, (d, n), (2 * d, 2 * n)),
                      generated=(known is None, False))  # fmt: skip

    def power(self, j: Jet, q: Fraction) -> Jet:
        """u^(p/r) as R^p with one generator R = u^(1/r) per radicand, reduced by R^r = u: so
        1/sqrt(u), sqrt(u)³ = u^(3/2) and u / sqrt(u) all meet as powers of the same R."""
        m, rest = divmod(q.numerator, q.denominator)
        if rest == 0:
            return j**m
        return j**m * self.root(j, q.denominator) ** rest

    def root(self, j: Jet, r: int) -> Jet:
        if j.a == 0 or (self.precise and j.a < 0):
            raise Undefined("a root of 0 or of a negative number")
        if self.precise:
            q = mpmath.mpf(1) / r
            value = mpmath.root(j.a, r)
            return _unary(j, value, q * value / j.a, q * (q - 1) * value / j.a**2, ((0, 0),) * 3)
        value = self.generator(("root", r, j.a))
        self.roots[value] = (j, Fraction(1, r))
        q = Fraction(1, r)
        inv = _div(1, j.a)
        n, d = j.deg
        return _unary(j, value, q * value * inv, q * (q - 1) * value * inv * inv,
                      ((1, 0), (1 + d, n), (1 + 2 * d, 2 * n)))  # fmt: skip

    def tan(self, j: Jet) -> Jet:
        if self.precise:
            t = mpmath.tan(j.a)
            return _unary(j, t, 1 + t * t, 2 * t * (1 + t * t), ((0, 0),) * 3)
        t = self.generator(("tan", j.a))
        return _unary(j, t, 1 + t * t, 2 * t * (1 + t * t), ((1, 0), (2, 0), (3, 0)))

    def scalar_function(self, name: str, j: Jet) -> Jet:
        if name == "exp":
            return self.exp(j)
        if name == "log":
            return self.log(j)
        if name in ("tanh", "cosh", "sinh", "sigma"):
            e = self.exp(j)
            if name == "tanh":
                e2 = e * e
                return (e2 - 1) / (e2 + 1)
            if name == "cosh":
                return (e + e.inverse()) * Fraction(1, 2)
            if name == "sinh":
                return (e - e.inverse()) * Fraction(1, 2)
            return e / (e + 1)
        if name in ("sin", "cos", "tan"):
            t = self.tan(j * Fraction(1, 2))
            t2 = t * t
            if name == "sin":
                return (2 * t) / (1 + t2)
            if name == "cos":
                return (1 - t2) / (1 + t2)
            return (2 * t) / (1 - t2)
        raise Unsupported(name)

    # the tree walk
    def value(self, expr, local: dict | None = None):
        if local and expr in local:
            return local[expr]
        if expr in self.env:
            return self.env[expr]
        if isinstance(expr, sp.Symbol):
            if expr in self.dims:
                return Jet(int(self.dims[expr]))
            raise Unsupported(f"symbol {expr} has no value")
        if isinstance(expr, sp.Integer):
            return Jet(int(expr))
        if isinstance(expr, sp.Rational):
            return Jet(Fraction(int(expr.p), int(expr.q)))
        if expr is sp.E:
            return self.exp(Jet(1))
        if expr is sp.pi:
            if self.precise:
                return Jet(mpmath.pi)
            return Jet(self.generator(("pi",)), deg=(1, 0), generated=True)  # an indeterminate
        if isinstance(expr, sp.MatrixBase):
            return _matrix([[_scalar(self.value(e, local)) for e in row] for row in expr.tolist()])
        if isinstance(expr, sp.Identity | sp.ZeroMatrix | sp.OneMatrix):
            rows, cols = (_size(d, self.dims) for d in expr.shape)
            if isinstance(expr, sp.Identity):
                return _matrix([[Jet(int(i == j)) for j in range(cols)] for i in range(rows)])
            fill = 0 if isinstance(expr, sp.ZeroMatrix) else 1
            return _matrix([[Jet(fill) for _ in range(cols)] for _ in range(rows)])
        handler = _HANDLERS.get(type(expr))
        if handler is None:
            for cls, h in _BASE_HANDLERS:
                if isinstance(expr, cls):
                    handler = h
                    break
        if handler is None:
            function = _SCALAR_FUNCTIONS.get(type(expr))
            if function is None:
                raise Unsupported(type(expr).__name__)
            return self.scalar_function(function, _scalar(self.value(expr.args[0], local)))
        return handler(self, expr, local)


def matrix(rows) -> np.ndarray:
    """A matrix of jets (a 2-D object array) from a list of rows."""
    return _matrix(rows)


def is_matrix(v) -> bool:
    return _is_matrix(v)


def scalar_of(v) -> Jet:
    """The single entry of a 1×1 matrix, or the scalar itself."""
    return Jet.of(_scalar(v))


def as_matrix(v) -> np.ndarray:
    return v if _is_matrix(v) else _matrix([[Jet.of(v)]])


def _matrix(rows) -> np.ndarray:
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            out[i, j] = v
    return out


def _is_matrix(v) -> bool:
    return isinstance(v, np.ndarray)


def _scalar(v) -> Jet:
    if _is_matrix(v):
        if v.shape != (1, 1):
            raise Unsupported(f"a {v.shape[0]}×{v.shape[1]} matrix used as a scalar")
        return v[0, 0]
    return v


def _size(d, dims) -> int:
    return int(sp.sympify(d).subs(dims))


def _product(values):
    out = None
    for v in values:
        if out is None:
            out = v
        elif _is_matrix(out) and _is_matrix(v):
            if out.shape[1] != v.shape[0]:
                raise Unsupported("shapes do not match")
            out = out.dot(v)
        else:
            out = out * v
    return out


def _sum(values):
    if any(_is_matrix(v) and v.shape != (1, 1) for v in values):
        total = values[0]
        for v in values[1:]:
            total = total + v
        return total
    total = Jet(0)
    for v in values:
        total = total + _scalar(v)
    return total


def _eliminate(m: np.ndarray, want_inverse: bool):
    """Gauss–Jordan in exact arithmetic: (determinant, inverse or None). Pivots are taken in
    order; a zero pivot (probability ≈ 0 at random points) is treated as an undefined point."""
    n = m.shape[0]
    if m.shape != (n, n):
        raise Unsupported("not square")
    a = m.copy()
    inv = (
        _matrix([[Jet(int(i == j)) for j in range(n)] for i in range(n)]) if want_inverse else None
    )
    det = Jet(1)
    for k in range(n):
        pivot = a[k, k]
        if pivot.a == 0:
            raise Undefined("a zero pivot")
        det = det * pivot
        scale = pivot.inverse()
        a[k, :] = a[k, :] * scale
        if want_inverse:
            inv[k, :] = inv[k, :] * scale
        for i in range(n):
            if i != k and not a[i, k].is_zero():
                factor = a[i, k]
                a[i, :] = a[i, :] - factor * a[k, :]
                if want_inverse:
                    inv[i, :] = inv[i, :] - factor * inv[k, :]
    return det, inv


def _mat_mul(ev, expr, local):
    return _product([ev.value(a, local) for a in expr.args])


def _mat_add(ev, expr, local):
    return _sum([ev.value(a, local) for a in expr.args])


def _transpose(ev, expr, local):
    return ev.value(expr.args[0], local).T


def _inverse(ev, expr, local):
    return _eliminate(ev.value(expr.args[0], local), want_inverse=True)[1]


def _mat_pow(ev, expr, local):
    base, k = ev.value(expr.args[0], local), expr.args[1]
    if not k.is_Integer:
        raise Unsupported("matrix power with a non-integer exponent")
    k = int(k)
    if k < 0:
        base, k = _eliminate(base, want_inverse=True)[1], -k
    out = _matrix([[Jet(int(i == j)) for j in range(base.shape[0])] for i in range(base.shape[0])])
    for _ in range(k):
        out = out.dot(base)
    return out


def _determinant(ev, expr, local):
    return _eliminate(ev.value(expr.args[0], local), want_inverse=False)[0]


def _trace(ev, expr, local):
    m = ev.value(expr.args[0], local)
    return _sum([m[i, i] for i in range(m.shape[0])])


def _hadamard(ev, expr, local):
    values = [ev.value(a, local) for a in expr.args]
    out = values[0]
    for v in values[1:]:
        out = out * v
    return out


def _hadamard_power(ev, expr, local):
    base, k = ev.value(expr.args[0], local), expr.args[1]
    if not k.is_Integer:
        raise Unsupported("entrywise non-integer power")
    return np.vectorize(lambda j: j ** int(k), otypes=[object])(base)


def _mul(ev, expr, local):
    return _product([ev.value(a, local) for a in expr.args])


def _pow(ev, expr, local):
    base, k = expr.args
    if k.is_Integer:
        value = _scalar(ev.value(base, local))
        root = ev.roots.get(value.a) if isinstance(value, Jet) else None
        if root is not None and root[1].numerator == 1:
            # R = u^(1/r): R^k = u^m R^rest with k = m r + rest, so ‖v‖² is v·v again and
            # σ³ = σ² σ = u σ, with their derivatives
            m, rest = divmod(int(k), root[1].denominator)
            return root[0] ** m * value**rest
        return value ** int(k)
    if k.is_Rational:
        return ev.power(_scalar(ev.value(base, local)), Fraction(int(k.p), int(k.q)))
    if base is sp.E:
        return ev.exp(_scalar(ev.value(k, local)))
    exponent = _scalar(ev.value(k, local))  # a dimension, or a lambda's bound number
    if exponent.b or exponent.c or exponent.d or exponent.generated:
        raise Unsupported("a power with a variable exponent")
    if isinstance(exponent.a, mpmath.mpf):  # a constant, rounded to 60 digits (precise mode)
        value = Fraction(float(exponent.a)).limit_denominator(1000)
    else:
        value = Fraction(exponent.a)
    if abs(value.numerator) > MAX_EXACT_POWER:
        # a variable exponent is drawn as a rational with large terms: exact powers of jets
        # that size would take hours (the claim is then left to the other layers)
        raise Unsupported("a variable exponent too large for exact arithmetic")
    if value.denominator == 1:
        return _scalar(ev.value(base, local)) ** int(value)
    return ev.power(_scalar(ev.value(base, local)), value)


MAX_EXACT_POWER = 64


def _applied(ev, expr, local):
    arg = ev.value(expr.args[1] if len(expr.args) > 1 else expr.args[0], local)
    name = str(expr.name)
    return np.vectorize(lambda j: ev.scalar_function(name, j), otypes=[object])(arg)


def _softmax(ev, expr, local):
    z = ev.value(expr.args[0], local)
    e = np.vectorize(ev.exp, otypes=[object])(z)
    total = _sum(list(e.ravel()))
    return e * total.inverse()


def _diag(ev, expr, local):
    v = as_matrix(ev.value(expr.args[0], local)).ravel()
    return _matrix([[v[i] if i == j else Jet(0) for j in range(len(v))] for i in range(len(v))])


def _norm(ev, expr, local):
    v = as_matrix(ev.value(expr.args[0], local)).ravel()
    return ev.power(_sum([x * x for x in v]), Fraction(1, 2))


def _log_sum_exp(ev, expr, local):
    v = as_matrix(ev.value(expr.args[0], local)).ravel()
    return ev.log(_sum([ev.exp(x) for x in v]))


def _sum_entries(ev, expr, local):
    return _sum(list(np.asarray(ev.value(expr.args[0], local)).ravel()))


def _as_scalar(ev, expr, local):
    return _scalar(ev.value(expr.args[0], local))


_HANDLERS = {
    sp.MatMul: _mat_mul,
    sp.MatAdd: _mat_add,
    sp.Add: _mat_add,
    sp.Transpose: _transpose,
    sp.Inverse: _inverse,
    sp.MatPow: _mat_pow,
    sp.Determinant: _determinant,
    sp.Trace: _trace,
    sp.HadamardProduct: _hadamard,
    sp.HadamardPower: _hadamard_power,
    sp.Mul: _mul,
    sp.Pow: _pow,
    Applied: _applied,
    Softmax: _softmax,
    Diag: _diag,
    Norm: _norm,
    LogSumExp: _log_sum_exp,
    SumEntries: _sum_entries,
    AsScalar: _as_scalar,
}
_BASE_HANDLERS: list = []  # (class, handler) for subclasses (the checker registers its own)
_SCALAR_FUNCTIONS = {
    sp.exp: "exp",
    sp.log: "log",
    sp.tanh: "tanh",
    sp.cosh: "cosh",
    sp.sinh: "sinh",
    sp.sin: "sin",
    sp.cos: "cos",
    sp.tan: "tan",
}


def register(cls, handler) -> None:
    """Teach the evaluator a node class: ``handler(evaluator, expr, local) -> value``."""
    _BASE_HANDLERS.append((cls, handler))


# ── sampling and the check ───────────────────────────────────────────────────


def _largest_draw():
    """The largest magnitude ``_draw`` returns; short counterexamples in (0, 1) are ninths."""
    return 8 if _SMALL[0] else (4 if _PRECISE[0] else _DISTINCT)


def _draw(rng: random.Random, positive: bool = False):
    if _SMALL[0]:  # a readable counterexample: entries 1..4 in size
        k = rng.randrange(1, 5)
        return k if positive or rng.random() < 0.5 else -k
    if _PRECISE[0]:  # moderate values, so that exp of them stays in range
        k = Fraction(rng.randrange(1, 4001), 1000)
        return k if positive or rng.random() < 0.5 else -k
    k = rng.randrange(1, _DISTINCT + 1)
    return k if positive or rng.random() < 0.5 else -k


def _sample(var, dims: dict, rng: random.Random):
    """A random value for ``var`` respecting its domain, as jets of degree 1 (every entry an
    independent random indeterminate). Domains on open sets need nothing (a rational identity
    on an open set holds everywhere); symmetric matrices share their mirrored entries, SPD ones
    are made diagonally dominant, probability vectors are normalised positive vectors."""
    domain = var.domain
    one = (1, 0)

    def draw():
        if domain == "unit-interval":  # into (0, 1): an affine image of the same grid
            return Fraction(_draw(rng, positive=True)) / (_largest_draw() + 1)
        return _draw(rng, positive=domain in ("positive", "probability"))

    if var.is_scalar:
        return Jet(draw(), deg=one)
    rows, cols = (_size(d, dims) for d in var.shape)
    entries = [[draw() for _ in range(cols)] for _ in range(rows)]
    if domain in ("symmetric", "spd"):
        for i in range(rows):
            for j in range(i):
                entries[i][j] = entries[j][i]
        if domain == "spd":
            for i in range(rows):
                entries[i][i] = sum(abs(v) for v in entries[i]) + abs(entries[i][i])
    if domain == "probability":
        total = sum(sum(r) for r in entries)
        return _matrix([[Jet(Fraction(v, total), deg=(1, 1)) for v in r] for r in entries])
    if domain not in ("real", "positive", "unit-interval", "symmetric", "spd", "invertible",
                      "nonzero"):  # fmt: skip
        raise Unsupported(f"domain {domain}")
    return _matrix([[Jet(v, deg=one) for v in r] for r in entries])


def _seed(value, u, w=None):
    """The variable's value moved along direction u (ε₁) and w (ε₂)."""

    def move(j, du, dw):
        return Jet(j.a, du, dw or 0, 0, (2, 0) if j.deg == (1, 0) else _add_deg(j.deg, (2, 0)))

    if _is_matrix(value):
        out = np.empty(value.shape, dtype=object)
        for idx in np.ndindex(value.shape):
            out[idx] = move(value[idx], u[idx], None if w is None else w[idx])
        return out
    return move(value, u, w)


def _directions(value, rng):
    def one():
        return _mpf(_draw(rng)) if _PRECISE[0] else _draw(rng)

    if _is_matrix(value):
        d = np.empty(value.shape, dtype=object)
        for idx in np.ndindex(value.shape):
            d[idx] = one()
        return d
    return one()


def supported(claim: Claim) -> str | None:
    """None when this layer applies to ``claim``, else why not."""
    from .symbolic import uses_limit_definition

    if claim.kind not in ("gradient", "jacobian", "hessian", "directional", "derivative",
                          "identity"):  # fmt: skip
        return f"{claim.kind} claims are left to the other layers"
    if uses_limit_definition(claim) or claim.side:
        return "a derivative from its limit definition"
    if claim.kind in ("jacobian", "hessian") and not claim.stacked:
        var = claim.variable(claim.wrt)
        if not var.is_scalar and var.shape[1] != 1:
            return "a Jacobian or Hessian with respect to a matrix"
    return None


def check(claim: Claim, dims_sets: list[dict], salt: str = "", precise: bool = False):
    """The identity test at ``POINTS`` random points for each dimension assignment.

    ``precise``: the same forward-mode evaluation with the true values of exp, log, ... in
    60-digit arithmetic at moderate points. It can only refute (a difference far above the
    working precision, as the exact layer's 50-digit evaluation does), never pass: it is run
    when the generators could not decide."""
    _PRECISE[0] = precise
    try:
        with mpmath.workdps(60):
            return _check(claim, dims_sets, salt, precise)
    finally:
        _PRECISE[0] = False


def _check(claim: Claim, dims_sets: list[dict], salt: str, precise: bool) -> LayerResult:
    result = LayerResult(layer="identity", status="pass")
    why = supported(claim)
    if why:
        result.status, result.detail = "skipped", why
        return result
    worst = 0.0
    generated = False
    for dims in dims_sets:
        label = ", ".join(f"{k}={v}" for k, v in dims.items()) or "scalar"
        result.dims.append(label)
        rng = random.Random(f"identity{'-precise' if precise else ''}|{claim.id}|{salt}|{label}")
        done = tries = 0
        while done < (1 if claim.at else POINTS):
            tries += 1
            if tries > 4 * POINTS:
                result.status = "undecided"
                result.detail = "no admissible random point (a zero pivot or log of 0 each time)"
                return result
            try:
                outcome = _one_point(claim, dims, rng)
            except Undefined:
                continue
            except Exception as exc:
                result.status, result.detail = "skipped", f"not evaluable here: {exc}"
                return result
            done += 1
            result.checks += 1
            difference, degree, uses_generators = outcome
            generated |= uses_generators
            if difference and precise:
                result.status = "fail"
                result.detail = (
                    "the forward-mode derivative in 60-digit arithmetic (true exp, log, ...) "
                    "differs from the claim at a random point, far beyond the working precision"
                )
                result.counterexample = {"dims": label, "exact": False, **difference}
                return result
            if difference:
                if uses_generators:
                    result.status = "undecided"
                    result.detail = (
                        "claimed and derived differ when exp, log and the like are independent "
                        "indeterminates; that is no proof of a difference (exp(2u) = exp(u)² is "
                        "lost there), so the other layers decide"
                    )
                    return result
                result.status = "fail"
                result.proved_by = "rational arithmetic"
                result.detail = "derived and claimed differ at an exact random point"
                small = _small_counterexample(claim, dims, rng)
                result.counterexample = {"dims": label, "exact": True, **(small or difference)}
                return result
            worst = max(worst, degree / _DISTINCT)
    bound = worst**POINTS if not claim.at else 0.0
    if precise:  # agreement to 60 digits is evidence, not a proof: the others decide
        result.status = "undecided"
        result.detail = "the 60-digit forward-mode derivative agrees with the claim (no proof)"
        return result
    if claim.at:
        result.detail = "exact forward-mode derivative at the given point"
    elif bound >= 1e-6:
        result.status = "undecided"
        result.detail = f"agreement at {POINTS} random points, but the degree bound is too large"
        return result
    else:
        result.detail = (
            f"exact forward-mode derivative agrees with the claim at {POINTS} independent random "
            f"points per size (entries from 2^{SAMPLE_BITS} integers"
            + (", exp/log/... as independent indeterminates" if generated else "")
            + f"); a wrong claim passes with probability at most {max(bound, 1e-300):.0e} "
            "(Schwartz–Zippel)"
        )
    return result


def _small_counterexample(claim: Claim, dims: dict, rng: random.Random, tries: int = 40):
    """The same exact comparison at points with entries of size 1 to 4 (a wrong claim differs
    at almost every point): a counterexample a reader can redo by hand, or None."""
    _SMALL[0] = True
    try:
        for _ in range(tries):
            try:
                difference, _, generated = _one_point(claim, dims, rng, show_point=True)
            except Undefined:
                continue
            if difference is not None and not generated:
                return difference
        return None
    except Exception:
        return None
    finally:
        _SMALL[0] = False


def _one_point(claim: Claim, dims: dict, rng: random.Random, show_point: bool = False):
    """(difference or None, degree bound, generators used) at one random point."""
    env: dict = {}
    values = {}
    for var in claim.variables:
        if claim.at and var.symbol in claim.at:
            values[var.symbol] = _given(claim.at[var.symbol], var, dims)
        else:
            values[var.symbol] = _sample(var, dims, rng)
    kind = claim.kind
    wrt = list(claim.wrt_symbols) if kind != "identity" else []
    u = {s: _directions(values[s], rng) for s in wrt}
    w = {s: _directions(values[s], rng) for s in wrt} if kind == "hessian" else {}
    if kind == "directional":
        for s, d in zip(wrt, claim.direction_symbols, strict=True):
            u[s] = _plain(values[d])
    for s, value in values.items():
        env[s] = _seed(value, u[s], w.get(s)) if s in u else value
    ev = _Evaluator(env, dims, rng, precise=_PRECISE[0])
    for symbol, definition in claim.where.items():
        env[symbol] = ev.value(unwrap(definition))  # (written in the author's order, perhaps)
    f = ev.value(claim.f)
    claimed = ev.value(claim.claimed)
    need, have = _required_shape(claim, f, values, wrt), _shape(claimed)
    if have != need and not (need is None and have == (1, 1)):
        raise Unsupported(f"claimed has shape {have}, the claim needs {need}")
    if kind == "identity":
        true, shown = f, claimed
    elif kind in ("gradient", "derivative") and not _is_matrix(_scalar_or(f)):
        true = _scalar(f).b
        shown = _contract(claimed, [u[s] for s in wrt], claim)
    elif kind == "hessian":
        true = _scalar(f).d
        shown = _bilinear(claimed, [u[s] for s in wrt], [w[s] for s in wrt])
    elif kind == "jacobian":
        true = np.vectorize(lambda j: j.b, otypes=[object])(_column(f))
        shown = _column(claimed).dot(_flat_column([u[s] for s in wrt]))
        shown = np.vectorize(lambda j: Jet.of(j).a, otypes=[object])(shown)
    elif kind == "directional":
        true = np.vectorize(lambda j: j.b, otypes=[object])(f) if _is_matrix(f) else f.b
        shown = np.vectorize(lambda j: j.a, otypes=[object])(claimed) if _is_matrix(claimed) \
            else _scalar(claimed).a  # fmt: skip
    else:
        raise Unsupported(kind)
    if kind == "identity":
        generated = _flag(f, "generated") or _flag(claimed, "generated")
    else:  # the derivative parts of f against the claimed values
        generated = _flag(f, "tail") or _flag(claimed, "generated")
    difference, degree, generated = _compare(true, shown, claimed, f, generated)
    if difference is not None and (_PRECISE[0] or show_point):  # short numbers: worth printing
        difference["point"] = {str(sym): _shown(v) for sym, v in values.items()}
        if u and kind != "directional":
            parts = list(u.values())
            shaped = parts[0] if len(parts) == 1 and _is_matrix(parts[0]) else None
            difference["direction"] = _shown(shaped if shaped is not None else _flat_column(parts))
    return difference, degree, generated


def _shown(value):
    """A sampled value for a counterexample: short decimals (the precise mode's points are
    multiples of 1/1000), matrices as nested lists."""
    if _is_matrix(value):
        return [[_shown(v) for v in row] for row in value]
    v = value.a if isinstance(value, Jet) else value
    if _PRECISE[0]:
        return mpmath.nstr(_mpf(v), 8)
    return int(v) if isinstance(v, int) or getattr(v, "denominator", 0) == 1 else str(v)


def _flag(v, name: str) -> bool:
    values = list(np.asarray(v).ravel()) if _is_matrix(v) else [v]
    return any(getattr(Jet.of(j), name) for j in values)


def _shape(v):
    return tuple(v.shape) if _is_matrix(v) else None


def _required_shape(claim: Claim, f, values: dict, wrt: list):
    """The shape the claimed side must have (None: a scalar), as the other layers require."""
    kind = claim.kind
    if kind in ("identity", "directional"):
        shape = _shape(f)
        return None if shape == (1, 1) and kind == "directional" else shape
    size = sum(np.asarray(values[s]).size if _is_matrix(values[s]) else 1 for s in wrt)
    if kind == "derivative" or (kind == "gradient" and claim.wrt_is_scalar):
        return None
    if kind == "gradient":
        return _shape(values[wrt[0]]) if len(wrt) == 1 else (size, 1)
    if kind == "hessian":
        return (size, size)
    if kind == "jacobian":
        return (_shape(f)[0] if _is_matrix(f) else 1, size)
    return None


def _scalar_or(v):
    return v[0, 0] if _is_matrix(v) and v.shape == (1, 1) else v


def _plain(value):
    if _is_matrix(value):
        return np.vectorize(lambda j: j.a, otypes=[object])(value)
    return value.a


def _given(value, var, dims):
    value = sp.sympify(value)
    if isinstance(value, sp.MatrixBase):
        return _matrix([[Jet(Fraction(str(e))) for e in row] for row in value.tolist()])
    return Jet(Fraction(str(value)))


def _column(v):
    if not _is_matrix(v):
        return _matrix([[v]])
    return v


def _flat_column(parts):
    flat = []
    for p in parts:
        flat += list(np.asarray(p).ravel()) if _is_matrix(p) else [p]
    return _matrix([[x] for x in flat])


def _contract(claimed, directions, claim):
    """⟨claimed, u⟩: the claimed gradient along the seeded direction (stacked for tuples)."""
    if len(directions) == 1 and not _is_matrix(directions[0]):
        return _scalar(claimed).a * directions[0]
    u = _flat_column(directions)
    g = np.asarray(claimed)
    if not _is_matrix(claimed) or g.size != u.size:
        raise Unsupported("claimed has the wrong shape")  # the shape check reports this
    total = 0
    for gv, uv in zip(g.ravel(), u.ravel(), strict=True):
        total += Jet.of(gv).a * uv
    return total


def _bilinear(claimed, us, ws):
    u, w = _flat_column(us).ravel(), _flat_column(ws).ravel()
    h = np.asarray(claimed) if _is_matrix(claimed) else _matrix([[claimed]])
    if h.shape != (len(u), len(w)):
        raise Unsupported("claimed has the wrong shape")
    total = 0
    for i in range(len(u)):
        for j in range(len(w)):
            total += u[i] * Jet.of(h[i, j]).a * w[j]
    return total


def _text(v) -> str:
    return mpmath.nstr(v, 12) if isinstance(v, mpmath.mpf) else str(v)


def _differ(t, s) -> bool:
    if _PRECISE[0]:  # 60 digits: rounding is far below 1e-40 relative
        t, s = _mpf(t), _mpf(s)
        return abs(t - s) > mpmath.mpf(10) ** -40 * (1 + abs(t) + abs(s))
    return t != s


def _compare(true, shown, claimed, f, generated: bool):
    """(None or the first differing entry, degree bound of the difference, generators?)."""
    trues = list(np.asarray(true).ravel()) if _is_matrix(true) else [true]
    shows = list(np.asarray(shown).ravel()) if _is_matrix(shown) else [shown]
    if len(trues) != len(shows):
        raise Unsupported("shapes differ")
    for k, (t, s) in enumerate(zip(trues, shows, strict=True)):
        t = t.a if isinstance(t, Jet) else t
        s = s.a if isinstance(s, Jet) else s
        if _differ(t, s):
            relative = abs(_mpf(t) - _mpf(s)) / (abs(_mpf(t)) + abs(_mpf(s)))
            return {"entry": k, "derived": _text(t), "claimed": _text(s),
                    "relative_discrepancy": mpmath.nstr(relative, 3)}, 0, generated  # fmt: skip
    degree = _degree(claimed, f)
    return None, degree, generated


def _degree(claimed, f) -> int:
    """A bound on the total degree of the compared difference: f's jet (its coefficients are
    the derivatives) against the claimed value times the directions."""
    values = [f, claimed]
    n = d = 0
    for v in values:
        for j in np.asarray(v).ravel() if _is_matrix(v) else [v]:
            j = Jet.of(j)
            n, d = max(n, j.deg[0]), max(d, j.deg[1])
    return 2 * (n + d) + 4
