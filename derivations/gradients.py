# %% [markdown]
# # Lab: gradients, Jacobians and Hessians
#
# This page is the executed form of `derivations/gradients.py`. Every result on the chapter page
# *Gradients, Jacobians and Hessians* is declared here as a claim, from the same sympy objects
# that are rendered there, and checked by the engine. Run it yourself with
# `python -m derivations.gradients`.

# %%
# %matplotlib inline
import sympy as sp

from derivations.engine import (
    GradientOf,
    JacobianOf,
    Norm,
    VectorFunctionOf,
    claim,
    dim,
    fn,
    matrix,
    vector,
)

n, m = dim("n"), dim("m")
w, x, b = vector("w", n), vector("x", n), vector("b", n)
X = matrix("X", n, n)
A = matrix("A", m, n)
z = vector("z", m)

# %% [markdown]
# ## A linear function, from first principles
#
# For $f(x) = w^\top x$ a step $\Delta$ changes the value by exactly $w^\top\Delta$, so the
# derivative is the row $w^\top$ and the gradient, its transpose, is the column $w$.

# %%
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
# the output $f_i$. For $f(w) = Aw$ the $i$-th output is $A_i^\top w$, whose derivative is the row
# $A_i^\top$; stacking the rows gives back $A$.

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
# terms with $i = k$ and with $j = k$: $(Xw)_k + (X^\top w)_k$.

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
quadratic_symmetric = claim(
    "gradients.quadratic_form_symmetric",
    "Gradient of a quadratic form with a symmetric matrix",
    kind="gradient", f=w.T @ X @ w, wrt=w, claimed=2 * X @ w, domains={X: "symmetric"},
    refs=["S0-10", "MC-81"],
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
# $\lVert w\rVert^2 = w^\top w$ is the quadratic form with $X = I$, so its gradient is $2w$ and
# its Hessian $2I$: the same curvature in every direction.

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
# First in $z$: $\nabla_z p = 2z$. Then in $x$: the chain rule multiplies by the transposed
# Jacobian of the inner map, $\nabla_x p = \left(\frac{\partial z}{\partial x}\right)^\top 2z$,
# a vector of length $n$ even though $z$ has length $m$.

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
# ## The figure on the chapter page
#
# Registered here, drawn at build time by the site hook from this very function.

# %%
from derivations.figures import figure


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


# %% [markdown]
# ## Checking the claims on this page
#
# The engine differentiates each function entry by entry on explicit matrices, evaluates both
# sides exactly at rational points and compares finite differences at random points.

# %%
if __name__ == "__main__":
    from derivations.engine import REGISTRY, verify

    for c in REGISTRY:
        r = verify(c)
        print(f"{c.id:<45} {r.verdict:<10} (expected {c.expected})")

# %% [markdown]
# ## A picture: level sets and gradients
#
# For $h(w) = w^\top X w$ with a symmetric positive definite $X$ the level sets are ellipses;
# the gradient $(X + X^\top)w$ is drawn at points on them and is orthogonal to each ellipse.

# %%
if __name__ == "__main__":
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4))
    draw_level_sets(ax)
    plt.show()
