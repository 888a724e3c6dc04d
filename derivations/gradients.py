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
# # Lab: gradients, Jacobians and Hessians
#
# This page is the executed form of `derivations/gradients.py`. Every result on the chapter page
# *Gradients, Jacobians and Hessians* is declared here as a claim, from the same sympy objects
# that are rendered there, and checked by the engine.

# %%
# %matplotlib inline
import sympy as sp

from derivations.engine import (
    AsScalar,
    GradientOf,
    JacobianOf,
    Norm,
    SumEntries,
    VectorFunctionOf,
    claim,
    dim,
    fn,
    matrix,
    scalar,
    show,
    tex,
    vector,
)
from derivations.engine.written import product_of, sum_of

n, m = dim("n"), dim("m")
w, x, b = vector("w", n), vector("x", n), vector("b", n)
X = matrix("X", n, n)
A = matrix("A", m, n)
z = vector("z", m)
Delta = vector("Delta", n)


def written_sum(*terms):
    """A sum kept in the order written (the page prints it as the author wrote it)."""
    return sp.MatAdd(*terms, evaluate=False)


def written_product(*factors):
    return sp.MatMul(*factors, evaluate=False)

# %% [markdown]
# ## A linear function, from first principles
#
# For $f(x) = w^\top x$ a step $\Delta$ adds a term that is linear in $\Delta$, and nothing
# else (the first claim below). The matrix multiplying $\Delta$ is the derivative; its transpose
# is the gradient.

# %%
linear_step = claim(
    "gradients.linear_form_step",
    "A step Δ changes wᵀx by exactly wᵀΔ",
    kind="identity", f=written_product(w.T, written_sum(x, Delta)),
    claimed=written_sum(w.T @ x, w.T @ Delta),
    refs=["S0-06", "S0-01"],
)
linear_gradient = claim(
    "gradients.linear_form",
    "Gradient of a linear function",
    kind="gradient", f=w.T @ x, wrt=x, claimed=w,
    refs=["S0-06", "S0-01", "MC-69"],
)
linear_derivative = claim(
    "gradients.linear_form_derivative",
    "Derivative (Jacobian) of a linear function is a row",
    kind="jacobian", f=w.T @ x, wrt=x, claimed=w.T,
    refs=["S0-06", "S0-03"],
)

# %% [markdown]
# ## Jacobians: rows are outputs
#
# The Jacobian of $f:\mathbb{R}^n\to\mathbb{R}^m$ is $m\times n$: row $i$ is the derivative of
# the output $f_i$. For $f(w) = Aw$ the $i$-th output is $A_i^\top w$, a linear function of $w$
# whose derivative is row $i$ of $A$; the first claim below stacks the rows.

# %%
jacobian_linear = claim(
    "gradients.jacobian_linear_map",
    "Jacobian of a linear map",
    kind="jacobian", f=A @ w.subs(n, n), wrt=w, claimed=A,
    refs=["S0-08", "S0-03"],
)
f_of_w = fn("f", w)
jacobian_scaled = claim(
    "gradients.jacobian_scalar_times_vector",
    "Jacobian of a vector scaled by a scalar function of itself",
    kind="jacobian", f=f_of_w * w, wrt=w,
    claimed=f_of_w * sp.Identity(n) + w @ GradientOf(f_of_w).T,
    refs=["S0-09"],
)

# %% [markdown]
# ## Quadratic forms: gradient and Hessian
#
# $h(w) = w^\top X w = \sum_{i,j} X_{ij} w_i w_j$. Differentiating in $w_k$ picks up the
# terms with $i = k$ (row $k$ of $X$ against $w$) and with $j = k$ (column $k$ of $X$ against
# $w$). The claims below state the gradient, the Hessian, and the remainder that a step leaves
# beyond the linear part.

# %%
quadratic_gradient = claim(
    "gradients.quadratic_form",
    "Gradient of a quadratic form",
    kind="gradient", f=w.T @ X @ w, wrt=w, claimed=(X + X.T) @ w,
    refs=["S0-10", "MC-81"],
)
quadratic_hessian = claim(
    "gradients.quadratic_form_hessian",
    "Hessian of a quadratic form",
    kind="hessian", f=w.T @ X @ w, wrt=w, claimed=X + X.T,
    refs=["S0-10", "S0-02"],
)
hessian_is_jacobian_of_gradient = claim(
    "gradients.hessian_as_jacobian_of_gradient",
    "The Hessian is the Jacobian of the gradient",
    kind="jacobian", f=(X + X.T) @ w, wrt=w, claimed=X + X.T,
    refs=["S0-02", "S0-10"],
)
quadratic_remainder = claim(
    "gradients.quadratic_form_remainder",
    "Beyond its linear part, a step Δ changes wᵀXw by ΔᵀXΔ",
    kind="identity",
    f=written_sum(
        written_product(sp.Transpose(written_sum(w, Delta)), X, written_sum(w, Delta)),
        written_product(-1, w.T @ X @ w),
        written_product(-1, sp.Transpose(written_product(X + X.T, w)), Delta),
    ),
    claimed=Delta.T @ X @ Delta,
    refs=["S0-10", "S0-01"],
)
quadratic_symmetric = claim(
    "gradients.quadratic_form_symmetric",
    "Gradient of a quadratic form with a symmetric matrix",
    kind="gradient", f=w.T @ X @ w, wrt=w, claimed=2 * X @ w, domains={X: "symmetric"},
    refs=["S0-10", "MC-81"],
)
quadratic_symmetric_hessian = claim(
    "gradients.quadratic_form_symmetric_hessian",
    "Hessian of a quadratic form with a symmetric matrix",
    kind="hessian", f=w.T @ X @ w, wrt=w, claimed=2 * X, domains={X: "symmetric"},
    refs=["S0-10", "S0-02"],
)
quadratic_pitfall = claim(
    "gradients.pitfall_quadratic_form_2xw",
    "Pitfall: 2Xw for a matrix that is not symmetric",
    kind="gradient", f=w.T @ X @ w, wrt=w, claimed=2 * X @ w, pitfall=True,
    corrects="gradients.quadratic_form",
    note="2Xw is right only when X is symmetric; in general the gradient is (X + Xᵀ)w.",
    refs=["S0-10"],
)

# %% [markdown]
# ## The squared norm
#
# $\lVert w\rVert^2 = w^\top w$ is the quadratic form with $X = I$; its Hessian (the second
# claim below) is a multiple of the identity: the same curvature in every direction.

# %%
squared_norm_gradient = claim(
    "gradients.squared_norm",
    "Gradient of the squared norm",
    kind="gradient", f=Norm(w) ** 2, wrt=w, claimed=2 * w,
    refs=["S0-11", "MC-131"],
)
squared_norm_hessian = claim(
    "gradients.squared_norm_hessian",
    "Hessian of the squared norm",
    kind="hessian", f=Norm(w) ** 2, wrt=w, claimed=2 * sp.Identity(n),
    refs=["S0-11"],
)

# %% [markdown]
# ## Through an inner map: $p(z) = z^\top z$ with $z = q(x)$
#
# First in $z$, then in $x$: the chain rule multiplies the gradient in $z$ by the transposed
# Jacobian of the inner map, which gives a vector of length $n$ even though $z$ has length $m$.

# %%
inner_gradient = claim(
    "gradients.inner_product_self",
    "Gradient of zᵀz in z",
    kind="gradient", f=z.T @ z, wrt=z, claimed=2 * z,
    refs=["S0-12"],
)
q = VectorFunctionOf("q", x, m)
outer_gradient = claim(
    "gradients.inner_product_through_map",
    "Gradient of zᵀz in x when z = q(x)",
    kind="gradient", f=z.T @ z, wrt=x, claimed=2 * JacobianOf(q).T @ z,
    where={z: q},
    refs=["S0-12"],
)

# %% [markdown]
# ## More gradients from first principles and by entries
#
# The same two methods handle every example below. We let sympy differentiate the explicit
# expressions first (so the claimed results are derived, not typed in), then declare them.

# %%
a = vector("a", n)
b_m = vector("b", m)
y_s, b_s = scalar("y"), scalar("b")

linear_b = claim(
    "gradients.linear_form_b",
    "Gradient of a linear function: the coefficient vector",
    kind="gradient", f=b.T @ a, wrt=a, claimed=b,
    refs=["S1-13", "S2-09", "S4-42", "MC-69"],
)
linear_x_first = claim(
    "gradients.linear_form_x_first",
    "xᵀa and aᵀx have the same gradient",
    kind="gradient", f=x.T @ a, wrt=x, claimed=a,
    refs=["S4-42", "S4-45", "MC-69"],
)
scalar_transpose = claim(
    "gradients.inner_product_symmetric",
    "A scalar equals its transpose: xᵀa = aᵀx",
    kind="identity", f=AsScalar(x.T @ a), claimed=AsScalar(a.T @ x),
    refs=["S4-45"],
)
bilinear = claim(
    "gradients.bilinear_form",
    "Gradient of bᵀAa in a",
    kind="gradient", f=b_m.T @ A @ a, wrt=a, claimed=A.T @ b_m,
    refs=["S1-14", "MC-69"],
)
bilinear_step = claim(
    "gradients.bilinear_form_step",
    "A step Δ changes bᵀAa by exactly bᵀAΔ",
    kind="identity", f=written_product(b_m.T, A, written_sum(a, Delta)),
    claimed=written_sum(b_m.T @ A @ a, b_m.T @ A @ Delta),
    refs=["S1-14"],
)
bilinear_derivative = claim(
    "gradients.bilinear_form_derivative",
    "Derivative (row) of bᵀAa in a",
    kind="jacobian", f=b_m.T @ A @ a, wrt=a, claimed=b_m.T @ A,
    refs=["S1-14"],
)
bilinear_as_linear = claim(
    "gradients.bilinear_form_as_linear",
    "bᵀAa is a linear function of a with coefficient vector Aᵀb",
    kind="identity", f=b_m.T @ A @ a, claimed=written_product(sp.Transpose(A.T @ b_m), a),
    refs=["S1-14"],
)
bilinear_pitfall = claim(
    "gradients.pitfall_bilinear_form_ab",
    "Pitfall: Ab instead of Aᵀb",
    kind="gradient", f=b.T @ X @ a, wrt=a, claimed=X @ b, pitfall=True,
    corrects="gradients.bilinear_form",
    note="bᵀXa = (Xᵀb)ᵀa is linear in a with coefficient vector Xᵀb; Xb is right only when X "
    "is symmetric (and has the wrong shape when X is not square).",
    refs=["S1-14"],
)
sum_of_squares = claim(
    "gradients.sum_of_squares",
    "Gradient of the sum of squares of the entries",
    kind="gradient", f=SumEntries(sp.HadamardProduct(a, a)), wrt=a, claimed=2 * a,
    refs=["S1-15", "S2-11"],
)

# %% [markdown]
# ## Functions of a few named variables
#
# When a function is written in named scalars, its gradient is the column of its partial
# derivatives in the order the variables are listed. We compute each partial with sympy.

# %%
x1, x2, x3 = scalar("x_1"), scalar("x_2"), scalar("x_3")
xs, ys, zs = scalar("x"), scalar("y"), scalar("z")


def gradient_column(expr, variables):
    """The list of partial derivatives of ``expr``, one per variable, in order."""
    return [sp.diff(expr, v) for v in variables]


residual_xyz = (xs + 2 * ys - 3 * zs) ** 2
residual_gradient = claim(
    "gradients.squared_linear_xyz",
    "Gradient of (x + 2y − 3z)²",
    kind="gradient", f=residual_xyz, wrt=(xs, ys, zs),
    claimed=[sp.Mul(2 * c, xs + 2 * ys - 3 * zs, evaluate=False) for c in (1, 2, -3)],
    refs=["S1-12", "S1-11", "S2-07", "S3-01"],
)
residual_inner = claim(
    "gradients.squared_linear_xyz_inner",
    "Gradient of the inner function x + 2y − 3z",
    kind="gradient", f=xs + 2 * ys - 3 * zs, wrt=(xs, ys, zs),
    claimed=gradient_column(xs + 2 * ys - 3 * zs, (xs, ys, zs)),
    refs=["S1-12"],
)

bowl_xy = xs**2 + xs * ys + ys**2
bowl_xy_gradient = claim(
    "gradients.mixed_quadratic",
    "Gradient of x² + xy + y²",
    kind="gradient", f=bowl_xy, wrt=(xs, ys), claimed=gradient_column(bowl_xy, (xs, ys)),
    refs=["S2-08", "S2-07"],
)
point_10 = {xs: 1, ys: 0}
bowl_xy_gradient_value = claim(
    "gradients.mixed_quadratic_at_point",
    "Gradient of x² + xy + y² at (1, 0)",
    kind="gradient", f=bowl_xy, wrt=(xs, ys),
    claimed=[g.subs(point_10) for g in gradient_column(bowl_xy, (xs, ys))], at=point_10,
    refs=["S2-08"],
)

paraboloid = x1**2 + x2**2
paraboloid_gradient = claim(
    "gradients.paraboloid",
    "Gradient of x₁² + x₂²",
    kind="gradient", f=paraboloid, wrt=(x1, x2), claimed=gradient_column(paraboloid, (x1, x2)),
    refs=["S3-05", "S3-01"],
)
paraboloid_jacobian = claim(
    "gradients.paraboloid_jacobian_row",
    "The Jacobian of x₁² + x₂² is the row ∇fᵀ",
    kind="jacobian", f=[paraboloid], wrt=(x1, x2),
    claimed=sp.ImmutableMatrix([gradient_column(paraboloid, (x1, x2))]),
    refs=["S2-13", "S2-15"],
)
a1, a2, h1, h2 = scalar("a_1"), scalar("a_2"), scalar("h_1"), scalar("h_2")
paraboloid_at = paraboloid.subs({x1: a1 + h1, x2: a2 + h2})
tangent_plane = paraboloid.subs({x1: a1, x2: a2}) + sum(
    g.subs({x1: a1, x2: a2}) * h
    for g, h in zip(gradient_column(paraboloid, (x1, x2)), (h1, h2), strict=True)
)
tangent_gap = claim(
    "gradients.paraboloid_tangent_plane",
    "The tangent plane of x₁² + x₂² has slopes 2a₁ and 2a₂",
    kind="identity",
    f=sp.Add(*paraboloid_at.args, sp.Mul(-1, tangent_plane, evaluate=False), evaluate=False),
    claimed=h1**2 + h2**2,
    refs=["S3-05"],
)

cubic_xy = xs**3 + xs**2 * ys + ys**2
cubic_gradient = claim(
    "gradients.cubic_example",
    "Gradient of x³ + x²y + y²",
    kind="gradient", f=cubic_xy, wrt=(xs, ys), claimed=gradient_column(cubic_xy, (xs, ys)),
    refs=["S4-22"],
)
cubic_gradient_value = claim(
    "gradients.cubic_example_at_point",
    "Gradient of x³ + x²y + y² at (1, 1)",
    kind="gradient", f=cubic_xy, wrt=(xs, ys), claimed=[5, 3], at={xs: 1, ys: 1},
    refs=["S4-22"],
)

# %% [markdown]
# ## A worked problem: $f(x_1, x_2) = x_1^2 + e^{x_1x_2} + 2\log x_2$ on $x_2 > 0$
#
# Gradient first, then the Hessian as the Jacobian of the gradient.

# %%
p1, p2 = scalar("x_1"), scalar("x_2", positive=True)
mixed = p1**2 + sp.exp(p1 * p2) + 2 * sp.log(p2)
mixed_grad = gradient_column(mixed, (p1, p2))
mixed_hess = sp.ImmutableMatrix(sp.hessian(mixed, (p1, p2)))
if __name__ == "__main__":
    show(rf"\nabla f = {tex(sp.Matrix(mixed_grad))},\quad \nabla^2 f = {tex(mixed_hess)}")
mixed_gradient = claim(
    "gradients.exp_log_example",
    "Gradient of x₁² + exp(x₁x₂) + 2 log x₂",
    kind="gradient", f=mixed, wrt=(p1, p2), claimed=mixed_grad,
    refs=["S3-11"],
)
# The general Hessian is checked as the Jacobian of the gradient (below). Checked directly as a
# Hessian, the engine's second differences are too noisy where x₂ is small (−2/x₂² is large), so
# the direct check is made at the point the source notes use, (0.4, 1.3).
mixed_point = {p1: sp.Rational(2, 5), p2: sp.Rational(13, 10)}
mixed_hessian = claim(
    "gradients.exp_log_example_hessian",
    "Hessian of x₁² + exp(x₁x₂) + 2 log x₂ at (0.4, 1.3)",
    kind="hessian", f=mixed, wrt=(p1, p2), claimed=mixed_hess.subs(mixed_point), at=mixed_point,
    refs=["S3-11"],
)
mixed_jacobian_of_gradient = claim(
    "gradients.exp_log_example_jacobian_of_gradient",
    "The Jacobian of that gradient is the Hessian",
    kind="jacobian", f=mixed_grad, wrt=(p1, p2), claimed=mixed_hess,
    refs=["S3-12", "S3-03"],
)

# %% [markdown]
# ## Losses of a linear model: squared error and the sigmoid
#
# For one example $(x, y)$ and a linear model $w^\top x + b$, the residual $r = w^\top x + b - y$
# is a linear function of $w$ with gradient $x$; the chain rule multiplies that gradient by the
# derivative of the outer function. The sigmoid $\sigma(t) = 1/(1+e^{-t})$ follows the same
# pattern, with its derivative written through $\sigma$ itself (checked in
# `derivations/activations.py`).

# %%
model = AsScalar(w.T @ x) + b_s
squared_error = claim(
    "gradients.squared_error_linear_model",
    "Gradient of the squared error of a linear model",
    kind="gradient", f=(model - y_s) ** 2, wrt=w, claimed=2 * (model - y_s) * x,
    display_f=sum_of(AsScalar(w.T @ x), b_s, -y_s) ** 2,
    display=product_of(2, sum_of(AsScalar(w.T @ x), b_s, -y_s), x),
    refs=["S1-16"],
)
sig = sp.Symbol(r"\sigma", real=True)
sigmoid_gradient = claim(
    "gradients.sigmoid_linear_model",
    "Gradient of the sigmoid of a linear function",
    kind="gradient", f=sig, wrt=w, claimed=sig * (1 - sig) * x,
    display=product_of(sig, sum_of(1, -sig), x),
    where={sig: 1 / (1 + sp.exp(-model))},
    refs=["S1-17"],
)


# %% [markdown]
# ## The figure on the chapter page
#
# Registered here, drawn at build time by the site hook from this very function.

# %%
from derivations.figures import figure, show


@figure(
    "gradients.level_sets",
    alt="Nested ellipses, the level sets of a quadratic form, with pink arrows at points of one "
    "ellipse; each arrow points outward and is perpendicular to the ellipse.",
    caption="Level sets of h(w) = wᵀXw for X = [[2, 0.6], [0.6, 1]] and the gradient (X + Xᵀ)w at "
    "points of one level set: each arrow is orthogonal to the curve and points uphill.",
    size=(4.6, 4.0),
)
def draw_level_sets(ax):
    import numpy as np

    from derivations.plots import level_sets_with_gradients

    X_num = np.array([[2.0, 0.6], [0.6, 1.0]])
    level_sets_with_gradients(ax, lambda p: p @ X_num @ p, lambda p: (X_num + X_num.T) @ p)


@figure(
    "gradients.level_sets_mixed_quadratic",
    alt="Tilted nested ellipses, the level sets of x squared plus x y plus y squared, with pink "
    "arrows at points of one ellipse; every arrow is perpendicular to the ellipse and points "
    "away from the origin.",
    caption="Level sets of f(x, y) = x² + xy + y² and its gradient (2x + y, x + 2y) at points of "
    "one level set: the arrows cross the curves at right angles, towards larger values.",
    size=(4.6, 4.0),
)
def draw_level_sets_mixed_quadratic(ax):
    import numpy as np

    from derivations.plots import level_sets_with_gradients

    def f(p):
        return p[0] ** 2 + p[0] * p[1] + p[1] ** 2

    def grad(p):
        return np.array([2 * p[0] + p[1], p[0] + 2 * p[1]])

    # draw the level set the arrows sit on (the helper puts them at the 15% quantile of f)
    g = np.linspace(-2.0, 2.0, 201)
    xx, yy = np.meshgrid(g, g)
    arrow_level = float(np.quantile(f(np.array([xx, yy])), 0.15))
    levels = sorted({arrow_level, 2.0, 4.0, 6.0, 8.0, 10.0})
    level_sets_with_gradients(ax, f, grad, levels=levels)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")


# %% [markdown]
# ## Checking the claims on this page
#
# The engine differentiates each function entry by entry on explicit matrices, evaluates both
# sides exactly at rational points and compares finite differences at random points.

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("gradients")


# %% [markdown]
# ## A picture: level sets and gradients
#
# For $h(w) = w^\top X w$ with a symmetric positive definite $X$ the level sets are ellipses;
# the gradient (the claim `gradients.quadratic_form` above) is drawn at points on them and is
# orthogonal to each ellipse. On the right, the same picture for $x^2 + xy + y^2$ and its
# gradient (`gradients.mixed_quadratic`).

# %%
if __name__ == "__main__":
    show("gradients.level_sets", "gradients.level_sets_mixed_quadratic")
