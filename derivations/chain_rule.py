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
# # Lab: rules and the chain rule
#
# This page is the executed form of `derivations/chain_rule.py`. Every result on the chapter page
# *Rules and the chain rule* is declared here as a claim, from the sympy objects that are rendered
# there, and checked by the engine.
#
# The names follow the chapter: $f$ and $g$ are scalar functions of $x\in\mathbb{R}^n$; $q$ and $r$
# are maps of $x$ into $\mathbb{R}^m$; $h$ is an outer map and $l$ an outer scalar function of
# $z\in\mathbb{R}^m$. They are left undefined in the symbolic layer, so the rules are proved for all
# of them.

# %%
# %matplotlib inline
import sympy as sp

from derivations.checker.instances import instance, linear_map
from derivations.engine import (
    Applied,
    AsScalar,
    Diag,
    GradientOf,
    JacobianOf,
    Norm,
    VectorFunctionOf,
    claim,
    concrete,
    dim,
    fn,
    matrix,
    scalar,
    vector,
)
from derivations.engine.written import product_of, sum_of

n, m, k = dim("n"), dim("m"), dim("k")
x = vector("x", n)
y = vector("y", m)
A = matrix("A", m, n)
alpha, beta = scalar("alpha"), scalar("beta")

# %% [markdown]
# ## Two helpers: an outer function evaluated at the inner one
#
# The chain rule needs the derivative of the *outer* function evaluated at $z = q(x)$. The engine
# knows the Jacobian of an arbitrary map of $x$; here we add the same objects for a map of $z$:
# the derivative is taken in fresh variables and then evaluated at $z = q(x)$.


# %%
class OuterJacobianOf(JacobianOf):
    """∂h/∂z of an arbitrary map h(z), evaluated where z is defined (``where={z: q(x)}``)."""


class OuterGradientOf(GradientOf):
    """∇l(z) of an arbitrary scalar function l(z), evaluated where z is defined."""


def _fresh(count):
    return [sp.Symbol(f"_chain_{i}", real=True) for i in range(count)]


def _outer_jacobian(expr, ctx):
    h = expr.args[0]
    at = list(concrete._as_matrix(concrete.explicit(h.args[1], ctx)))
    fresh = _fresh(len(at))
    rows = concrete.dims_of(h.args[2], ctx.dims)
    if ctx.family is None:
        values = sp.Matrix([sp.Function(f"{h.label}{i + 1}")(*fresh) for i in range(rows)])
    else:
        values = concrete.vector_test_function(fresh, rows, ctx.family)
    return values.jacobian(fresh).subs(dict(zip(fresh, at, strict=True)), simultaneous=True)


def _outer_gradient(expr, ctx):
    func = expr.args[0]
    at = list(concrete._as_matrix(concrete.explicit(func.args[1], ctx)))
    fresh = _fresh(len(at))
    if ctx.family is None:
        value = sp.Function(func.label)(*fresh)
    else:
        value = concrete.scalar_test_function(fresh, ctx.family)
    grad = sp.Matrix([sp.diff(value, s) for s in fresh])
    return grad.subs(dict(zip(fresh, at, strict=True)), simultaneous=True)


concrete.register_handler(OuterJacobianOf, _outer_jacobian)
concrete.register_handler(OuterGradientOf, _outer_gradient)

# %% [markdown]
# ## Constants and linearity

# %%
c_scalar = scalar("c")
c_vector = vector("c", m)
constant_gradient = claim(
    "chain_rule.constant_gradient",
    "The gradient of a constant function is the zero vector",
    kind="gradient", f=c_scalar, wrt=x, claimed=sp.ZeroMatrix(n, 1),
    refs=["S3-19"],
)
constant_jacobian = claim(
    "chain_rule.constant_jacobian",
    "The Jacobian of a constant map ℝⁿ → ℝᵐ is the m × n zero matrix",
    kind="jacobian", f=c_vector, wrt=x, claimed=sp.ZeroMatrix(m, n),
    refs=["S3-22"],
)

f_, g_ = fn("f", x), fn("g", x)
q, r = VectorFunctionOf("q", x, m), VectorFunctionOf("r", x, m)
linearity_gradient = claim(
    "chain_rule.linearity_gradient",
    "The gradient is linear",
    kind="gradient", f=alpha * f_ + beta * g_, wrt=x,
    claimed=alpha * GradientOf(f_) + beta * GradientOf(g_),
    refs=["S3-20", "S4-38"],
)
sum_rule_row = claim(
    "chain_rule.sum_rule_row",
    "Sum rule for the derivative (row) of a scalar function",
    kind="jacobian", f=f_ + g_, wrt=x, claimed=GradientOf(f_).T + GradientOf(g_).T,
    refs=["S4-38"],
)
linearity_jacobian = claim(
    "chain_rule.linearity_jacobian",
    "The Jacobian is linear",
    kind="jacobian", f=alpha * q + beta * r, wrt=x,
    claimed=alpha * JacobianOf(q) + beta * JacobianOf(r),
    refs=["S3-23"],
)

# %% [markdown]
# ## Product rules
#
# For scalar functions the product rule looks like the one-variable rule. For the inner product
# $q(x)^\top r(x)$ of two maps, each term picks up a **transposed** Jacobian, so that the result
# is a column of length $n$.

# %%
product_gradient = claim(
    "chain_rule.product_rule_gradient",
    "Product rule for gradients",
    kind="gradient", f=f_ * g_, wrt=x, claimed=g_ * GradientOf(f_) + f_ * GradientOf(g_),
    refs=["S3-21", "S4-39"],
)
product_row = claim(
    "chain_rule.product_rule_row",
    "Product rule for the derivative (row) of a scalar function",
    kind="jacobian", f=f_ * g_, wrt=x, claimed=g_ * GradientOf(f_).T + f_ * GradientOf(g_).T,
    refs=["S4-39"],
)
u, w = vector("u", m), vector("w", m)
inner_product_rule = claim(
    "chain_rule.product_rule_inner",
    "Product rule for an inner product of two maps",
    kind="gradient", f=u.T @ w, wrt=x, claimed=JacobianOf(q).T @ w + JacobianOf(r).T @ u,
    where={u: q, w: r},
    refs=["S3-24"],
)
q_sq, r_sq = VectorFunctionOf("q", x, n), VectorFunctionOf("r", x, n)
u_sq, w_sq = vector("u", n), vector("w", n)
inner_product_pitfall = claim(
    "chain_rule.pitfall_product_rule_inner_untransposed",
    "Pitfall: the product rule for qᵀr without transposes",
    kind="gradient", f=u_sq.T @ w_sq, wrt=x,
    claimed=JacobianOf(q_sq) @ w_sq + JacobianOf(r_sq) @ u_sq, pitfall=True,
    corrects="chain_rule.product_rule_inner",
    where={u_sq: q_sq, w_sq: r_sq},
    note="Even when the shapes allow it (m = n), the Jacobians must be transposed: entry j of "
    "the gradient is Σᵢ (∂qᵢ/∂xⱼ) rᵢ + qᵢ (∂rᵢ/∂xⱼ), a sum down column j.",
    refs=["S3-24"],
)
# the site's check: q(x) = Ax, r(x) = Bx, whose Jacobians A, B are not symmetric
instance(inner_product_pitfall, q=linear_map("A"), r=linear_map("B"))

# %% [markdown]
# ## The chain rule: a product of Jacobians
#
# For $q:\mathbb{R}^n\to\mathbb{R}^m$ and $h:\mathbb{R}^m\to\mathbb{R}^k$, the Jacobian of
# $h\circ q$ at $x$ is the $k\times m$ Jacobian of $h$ at $z = q(x)$ times the $m\times n$
# Jacobian of $q$ at $x$. Sizes are limited to keep the symbolic check fast; $k$, $m$, $n$ still
# take different values.

# %%
z = vector("z", m)
h_map = VectorFunctionOf("h", z, k)
chain_general = claim(
    "chain_rule.jacobian_product",
    "Chain rule: the Jacobian of a composition is the product of Jacobians",
    kind="jacobian", f=h_map, wrt=x, claimed=OuterJacobianOf(h_map) @ JacobianOf(q),
    where={z: q}, dims={n: (2, 3), m: (3,), k: (2,)},
    refs=["S2-19", "S3-25"],
)
z_sq = vector("z", n)
h_sq = VectorFunctionOf("h", z_sq, n)
chain_reversed = claim(
    "chain_rule.pitfall_jacobian_product_reversed",
    "Pitfall: multiplying the Jacobians in the other order",
    kind="jacobian", f=h_sq, wrt=x, claimed=JacobianOf(q_sq) @ OuterJacobianOf(h_sq),
    where={z_sq: q_sq}, pitfall=True, corrects="chain_rule.jacobian_product",
    note="The outer Jacobian comes first. With k, m, n all different the reversed product is not "
    "even defined; with all equal (as here) it is defined and wrong.",
    refs=["S2-19", "S2-20"],
)
# the site's check: q(x) = Ax, h(z) = Bz, whose Jacobians A, B do not commute
instance(chain_reversed, q=linear_map("A"), h=linear_map("B"))
tanh_after_map = claim(
    "chain_rule.elementwise_after_map",
    "Chain rule with an elementwise outer function: tanh(q(x))",
    kind="jacobian", f=Applied("tanh", z), wrt=x,
    claimed=Diag(
        sp.HadamardProduct(
            sp.OneMatrix(m, 1) - Applied("tanh", z), sp.OneMatrix(m, 1) + Applied("tanh", z)
        )
    )
    @ JacobianOf(q),
    display=product_of(
        Diag(
            sp.HadamardProduct(
                sum_of(sp.OneMatrix(m, 1), -Applied("tanh", z)),
                sum_of(sp.OneMatrix(m, 1), Applied("tanh", z)),
            )
        ),
        JacobianOf(q),
    ),
    where={z: q}, dims={n: (2, 3), m: (3,)},
    refs=["S3-25", "S2-19"],
)

# %% [markdown]
# ## Scalar outer functions
#
# When the outer function is scalar, the chain rule produces a row; its transpose is the
# gradient: the transposed Jacobian of the inner map times the gradient of the outer function.

# %%
tanh_of_scalar = claim(
    "chain_rule.scalar_after_scalar",
    "A one-variable function after a scalar function: tanh(f(x))",
    kind="jacobian", f=sp.tanh(f_), wrt=x, claimed=(1 - sp.tanh(f_) ** 2) * GradientOf(f_).T,
    display=product_of(sum_of(1, -sp.tanh(f_) ** 2), GradientOf(f_).T),
    refs=["S4-40"],
)
l_of_z = fn("l", z)
scalar_after_vector = claim(
    "chain_rule.scalar_after_vector",
    "Gradient of a scalar function after a map: the transposed Jacobian times the gradient",
    kind="gradient", f=l_of_z, wrt=x, claimed=JacobianOf(q).T @ OuterGradientOf(l_of_z),
    where={z: q}, dims={n: (2, 3), m: (2,)},
    refs=["S3-26", "S2-19"],
)

# %% [markdown]
# ## Worked examples from the sources
#
# **The squared norm after a linear map.** $\lVert Ax\rVert^2$ is $l(q(x))$ with the outer
# function $l(z) = \lVert z\rVert^2$ and the inner map $q(x) = Ax$. The first claim is the
# Jacobian (a row) of the outer function; the Jacobian of $q$ is $A$ (the chapter on Jacobians).

# %%
squared_norm_row = claim(
    "chain_rule.squared_norm_row",
    "The Jacobian of ‖z‖² is the row 2zᵀ",
    kind="jacobian", f=Norm(z) ** 2, wrt=z, claimed=2 * z.T,
    refs=["S2-21"],
)
norm_linear_row = claim(
    "chain_rule.squared_norm_of_linear_map",
    "Jacobian (row) of ‖Ax‖²",
    kind="jacobian", f=Norm(A @ x) ** 2, wrt=x, claimed=2 * x.T @ A.T @ A,
    refs=["S2-21"],
)
norm_linear_gradient = claim(
    "chain_rule.squared_norm_of_linear_map_gradient",
    "Gradient of ‖Ax‖²",
    kind="gradient", f=Norm(A @ x) ** 2, wrt=x, claimed=2 * A.T @ A @ x,
    refs=["S2-21"],
)
# %% [markdown]
# **Half the residual sum of squares.** Now $q(x) = Ax - y$ and $l(z) = \tfrac12\lVert z\rVert^2$.

# %%
half_squared_norm_row = claim(
    "chain_rule.half_squared_norm_row",
    "The Jacobian of ½‖z‖² is the row zᵀ",
    kind="jacobian", f=Norm(z) ** 2 / 2, wrt=z, claimed=z.T,
    refs=["S2-23"],
)
half_rss = Norm(A @ x - y) ** 2 / 2
half_rss_row = claim(
    "chain_rule.half_residual_sum_of_squares_row",
    "Jacobian (row) of ½‖Ax − y‖²",
    kind="jacobian", f=half_rss, wrt=x, claimed=(A @ x - y).T @ A,
    display=product_of(sp.Transpose(sum_of(A @ x, -y)), A),
    refs=["S2-23", "S2-21"],
)
least_squares = claim(
    "chain_rule.half_residual_sum_of_squares",
    "Gradient of ½‖Ax − y‖²",
    kind="gradient", f=half_rss, wrt=x, claimed=A.T @ (A @ x - y),
    refs=["S2-23", "S2-21"],
)
mse = Norm(A @ x - y) ** 2 / m
mse_gradient = claim(
    "chain_rule.mean_squared_error",
    "Gradient of the mean squared error (1/m)‖Ax − y‖²",
    kind="gradient", f=mse, wrt=x, claimed=2 * A.T @ (A @ x - y) / m,
    refs=["S2-24"],
)
mse_pitfall = claim(
    "chain_rule.pitfall_half_rss_is_mse",
    "Pitfall: ½‖Ax − y‖² is the mean squared error",
    kind="identity", f=half_rss, claimed=mse, pitfall=True,
    corrects="chain_rule.mean_squared_error",
    note="½‖Ax − y‖² is half the residual sum of squares; the MSE divides by the number of rows "
    "m. Same minimiser, different values and gradients (by the factor 2/m).",
    refs=["S2-24"],
)

# %% [markdown]
# **A composition of explicit functions.** The outer function $l(z_1, z_2) = z_1^2 + 2z_2$ after
# the inner map $q(x_1, x_2) = (\sin x_1 + \cos x_2,\ x_1x_2^3)$. The first two claims are the
# Jacobians of the two parts, each in its own variables.

# %%
x1, x2 = scalar("x_1"), scalar("x_2")
z1, z2 = scalar("z_1"), scalar("z_2")
inner = [sp.sin(x1) + sp.cos(x2), x1 * x2**3]
outer = z1**2 + 2 * z2
composed = outer.subs({z1: inner[0], z2: inner[1]}, simultaneous=True)
J_outer = sp.ImmutableMatrix([[sp.diff(outer, z1), sp.diff(outer, z2)]]).subs(
    {z1: inner[0], z2: inner[1]}, simultaneous=True
)
J_inner = sp.ImmutableMatrix(sp.Matrix(inner).jacobian([x1, x2]))
claim(
    "chain_rule.explicit_outer_row",
    "Jacobian of the outer function z₁² + 2z₂",
    kind="jacobian", f=[outer], wrt=(z1, z2), claimed=sp.ImmutableMatrix([[2 * z1, 2]]),
    refs=["S4-41"],
)
claim(
    "chain_rule.explicit_inner_jacobian",
    "Jacobian of the inner map (sin x₁ + cos x₂, x₁x₂³)",
    kind="jacobian", f=inner, wrt=(x1, x2),
    claimed=sp.ImmutableMatrix([[sp.cos(x1), -sp.sin(x2)], [x2**3, 3 * x1 * x2**2]]),
    refs=["S4-41"],
)
example_product = claim(
    "chain_rule.explicit_composition_product",
    "Jacobian of l(q(x)) as the product of the two Jacobians",
    kind="jacobian", f=[composed], wrt=(x1, x2),
    claimed=sp.MatMul(J_outer, J_inner, evaluate=False),
    refs=["S4-41"],
)
example_row = claim(
    "chain_rule.explicit_composition_row",
    "The same Jacobian, multiplied out",
    kind="jacobian", f=[composed], wrt=(x1, x2), claimed=sp.ImmutableMatrix(J_outer * J_inner),
    refs=["S4-41"],
)

# %% [markdown]
# ## An exercise on the chapter page
#
# A one-variable outer function after a linear form.

# %%
a = vector("a", n)
tanh_of_linear_form = claim(
    "chain_rule.tanh_of_linear_form",
    "Gradient of tanh(aᵀx)",
    kind="gradient", f=sp.tanh(AsScalar(a.T @ x)), wrt=x,
    claimed=(1 - sp.tanh(AsScalar(a.T @ x)) ** 2) * a,
    display=product_of(sum_of(1, -sp.tanh(AsScalar(a.T @ x)) ** 2), a),
    refs=["S4-40"],
)

# %% [markdown]
# ## The figure on the chapter page: shapes of the factors

# %%
from derivations.figures import figure, show


@figure(
    "chain_rule.jacobian_shapes",
    alt="Three rows of rectangles drawn to scale. Top: a 2 by 5 block equals a 2 by 3 block times "
    "a 3 by 5 block. Middle: a 1 by 5 row equals a 1 by 3 row times a 3 by 5 block. Bottom: a 5 "
    "by 1 column equals a 5 by 3 block times a 3 by 1 column.",
    caption="Shapes in the chain rule for q: ℝ⁵ → ℝ³ and h: ℝ³ → ℝ²: J(h∘q) = J_h J_q "
    "(top); a scalar outer function l gives a row (middle); its transpose, the gradient, is "
    "J_qᵀ ∇l (bottom).",
    size=(7.2, 5.0),
)
def draw_jacobian_shapes(ax):
    rows = [
        ((2, 5, r"$J_{h\circ q}(x)$"), (2, 3, "$J_h(q(x))$"), (3, 5, "$J_q(x)$")),
        ((1, 5, r"$J_{l\circ q}(x)$"), (1, 3, "$J_l(q(x))$"), (3, 5, "$J_q(x)$")),
        ((5, 1, r"$\nabla(l\circ q)$"), (5, 3, r"$J_q(x)^\top$"), (3, 1, r"$\nabla l(q(x))$")),
    ]
    colours = ("#c5cae9", "#f8bbd0", "#c8e6c9")
    for i, (lhs, left, right) in enumerate(rows):
        y0 = -i * 3.4
        pos = 0.0
        for block, colour, sep in ((lhs, colours[0], "="), (left, colours[1], "·"),
                                   (right, colours[2], "")):
            r, c, label = block
            end = _block_at(ax, pos, y0, r, c, label, colour)
            if sep:
                ax.text(end + 0.35, y0, sep, ha="center", va="center", fontsize=13)
            pos = end + 0.7
    ax.set_xlim(-0.5, 7.8)
    ax.set_ylim(-9.5, 1.6)
    ax.set_aspect("equal")
    ax.axis("off")


def _block_at(ax, x0, y0, rows, cols, label, colour, unit=0.45):
    from matplotlib.patches import Rectangle

    h, w = rows * unit, cols * unit
    ax.add_patch(Rectangle((x0, y0 - h / 2), w, h, facecolor=colour, edgecolor="black", lw=0.8))
    ax.text(x0 + w / 2, y0 + h / 2 + 0.12, label, ha="center", va="bottom", fontsize=8)
    ax.text(x0 + w / 2, y0 - h / 2 - 0.12, f"{rows}×{cols}", ha="center", va="top", fontsize=8)
    return x0 + w


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("chain_rule")


# %% [markdown]
# ## A numeric check of the chain rule
#
# Finite differences of $h\circ q$ against the product of the two Jacobians, for the concrete maps
# $q(x) = (\sin x_1 + x_2x_3,\ x_1^2,\ e^{x_3})$ and $h(z) = (z_1z_2,\ z_2 + z_3^2)$. The two
# Jacobians are typed by hand in the code below; the printed difference is what checks them.

# %%
if __name__ == "__main__":
    import numpy as np

    def q_num(p):
        return np.array([np.sin(p[0]) + p[1] * p[2], p[0] ** 2, np.exp(p[2])])

    def h_num(zv):
        return np.array([zv[0] * zv[1], zv[1] + zv[2] ** 2])

    def J_q(p):
        return np.array([[np.cos(p[0]), p[2], p[1]], [2 * p[0], 0, 0], [0, 0, np.exp(p[2])]])

    def J_h(zv):
        return np.array([[zv[1], zv[0], 0], [0, 1, 2 * zv[2]]])

    p0 = np.array([0.3, -0.7, 0.5])
    step = 1e-6
    numeric = np.column_stack([
        (h_num(q_num(p0 + step * e)) - h_num(q_num(p0 - step * e))) / (2 * step)
        for e in np.eye(3)
    ])
    product = J_h(q_num(p0)) @ J_q(p0)
    print("finite differences:\n", numeric.round(6))
    print("J_h(q(x)) J_q(x):\n", product.round(6))
    print("max difference:", float(np.abs(numeric - product).max()))

# %% [markdown]
# ## A picture: the shapes of the factors

# %%
if __name__ == "__main__":
    show("chain_rule.jacobian_shapes")
