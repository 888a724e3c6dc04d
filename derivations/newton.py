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
# # Lab: Newton's method and convexity
#
# This page is the executed form of `derivations/newton.py`. Every result on the chapter page
# *Newton's method and convexity* is declared here as a claim, from the sympy objects that are
# rendered there, and checked by the engine. Then Newton's method and gradient descent are run
# side by side on a strictly convex function of one variable, and their errors compared.
#
# Notation: at the current point $x\in\mathbb{R}^n$ the gradient is $g = \nabla f(x)$ and the
# Hessian is $H = \nabla^2 f(x)$, a symmetric matrix; $h$ is a step, and the quadratic model of
# $f$ around $x$ is $m(h) = f(x) + g^\top h + \tfrac12 h^\top H h$. In the convexity part $X$ is
# the data ($n$ examples, $d$ features), $w$ the weights and $v$ a direction in weight space.

# %%
# %matplotlib inline
import numpy as np
import sympy as sp

from derivations.activations import Sigma  # σ(t) of a scalar, printed as such
from derivations.engine import AsScalar, Diag, Norm, claim, dim, matrix, scalar, vector
from derivations.engine.concrete import explicit, register_handler
from derivations.engine.functions import Applied, ScalarOfMatrix, SumEntries
from derivations.engine.written import product_of, sum_of
from derivations.least_squares import MinEigenvalue  # λ_min of a 2×2 matrix, printed as such

R = sp.Rational
n, d = dim("n"), dim("d")

# %% [markdown]
# ## The Newton step minimises the quadratic model
#
# Write $f_0 = f(x)$, so the model is $m(h) = f_0 + g^\top h + \tfrac12 h^\top H h$, a quadratic
# in the step $h$. The claims below give its gradient and Hessian in $h$; show that the gradient
# vanishes at the Newton step $h_N = -H^{-1}g$ (for invertible $H$); that for positive definite
# $H$ the model is its value at $h_N$ plus a bowl centred there, so $h_N$ is its unique
# minimiser; and give the model's value at $h_N$, the decrease it predicts.

# %%
f0 = scalar("f_0")
g, h, h_N = vector("g", n), vector("h", n), vector("h_N", n)
H = matrix("H", n, n)
half = R(1, 2)


def model(step):
    return f0 + AsScalar(g.T @ step) + half * AsScalar(step.T @ H @ step)


def model_shown(step):
    """f₀ + gᵀh + ½hᵀHh, in that order."""
    st = step.T if isinstance(step, sp.MatrixSymbol) else sp.Transpose(step)
    return sum_of(
        f0, AsScalar(product_of(g.T, step)), product_of(half, AsScalar(product_of(st, H, step)))
    )


newton_step = -sp.Inverse(H) @ g
model_gradient = claim(
    "newton.model_gradient",
    "Gradient of the quadratic model in the step h",
    kind="gradient",
    f=model(h),
    wrt=h,
    claimed=g + H @ h,
    display_f=model_shown(h),
    display=sum_of(g, H @ h),
    domains={H: "symmetric"},
    refs=["S3-16", "MC-81", "MC-69"],
)
model_hessian = claim(
    "newton.model_hessian",
    "Hessian of the quadratic model in the step h",
    kind="hessian",
    f=model(h),
    wrt=h,
    claimed=H,
    display_f=model_shown(h),
    domains={H: "symmetric"},
    refs=["S3-16", "S0-10"],
)
step_stationary = claim(
    "newton.step_zeroes_model_gradient",
    "The Newton step solves Hh = −g: the model's gradient is zero there",
    kind="identity",
    f=H @ h_N,
    claimed=-g,
    where={h_N: newton_step},
    domains={H: "invertible"},
    refs=["S3-16", "S2-01"],
)
model_bowl = claim(
    "newton.model_about_step",
    "The model is its value at the Newton step plus a bowl centred there",
    kind="identity",
    f=model(h),
    claimed=model(h_N) + half * AsScalar((h - h_N).T @ H @ (h - h_N)),
    display_f=model_shown(h),
    display=sum_of(
        model_shown(h_N),
        product_of(half, AsScalar(product_of(sp.Transpose(sum_of(h, -h_N)), H, sum_of(h, -h_N)))),
    ),
    where={h_N: newton_step},
    domains={H: "spd"},
    refs=["S3-16", "S4-57"],
)
model_decrease = claim(
    "newton.model_value_at_step",
    "The model's value at the Newton step",
    kind="identity",
    f=model(h_N),
    claimed=f0 - half * AsScalar(g.T @ sp.Inverse(H) @ g),
    display_f=model_shown(h_N),
    display=sum_of(f0, -product_of(half, AsScalar(g.T @ sp.Inverse(H) @ g))),
    where={h_N: newton_step},
    domains={H: "symmetric"},
    refs=["S3-16"],
)

# %% [markdown]
# ## One step is enough on a quadratic
#
# For $f(x) = \tfrac12 x^\top A x - b^\top x + c$ with $A$ symmetric positive definite, the
# gradient and the Hessian are the claims `gradient_descent.quadratic_gradient` and
# `gradient_descent.quadratic_hessian`. The second-order model is then exact, and one Newton step
# from any $x$ lands on the minimiser.

# %%
A = matrix("A", n, n)
b, xv, x_plus = vector("b", n), vector("x", n), vector("x_+", n)
one_step = claim(
    "newton.quadratic_one_step",
    "One Newton step on a quadratic lands on A⁻¹b",
    kind="identity",
    f=xv - sp.Inverse(A) @ (A @ xv - b),
    claimed=sp.Inverse(A) @ b,
    display_f=sum_of(xv, -product_of(sp.Inverse(A), sum_of(A @ xv, -b))),
    domains={A: "spd"},
    refs=["S4-66", "S2-01"],
)
one_step_gradient = claim(
    "newton.quadratic_one_step_gradient",
    "After that step Ax = b: the gradient Ax − b is zero",
    kind="identity",
    f=A @ x_plus,
    claimed=b,
    where={x_plus: sp.Inverse(A) @ b},
    domains={A: "spd"},
    refs=["S4-66", "S2-01"],
)

# %% [markdown]
# A worked example with numbers: $A = \begin{bmatrix}4&1\\1&3\end{bmatrix}$, $b = (1, 2)$ and
# the start $x_0 = (1, 1)$. The claims compute the determinant of $A$, the gradient and the
# Hessian, the Newton step, the point it lands on and the gradient there, all in exact rationals.

# %%
x1, x2 = scalar("x_1"), scalar("x_2")
A2, b2, x2v, x0v = matrix("A", 2, 2), vector("b", 2), vector("x", 2), vector("x_0", 2)
A_data = sp.ImmutableMatrix([[4, 1], [1, 3]])
b_data = sp.ImmutableMatrix([1, 2])
x0_data = sp.ImmutableMatrix([1, 1])
example_f = half * AsScalar(x2v.T @ A2 @ x2v) - AsScalar(b2.T @ x2v)
example_shown = sum_of(product_of(half, AsScalar(x2v.T @ A2 @ x2v)), -AsScalar(b2.T @ x2v))
example_data = {A2: A_data, b2: b_data, x2v: sp.ImmutableMatrix([x1, x2])}
example_determinant = claim(
    "newton.example_determinant",
    "The determinant of A = [[4, 1], [1, 3]]",
    kind="identity",
    f=sp.Determinant(A2),
    claimed=11,
    where={A2: A_data},
    refs=["S4-57", "S4-52"],
)
example_gradient = claim(
    "newton.example_gradient",
    "The example's gradient",
    kind="gradient",
    f=example_f,
    wrt=(x1, x2),
    claimed=[4 * x1 + x2 - 1, x1 + 3 * x2 - 2],
    display_f=example_shown,
    display=[sum_of(4 * x1, x2, -1), sum_of(x1, 3 * x2, -2)],
    where=example_data,
    refs=["S4-66"],
)
example_gradient_start = claim(
    "newton.example_gradient_at_start",
    "The example's gradient at x₀ = (1, 1)",
    kind="gradient",
    f=example_f,
    wrt=(x1, x2),
    claimed=[4, 2],
    at={x1: 1, x2: 1},
    display_f=example_shown,
    where=example_data,
    refs=["S4-66"],
)
example_hessian = claim(
    "newton.example_hessian",
    "The example's Hessian is A",
    kind="hessian",
    f=example_f,
    wrt=(x1, x2),
    claimed=A_data,
    display_f=example_shown,
    where=example_data,
    refs=["S4-66", "S4-31"],
)
example_step = claim(
    "newton.example_newton_step",
    "The Newton step from x₀ = (1, 1)",
    kind="identity",
    f=-sp.Inverse(A2) @ (A2 @ x0v - b2),
    claimed=sp.ImmutableMatrix([R(-10, 11), R(-4, 11)]),
    display_f=-product_of(sp.Inverse(A2), sum_of(A2 @ x0v, -b2)),
    display=sp.MatMul(R(-1, 11), sp.ImmutableMatrix([10, 4]), evaluate=False),
    where={A2: A_data, b2: b_data, x0v: x0_data},
    refs=["S4-66"],
)
example_landing = claim(
    "newton.example_one_step",
    "One Newton step from (1, 1) lands on (1/11, 7/11)",
    kind="identity",
    f=x0v - sp.Inverse(A2) @ (A2 @ x0v - b2),
    claimed=sp.ImmutableMatrix([R(1, 11), R(7, 11)]),
    display_f=sum_of(x0v, -product_of(sp.Inverse(A2), sum_of(A2 @ x0v, -b2))),
    where={A2: A_data, b2: b_data, x0v: x0_data},
    refs=["S4-66"],
)
example_minimiser = claim(
    "newton.example_gradient_at_landing",
    "The gradient vanishes at (1/11, 7/11)",
    kind="gradient",
    f=example_f,
    wrt=(x1, x2),
    claimed=[0, 0],
    at={x1: R(1, 11), x2: R(7, 11)},
    display_f=example_shown,
    where=example_data,
    refs=["S4-66", "S2-01"],
)

# %% [markdown]
# ## One variable: $f(x) = x - \log x$
#
# On $x > 0$, the claims give the first two derivatives of $f(x) = x - \log x$, its critical
# point, the Newton iteration $x_{k+1} = x_k - f'(x_k)/f''(x_k)$ simplified to a polynomial map,
# what that map does to the error $e = 1 - x$, and the exact iterates from $x_0 = 1/2$. For
# gradient descent, the map $x - \eta(1 - 1/x)$: its derivative, and with the step
# $\eta = 1/4$ its derivative at the minimiser and its effect on the error.

# %%
t = scalar("x", positive=True)
eta = scalar("eta")
f1 = t - sp.log(t)
f1_derivative = claim(
    "newton.scalar_derivative",
    "Derivative of x − ln x",
    kind="derivative",
    f=f1,
    wrt=t,
    claimed=1 - 1 / t,
    display_f=sum_of(t, -sp.log(t)),
    display=sum_of(1, -1 / t),
    refs=["S2-01"],
)
f1_second = claim(
    "newton.scalar_second_derivative",
    "Second derivative of x − ln x: positive for x > 0",
    kind="partial",
    f=f1,
    wrt=(t, t),
    claimed=1 / t**2,
    display_f=sum_of(t, -sp.log(t)),
    refs=["S1-20"],
)
f1_critical = claim(
    "newton.scalar_derivative_at_minimiser",
    "The derivative of x − log x vanishes at x = 1",
    kind="derivative",
    f=f1,
    wrt=t,
    claimed=0,
    at={t: 1},
    display_f=sum_of(t, -sp.log(t)),
    refs=["S2-01"],
)
f1_curvature_start = claim(
    "newton.scalar_curvature_at_start",
    "The curvature of x − log x at x = 1/2",
    kind="partial",
    f=f1,
    wrt=(t, t),
    claimed=4,
    at={t: R(1, 2)},
    display_f=sum_of(t, -sp.log(t)),
    refs=["S1-20"],
)
newton_map = t - (1 - 1 / t) / t**-2
# x − (1 − 1/x) / (1/x²), the fraction kept as written
newton_map_shown = sum_of(
    t,
    -sp.Mul(
        sum_of(1, -1 / t), sp.Pow(sp.Pow(t, -2, evaluate=False), -1, evaluate=False), evaluate=False
    ),
)
f1_newton = claim(
    "newton.scalar_newton_map",
    "The Newton iteration for x − ln x",
    kind="identity",
    f=newton_map,
    claimed=t * (2 - t),
    display_f=newton_map_shown,
    display=product_of(t, sum_of(2, -t)),
    refs=["S3-15", "S2-01"],
)
f1_error = claim(
    "newton.scalar_newton_error_squared",
    "Newton squares the error 1 − x",
    kind="identity",
    f=1 - t * (2 - t),
    claimed=(1 - t) ** 2,
    display_f=sum_of(1, -product_of(t, sum_of(2, -t))),
    display=sum_of(1, -t) ** 2,
    refs=["S3-15"],
)
iterates = [scalar(f"x_{k}", positive=True) for k in range(5)]
chain = {iterates[k + 1]: iterates[k] * (2 - iterates[k]) for k in range(4)}
f1_iterates = claim(
    "newton.scalar_iterates",
    "Newton's iterates from x₀ = 1/2",
    kind="identity",
    f=list(iterates[1:]),
    claimed=[R(3, 4), R(15, 16), R(255, 256), R(65535, 65536)],
    where=chain,
    at={iterates[0]: R(1, 2)},
    refs=["S3-15"],
)
gd_map = t - eta * (1 - 1 / t)
gd_map_shown = sum_of(t, -product_of(eta, sum_of(1, -1 / t)))
f1_overshoot = claim(
    "newton.scalar_newton_overshoot",
    "From x₀ = 3 the Newton step leaves the domain x > 0",
    kind="identity",
    f=t * (2 - t),
    claimed=-3,
    display_f=product_of(t, sum_of(2, -t)),
    at={t: 3},
    refs=["S3-15"],
)

# %% [markdown]
# For $f(x) = x^4$ the curvature vanishes at the minimiser
# (`gradient_descent.quartic_second_derivative_at_0`), and Newton's method loses its speed: the
# iteration is a fixed multiplication.

# %%
u = scalar("x", nonzero=True)
quartic_map = claim(
    "newton.quartic_newton_map",
    "The Newton iteration for x⁴",
    kind="identity",
    f=u - 4 * u**3 / (12 * u**2),
    claimed=R(2, 3) * u,
    display_f=sum_of(u, -sp.Mul(4 * u**3, sp.Pow(12 * u**2, -1, evaluate=False), evaluate=False)),
    refs=["S4-53", "S3-15"],
)

f1_gd_slope = claim(
    "newton.scalar_gd_map_derivative",
    "Derivative of the gradient-descent map x − η(1 − 1/x)",
    kind="derivative",
    f=gd_map,
    wrt=t,
    claimed=1 - eta / t**2,
    display_f=gd_map_shown,
    display=sum_of(1, -eta / t**2),
    refs=["S4-66"],
)
f1_newton_flat = claim(
    "newton.scalar_newton_map_flat",
    "The Newton map x(2 − x) has derivative 0 at the minimiser",
    kind="derivative",
    f=t * (2 - t),
    wrt=t,
    claimed=0,
    at={t: 1},
    display_f=product_of(t, sum_of(2, -t)),
    refs=["S3-15"],
)
quarter = R(1, 4)
f1_gd_slope_quarter = claim(
    "newton.scalar_gd_slope_at_minimiser",
    "With step 1/4 the gradient-descent map has derivative 3/4 at the minimiser",
    kind="derivative",
    f=t - quarter * (1 - 1 / t),
    wrt=t,
    claimed=R(3, 4),
    at={t: 1},
    display_f=sum_of(t, -product_of(quarter, sum_of(1, -1 / t))),
    refs=["S4-66"],
)
gd_quarter = t - quarter * (1 - 1 / t)
f1_gd_error = claim(
    "newton.scalar_gd_error_factor",
    "Gradient descent with step 1/4 multiplies the error 1 − x by (4x − 1)/(4x)",
    kind="identity",
    f=1 - gd_quarter,
    claimed=(1 - t) * (4 * t - 1) / (4 * t),
    display_f=sum_of(1, -sum_of(t, -product_of(quarter, sum_of(1, -1 / t)))),
    display=product_of(sum_of(1, -t), sum_of(4 * t, -1) / (4 * t)),
    refs=["S4-66"],
)

# %% [markdown]
# ## Convexity certificates
#
# A twice-differentiable function is convex when its Hessian is positive semidefinite
# everywhere. For least squares the Hessian is the claim `least_squares.hessian`; below, its
# quadratic form is written as twice a squared norm. For logistic regression with labels
# $y_i\in\{0, 1\}$ and scores $z = Xw$, the loss is
# $L(w) = \sum_i \bigl(\log(1 + e^{z_i}) - y_i z_i\bigr)$, written
# $\mathbf 1^\top\log(\mathbf 1 + \exp(Xw)) - y^\top Xw$. The claims give its gradient and
# Hessian (with three examples and two features), the sign of the diagonal weights of the Hessian,
# and its quadratic form as a weighted sum of squares.

# %%
X, w, v = matrix("X", n, d), vector("w", d), vector("v", d)
y = vector("y", n)
ls_curvature = claim(
    "newton.least_squares_curvature",
    "The curvature of least squares along v is twice a squared norm",
    kind="identity",
    f=AsScalar(v.T @ (2 * X.T @ X) @ v),
    claimed=2 * Norm(X @ v) ** 2,
    refs=["S4-58", "S4-63"],
)
ls_psd = claim(
    "newton.least_squares_curvature_nonnegative",
    "Twice a squared norm is never negative",
    kind="property",
    f=sp.GreaterThan(2 * Norm(X @ v) ** 2, 0, evaluate=False),
    claimed=sp.true,
    refs=["S4-58", "S4-57"],
)

ones = sp.OneMatrix(n, 1)
z = X @ w
logistic_loss = SumEntries(Applied("log", ones + Applied("exp", z))) - AsScalar(y.T @ z)
logistic_shown = sum_of(
    SumEntries(Applied("log", sum_of(ones, Applied("exp", z)))), -AsScalar(y.T @ z)
)
LOGISTIC_SIZES = {n: (3,), d: (2,)}
sig = Applied("sigma", z)
logistic_gradient = claim(
    "newton.logistic_gradient",
    "Gradient of the logistic-regression loss",
    kind="gradient",
    f=logistic_loss,
    wrt=w,
    claimed=X.T @ (sig - y),
    display_f=logistic_shown,
    display=product_of(X.T, sum_of(sig, -y)),
    dims=LOGISTIC_SIZES,
    refs=["S1-17", "S1-10"],
)
logistic_hessian = claim(
    "newton.logistic_hessian",
    "Hessian of the logistic-regression loss",
    kind="hessian",
    f=logistic_loss,
    wrt=w,
    claimed=X.T @ Diag(sp.HadamardProduct(sig, ones - sig)) @ X,
    display_f=logistic_shown,
    display=product_of(X.T, Diag(sp.HadamardProduct(sig, sum_of(ones, -sig))), X),
    dims=LOGISTIC_SIZES,
    refs=["S1-17", "S1-10", "S4-31"],
)
s_t = scalar("t")
sigma_weight_positive = claim(
    "newton.sigmoid_weight_positive",
    "Each diagonal entry σ(t)(1 − σ(t)) is positive",
    kind="property",
    f=sp.StrictGreaterThan(Sigma(s_t) * (1 - Sigma(s_t)), 0),
    display_f=sp.StrictGreaterThan(product_of(Sigma(s_t), sum_of(1, -Sigma(s_t))), 0),
    claimed=sp.true,
    refs=["S1-10"],
)


class WeightedSquares(sp.Function):
    """Σᵢ dᵢ uᵢ² for vectors d and u of the same length, printed as that sum."""

    nargs = 2
    is_real = True

    @staticmethod
    def numeric(weights, values):  # the numeric layer's fast path (engine/fastnum.py)
        return float(np.sum(np.asarray(weights) * np.asarray(values) ** 2))

    def _latex(self, printer, exp=None):
        weights, values = self.args
        u = printer._print(values)
        if not isinstance(values, sp.MatrixSymbol):
            u = rf"\left({u}\right)"
        tex = rf"\sum_{{i}} {printer._print(weights)}_{{i}}\, {u}_{{i}}^{{2}}"
        return rf"\left({tex}\right)^{{{exp}}}" if exp is not None else tex


def _weighted_squares(e, ctx):
    weights = explicit(e.args[0], ctx)
    values = explicit(e.args[1], ctx)
    return sum(weights[i] * values[i] ** 2 for i in range(weights.shape[0]))


register_handler(WeightedSquares, _weighted_squares)

dw = vector("d", n)
weighted_form = claim(
    "newton.weighted_quadratic_form",
    "The quadratic form of XᵀDX is a weighted sum of squares",
    kind="identity",
    f=AsScalar(v.T @ X.T @ Diag(dw) @ X @ v),
    claimed=WeightedSquares(dw, X @ v),
    refs=["S4-57", "S4-58"],
)
weighted_nonnegative = claim(
    "newton.weighted_squares_nonnegative",
    "With positive weights the sum of squares is never negative",
    kind="property",
    f=sp.GreaterThan(WeightedSquares(dw, X @ v), 0),
    claimed=sp.true,
    domains={dw: "positive"},
    refs=["S4-57"],
)

# %% [markdown]
# ## Two pitfalls
#
# "All eigenvalues positive" certifies positive definiteness only for a symmetric matrix. The
# upper-triangular $M = \begin{bmatrix}1&-4\\0&2\end{bmatrix}$ has its diagonal entries as
# eigenvalues, both positive, but its quadratic form is negative at $v = (1, 1)$, and its
# symmetric part has a negative determinant.
#
# Newton's method looks for a point where the gradient vanishes, and does not care whether it is a
# minimum. On the saddle $f(x, y) = x^2 - y^2$ (Hessian `hessians.saddle`) one step from any point
# lands on the saddle point, and from $p = (0, 1)$ that step raises $f$.

# %%
M, v2 = matrix("M", 2, 2), vector("v", 2)
M_data = sp.ImmutableMatrix([[1, -4], [0, 2]])
M_sym = (M_data + M_data.T) / 2
nonsymmetric_form = claim(
    "newton.nonsymmetric_form_negative",
    "vᵀMv is −1 at v = (1, 1) for M = [[1, −4], [0, 2]]",
    kind="identity",
    f=AsScalar(v2.T @ M @ v2),
    claimed=-1,
    where={M: M_data},
    at={v2: sp.Matrix([1, 1])},
    refs=["S4-57"],
)
nonsymmetric_part = claim(
    "newton.nonsymmetric_symmetric_part_determinant",
    "Its symmetric part has a negative determinant",
    kind="identity",
    f=sp.Determinant(half * (M + M.T)),
    claimed=-2,
    display_f=sp.Determinant(product_of(half, sum_of(M, M.T))),
    where={M: M_data},
    refs=["S4-57"],
)
pitfall_eigenvalues = claim(
    "newton.pitfall_positive_eigenvalues_definite",
    "Pitfall: a matrix with positive eigenvalues is positive definite, symmetric or not",
    kind="property",
    f=sp.Implies(
        sp.StrictGreaterThan(MinEigenvalue(M), 0), sp.StrictGreaterThan(AsScalar(v2.T @ M @ v2), 0)
    ),
    claimed=sp.true,
    where={M: M_data},
    at={v2: sp.Matrix([1, 1])},
    pitfall=True,
    corrects="newton.nonsymmetric_symmetric_part_determinant",
    note="M = [[1, −4], [0, 2]] has the eigenvalues 1 and 2, but v = (1, 1) gives vᵀMv = −1. "
    "A quadratic form sees only the symmetric part (M + Mᵀ)/2, here of determinant −2: one "
    "eigenvalue of it is negative, so M is not positive definite.",
    refs=["S4-57", "S4-52"],
)

xs, ys = scalar("x"), scalar("y")
saddle = xs**2 - ys**2
p, gs, Hs = vector("p", 2), vector("g", 2), matrix("H", 2, 2)
saddle_data = {
    p: sp.ImmutableMatrix([xs, ys]),
    gs: sp.ImmutableMatrix([2 * xs, -2 * ys]),
    Hs: sp.ImmutableMatrix(sp.diag(2, -2)),
}
saddle_gradient = claim(
    "newton.saddle_gradient",
    "Gradient of x² − y²",
    kind="gradient",
    f=saddle,
    wrt=(xs, ys),
    claimed=[2 * xs, -2 * ys],
    display_f=sum_of(xs**2, -(ys**2)),
    refs=["S1-23", "S2-01"],
)
saddle_step = claim(
    "newton.saddle_step_lands_on_saddle",
    "On x² − y², a Newton step from any point lands on (0, 0)",
    kind="identity",
    f=p - sp.Inverse(Hs) @ gs,
    claimed=sp.ZeroMatrix(2, 1),
    display_f=sum_of(p, -product_of(sp.Inverse(Hs), gs)),
    where=saddle_data,
    refs=["S1-23", "S2-01"],
)
saddle_model = claim(
    "newton.saddle_model_change",
    "From (0, 1) the model predicts a change of −½gᵀH⁻¹g = +1",
    kind="identity",
    f=-half * AsScalar(gs.T @ sp.Inverse(Hs) @ gs),
    claimed=1,
    display_f=-product_of(half, AsScalar(gs.T @ sp.Inverse(Hs) @ gs)),
    where=saddle_data,
    at={xs: 0, ys: 1},
    refs=["S1-23", "S3-16"],
)


class SaddleValue(ScalarOfMatrix):
    """f(q) = q₁² − q₂² for a point q of the plane, printed f(q)."""

    def _latex_body(self, printer):
        return rf"f\left({printer._print(self.args[0])}\right)"

    @classmethod
    def explicit(cls, arg):
        return arg[0] ** 2 - arg[1] ** 2


p_N = vector("p_N", 2)
saddle_pitfall = claim(
    "newton.pitfall_newton_step_decreases",
    "Pitfall: a Newton step always decreases f (x² − y², from (0, 1))",
    kind="property",
    f=sp.StrictLessThan(SaddleValue(p_N), SaddleValue(p)),
    claimed=sp.true,
    where={**saddle_data, p_N: sum_of(p, -product_of(sp.Inverse(Hs), gs))},
    at={xs: 0, ys: 1},
    pitfall=True,
    corrects="newton.model_value_at_step",
    note="From p = (0, 1), where f = −1, the step lands on the saddle point p_N = (0, 0), where "
    "f = 0: f goes up. The model's change −½gᵀH⁻¹g is a decrease only when H (hence H⁻¹) "
    "is positive definite; here H = diag(2, −2) is indefinite.",
    refs=["S1-23", "S2-01"],
)


# %% [markdown]
# ## The figures on the chapter page
#
# The quadratic model of $f(x) = x - \log x$ at $x_0 = 1/2$, whose lowest point is the first
# Newton iterate. Then Newton's method and gradient descent (step $\eta = 1/4$) on $f(x) = x - \log x$ from
# $x_0 = 1/2$. The Newton iterates are computed in exact rational arithmetic (their errors are
# squared at every step and fall far below double precision after a few steps); gradient descent
# in floating point, whose error shrinks by a nearly constant factor per step.

# %%
from derivations.figures import figure, show

START = R(1, 2)
GD_STEP = float(quarter)  # the step of the claims


def newton_iterates(steps=6):
    """Exact Newton iterates x_{k+1} = x_k(2 − x_k) for x − log x, from START."""
    from fractions import Fraction

    x = Fraction(START.p, START.q)
    out = [x]
    for _ in range(steps):
        x = x * (2 - x)
        out.append(x)
    return out


def gradient_descent_iterates(steps=40, step_size=GD_STEP):
    """Gradient descent x_{k+1} = x_k − η(1 − 1/x_k) for x − log x, from START."""
    x = float(START)
    out = [x]
    for _ in range(steps):
        x = x - step_size * (1 - 1 / x)
        out.append(x)
    return out


@figure(
    "newton.convergence",
    alt="Semi-logarithmic plot of the error against the iteration number for f(x) = x - log x "
    "started at x = 1/2. The gradient descent error falls along a nearly straight line, "
    "shrinking by a factor close to 3/4 per step, and is still about 2e-6 after 40 steps. "
    "The Newton error falls along a curve that bends ever more steeply down: 1/2, 1/4, "
    "1/16, 1/256, then about 1.5e-5, 2.3e-10 and 5e-20 after six steps.",
    caption="Error |x_k − 1| per iteration on f(x) = x − log x from x₀ = 1/2 (log scale). "
    "Gradient descent with step 1/4 shrinks it by a fixed factor, about 3/4 per step (linear "
    "convergence); Newton's method squares the error (quadratic convergence), doubling the "
    "number of correct digits each step.",
    size=(5.0, 3.4),
)
def draw_convergence(ax):
    newton_errors = [float(1 - x) for x in newton_iterates()]
    gd_errors = [abs(1.0 - x) for x in gradient_descent_iterates()]
    ax.semilogy(
        range(len(gd_errors)),
        gd_errors,
        "o-",
        ms=2.5,
        lw=1.1,
        color="#3949ab",
        label="gradient descent, η = 1/4",
    )
    ax.semilogy(
        range(len(newton_errors)),
        newton_errors,
        "s-",
        ms=4,
        lw=1.4,
        color="#c2185b",
        label="Newton's method",
    )
    ax.set_xlabel("iteration k")
    ax.set_ylabel("error $|x_k - 1|$")
    ax.set_ylim(1e-21, 2.0)
    ax.legend(frameon=False, fontsize=8)


@figure(
    "newton.quadratic_model",
    alt="The graph of f(x) = x - log x for x between 0.2 and 2, a convex curve with its lowest "
    "point at x = 1, and a dashed parabola touching it at x = 1/2: the quadratic model there. "
    "The parabola's lowest point is at x = 3/4, marked as the first Newton iterate x1, between "
    "the start x0 = 1/2 and the minimiser x = 1 of f.",
    caption="The quadratic model of f(x) = x − log x at x₀ = 1/2 (dashed) has the same value, "
    "slope and curvature as f there. Newton's step goes to the model's lowest point, "
    "x₁ = 3/4; the next model is built there.",
    size=(5.0, 3.4),
)
def draw_quadratic_model(ax):
    import numpy as np

    x0 = float(START)
    value, slope, curvature = x0 - np.log(x0), 1 - 1 / x0, 1 / x0**2
    x1 = x0 - slope / curvature
    grid = np.linspace(0.2, 2.0, 361)
    ax.plot(grid, grid - np.log(grid), color="#3949ab", lw=1.6, label="$f(x) = x - \\log x$")
    steps = grid - x0
    model = value + slope * steps + 0.5 * curvature * steps**2
    ax.plot(grid, model, "--", color="#c2185b", lw=1.3, label="quadratic model at $x_0$")
    for point, label in ((x0, "$x_0$"), (x1, "$x_1$")):
        ax.plot([point], [point - np.log(point)], "o", color="black", ms=4)
        ax.annotate(
            label, (point, point - np.log(point)), textcoords="offset points", xytext=(4, 8)
        )
    ax.plot(
        [x1],
        [value + slope * (x1 - x0) + 0.5 * curvature * (x1 - x0) ** 2],
        "o",
        color="#c2185b",
        ms=4,
    )
    ax.axvline(x1, color="#9e9e9e", lw=0.8, ls=":")
    ax.set_ylim(0.8, 2.2)
    ax.set_xlabel("$x$")
    ax.set_ylabel("value")
    ax.legend(frameon=False, fontsize=8, loc="lower right")


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("newton")


# %% [markdown]
# ## The numbers behind the figure
#
# The cell asserts that the exact Newton iterates are the ones of the claim
# `newton.scalar_iterates`, that each Newton error is the square of the one before, and that the
# gradient-descent error ratio tends to the derivative of its map at the minimiser (the claim
# `newton.scalar_gd_slope_at_minimiser`).

# %%
if __name__ == "__main__":
    from fractions import Fraction

    exact = newton_iterates()
    # the same values as the claim newton.scalar_iterates
    assert exact[1:5] == [Fraction(int(v.p), int(v.q)) for v in f1_iterates.claimed]
    errors = [1 - x for x in exact]
    assert all(errors[k + 1] == errors[k] ** 2 for k in range(len(errors) - 1))
    for k, e in enumerate(errors):
        print(f"Newton  k = {k}: error = {float(e):.3e}")
    gd = gradient_descent_iterates()
    ratios = [(1 - gd[k + 1]) / (1 - gd[k]) for k in range(len(gd) - 1)]
    print(
        "gradient descent error ratios, first and last:", round(ratios[0], 4), round(ratios[-1], 6)
    )
    # the ratio tends to the slope of the claim newton.scalar_gd_slope_at_minimiser
    assert abs(ratios[-1] - float(f1_gd_slope_quarter.claimed)) < 1e-6
    print(f"gradient descent after {len(gd) - 1} steps: error = {1 - gd[-1]:.3e}")

# %% [markdown]
# ## Newton's method on the 2×2 quadratic, and on logistic regression
#
# One step on the worked example lands on the minimiser. On a small logistic
# regression (six points on a line, labels that overlap so the minimiser is finite) the Newton
# iteration $w \leftarrow w - (X^\top D X)^{-1}X^\top(\sigma(Xw) - y)$ uses the gradient and
# Hessian of the claims above; the gradient norm falls quadratically once it is small, and the
# Hessian's smallest eigenvalue stays positive (the loss is convex).

# %%
if __name__ == "__main__":
    import numpy as np

    A_num, b_num = np.array([[4.0, 1.0], [1.0, 3.0]]), np.array([1.0, 2.0])
    x_start = np.array([1.0, 1.0])
    x_next = x_start - np.linalg.solve(A_num, A_num @ x_start - b_num)
    assert np.allclose(x_next, [1 / 11, 7 / 11]) and np.allclose(A_num @ x_next, b_num)
    print("one Newton step on the quadratic:", x_next)

    t_data = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
    y_data = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    X_num = np.column_stack([np.ones_like(t_data), t_data])
    w_num = np.zeros(2)
    norms = []
    for _ in range(8):
        s_num = 1 / (1 + np.exp(-X_num @ w_num))
        grad = X_num.T @ (s_num - y_data)
        hess = X_num.T @ np.diag(s_num * (1 - s_num)) @ X_num
        assert np.linalg.eigvalsh(hess)[0] > 0
        norms.append(np.linalg.norm(grad))
        w_num = w_num - np.linalg.solve(hess, grad)
    print("logistic regression, gradient norms:", " ".join(f"{v:.1e}" for v in norms))
    assert norms[-1] < 1e-12

# %% [markdown]
# ## The quadratic model, and the errors per iteration

# %%
if __name__ == "__main__":
    show("newton.quadratic_model", "newton.convergence")
