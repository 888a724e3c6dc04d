# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: Taylor expansion
#
# This page is the executed form of `derivations/taylor.py`. Every result on the chapter page
# *Taylor expansion* is declared here as a claim and checked by the engine; the error-order plot
# at the end is computed from the same functions.
#
# ## A Taylor polynomial the engine can check
#
# $T_k[f]_a(h)$ is the degree-$k$ Taylor polynomial of $f$ about the point $a$, evaluated at the
# step $h$ (it approximates $f(a + h)$). For several variables the step is a vector and the
# polynomial is $\sum_{j\le k}\varphi^{(j)}(0)/j!$ with $\varphi(t) = f(a + t h)$, which is the
# same as $f(a) + \nabla f(a)^\top h + \tfrac12 h^\top\nabla^2 f(a)\,h + \dots$.
#
# `TaylorPolynomial` below is a sympy expression that prints as $T_k[f]_a(h)$ and that the
# engine expands by differentiating $f$ itself. So when a claim states the degree-2 polynomial
# of $\sqrt{x}$ about 4, its right-hand side is compared with derivatives that the engine takes,
# not with numbers typed in by hand. `Rounded` prints as $\operatorname{round}_k(v)$: the
# engine rounds the exact value $v$ to $k$ decimals itself, so a decimal on the chapter page is
# checked too.

# %%
# %matplotlib inline
from dataclasses import replace as _replace_context

import sympy as sp
from sympy.core.symbol import Str

from derivations.engine import AsScalar, Diag, Norm, claim, dim, matrix, scalar, vector
from derivations.engine.concrete import explicit, register_handler, scalar_test_function
from derivations.engine.functions import FunctionOf, round_half_up
from derivations.engine.written import product_of, sum_of


class TaylorPolynomial(sp.Expr):
    """T_k[f]_a(h): the degree-k Taylor polynomial of ``expr`` in ``variables`` about ``point``,
    evaluated at ``step``. The variables are bound (they do not count as inputs of a claim)."""

    is_commutative = True
    is_real = True

    def __new__(cls, expr, variables, point, step, order, label=""):
        return sp.Basic.__new__(
            cls,
            sp.sympify(expr),
            sp.Tuple(*variables),
            sp.Tuple(*point),
            sp.Tuple(*step),
            sp.Integer(order),
            Str(label),
        )

    @property
    def free_symbols(self):
        expr, variables, point, step = self.args[:4]
        return (expr.free_symbols - set(variables)) | point.free_symbols | step.free_symbols

    def _latex(self, printer, exp=None):
        expr, _, point, step, order, label = self.args

        def tup(values):
            inner = ", ".join(printer._print(v) for v in values)
            return inner if len(values) == 1 else rf"\left({inner}\right)"

        body = str(label) or printer._print(expr)
        steps = ", ".join(printer._print(v) for v in step)
        tex = rf"T_{{{order}}}\left[{body}\right]_{{{tup(point)}}}\left({steps}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex

    def polynomial(self, point=None, step=None):
        """The explicit polynomial: Σ_j φ^(j)(0)/j! with φ(t) = f(point + t·step)."""
        expr, variables, own_point, own_step, order, _ = self.args
        point = list(own_point) if point is None else point
        step = list(own_step) if step is None else step
        point, step = _flatten(point), _flatten(step)
        t = sp.Dummy("t")
        moved = {v: a + t * h for v, a, h in zip(variables, point, step, strict=True)}
        phi = expr.subs(moved, simultaneous=True)
        return sum(sp.diff(phi, t, j).subs(t, 0) / sp.factorial(j) for j in range(int(order) + 1))

    def doit(self, **hints):
        return self.polynomial()


def _flatten(values):
    """Scalars stay; an explicit column (a vector step or point) contributes its entries."""
    out = []
    for value in values:
        out.extend(list(value) if isinstance(value, sp.MatrixBase) else [value])
    return out


def _explicit_taylor(expr, ctx):
    _, _, point, step, _, _ = expr.args
    return expr.polynomial([explicit(a, ctx) for a in point], [explicit(h, ctx) for h in step])


register_handler(TaylorPolynomial, _explicit_taylor)


class Rounded(sp.Function):
    """round_k(v): the number v rounded half up to k decimals, so a decimal on the page (2.09987)
    is checked against the exact value it rounds, not typed in by hand."""

    nargs = 2
    is_real = True

    def _latex(self, printer, exp=None):
        value, digits = self.args
        k, body = printer._print(digits), printer._print(value)
        tex = rf"\operatorname{{round}}_{{{k}}}\left({body}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex


def _explicit_rounded(expr, ctx):
    value, digits = expr.args
    return round_half_up(explicit(value, ctx), digits)


register_handler(Rounded, _explicit_rounded)

R = sp.Rational
x, h = scalar("x"), scalar("h")
x0 = scalar("x_0")
a_pos = scalar("a", positive=True)

# %% [markdown]
# ## One variable: degree-2 Taylor polynomials
#
# $f(a + h) \approx f(a) + f'(a)h + \tfrac12 f''(a)h^2$. The claims below expand $e^x$ about
# any point, $\log x$ about $a > 0$ and $\sqrt{x}$ about $4$; the derivatives the chapter quotes
# along the way are claims too, and so is the estimate of $\sqrt{4.41}$.

# %%
exp_t2 = claim(
    "taylor.exp_second_order",
    "Degree-2 Taylor polynomial of the exponential",
    kind="identity",
    f=TaylorPolynomial(sp.exp(x), [x], [x0], [h], 2),
    claimed=sp.exp(x0) * (1 + h + h**2 / 2),
    refs=["S3-15"],
)
log_t2 = claim(
    "taylor.log_second_order",
    "Degree-2 Taylor polynomial of the logarithm",
    kind="identity",
    f=TaylorPolynomial(sp.log(x), [x], [a_pos], [h], 2),
    claimed=sp.log(a_pos) + h / a_pos - h**2 / (2 * a_pos**2),
    domains={a_pos: "positive"},
    refs=["S3-15"],
)
x_pos = scalar("x", positive=True)
log_slope = claim(
    "taylor.log_first_derivative",
    "First derivative of the logarithm",
    kind="derivative",
    f=sp.log(x_pos),
    wrt=x_pos,
    claimed=1 / x_pos,
    refs=["S3-15"],
)
log_curvature = claim(
    "taylor.log_second_derivative",
    "Second derivative of the logarithm",
    kind="partial",
    f=sp.log(x_pos),
    wrt=(x_pos, x_pos),
    claimed=-1 / x_pos**2,
    refs=["S3-15"],
)
sqrt_t2 = claim(
    "taylor.sqrt_second_order",
    "Degree-2 Taylor polynomial of the square root at 4",
    kind="identity",
    f=TaylorPolynomial(sp.sqrt(x), [x], [4], [h], 2),
    claimed=2 + h / 4 - h**2 / 64,
    refs=["S3-15"],
)
sqrt_pitfall = claim(
    "taylor.pitfall_sqrt_no_factorial",
    "Pitfall: forgetting the 1/2! in the quadratic term",
    kind="identity",
    f=TaylorPolynomial(sp.sqrt(x), [x], [4], [h], 2),
    claimed=2 + h / 4 - h**2 / 32,
    pitfall=True,
    corrects="taylor.sqrt_second_order",
    note="The quadratic term is f''(a)h²/2!, not f''(a)h²: f''(4) = -1/32 gives -h²/64.",
    refs=["S3-15"],
)
sqrt_slope = claim(
    "taylor.sqrt_slope_at_4",
    "Slope of the square root at 4",
    kind="derivative",
    f=sp.sqrt(x),
    wrt=x,
    claimed=R(1, 4),
    at={x: 4},
    refs=["S3-15"],
)
sqrt_curvature = claim(
    "taylor.sqrt_second_derivative_at_4",
    "Second derivative of the square root at 4",
    kind="partial",
    f=sp.sqrt(x),
    wrt=(x, x),
    claimed=R(-1, 32),
    at={x: 4},
    refs=["S3-15"],
)
sqrt_estimate = claim(
    "taylor.sqrt_estimate",
    "The quadratic approximation of √4.41 against the true value",
    kind="identity",
    f=[Rounded(TaylorPolynomial(sp.sqrt(x), [x], [4], [h], 2), 5), Rounded(sp.sqrt(4 + h), 5)],
    claimed=[sp.Float("2.09987"), sp.Float("2.1")],
    at={h: R(41, 100)},
    refs=["S3-15"],
)

# %% [markdown]
# ## How big is the error? Exact remainders
#
# The error of a Taylor polynomial, computed exactly: the first-order error for $x^2$ and for
# $1/x$, the *second*-order error for $x^3$. The first-order errors are quadratic in the step,
# the second-order error cubic.

# %%
square_error = claim(
    "taylor.square_first_order_error",
    "First-order error of x² is exactly h²",
    kind="identity",
    f=(x0 + h) ** 2 - TaylorPolynomial(x**2, [x], [x0], [h], 1),
    claimed=h**2,
    refs=["S4-07", "S4-14", "S2-33"],
)
h_pos = scalar("h", positive=True)
reciprocal_error = claim(
    "taylor.reciprocal_first_order_error",
    "First-order error of 1/x",
    kind="identity",
    f=1 / (a_pos + h_pos) - TaylorPolynomial(1 / x, [x], [a_pos], [h_pos], 1),
    claimed=h_pos**2 / (a_pos**2 * (a_pos + h_pos)),
    domains={a_pos: "positive", h_pos: "positive"},
    refs=["S2-33", "S0-04"],
)
cube_error = claim(
    "taylor.cube_second_order_error",
    "Second-order error of x³ is exactly h³",
    kind="identity",
    f=(x0 + h) ** 3 - TaylorPolynomial(x**3, [x], [x0], [h], 2),
    claimed=h**3,
    refs=["S3-15"],
)

# %% [markdown]
# The sources' numbers for $f(x) = x^2$ at $x_0 = 1$: the change the tangent line predicts
# against the true change, the relative gap between them, and both values for $\delta = 0.1$.

# %%
delta = sp.Symbol("delta", real=True)
square_worked = claim(
    "taylor.square_change_predicted_and_true",
    "x² at 1: predicted and true change",
    kind="identity",
    f=[TaylorPolynomial(x**2, [x], [1], [delta], 1) - 1, (1 + delta) ** 2 - 1],
    claimed=[2 * delta, 2 * delta + delta**2],
    refs=["S4-14", "S4-07"],
)
delta_nz = sp.Symbol("delta", real=True, nonzero=True)
predicted_change = TaylorPolynomial(x**2, [x], [1], [delta_nz], 1) - 1
square_relative = claim(
    "taylor.square_change_relative_error",
    "x² at 1: relative error of the predicted change",
    kind="identity",
    f=((1 + delta_nz) ** 2 - 1 - predicted_change) / predicted_change,
    claimed=delta_nz / 2,
    refs=["S4-14"],
)
square_small_step = claim(
    "taylor.square_change_small_step",
    "x² at 1: predicted and true change for δ = 0.1",
    kind="identity",
    f=[TaylorPolynomial(x**2, [x], [1], [delta], 1) - 1, (1 + delta) ** 2 - 1],
    claimed=[R(1, 5), R(21, 100)],
    at={delta: R(1, 10)},
    refs=["S4-14"],
)

# %% [markdown]
# ## Several variables: the source's two-variable function
#
# $f(x_1, x_2) = x_1^2 + e^{x_1x_2} + 2\log x_2$.
#
# About $a = (1, 1)$: the gradient and the Hessian, as the chapter types them, are claims of
# their own. The engine then expands $T_1$ and $T_2$ from $f$ and compares them with
# $f(a) + \nabla f(a)^\top\epsilon$ and
# $f(a) + \nabla f(a)^\top\epsilon + \frac12\epsilon^\top\nabla^2 f(a)\epsilon$, with
# $f(a)$, $\nabla f(a)$ and $\nabla^2 f(a)$ computed by sympy.

# %%
x1, x2 = scalar("x_1"), scalar("x_2")
f_src = x1**2 + sp.exp(x1 * x2) + 2 * sp.log(x2)
eps = vector("epsilon", 2)
G, H = vector("G", 2), matrix("H", 2, 2)
E = sp.E
grad_at = sp.ImmutableMatrix([sp.diff(f_src, v).subs({x1: 1, x2: 1}) for v in (x1, x2)])
hess_at = sp.ImmutableMatrix(sp.hessian(f_src, (x1, x2)).subs({x1: 1, x2: 1}))
f_at = f_src.subs({x1: 1, x2: 1})
source_gradient = claim(
    "taylor.source_function_gradient_at_point",
    "Gradient of the two-variable example at (1, 1)",
    kind="gradient",
    f=f_src,
    wrt=(x1, x2),
    claimed=[2 + E, 2 + E],
    at={x1: 1, x2: 1},
    refs=["S0-04", "S3-13"],
)
source_hessian = claim(
    "taylor.source_function_hessian_at_point",
    "Hessian of the two-variable example at (1, 1)",
    kind="hessian",
    f=f_src,
    wrt=(x1, x2),
    claimed=sp.ImmutableMatrix([[2 + E, 2 * E], [2 * E, E - 2]]),
    display=sp.ImmutableMatrix([[sum_of(2, E), 2 * E], [2 * E, sum_of(E, -2)]]),
    at={x1: 1, x2: 1},
    refs=["S3-16"],
)
first_order = claim(
    "taylor.source_function_first_order",
    "First-order Taylor polynomial with the gradient",
    kind="identity",
    f=TaylorPolynomial(f_src, [x1, x2], [1, 1], [eps], 1, label="f"),
    claimed=f_at + AsScalar(G.T @ eps),
    where={G: grad_at},
    refs=["S0-04", "S2-34", "S3-13"],
)
second_order = claim(
    "taylor.source_function_second_order",
    "Second-order Taylor polynomial with gradient and Hessian",
    kind="identity",
    f=TaylorPolynomial(f_src, [x1, x2], [1, 1], [eps], 2, label="f"),
    claimed=f_at + AsScalar(G.T @ eps) + AsScalar(eps.T @ H @ eps) / 2,
    where={G: grad_at, H: hess_at},
    refs=["S3-16"],
)

# %% [markdown]
# The source writes the quadratic term as $\frac12\epsilon^\top(\nabla^2 f)^\top\epsilon$. The
# transpose does no harm: a number equals its own transpose, for any square matrix.

# %%
n = dim("n")
A = matrix("A", n, n)
e_n = vector("epsilon", n)
hessian_transpose = claim(
    "taylor.quadratic_term_transpose",
    "A transposed matrix gives the same quadratic form",
    kind="identity",
    f=AsScalar(e_n.T @ A.T @ e_n),
    claimed=AsScalar(e_n.T @ A @ e_n),
    refs=["S3-16"],
)

# %% [markdown]
# ## Quadratics are their own second-order expansion
#
# For $q(x) = \frac12 x^\top A x + b^\top x$ with symmetric $A$: its gradient and Hessian, and
# its second-order expansion, which has no error at all. Dropping the $\frac12$ is the usual
# slip. A linear function $b^\top x$ is likewise its own first-order expansion.

# %%
a, s, b = vector("a", n), vector("h", n), vector("b", n)
g_q = vector("g", n)


def q(z):
    return AsScalar(z.T @ A @ z) / 2 + AsScalar(b.T @ z)


x_q = vector("x", n)
q_shown = sum_of(AsScalar(x_q.T @ A @ x_q) / 2, AsScalar(b.T @ x_q))  # ½xᵀAx + bᵀx, as written
quadratic_gradient = claim(
    "taylor.quadratic_gradient",
    "Gradient of ½xᵀAx + bᵀx for symmetric A",
    kind="gradient",
    f=q(x_q),
    wrt=x_q,
    claimed=A @ x_q + b,
    display_f=q_shown,
    domains={A: "symmetric"},
    refs=["S3-16", "S0-15"],
)
quadratic_hessian = claim(
    "taylor.quadratic_hessian",
    "Hessian of ½xᵀAx + bᵀx for symmetric A",
    kind="hessian",
    f=q(x_q),
    wrt=x_q,
    claimed=A,
    display_f=q_shown,
    domains={A: "symmetric"},
    refs=["S3-16"],
)
quadratic_exact = claim(
    "taylor.quadratic_second_order_exact",
    "A quadratic equals its second-order Taylor expansion",
    kind="identity",
    f=q(a + s),
    claimed=q(a) + AsScalar(g_q.T @ s) + AsScalar(s.T @ A @ s) / 2,
    where={g_q: A @ a + b},
    domains={A: "symmetric"},
    refs=["S3-16", "S0-15"],
)
quadratic_pitfall = claim(
    "taylor.pitfall_quadratic_no_half",
    "Pitfall: the second-order term without the 1/2",
    kind="identity",
    f=q(a + s),
    claimed=q(a) + AsScalar(g_q.T @ s) + AsScalar(s.T @ A @ s),
    where={g_q: A @ a + b},
    domains={A: "symmetric"},
    pitfall=True,
    corrects="taylor.quadratic_second_order_exact",
    note="The Hessian term is ½hᵀAh; without the ½ the curvature is counted twice.",
    refs=["S3-16"],
)
linear_exact = claim(
    "taylor.linear_function_exact",
    "A linear function equals its linear approximation",
    kind="identity",
    f=b.T @ (a + s),
    claimed=b.T @ a + b.T @ s,
    display=sum_of(b.T @ a, b.T @ s),
    refs=["S2-35"],
)

# %% [markdown]
# ## Exercise: the ellipse function g about (1, 1)
#
# $g(x_1, x_2) = x_1^2/4 + x_2^2/9$.

# %%
g = x1**2 / 4 + x2**2 / 9
g_value = claim(
    "taylor.g_at_point",
    "Value of g at (1, 1)",
    kind="identity",
    f=g,
    claimed=R(13, 36),
    at={x1: 1, x2: 1},
    refs=["S0-13"],
)
g_gradient = claim(
    "taylor.g_gradient",
    "Gradient of g",
    kind="gradient",
    f=g,
    wrt=(x1, x2),
    claimed=[x1 / 2, 2 * x2 / 9],
    refs=["S0-13"],
)
g_gradient_at = claim(
    "taylor.g_gradient_at_point",
    "Gradient of g at (1, 1)",
    kind="gradient",
    f=g,
    wrt=(x1, x2),
    claimed=[R(1, 2), R(2, 9)],
    at={x1: 1, x2: 1},
    refs=["S0-13", "S0-16"],
)
g_hessian = claim(
    "taylor.g_hessian",
    "Hessian of g (constant)",
    kind="hessian",
    f=g,
    wrt=(x1, x2),
    claimed=sp.ImmutableMatrix([[R(1, 2), 0], [0, R(2, 9)]]),
    refs=["S0-13"],
)


def _unevaluated_first_order():
    """13/36 + (x₁ - 1)/2 + 2(x₂ - 1)/9, kept in this order for the page."""
    return sp.Add(
        R(13, 36),
        sp.Mul(R(1, 2), x1 - 1, evaluate=False),
        sp.Mul(R(2, 9), x2 - 1, evaluate=False),
        evaluate=False,
    )


T1_g = TaylorPolynomial(g, [x1, x2], [1, 1], [x1 - 1, x2 - 1], 1, label="g")
T2_g = TaylorPolynomial(g, [x1, x2], [1, 1], [x1 - 1, x2 - 1], 2, label="g")
g_first = claim(
    "taylor.g_first_order",
    "First-order Taylor polynomial of g about (1, 1)",
    kind="identity",
    f=T1_g,
    claimed=_unevaluated_first_order(),
    refs=["S0-13", "S0-14"],
)
g_error = claim(
    "taylor.g_first_order_error",
    "Error of the first-order approximation of g",
    kind="identity",
    f=g - T1_g,
    claimed=(x1 - 1) ** 2 / 4 + (x2 - 1) ** 2 / 9,
    refs=["S0-14"],
)
g_error_near = claim(
    "taylor.g_first_order_error_near",
    "Error of the first-order approximation of g at (1.1, 0.9)",
    kind="identity",
    f=g - T1_g,
    claimed=R(13, 3600),
    at={x1: R(11, 10), x2: R(9, 10)},
    refs=["S0-14"],
)
g_error_far = claim(
    "taylor.g_first_order_error_far",
    "Error of the first-order approximation of g at (3, 3)",
    kind="identity",
    f=g - T1_g,
    claimed=R(13, 9),
    at={x1: 3, x2: 3},
    refs=["S0-14"],
)
h1, h2 = scalar("h_1"), scalar("h_2")
g_error_sign = claim(
    "taylor.g_first_order_error_nonnegative",
    "The first-order approximation of g never overestimates",
    kind="property",
    f=sp.GreaterThan(
        g.subs({x1: 1 + h1, x2: 1 + h2})
        - TaylorPolynomial(g, [x1, x2], [1, 1], [h1, h2], 1, label="g"),
        0,
    ),
    claimed=sp.true,
    refs=["S0-14"],
)
g_second_term = claim(
    "taylor.g_second_order_term",
    "What the second-order term adds for g",
    kind="identity",
    f=T2_g - T1_g,
    claimed=(x1 - 1) ** 2 / 4 + (x2 - 1) ** 2 / 9,
    display_f=sum_of(T2_g, -T1_g),
    refs=["S0-15"],
)
g_second = claim(
    "taylor.g_second_order_exact",
    "The second-order Taylor polynomial of g is g itself",
    kind="identity",
    f=T2_g,
    claimed=g,
    refs=["S0-15"],
)

# %% [markdown]
# Level sets: the point $(2\sqrt c\cos\theta,\ 3\sqrt c\sin\theta)$ runs around the ellipse
# $g = c$, with semi-axes $2\sqrt c$ and $3\sqrt c$. The gradient there is orthogonal to the
# tangent (the derivative in $\theta$, which sympy takes below) and points outward.

# %%
c = scalar("c", positive=True)
theta = scalar("theta")
tangent, position = vector("t", 2), vector("p", 2)
grad_g = vector(r"\nabla g", 2)
on_ellipse = {x1: 2 * sp.sqrt(c) * sp.cos(theta), x2: 3 * sp.sqrt(c) * sp.sin(theta)}
gradient_on_ellipse = {grad_g: sp.ImmutableMatrix([x1 / 2, 2 * x2 / 9])}
g_level = claim(
    "taylor.g_level_set_ellipse",
    "The level set g = c is an ellipse with semi-axes 2√c and 3√c",
    kind="identity",
    f=g,
    claimed=c,
    where=on_ellipse,
    domains={c: "positive"},
    refs=["S0-16"],
)
g_orthogonal = claim(
    "taylor.g_gradient_orthogonal_to_level_set",
    "The gradient of g is orthogonal to its level sets",
    kind="identity",
    f=AsScalar(grad_g.T @ tangent),
    claimed=0,
    where={
        **on_ellipse,
        **gradient_on_ellipse,
        tangent: sp.ImmutableMatrix([sp.diff(value, theta) for value in on_ellipse.values()]),
    },
    domains={c: "positive"},
    refs=["S0-16"],
)
g_outward = claim(
    "taylor.g_gradient_points_outward",
    "The gradient of g points out of its level sets",
    kind="identity",
    f=AsScalar(grad_g.T @ position),
    claimed=2 * c,
    where={**on_ellipse, **gradient_on_ellipse, position: sp.ImmutableMatrix([x1, x2])},
    domains={c: "positive"},
    refs=["S0-16"],
)

# %% [markdown]
# ## Exercise: the distance to the origin near (3, 4)
#
# $f(x, y) = \sqrt{x^2 + y^2}$.

# %%
y, u, v = scalar("y"), scalar("u"), scalar("v")
radius = sp.sqrt(x**2 + y**2)
norm_gradient = claim(
    "taylor.norm_gradient_at_3_4",
    "Gradient of √(x² + y²) at (3, 4)",
    kind="gradient",
    f=radius,
    wrt=(x, y),
    claimed=[R(3, 5), R(4, 5)],
    at={x: 3, y: 4},
    refs=["S2-36"],
)
norm_linear = claim(
    "taylor.norm_linear_approximation",
    "Linear approximation of √(x² + y²) near (3, 4)",
    kind="identity",
    f=TaylorPolynomial(radius, [x, y], [3, 4], [u, v], 1),
    claimed=5 + R(3, 5) * u + R(4, 5) * v,
    refs=["S2-36", "S2-34"],
)
norm_linear_value = claim(
    "taylor.norm_linear_value",
    "The linear approximation at (3.1, 4.2)",
    kind="identity",
    f=TaylorPolynomial(radius, [x, y], [3, 4], [u, v], 1),
    claimed=R(522, 100),
    where={u: R(1, 10), v: R(2, 10)},
    refs=["S2-38"],
)
norm_true_value = claim(
    "taylor.norm_true_value",
    "The true value at (3.1, 4.2)",
    kind="identity",
    f=radius,
    claimed=sp.sqrt(109) / 2,
    where={x: R(31, 10), y: R(42, 10)},
    refs=["S2-38"],
)
norm_error = claim(
    "taylor.norm_linear_error",
    "Error of the linear approximation at (3.1, 4.2), to five decimals",
    kind="identity",
    f=Rounded(
        sp.sqrt((3 + u) ** 2 + (4 + v) ** 2) - TaylorPolynomial(radius, [x, y], [3, 4], [u, v], 1),
        5,
    ),
    claimed=sp.Float("0.00015"),
    at={u: R(1, 10), v: R(1, 5)},
    refs=["S2-38"],
)

# %% [markdown]
# ## Vector-valued maps: the Jacobian is the best linear approximation
#
# For the entrywise square $s(x) = \operatorname{diag}(x)\,x$: its Jacobian, and what the
# linear approximation misses, which is quadratic in the step. Along the first coordinate
# direction the change is the first column of the Jacobian.

# %%
w = vector("x", n)
step = vector("epsilon", n)
square_map_jacobian = claim(
    "taylor.square_map_jacobian",
    "Jacobian of the entrywise square",
    kind="jacobian",
    f=Diag(w) @ w,
    wrt=w,
    claimed=2 * Diag(w),
    refs=["S3-14", "S3-09"],
)
square_map_remainder = claim(
    "taylor.square_map_linear_remainder",
    "What the Jacobian's linear approximation leaves out",
    kind="identity",
    f=Diag(w + step) @ (w + step) - (Diag(w) @ w + 2 * Diag(w) @ step),
    claimed=Diag(step) @ step,
    refs=["S3-14"],
)
d1, d2 = scalar("d_1"), scalar("d_2")
jacobian_column = claim(
    "taylor.jacobian_first_column",
    "Moving along x₁ changes a map by the first column of its Jacobian",
    kind="directional",
    f=[x1**2 * x2, x1 + sp.sin(x2)],
    wrt=(x1, x2),
    direction=(d1, d2),
    claimed=[4, 1],
    at={x1: 1, x2: 2, d1: 1, d2: 0},
    refs=["S3-09"],
)

# %% [markdown]
# ## Moving along a direction
#
# By the definition of $T_1$, the linear approximation changes by $t\,\nabla f(x)^\top d$ when
# we move to $x + td$: up if $\nabla f(x)^\top d > 0$, down if $\nabla f(x)^\top d < 0$, not at
# all if $\nabla f(x)^\top d = 0$. For $f$ itself this is only the first-order picture: the exact
# change of $\lVert x\rVert^2$ has a term in $t^2$ as well, so along a direction with
# $x^\top d = 0$ the function still goes up.

# %%
t = scalar("t")
xv, dv = vector("x", n), vector("d", n)
directional_rate = claim(
    "taylor.directional_derivative_is_gradient_product",
    "The rate of change along d is ∇f(x)ᵀd",
    kind="directional",
    f=Norm(xv) ** 2,
    wrt=xv,
    direction=dv,
    claimed=2 * AsScalar(xv.T @ dv),
    refs=["S3-17"],
)
linear_model_change = claim(
    "taylor.linear_approximation_change",
    "The linear approximation changes by t∇f(x)ᵀd",
    kind="identity",
    f=TaylorPolynomial(x1**2 + x2**2, [x1, x2], [x1, x2], [t * d1, t * d2], 1, label="f")
    - (x1**2 + x2**2),
    claimed=2 * t * (x1 * d1 + x2 * d2),
    refs=["S3-17"],
)
norm_along = claim(
    "taylor.squared_norm_along_direction",
    "Exact change of ‖x‖² along a direction",
    kind="identity",
    f=Norm(xv + t * dv) ** 2,
    claimed=Norm(xv) ** 2 + 2 * t * AsScalar(xv.T @ dv) + t**2 * Norm(dv) ** 2,
    refs=["S3-18", "S3-17"],
)
x_fixed, d_fixed = vector("x", 2), vector("d", 2)
orthogonal_example = claim(
    "taylor.orthogonal_direction_example",
    "Along a direction orthogonal to x, ‖x‖² still changes",
    kind="identity",
    f=[AsScalar(x_fixed.T @ d_fixed), Norm(x_fixed + t * d_fixed) ** 2],
    claimed=[0, 1 + t**2],
    display=[0, sum_of(1, t**2)],
    where={x_fixed: sp.ImmutableMatrix([1, 0]), d_fixed: sp.ImmutableMatrix([0, 1])},
    refs=["S3-18"],
)
orthogonal_pitfall = claim(
    "taylor.pitfall_orthogonal_direction_constant",
    "Pitfall: f stays the same along a direction orthogonal to the gradient",
    kind="identity",
    f=Norm(x_fixed + t * d_fixed) ** 2,
    claimed=Norm(x_fixed) ** 2,
    where={x_fixed: sp.ImmutableMatrix([1, 0]), d_fixed: sp.ImmutableMatrix([0, 1])},
    pitfall=True,
    corrects="taylor.squared_norm_along_direction",
    note="Here ∇f(x)ᵀd = 2xᵀd = 0, yet f(x + td) = 1 + t² > f(x) for every t ≠ 0: a zero "
    "first-order term leaves the second-order term ½t²dᵀ∇²f(x)d in charge.",
    refs=["S3-18"],
)

# %% [markdown]
# ## Taylor's theorem with a remainder
#
# The chapter page states the theorem and its proof; this section declares what the engine
# can check of it. The theorem holds for every $f$ with $n + 1$ continuous derivatives and
# speaks of an unknown point $\xi$, so it is not a computation. Its proof is made of two:
#
# 1. the derivative of $G(t)$, the degree-$n$ Taylor polynomial about $x + t$ evaluated at the
#    step $h - t$ that is left, collapses to a single term. The claim below takes that
#    derivative for an arbitrary $f$ (the symbolic layer keeps $f$ undefined) with $n = 2$;
#    integrating it from $t = 0$ to $t = h$ gives the integral form of the remainder;
# 2. the weight $(1-s)^n/n!$ of the integral form has total $1/(n+1)!$: checked with $n$ a
#    dimension symbol, at each order the engine substitutes for it.
#
# `Integral01` prints as $\int_0^1 \dots\,\mathrm{d}s$; the engine integrates it with sympy
# after making the rest of the expression explicit, so an integral form below is checked by an
# integral the engine computes, against a remainder it computes from derivatives.
# `Deriv` prints as $f'$, $f''$, $f'''$, $f^{(4)}$ of the arbitrary function $f$.


# %%
class Integral01(sp.Expr):
    """∫₀¹ body ds, with ``var`` (s) bound: it does not count as an input of a claim."""

    is_commutative = True
    is_real = True

    def __new__(cls, body, var):
        return sp.Basic.__new__(cls, sp.sympify(body), var)

    @property
    def free_symbols(self):
        body, var = self.args
        return body.free_symbols - {var}

    def _latex(self, printer, exp=None):
        body, var = self.args
        tex = rf"\int_0^1 {printer._print(body)}\,\mathrm{{d}}{printer._print(var)}"
        return rf"\left({tex}\right)^{{{exp}}}" if exp is not None else tex

    def doit(self, **hints):
        body, var = self.args
        return sp.integrate(body, (var, 0, 1), conds="none")


_INTEGRALS: dict = {}  # explicit integrand -> its integral: the layers share one integration


def _explicit_integral(expr, ctx):
    body, var = expr.args
    inner = _replace_context(ctx, env={**ctx.env, var: var})
    integrand = explicit(body, inner)
    if integrand not in _INTEGRALS:
        _INTEGRALS[integrand] = sp.integrate(integrand, (var, 0, 1), conds="none")
    return _INTEGRALS[integrand]


register_handler(Integral01, _explicit_integral)


class Deriv(sp.Function):
    """f^(k)(arg) for the arbitrary function ``label``: f, f', f'', f''' and then f^(k)."""

    nargs = 3
    is_commutative = True
    is_real = True

    def _latex(self, printer, exp=None):
        label, arg, order = self.args
        k = int(order)
        mark = "'" * k if k <= 3 else f"^{{({k})}}"
        tex = rf"{label}{mark}\left({printer._print(arg)}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp is not None else tex


def _explicit_deriv(expr, ctx):
    label, order = str(expr.args[0]), int(expr.args[2])
    arg = explicit(expr.args[1], ctx)
    u = sp.Dummy("u", real=True)
    base = sp.Function(label)(u) if ctx.family is None else scalar_test_function([u], ctx.family)
    return sp.diff(base, u, order).subs(u, arg)


register_handler(Deriv, _explicit_deriv)

s_int = sp.Symbol("s", real=True)
t_run = scalar("t")
N_TELESCOPE = 2  # with 3, the exact layer's test function (a cubic) would make both sides 0


def _telescoped_term(k):
    """f^(k)(x + t)(h - t)^k / k!, kept in this order for the page."""
    power = sp.Pow(sum_of(h, -t_run), k, evaluate=False) if k > 1 else sum_of(h, -t_run)
    factors = [Deriv(Str("f"), sum_of(x, t_run), k)]
    if k >= 1:
        factors.append(power)
    if k >= 2:
        factors.append(sp.Pow(sp.factorial(k), -1, evaluate=False))
    return product_of(*factors) if len(factors) > 1 else factors[0]


remainder_telescoping = claim(
    "taylor.remainder_telescoping",
    "The derivative that proves Taylor's theorem: the terms cancel in pairs",
    kind="derivative",
    f=sum(
        Deriv(Str("f"), x + t_run, k) * (h - t_run) ** k / sp.factorial(k)
        for k in range(N_TELESCOPE + 1)
    ),
    wrt=t_run,
    claimed=Deriv(Str("f"), x + t_run, N_TELESCOPE + 1)
    * (h - t_run) ** N_TELESCOPE
    / sp.factorial(N_TELESCOPE),
    display_f=sum_of(*[_telescoped_term(k) for k in range(N_TELESCOPE + 1)]),
    display=product_of(
        Deriv(Str("f"), sum_of(x, t_run), N_TELESCOPE + 1),
        sp.Pow(sum_of(h, -t_run), N_TELESCOPE, evaluate=False),
        sp.Pow(sp.factorial(N_TELESCOPE), -1, evaluate=False),
    ),
    refs=["S3-15"],
)
n_order = dim("n")
remainder_weight = claim(
    "taylor.remainder_weight",
    "The weight of the integral form integrates to 1/(n+1)!",
    kind="identity",
    f=Integral01((1 - s_int) ** n_order / sp.factorial(n_order), s_int),
    claimed=1 / sp.factorial(n_order + 1),
    display_f=Integral01(
        sp.Pow(sum_of(1, -s_int), n_order, evaluate=False) / sp.factorial(n_order), s_int
    ),
    refs=["S3-15"],
)

# %% [markdown]
# ### The exponential and the sine
#
# The integral forms of the error of $e^h \approx 1 + h$ and of $\sin h \approx h$ (a
# second-order remainder, since the $h^2$ term of $\sin$ is zero), checked for every $h$; the
# bounds that follow from them, checked at exact points (the engine decides an inequality with
# $e^h$ or $\sin h$ in it at a point, not for all $h$ in an interval); the point $\xi$ of the
# Lagrange form for $e^1$; and the pitfall of taking the derivative at the expansion point.

# %%
exp_integral_remainder = claim(
    "taylor.exp_integral_remainder",
    "Integral form of the first-order error of the exponential",
    kind="identity",
    f=sp.exp(h) - TaylorPolynomial(sp.exp(x), [x], [0], [h], 1),
    claimed=h**2 * Integral01((1 - s_int) * sp.exp(s_int * h), s_int),
    display_f=sum_of(sp.exp(h), -TaylorPolynomial(sp.exp(x), [x], [0], [h], 1)),
    display=product_of(h**2, Integral01(product_of(sum_of(1, -s_int), sp.exp(s_int * h)), s_int)),
    refs=["S3-15"],
)
EXP_RADIUS = R(1, 10)


def _between(low, value, high):
    """low ≤ value ≤ high, as two relations: with low = 0 this is |value| ≤ high for a value
    that is not negative (the engine's point checks take no absolute values)."""
    return sp.And(sp.LessThan(low, value, evaluate=False), sp.LessThan(value, high, evaluate=False))


def _exp_first_order_bound(at_step, label):
    error = sp.exp(h) - TaylorPolynomial(sp.exp(x), [x], [0], [h], 1)
    bound = sp.exp(EXP_RADIUS) * h**2 / 2
    return claim(
        f"taylor.exp_first_order_bound_{label}",
        f"First-order error of the exponential against its bound at h = {at_step}",
        kind="property",
        f=_between(0, error, bound),
        display_f=_between(
            0,
            sum_of(sp.exp(h), -TaylorPolynomial(sp.exp(x), [x], [0], [h], 1)),
            product_of(sp.exp(EXP_RADIUS), h**2 / 2),
        ),
        claimed=sp.true,
        at={h: at_step},
        refs=["S3-15"],
    )


exp_bound_right = _exp_first_order_bound(EXP_RADIUS, "right_end")
exp_bound_left = _exp_first_order_bound(-EXP_RADIUS, "left_end")

xi = scalar("xi")
lagrange_point = sp.log(product_of(2, sum_of(sp.exp(h), -1, -h)) / h**2)
lagrange_exp = claim(
    "taylor.lagrange_point_exp",
    "The Lagrange point of the first-order error of e^h at h = 1 lies between 0 and 1",
    kind="property",
    f=sp.And(
        sp.Eq(sp.exp(h), TaylorPolynomial(sp.exp(x), [x], [0], [h], 1) + sp.exp(xi) * h**2 / 2),
        sp.StrictLessThan(0, xi),
        sp.StrictLessThan(xi, h),
    ),
    display_f=sp.And(
        sp.Eq(
            sp.exp(h),
            sum_of(TaylorPolynomial(sp.exp(x), [x], [0], [h], 1), product_of(sp.exp(xi), h**2 / 2)),
            evaluate=False,
        ),
        sp.StrictLessThan(0, xi),
        sp.StrictLessThan(xi, h),
    ),
    claimed=sp.true,
    where={xi: lagrange_point},
    at={h: 1},
    refs=["S3-15"],
)
lagrange_pitfall = claim(
    "taylor.pitfall_remainder_at_expansion_point",
    "Pitfall: the remainder with f'' taken at the expansion point",
    kind="identity",
    f=sp.exp(h),
    claimed=TaylorPolynomial(sp.exp(x), [x], [0], [h], 1) + sp.exp(0) * h**2 / 2,
    display=sum_of(
        TaylorPolynomial(sp.exp(x), [x], [0], [h], 1),
        product_of(sp.exp(sp.Integer(0), evaluate=False), h**2 / 2),
    ),
    pitfall=True,
    corrects="taylor.exp_integral_remainder",
    note="The remainder is f''(ξ)h²/2 at some ξ between 0 and h, not f''(0)h²/2: with f'' "
    "taken at 0 the right-hand side is T₂ = 1 + h + h²/2, which misses e^h by about h³/6.",
    refs=["S3-15"],
)
sin_integral_remainder = claim(
    "taylor.sin_integral_remainder",
    "Integral form of the error of sin h ≈ h",
    kind="identity",
    f=sp.sin(h) - TaylorPolynomial(sp.sin(x), [x], [0], [h], 2),
    claimed=-(h**3) / 2 * Integral01((1 - s_int) ** 2 * sp.cos(s_int * h), s_int),
    display_f=sum_of(sp.sin(h), -TaylorPolynomial(sp.sin(x), [x], [0], [h], 2)),
    display=product_of(
        -(h**3) / 2,
        Integral01(
            product_of(sp.Pow(sum_of(1, -s_int), 2, evaluate=False), sp.cos(s_int * h)), s_int
        ),
    ),
    refs=["S3-15"],
)
sin_linear = claim(
    "taylor.sin_linear_is_second_order",
    "The second-order polynomial of sin about 0 is h, the first-order one",
    kind="identity",
    f=TaylorPolynomial(sp.sin(x), [x], [0], [h], 2),
    claimed=h,
    refs=["S3-15"],
)
sin_bound = claim(
    "taylor.sin_bound_at_one",
    "The error of sin h ≈ h at h = 1 is within h³/6",
    kind="property",
    f=_between(0, h - sp.sin(h), h**3 / 6),
    display_f=_between(0, sum_of(h, -sp.sin(h)), h**3 / 6),
    claimed=sp.true,
    at={h: 1},
    refs=["S3-15"],
)

# %% [markdown]
# ### The chapter's examples, with their bounds
#
# The estimate of $\sqrt{4.41}$ (second order, so the third derivative sets the bound) and the
# first-order error of $1/x$ for $a > 0$ and $h > 0$ (the second derivative sets it; this
# inequality sympy decides for all such $a$ and $h$).

# %%
sqrt_third = claim(
    "taylor.sqrt_third_derivative",
    "Third derivative of the square root",
    kind="derivative",
    f=sp.diff(sp.sqrt(x_pos), x_pos, 2),
    wrt=x_pos,
    claimed=R(3, 8) * x_pos ** R(-5, 2),
    domains={x_pos: "positive"},
    refs=["S3-15"],
)
sqrt_third_at_4 = claim(
    "taylor.sqrt_third_derivative_at_4",
    "Third derivative of the square root at 4",
    kind="partial",
    f=sp.sqrt(x),
    wrt=(x, x, x),
    claimed=R(3, 256),
    at={x: 4},
    refs=["S3-15"],
)
sqrt_T2 = TaylorPolynomial(sp.sqrt(x), [x], [4], [h], 2)
sqrt_error = sp.sqrt(4 + h) - sqrt_T2
sqrt_bound = claim(
    "taylor.sqrt_estimate_error_bound",
    "The error of the estimate of √4.41 is within the remainder bound",
    kind="property",
    f=_between(0, sqrt_error, R(3, 256) * h**3 / 6),
    display_f=_between(0, sum_of(sp.sqrt(sum_of(4, h)), -sqrt_T2), product_of(R(3, 256), h**3 / 6)),
    claimed=sp.true,
    at={h: R(41, 100)},
    refs=["S3-15"],
)
sqrt_bound_value = claim(
    "taylor.sqrt_estimate_bound_value",
    "The remainder bound for the estimate of √4.41, to seven decimals",
    kind="identity",
    f=Rounded(R(3, 256) * h**3 / 6, 7),
    claimed=sp.Float("0.0001346"),
    at={h: R(41, 100)},
    refs=["S3-15"],
)
sqrt_error_value = claim(
    "taylor.sqrt_estimate_error_value",
    "The error of the estimate of √4.41, to seven decimals",
    kind="identity",
    f=Rounded(sqrt_error, 7),
    claimed=sp.Float("0.0001266"),
    at={h: R(41, 100)},
    refs=["S3-15"],
)
reciprocal_curvature = claim(
    "taylor.reciprocal_second_derivative",
    "Second derivative of 1/x",
    kind="partial",
    f=1 / x_pos,
    wrt=(x_pos, x_pos),
    claimed=2 / x_pos**3,
    domains={x_pos: "positive"},
    refs=["S3-15"],
)
reciprocal_bound = claim(
    "taylor.reciprocal_error_bound",
    "The first-order error of 1/x is within Mh²/2 with M = 2/a³",
    kind="property",
    f=sp.GreaterThan(
        sp.factor(R(1, 2) * (2 / a_pos**3) * h_pos**2 - h_pos**2 / (a_pos**2 * (a_pos + h_pos))),
        0,
        evaluate=False,
    ),
    display_f=sp.GreaterThan(
        sum_of(product_of(2 / a_pos**3, h_pos**2 / 2), -(h_pos**2) / (a_pos**2 * (a_pos + h_pos))),
        0,
        evaluate=False,
    ),
    claimed=sp.true,
    domains={a_pos: "positive", h_pos: "positive"},
    refs=["S3-15"],
)

# %% [markdown]
# ### Several variables
#
# Along the segment from $x$ to $x + h$ the second derivative is the Hessian's quadratic form
# (for an arbitrary $f$ of two variables); the weight of the second-order bound has total
# $1/6$. Then the bounds on examples: $x_1^3/6$, where the $L/6$ bound is attained; the
# exercise's $g$; the distance to the origin near $(3, 4)$, whose Hessian has norm
# $1/\lVert z\rVert$. For $x_1^3/6$ and $g$ sympy decides the inequalities for every step.


# %%
class HessianAt(sp.MatrixExpr):
    """∇²f(arg) for the arbitrary function ``label`` of a vector: undefined in the symbolic
    layer (so a result holds for every f), a concrete smooth test function otherwise."""

    def __new__(cls, label, arg):
        return sp.Basic.__new__(cls, Str(str(label)), arg)

    @property
    def shape(self):
        rows = self.args[1].shape[0]
        return (rows, rows)

    def _latex(self, printer, exp=None):
        return rf"\nabla^2 {self.args[0]}\left({printer._print(self.args[1])}\right)"


def _explicit_hessian_at(expr, ctx):
    label, arg = expr.args
    value = explicit(arg, ctx)
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    us = [sp.Dummy(f"u{i}", real=True) for i in range(len(entries))]
    base = (
        sp.Function(str(label))(*us) if ctx.family is None else scalar_test_function(us, ctx.family)
    )
    return sp.hessian(base, us).subs(dict(zip(us, entries, strict=True)), simultaneous=True)


register_handler(HessianAt, _explicit_hessian_at)

x_line, h_line = vector("x", 2), vector("h", 2)
line_second = claim(
    "taylor.line_second_derivative",
    "Along the segment x + th, the second derivative is the Hessian's quadratic form",
    kind="partial",
    f=FunctionOf(Str("f"), x_line + t_run * h_line),
    wrt=(t_run, t_run),
    claimed=AsScalar(h_line.T @ HessianAt("f", x_line + t_run * h_line) @ h_line),
    display_f=FunctionOf(Str("f"), sum_of(x_line, t_run * h_line)),
    display=AsScalar(product_of(h_line.T, HessianAt("f", sum_of(x_line, t_run * h_line)), h_line)),
    refs=["S3-16", "S4-31"],
)

# %%
lipschitz_weight = claim(
    "taylor.lipschitz_weight",
    "The weight of the second-order bound integrates to 1/6",
    kind="identity",
    f=Integral01((1 - s_int) * s_int, s_int),
    claimed=R(1, 6),
    display_f=Integral01(product_of(sum_of(1, -s_int), s_int), s_int),
    refs=["S3-16"],
)
cubic = x1**3 / 6
cubic_hessian = claim(
    "taylor.cubic_hessian",
    "Hessian of x₁³/6",
    kind="hessian",
    f=cubic,
    wrt=(x1, x2),
    claimed=sp.ImmutableMatrix([[x1, 0], [0, 0]]),
    refs=["S3-16"],
)
cubic_T2 = TaylorPolynomial(cubic, [x1, x2], [x1, x2], [h1, h2], 2, label="f")
cubic_shifted = sp.Pow(sum_of(x1, h1), 3, evaluate=False) / 6  # f(x + h), as written
cubic_remainder = claim(
    "taylor.cubic_second_order_error",
    "Second-order error of x₁³/6 in two variables",
    kind="identity",
    f=cubic_shifted - cubic_T2,
    claimed=h1**3 / 6,
    display_f=sum_of(cubic_shifted, -cubic_T2),
    refs=["S3-16"],
)
step_norm_sq = sum_of(h1**2, h2**2)  # ‖h‖² for h = (h₁, h₂), as written
cubic_bound = claim(
    "taylor.cubic_second_order_bound",
    "The second-order error of x₁³/6 is within ‖h‖³/6 (L = 1), compared squared",
    kind="property",
    f=sp.LessThan((cubic_shifted - cubic_T2) ** 2, (h1**2 + h2**2) ** 3 / 36, evaluate=False),
    display_f=sp.LessThan(
        sp.Pow(sum_of(cubic_shifted, -cubic_T2), 2, evaluate=False),
        sp.Pow(step_norm_sq, 3, evaluate=False) / 36,
        evaluate=False,
    ),
    claimed=sp.true,
    refs=["S3-16"],
)
g_T1_step = TaylorPolynomial(g, [x1, x2], [1, 1], [h1, h2], 1, label="g")
g_shifted = sum_of(  # g(1 + h₁, 1 + h₂), as written
    sp.Pow(sum_of(1, h1), 2, evaluate=False) / 4, sp.Pow(sum_of(1, h2), 2, evaluate=False) / 9
)
g_bound = claim(
    "taylor.g_first_order_bound",
    "The first-order error of g is within (M/2)‖h‖² with M = 1/2",
    kind="property",
    f=sp.LessThan(g_shifted - g_T1_step, R(1, 4) * (h1**2 + h2**2), evaluate=False),
    display_f=sp.LessThan(
        sum_of(*g_shifted.args, -g_T1_step), product_of(R(1, 2) / 2, step_norm_sq), evaluate=False
    ),
    claimed=sp.true,
    refs=["S0-14"],
)
distance_hessian = claim(
    "taylor.distance_hessian",
    "Hessian of the distance to the origin",
    kind="hessian",
    f=radius,
    wrt=(x, y),
    claimed=sp.ImmutableMatrix([[y**2, -x * y], [-x * y, x**2]]) / radius**3,
    refs=["S2-36"],
)
hess_radius = sp.ImmutableMatrix([[y**2, -x * y], [-x * y, x**2]]) / radius**3
H_r = matrix("H", 2, 2)
Z_r = sp.ImmutableMatrix([[x, -y], [y, x]])  # columns: z and z turned by a right angle
distance_hessian_eigen = claim(
    "taylor.distance_hessian_eigenvalues",
    "The Hessian of the distance has eigenvalues 0 (along z) and 1/‖z‖ (across)",
    kind="identity",
    f=H_r @ Z_r,
    claimed=Z_r @ sp.ImmutableMatrix([[0, 0], [0, 1 / radius]]),
    where={H_r: hess_radius},
    refs=["S2-36"],
)
norm_bound = claim(
    "taylor.norm_linear_error_bound",
    "The error of the linear approximation at (3.1, 4.2) is within (M/2)‖h‖² with M = 1/5",
    kind="property",
    f=sp.LessThan(
        sp.sqrt((3 + u) ** 2 + (4 + v) ** 2) - TaylorPolynomial(radius, [x, y], [3, 4], [u, v], 1),
        R(1, 5) / 2 * (u**2 + v**2),
        evaluate=False,
    ),
    display_f=sp.LessThan(
        sum_of(
            sp.sqrt(
                sum_of(
                    sp.Pow(sum_of(3, u), 2, evaluate=False), sp.Pow(sum_of(4, v), 2, evaluate=False)
                )
            ),
            -TaylorPolynomial(radius, [x, y], [3, 4], [u, v], 1),
        ),
        product_of(R(1, 5) / 2, sum_of(u**2, v**2)),
        evaluate=False,
    ),
    claimed=sp.true,
    at={u: R(1, 10), v: R(1, 5)},
    refs=["S2-38"],
)


s_seg = scalar("s")
distance_along_segment = claim(
    "taylor.distance_along_segment",
    "Squared distance to the origin along the segment from (3, 4) to (3.1, 4.2)",
    kind="identity",
    f=(3 + s_seg / 10) ** 2 + (4 + s_seg / 5) ** 2,
    claimed=25 + R(11, 5) * s_seg + s_seg**2 / 20,
    display_f=sum_of(
        sp.Pow(sum_of(3, s_seg / 10), 2, evaluate=False),
        sp.Pow(sum_of(4, s_seg / 5), 2, evaluate=False),
    ),
    display=sum_of(25, R(11, 5) * s_seg, s_seg**2 / 20),
    refs=["S2-38"],
)

# %% [markdown]
# ### Exercise: log(1 + h) near 0
#
# The second derivative of $\log(1 + x)$, its largest size on $[-1/10, 1/10]$ (at the left
# end), and the first-order error against the resulting bound at both ends.

# %%
log1p_curvature = claim(
    "taylor.log1p_second_derivative",
    "Second derivative of log(1 + x)",
    kind="partial",
    f=sp.log(1 + x),
    wrt=(x, x),
    claimed=-1 / (1 + x) ** 2,
    display_f=sp.log(sum_of(1, x)),
    display=-1 / sp.Pow(sum_of(1, x), 2, evaluate=False),
    refs=["S3-15"],
)
log1p_M = claim(
    "taylor.log1p_curvature_bound",
    "The largest |f''| of log(1 + x) on [-1/10, 1/10]",
    kind="identity",
    f=1 / (1 + x) ** 2,
    claimed=R(100, 81),
    display_f=1 / sp.Pow(sum_of(1, x), 2, evaluate=False),
    at={x: R(-1, 10)},
    refs=["S3-15"],
)


def _log1p_bound(at_step, label):
    T1 = TaylorPolynomial(sp.log(1 + x), [x], [0], [h], 1, label=r"\log\left(1 + x\right)")
    return claim(
        f"taylor.log1p_first_order_bound_{label}",
        f"First-order error of log(1 + h) against its bound at h = {at_step}",
        kind="property",
        f=_between(0, T1 - sp.log(1 + h), R(100, 81) * h**2 / 2),
        display_f=_between(0, sum_of(T1, -sp.log(sum_of(1, h))), product_of(R(100, 81), h**2 / 2)),
        claimed=sp.true,
        at={h: at_step},
        refs=["S3-15"],
    )


log1p_bound_left = _log1p_bound(R(-1, 10), "left_end")
log1p_bound_right = _log1p_bound(R(1, 10), "right_end")


# %% [markdown]
# ## The error order, numerically
#
# Along a fixed unit direction $u$ the first-order error $|f(a + hu) - T_1|$ should fall like
# $h^2$ and the second-order error like $h^3$. On a log-log plot these are lines of slope 2
# and 3 (the logarithm of $C h^2$ is a claim below). The function and the point are those of
# the two-variable example above.

# %%
from derivations.figures import figure, show

C_pos, h_len = scalar("C", positive=True), scalar("h", positive=True)
log_power_law = claim(
    "taylor.log_power_law",
    "An error C h² is a line of slope 2 on log-log axes",
    kind="identity",
    f=sp.log(C_pos * h_len**2),
    claimed=sp.log(C_pos) + 2 * sp.log(h_len),
    display=sum_of(sp.log(C_pos), product_of(2, sp.log(h_len))),
    refs=["S3-15"],
)

ERROR_DIRECTION = (0.6, -0.8)


def error_table(steps=None):
    """(steps, first-order errors, second-order errors) for f_src about (1, 1) along u."""
    import numpy as np

    steps = np.logspace(-3.5, -0.5, 13) if steps is None else steps
    ux, uy = ERROR_DIRECTION
    f_num = sp.lambdify((x1, x2), f_src, "mpmath")
    k = sp.Symbol("k")
    t1 = sp.lambdify(
        k, TaylorPolynomial(f_src, [x1, x2], [1, 1], [k * ux, k * uy], 1).doit(), "mpmath"
    )
    t2 = sp.lambdify(
        k, TaylorPolynomial(f_src, [x1, x2], [1, 1], [k * ux, k * uy], 2).doit(), "mpmath"
    )
    import mpmath

    mpmath.mp.dps = 40
    first, second = [], []
    for step_size in steps:
        true = f_num(1 + mpmath.mpf(step_size) * ux, 1 + mpmath.mpf(step_size) * uy)
        first.append(float(abs(true - t1(mpmath.mpf(step_size)))))
        second.append(float(abs(true - t2(mpmath.mpf(step_size)))))
    return np.asarray(steps), np.asarray(first), np.asarray(second)


def fitted_slopes():
    import numpy as np

    steps, first, second = error_table()
    return (
        float(np.polyfit(np.log(steps), np.log(first), 1)[0]),
        float(np.polyfit(np.log(steps), np.log(second), 1)[0]),
    )


@figure(
    "taylor.error_order",
    alt="Log-log plot of approximation error against step size: the first-order error falls "
    "along a line of slope 2 and the second-order error along a steeper line of slope 3, "
    "each next to a dashed reference line.",
    caption="Error of the first- and second-order Taylor approximations of "
    "f = x₁² + exp(x₁x₂) + 2 log x₂ about (1, 1), against the step length h along a fixed "
    "direction; dashed lines have slopes 2 and 3.",
    size=(5.0, 3.8),
)
def draw_error_order(ax):
    steps, first, second = error_table()
    s1, s2 = fitted_slopes()
    ax.loglog(steps, first, "o-", color="#3949ab", ms=3.5, label=f"first order (slope {s1:.2f})")
    ax.loglog(steps, second, "s-", color="#c2185b", ms=3.5, label=f"second order (slope {s2:.2f})")
    ax.loglog(steps, first[-1] * (steps / steps[-1]) ** 2, "--", color="#3949ab", lw=0.8)
    ax.loglog(steps, second[-1] * (steps / steps[-1]) ** 3, "--", color="#c2185b", lw=0.8)
    ax.set_xlabel("step length h")
    ax.set_ylabel("absolute error")
    ax.legend(frameon=False)


@figure(
    "taylor.g_level_sets",
    alt="Three nested ellipses, wider vertically than horizontally, with pink arrows at points "
    "on the middle ellipse; each arrow is perpendicular to the ellipse and points outward. A "
    "dot marks the point (1, 1) with a black arrow for its gradient (1/2, 2/9).",
    caption="Level sets g = c of g(x₁, x₂) = x₁²/4 + x₂²/9 (semi-axes 2√c and 3√c) and the "
    "gradient (x₁/2, 2x₂/9) at points of one of them; the dot is (1, 1).",
    size=(4.4, 4.4),
)
def draw_g_level_sets(ax):
    import numpy as np

    angles = np.linspace(0, 2 * np.pi, 300)
    for level in (0.15, 13 / 36, 0.7):
        ax.plot(
            2 * np.sqrt(level) * np.cos(angles),
            3 * np.sqrt(level) * np.sin(angles),
            color="#3949ab",
            lw=1.0,
        )
    for angle in np.linspace(0, 2 * np.pi, 10, endpoint=False):
        p = np.array([2 * np.sqrt(13 / 36) * np.cos(angle), 3 * np.sqrt(13 / 36) * np.sin(angle)])
        grad = np.array([p[0] / 2, 2 * p[1] / 9])
        tip = p + 0.45 * grad / np.linalg.norm(grad)
        ax.annotate(
            "", xy=tip, xytext=p, arrowprops={"arrowstyle": "->", "color": "#c2185b", "lw": 1.2}
        )
    ax.plot([1], [1], "o", color="black", ms=4)
    ax.annotate(
        "",
        xy=(1 + 0.9 * 0.5, 1 + 0.9 * 2 / 9),
        xytext=(1, 1),
        arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.4},
    )
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


def remainder_table(steps=None):
    """(steps, |sin h - h|, h³/6, e^h - 1 - h, e^h h²/2) for steps h > 0, in floating point
    (expm1 keeps e^h - 1 accurate for small h)."""
    import numpy as np

    steps = np.logspace(-3, 0, 25) if steps is None else np.asarray(steps, dtype=float)
    sin_error = steps - np.sin(steps)
    exp_error = np.expm1(steps) - steps
    return steps, sin_error, steps**3 / 6, exp_error, np.exp(steps) * steps**2 / 2


@figure(
    "taylor.remainder_bound",
    alt="Log-log plot of two Taylor errors against the step h from 0.001 to 1, each with its "
    "remainder bound drawn as a wide pale band. The error of sin h ≈ h rises with slope 3 inside "
    "the band of h³/6; the error of e^h ≈ 1 + h rises with slope 2 inside the band of e^h h²/2. "
    "For small h each error runs along the middle of its band; near h = 1 the exponential's "
    "error falls visibly below its band.",
    caption="Actual error (dark line) and remainder bound (pale band) as the step shrinks: "
    "h − sin h against h³/6, and e^h − 1 − h against e^h h²/2 (M is the largest f'' on [0, h]). "
    "For small steps the bounds are almost exact.",
    size=(5.0, 3.8),
)
def draw_remainder_bound(ax):
    steps, sin_error, sin_bound, exp_error, exp_bound = remainder_table()
    ax.loglog(steps, exp_bound, "-", color="#9fa8da", lw=6, alpha=0.7, label="bound e^h h²/2")
    ax.loglog(steps, exp_error, "o-", color="#1a237e", ms=3, lw=1, label="e^h − 1 − h")
    ax.loglog(steps, sin_bound, "-", color="#f48fb1", lw=6, alpha=0.7, label="bound h³/6")
    ax.loglog(steps, sin_error, "s-", color="#880e4f", ms=3, lw=1, label="h − sin h")
    ax.set_xlabel("step h")
    ax.set_ylabel("error")
    ax.legend(frameon=False, fontsize=8)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("taylor")


# %% [markdown]
# ## The slopes, measured
#
# A least-squares line through the log-log points; the slopes should be close to 2 and 3.

# %%
if __name__ == "__main__":
    slope_first, slope_second = fitted_slopes()
    print(f"first-order slope {slope_first:.3f}, second-order slope {slope_second:.3f}")
    assert abs(slope_first - 2) < 0.05 and abs(slope_second - 3) < 0.05

    show("taylor.error_order")

# %% [markdown]
# ## Level sets of g and its gradient

# %%
if __name__ == "__main__":
    show("taylor.g_level_sets")

# %% [markdown]
# ## Remainders against their bounds
#
# The figure compares each error with its bound for steps from 0.001 to 1. Below, the bounds
# that the claims check at a few exact points are also evaluated on fine grids of their
# intervals, in floating point: this is evidence for the whole interval, not a proof (the proof
# is the integral form with the argument on the chapter page).

# %%
if __name__ == "__main__":
    import numpy as np

    show("taylor.remainder_bound")
    grid = np.linspace(-0.1, 0.1, 2001)
    exp_gap = np.exp(0.1) * grid**2 / 2 - (np.expm1(grid) - grid)
    wide = np.linspace(-3, 3, 6001)
    sin_gap = np.abs(wide) ** 3 / 6 - np.abs(np.sin(wide) - wide)
    print(f"exp, |h| <= 1/10: smallest bound - error {exp_gap.min():.3e}")
    print(f"sin, |h| <= 3:    smallest bound - error {sin_gap.min():.3e}")
    assert exp_gap.min() >= 0 and sin_gap.min() >= 0
