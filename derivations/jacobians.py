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
# # Lab: Jacobians and the total derivative
#
# This page is the executed form of `derivations/jacobians.py`. Every result on the chapter page
# *Jacobians and the total derivative* is declared here as a claim, from the sympy objects that
# are rendered there, and checked by the engine.

# %%
# %matplotlib inline
import sympy as sp

from derivations.engine import (
    Diag,
    GradientOf,
    claim,
    dim,
    fn,
    matrix,
    scalar,
    vector,
)

n, m = dim("n"), dim("m")
x, u, v, eps = vector("x", n), vector("u", n), vector("v", n), vector("epsilon", n)
A = matrix("A", m, n)
W, b = matrix("W", m, n), vector("b", m)
S = matrix("A", n, n)
c = scalar("c")
xs, ys = scalar("x"), scalar("y")


def jacobian_of(components, variables):
    """The Jacobian of an explicit list of components: one row per component, one column per
    variable, each entry computed by sympy."""
    return sp.ImmutableMatrix(sp.Matrix(components).jacobian(list(variables)))


# %% [markdown]
# ## Entries, rows and columns
#
# For $\mathbf f(x, y) = (x^2y,\ \cos y)$ the Jacobian has one row per output and one column per
# input. Row $i$ is the transposed gradient of $f_i$; column $j$ is the vector of partial
# derivatives of all outputs in the variable $j$.

# %%
f_small = [xs**2 * ys, sp.cos(ys)]
J_small = jacobian_of(f_small, (xs, ys))

definition_example = claim(
    "jacobians.two_by_two_example",
    "Jacobian of (x²y, cos y)",
    kind="jacobian", f=f_small, wrt=(xs, ys), claimed=J_small,
    refs=["S4-23", "S4-24", "S2-12", "S3-02"],
)
pi_point = {xs: sp.pi, ys: sp.pi}
definition_example_value = claim(
    "jacobians.two_by_two_example_at_pi",
    "Jacobian of (x²y, cos y) at (π, π)",
    kind="jacobian", f=f_small, wrt=(xs, ys), claimed=J_small.subs(pi_point), at=pi_point,
    refs=["S4-24", "S4-19"],
)
point_12_small = {xs: 1, ys: 2}
definition_example_value_12 = claim(
    "jacobians.two_by_two_example_at_1_2",
    "Jacobian of (x²y, cos y) at (1, 2)",
    kind="jacobian", f=f_small, wrt=(xs, ys), claimed=J_small.subs(point_12_small),
    at=point_12_small,
    refs=["S4-24"],
)
first_row = claim(
    "jacobians.row_is_gradient",
    "Row 1 of that Jacobian is the gradient of x²y, transposed",
    kind="gradient", f=f_small[0], wrt=(xs, ys), claimed=list(J_small.row(0)),
    refs=["S4-20", "S3-02", "S4-23"],
)
first_column = claim(
    "jacobians.column_is_partial",
    "Column 1 of that Jacobian is the partial derivative in x of both outputs",
    kind="jacobian", f=f_small, wrt=(xs,), claimed=J_small.col(0),
    refs=["S4-20"],
)

# %% [markdown]
# ## A three-output example, and a value at a point

# %%
f_wrap = [sp.Rational(1, 2) * xs**3 * ys, 2 * xs**2 * ys**2, xs * ys]
J_wrap = jacobian_of(f_wrap, (xs, ys))
point_12 = {xs: 1, ys: 2}
# The Jacobian J_wrap itself is the wrap-up claim of the chapter on partial and directional
# derivatives, partial_directional.wrapup_jacobian; here it is evaluated at a point.
wrap_jacobian_value = claim(
    "jacobians.three_outputs_at_point",
    "Jacobian of (x³y/2, 2x²y², xy) at (1, 2)",
    kind="jacobian", f=f_wrap, wrt=(xs, ys), claimed=J_wrap.subs(point_12), at=point_12,
    refs=["S4-35"],
)
wrap_gradient_value = claim(
    "jacobians.three_outputs_first_gradient",
    "Gradient of the first output x³y/2 at (1, 2)",
    kind="gradient", f=f_wrap[0], wrt=(xs, ys), claimed=list(J_wrap.row(0).subs(point_12)),
    at=point_12,
    refs=["S4-35"],
)

# %% [markdown]
# ## Linear maps and linear layers
#
# Output $i$ of $Ax$ is $A_i^\top x$ (row $i$ of $A$ times $x$); its gradient is $A_i$, so row
# $i$ of the Jacobian is $A_i^\top$ and the Jacobian is $A$. A constant shift does not change it.

# %%
linear_map = claim(
    "jacobians.linear_map",
    "Jacobian of x ↦ Ax for a rectangular A",
    kind="jacobian", f=A @ x, wrt=x, claimed=A,
    refs=["S2-16", "S4-43", "S2-12", "S3-02"],
)
linear_map_transposed = claim(
    "jacobians.pitfall_linear_map_transposed",
    "Pitfall: the Jacobian of Ax is Aᵀ",
    kind="jacobian", f=S @ x, wrt=x, claimed=S.T, pitfall=True,
    corrects="jacobians.linear_map",
    note="Aᵀ is the derivative of Ax in the denominator layout; in the Jacobian (numerator) "
    "layout used here, rows are outputs and the Jacobian is A.",
    refs=["S4-43", "S3-07"],
)
linear_layer = claim(
    "jacobians.linear_layer",
    "Jacobian of a linear layer Wx + b",
    kind="jacobian", f=W @ x + b, wrt=x, claimed=W,
    refs=["S3-07", "S3-06", "S3-08", "S2-17"],
)

# %% [markdown]
# ## What "linear" means
#
# A map $T$ is linear when $T(u + v) = T(u) + T(v)$ and $T(cu) = cT(u)$. Matrix maps are linear;
# a layer with a bias $b \neq 0$ is *affine*, not linear: additivity fails by exactly $b$.

# %%
additive = claim(
    "jacobians.matrix_map_additive",
    "A matrix map is additive",
    kind="identity", f=A @ (u + v), claimed=A @ u + A @ v,
    refs=["S4-12"],
)
homogeneous = claim(
    "jacobians.matrix_map_homogeneous",
    "A matrix map is homogeneous",
    kind="identity", f=sp.MatMul(A, sp.MatMul(c, u, evaluate=False), evaluate=False),
    claimed=c * (A @ u),
    refs=["S4-12"],
)
bias = vector("b", m)
affine_not_additive = claim(
    "jacobians.pitfall_affine_map_additive",
    "Pitfall: an affine map x ↦ Ax + b is additive",
    kind="identity", f=A @ (u + v) + bias, claimed=(A @ u + bias) + (A @ v + bias),
    domains={bias: "nonzero"}, pitfall=True, corrects="jacobians.matrix_map_additive",
    note="The two sides differ by b: an affine map with b ≠ 0 is not linear (its Jacobian is "
    "still A).",
    refs=["S4-12"],
)

# %% [markdown]
# ## A scalar function: the Jacobian is a row
#
# With one output the Jacobian has one row, the transposed gradient. The symbolic layer proves
# this for an arbitrary differentiable $f$.

# %%
f_any = fn("f", x)
scalar_row = claim(
    "jacobians.scalar_function_row",
    "The Jacobian of a scalar function is the transposed gradient",
    kind="jacobian", f=f_any, wrt=x, claimed=GradientOf(f_any).T,
    refs=["S2-15", "S4-20"],
)
mixed_quadratic = xs**2 + xs * ys + ys**2
mixed_quadratic_row = claim(
    "jacobians.mixed_quadratic_row",
    "Jacobian of x² + xy + y²",
    kind="jacobian", f=[mixed_quadratic], wrt=(xs, ys),
    claimed=jacobian_of([mixed_quadratic], (xs, ys)),
    refs=["S2-14", "S2-15"],
)

# %% [markdown]
# ## The Jacobian as the best linear approximation
#
# The first-order formula $g(x + \varepsilon) \approx g(x) + J\varepsilon$ is exact for an affine
# map (the first claim below). For a nonlinear map it is not, and what is left over is the point: for a differentiable map the
# remainder is small compared with $\lVert\varepsilon\rVert$. For quadratic maps the remainder
# can be written down exactly.

# %%
affine_exact = claim(
    "jacobians.affine_first_order_exact",
    "For an affine map the linear approximation is exact",
    kind="identity", f=W @ (x + eps) + b, claimed=(W @ x + b) + W @ eps,
    refs=["S3-14", "S4-25"],
)
square = sp.HadamardProduct(x, x)
square_jacobian = claim(
    "jacobians.entrywise_square",
    "Jacobian of the entrywise square x ∘ x",
    kind="jacobian", f=square, wrt=x, claimed=2 * Diag(x),
    refs=["S2-12", "S3-02"],
)
square_remainder = claim(
    "jacobians.entrywise_square_remainder",
    "The remainder of the entrywise square is ε ∘ ε",
    kind="identity",
    f=sp.MatAdd(
        sp.HadamardProduct(x + eps, x + eps),
        sp.MatMul(-1, sp.HadamardProduct(x, x, evaluate=False), evaluate=False),
        sp.MatMul(-2, Diag(x), eps, evaluate=False),
        evaluate=False,
    ),
    claimed=sp.HadamardProduct(eps, eps),
    refs=["S3-14", "S4-25"],
)
cube = sp.HadamardProduct(x, x, x)
cube_jacobian = claim(
    "jacobians.entrywise_cube",
    "Jacobian of the entrywise cube x ∘ x ∘ x",
    kind="jacobian", f=cube, wrt=x, claimed=sp.MatMul(3, Diag(sp.HadamardProduct(x, x, evaluate=False)), evaluate=False),
    refs=["S2-12"],
)
x_plus_eps = sp.MatAdd(x, eps, evaluate=False)
cube_remainder = claim(
    "jacobians.entrywise_cube_remainder",
    "The remainder of the entrywise cube: a second-order and a third-order term",
    kind="identity",
    f=sp.MatAdd(
        sp.HadamardProduct(x_plus_eps, x_plus_eps, x_plus_eps),
        sp.MatMul(-1, sp.HadamardProduct(x, x, x, evaluate=False), evaluate=False),
        sp.MatMul(-3, Diag(sp.HadamardProduct(x, x, evaluate=False)), eps, evaluate=False),
        evaluate=False,
    ),
    claimed=sp.MatAdd(
        sp.MatMul(3, sp.HadamardProduct(x, eps, eps), evaluate=False),
        sp.HadamardProduct(eps, eps, eps),
        evaluate=False,
    ),
    refs=["S3-14", "S4-25"],
)

# %% [markdown]
# A two-dimensional quadratic map that the figure below uses: $g(x, y) = (x^2 - y^2,\ 2xy)$
# (squaring the complex number $x + iy$). Its remainder is $g$ of the step itself, whose length
# is the squared length of the step (the last claim below): second order.

# %%
e1, e2 = scalar("epsilon_1"), scalar("epsilon_2")
g_square = [xs**2 - ys**2, 2 * xs * ys]
J_square = jacobian_of(g_square, (xs, ys))
square_map_jacobian = claim(
    "jacobians.complex_square_map",
    "Jacobian of g(x, y) = (x² − y², 2xy)",
    kind="jacobian", f=g_square, wrt=(xs, ys), claimed=J_square,
    refs=["S2-12", "S4-23"],
)
g_vec = sp.ImmutableMatrix(g_square)
step = sp.ImmutableMatrix([e1, e2])
shifted = g_vec.subs({xs: xs + e1, ys: ys + e2}, simultaneous=True)
remainder = g_vec.subs({xs: e1, ys: e2}, simultaneous=True)
# g(x + ε) − g(x) − J ε, kept unevaluated so the page shows the three terms
gap = sp.MatAdd(
    shifted,
    sp.MatMul(-1, g_vec, evaluate=False),
    sp.MatMul(-1, sp.MatMul(J_square, step, evaluate=False), evaluate=False),
    evaluate=False,
)
square_map_remainder = claim(
    "jacobians.complex_square_remainder",
    "The remainder g(x + ε) − g(x) − Jε is g(ε)",
    kind="identity", f=gap, claimed=remainder,
    refs=["S3-14", "S4-25"],
)
remainder_size = claim(
    "jacobians.complex_square_remainder_size",
    "That remainder has length exactly ‖ε‖²",
    kind="identity", f=remainder[0] ** 2 + remainder[1] ** 2, claimed=(e1**2 + e2**2) ** 2,
    refs=["S3-14"],
)

# %% [markdown]
# ## The figure on the chapter page
#
# A small square grid around $x_0 = (1, 0.5)$, its image under $g$ (curved) and under the
# first-order approximation $g(x_0) + J(x_0)(x - x_0)$ (a parallelogram grid).

# %%
from derivations.figures import figure, show

G_CENTRE = (1.0, 0.5)


def square_map(p, q):
    return p**2 - q**2, 2 * p * q


def draw_grid(ax, mapping, centre=G_CENTRE, half=0.35, lines=7, **style):
    """Draw the image of a square grid of ``lines`` lines each way under ``mapping``."""
    import numpy as np

    s = np.linspace(-half, half, lines)
    t = np.linspace(-half, half, 60)
    for si in s:
        for p, q in ((centre[0] + si + 0 * t, centre[1] + t), (centre[0] + t, centre[1] + si + 0 * t)):
            gx, gy = mapping(p, q)
            ax.plot(gx, gy, **style)


@figure(
    "jacobians.grid_and_linearisation",
    alt="Two panels. Left: a small square grid around the point (1, 0.5). Right: its image under "
    "the map (x squared minus y squared, 2 x y), drawn as curved blue lines, and its image under "
    "the Jacobian's affine approximation, drawn as straight dashed pink lines; the two grids "
    "coincide near the centre and drift apart towards the edges.",
    caption="A small grid (left) and its image under g(x, y) = (x² − y², 2xy) (solid, curved) "
    "next to its image under the first-order approximation g(x₀) + J(x₀)(x − x₀) (dashed, "
    "straight), at x₀ = (1, 0.5).",
    size=(7.6, 3.6),
)
def draw_grid_and_linearisation(ax):
    import numpy as np

    fig = ax.figure
    ax.remove()
    left, right = fig.subplots(1, 2)
    x0, y0 = G_CENTRE
    g0 = np.array(square_map(x0, y0))
    J0 = np.array([[2 * x0, -2 * y0], [2 * y0, 2 * x0]])

    def linearised(p, q):
        d = np.vstack([p - x0, q - y0])
        out = g0[:, None] + J0 @ d
        return out[0], out[1]

    draw_grid(left, lambda p, q: (p, q), color="#3949ab", lw=1.0)
    left.plot([x0], [y0], "o", color="black", ms=4)
    left.set_xlabel("$x$")
    left.set_ylabel("$y$")
    draw_grid(right, square_map, color="#3949ab", lw=1.0)
    draw_grid(right, linearised, color="#c2185b", lw=1.0, ls="--")
    right.plot([g0[0]], [g0[1]], "o", color="black", ms=4)
    right.set_xlabel("$g_1$")
    right.set_ylabel("$g_2$")
    for a in (left, right):
        a.set_aspect("equal")


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("jacobians")


# %% [markdown]
# ## A numeric look at the remainder
#
# Shrinking the step by 10 shrinks the error of the linear approximation by 100: the ratio
# error / ‖ε‖² stays at 1 for this map, while error / ‖ε‖ goes to 0.

# %%
if __name__ == "__main__":
    import numpy as np

    x0 = np.array(G_CENTRE)
    J0 = np.array([[2 * x0[0], -2 * x0[1]], [2 * x0[1], 2 * x0[0]]])
    direction = np.array([0.6, -0.8])
    for scale in (1e-1, 1e-2, 1e-3):
        step = scale * direction
        exact = np.array(square_map(*(x0 + step)))
        approx = np.array(square_map(*x0)) + J0 @ step
        error = np.linalg.norm(exact - approx)
        print(f"|eps| = {scale:.0e}: error = {error:.3e}, error/|eps|^2 = {error / scale**2:.3f}")

# %% [markdown]
# ## A picture: a grid and its linearisation

# %%
if __name__ == "__main__":
    show("jacobians.grid_and_linearisation")

# %% [markdown]
# A quick check that the claims above also hold for the norm: the remainder has the length the
# identity says, at one random point.

# %%
if __name__ == "__main__":
    rng = np.random.default_rng(0)
    e = rng.standard_normal(2) * 0.1
    r = np.array(square_map(*e))
    print("‖g(ε)‖ =", np.linalg.norm(r), " ‖ε‖² =", float(e @ e))
