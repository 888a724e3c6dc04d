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
# # Lab: Hessians and curvature
#
# This page is the executed form of `derivations/hessians.py`. Every result on the chapter page
# *Hessians and curvature* is declared here as a claim, from the sympy objects that are rendered
# there, and checked by the engine.

# %%
# %matplotlib inline
import sympy as sp

from derivations.engine import AsScalar, claim, dim, matrix, scalar, vector
from derivations.engine.written import product_of, sum_of

n = dim("n")
x, v = vector("x", n), vector("v", n)
X = matrix("X", n, n)
t = scalar("t")
xs, ys, zs = scalar("x"), scalar("y"), scalar("z")
x1, x2 = scalar("x_1"), scalar("x_2")
v1, v2 = scalar("v_1"), scalar("v_2")


def gradient_column(expr, variables):
    return [sp.diff(expr, var) for var in variables]


def hessian_matrix(expr, variables):
    """The matrix of second partials, entry (i, j) = ∂²f/∂x_i∂x_j, computed by sympy."""
    return sp.ImmutableMatrix(sp.hessian(expr, list(variables)))


# %% [markdown]
# ## The Hessian by entries, and as the Jacobian of the gradient
#
# For $f(x, y, z) = x^2y + y\sin z$ we compute all nine second partials, then check that
# differentiating the gradient (a map $\mathbb{R}^3\to\mathbb{R}^3$) gives the same matrix.

# %%
f3 = xs**2 * ys + ys * sp.sin(zs)
H3 = hessian_matrix(f3, (xs, ys, zs))
gradient_3 = claim(
    "hessians.three_variable_gradient",
    "Gradient of x²y + y sin z",
    kind="gradient", f=f3, wrt=(xs, ys, zs), claimed=gradient_column(f3, (xs, ys, zs)),
    refs=["S1-21"],
)
hessian_entries = claim(
    "hessians.three_variable_example",
    "Hessian of x²y + y sin z",
    kind="hessian", f=f3, wrt=(xs, ys, zs), claimed=H3,
    refs=["S1-21", "S4-31"],
)
hessian_from_gradient = claim(
    "hessians.jacobian_of_gradient",
    "The Jacobian of the gradient of x²y + y sin z is its Hessian",
    kind="jacobian", f=gradient_column(f3, (xs, ys, zs)), wrt=(xs, ys, zs), claimed=H3,
    refs=["S3-03"],
)

# %% [markdown]
# ## Bowl, saddle and trough
#
# Three functions of two variables with constant Hessians: the paraboloid $x_1^2 + x_2^2$ (a bowl),
# $x^2 - y^2$ (a saddle) and $x_1^2$ (a trough: flat along $x_2$).

# %%
bowl = x1**2 + x2**2
saddle = xs**2 - ys**2
trough = x1**2
bowl_hessian = claim(
    "hessians.bowl",
    "Hessian of the bowl x₁² + x₂²",
    kind="hessian", f=bowl, wrt=(x1, x2), claimed=2 * sp.ImmutableMatrix(sp.eye(2)),
    refs=["S3-10"],
)
bowl_gradient_jacobian = claim(
    "hessians.bowl_from_gradient",
    "Differentiating the gradient (2x₁, 2x₂) once more",
    kind="jacobian", f=gradient_column(bowl, (x1, x2)), wrt=(x1, x2),
    claimed=hessian_matrix(bowl, (x1, x2)),
    refs=["S3-10", "S3-03"],
)
saddle_hessian = claim(
    "hessians.saddle",
    "Hessian of the saddle x² − y²",
    kind="hessian", f=saddle, wrt=(xs, ys), claimed=sp.ImmutableMatrix(sp.diag(2, -2)),
    refs=["S1-23", "S2-01"],
)
trough_hessian = claim(
    "hessians.trough",
    "Hessian of the trough x₁² (as a function of x₁ and x₂)",
    kind="hessian", f=trough, wrt=(x1, x2), claimed=sp.ImmutableMatrix(sp.diag(2, 0)),
    refs=["S4-31"],
)

# %% [markdown]
# ## Symmetry: the order of mixed partials
#
# $\partial^2 f/\partial y\,\partial x$ means: differentiate in $x$ first, then in $y$. For a
# function whose second partials are continuous ($C^2$) the order does not matter.

# %%
smooth = xs**3 * ys**2 + sp.exp(xs * ys)
x_then_y = sp.diff(sp.diff(smooth, xs), ys)
y_then_x = sp.diff(sp.diff(smooth, ys), xs)
mixed_partials = claim(
    "hessians.mixed_partials_agree",
    "Mixed partials of x³y² + exp(xy) agree",
    kind="partial", f=smooth, wrt=(xs, ys), claimed=y_then_x,
    refs=["S4-32", "S4-31"],
)
quadratic_hessian_symmetric = claim(
    "hessians.quadratic_form_hessian_is_symmetric",
    "The Hessian X + Xᵀ of wᵀXw is symmetric even when X is not",
    kind="identity", f=sp.Transpose(X + X.T), claimed=X + X.T,
    refs=["S4-31"],
)

# %% [markdown]
# ## Curvature along a direction
#
# The curvature along $v$ is $v^\top\nabla^2 f\,v$, the second derivative along the line
# $x + tv$ at $t = 0$. For the quadratic form $h(w) = w^\top X w$ the claim below computes that
# second derivative at every $t$.

# %%
along_line = AsScalar((x + t * v).T @ X @ (x + t * v))
curvature = claim(
    "hessians.curvature_along_direction",
    "Second derivative of wᵀXw along the line x + tv",
    kind="partial", f=along_line, wrt=(t, t), claimed=AsScalar(v.T @ (X + X.T) @ v),
    display_f=AsScalar(
        product_of(sp.Transpose(sum_of(x, t * v)), X, sum_of(x, t * v))
    ),
    refs=["S4-31", "S3-03"],
)

# %% [markdown]
# The curvature along $v$ for the three model surfaces: $v^\top H v$ written out, with the
# Hessians declared above.

# %%
v_col = sp.ImmutableMatrix([v1, v2])


def curvature_form(H):
    return sp.expand((v_col.T * H * v_col)[0, 0])


bowl_form = curvature_form(sp.ImmutableMatrix(sp.eye(2)) * 2)
saddle_form = curvature_form(sp.ImmutableMatrix(sp.diag(2, -2)))
trough_form = curvature_form(sp.ImmutableMatrix(sp.diag(2, 0)))

bowl_form_claim = claim(
    "hessians.bowl_curvature_form",
    "The bowl's curvature along v: vᵀ(2I)v = 2v₁² + 2v₂²",
    kind="identity",
    f=sp.MatMul(v_col.T, sp.ImmutableMatrix(2 * sp.eye(2)), v_col, evaluate=False),
    claimed=bowl_form,
    refs=["S3-10", "S4-31"],
)
saddle_form_claim = claim(
    "hessians.saddle_curvature_form",
    "The saddle's curvature along v: vᵀ diag(2, −2) v = 2v₁² − 2v₂²",
    kind="identity",
    f=sp.MatMul(v_col.T, sp.ImmutableMatrix(sp.diag(2, -2)), v_col, evaluate=False),
    claimed=saddle_form,
    refs=["S1-23", "S4-31"],
)
# 2v₁² − 2v₂² = 2(|v₁| + |v₂|)(|v₁| − |v₂|): the first factor is positive for v ≠ 0, so the
# sign of the curvature is the sign of |v₁| − |v₂|.
saddle_sign = claim(
    "hessians.saddle_curvature_sign",
    "The saddle's curvature 2v₁² − 2v₂² has the sign of |v₁| − |v₂|",
    kind="identity", f=saddle_form,
    claimed=sp.Mul(
        2,
        sp.Add(sp.Abs(v1), sp.Abs(v2), evaluate=False),
        sp.Add(sp.Abs(v1), -sp.Abs(v2), evaluate=False),
        evaluate=False,
    ),
    refs=["S1-23", "S4-31"],
)

theta = scalar("theta")
bowl_curvature = claim(
    "hessians.bowl_curvature_every_direction",
    "The bowl curves up by 2 along every unit direction (cos θ, sin θ)",
    kind="identity", f=bowl_form.subs({v1: sp.cos(theta), v2: sp.sin(theta)}), claimed=2,
    refs=["S3-10", "S4-31"],
)
saddle_up = claim(
    "hessians.saddle_curvature_first_axis",
    "The saddle curves up along (1, 0)",
    kind="identity", f=saddle_form, claimed=2, at={v1: 1, v2: 0},
    refs=["S1-23"],
)
saddle_down = claim(
    "hessians.saddle_curvature_second_axis",
    "The saddle curves down along (0, 1)",
    kind="identity", f=saddle_form, claimed=-2, at={v1: 0, v2: 1},
    refs=["S1-23"],
)
saddle_not_psd = claim(
    "hessians.pitfall_saddle_curves_up",
    "Pitfall: a positive diagonal entry means curving up in every direction (along (0, 1): +2)",
    kind="identity", f=saddle_form, claimed=2, at={v1: 0, v2: 1},
    pitfall=True,
    corrects="hessians.saddle_curvature_second_axis",
    note="The Hessian diag(2, −2) has a positive entry, but vᵀHv = 2v₁² − 2v₂² is negative "
    "along (0, 1): the saddle is neither PSD nor NSD (indefinite).",
    refs=["S1-23", "S4-31"],
)
trough_flat = claim(
    "hessians.trough_flat_direction",
    "The trough's curvature 2v₁² vanishes along (0, 1)",
    kind="identity",
    f=sp.MatMul(v_col.T, sp.ImmutableMatrix(sp.diag(2, 0)), v_col, evaluate=False),
    claimed=trough_form,
    refs=["S4-31"],
)

# %% [markdown]
# ## Definiteness by eigenvalues, for symmetric matrices
#
# A symmetric $H$ has an orthonormal basis of eigenvectors $q_i$ with real eigenvalues
# $\lambda_i$, and its quadratic form is a sum of squares weighted by the eigenvalues (the claim
# `hessians.quadratic_form_of_rank_one_sum` below, for two terms). So $H$ is PSD (all
# $v^\top Hv \ge 0$) exactly when no eigenvalue is negative, and PD (all $v^\top Hv > 0$ for
# $v\ne 0$) exactly when every eigenvalue is positive. The example
# $H = \begin{bmatrix}2 & 1\\ 1 & 2\end{bmatrix}$ follows; its eigenvectors come from sympy's
# `eigenvects`, and a claim checks them.

# %%
H_example = sp.ImmutableMatrix([[2, 1], [1, 2]])
# λ (qᵀv)² with q = e/‖e‖ is (λ/‖e‖²)(eᵀv)² for an integer eigenvector e
spectral = sp.Add(
    *(
        sp.Mul(val / vecs[0].dot(vecs[0]), vecs[0].dot(v_col) ** 2, evaluate=False)
        for val, _, vecs in H_example.eigenvects()
    ),
    evaluate=False,
)
spectral_identity = claim(
    "hessians.quadratic_form_by_eigenvalues",
    "vᵀHv as a weighted sum of squares, weights the eigenvalues 1 and 3",
    kind="identity", f=curvature_form(H_example), claimed=spectral,
    refs=["S4-31"],
)
# λ₁q₁q₁ᵀ + λ₂q₂q₂ᵀ: the quadratic form of a sum of rank-one terms, two terms shown
q1, q2 = vector("q_1", n), vector("q_2", n)
lam1, lam2 = scalar("lambda_1"), scalar("lambda_2")
c1, c2 = scalar("c_1"), scalar("c_2")
rank_one_sum = claim(
    "hessians.quadratic_form_of_rank_one_sum",
    "vᵀ(λ₁q₁q₁ᵀ + λ₂q₂q₂ᵀ)v is the weighted sum of squares λ₁(q₁ᵀv)² + λ₂(q₂ᵀv)²",
    kind="identity",
    f=AsScalar(v.T @ sp.MatAdd(lam1 * q1 @ q1.T, lam2 * q2 @ q2.T, evaluate=False) @ v),
    claimed=sp.Add(
        sp.Mul(lam1, c1**2, evaluate=False), sp.Mul(lam2, c2**2, evaluate=False), evaluate=False
    ),
    display=sum_of(product_of(lam1, c1**2), product_of(lam2, c2**2)),
    where={c1: AsScalar(q1.T @ v), c2: AsScalar(q2.T @ v)},
    refs=["S4-31"],
)
eigenvectors_example = sp.ImmutableMatrix([[1, 1], [-1, 1]])  # columns (1, −1) and (1, 1)
eigenpairs = claim(
    "hessians.example_eigenvectors",
    "[[2, 1], [1, 2]] has eigenvalue 1 along (1, −1) and 3 along (1, 1)",
    kind="identity",
    f=sp.MatMul(H_example, eigenvectors_example, evaluate=False),
    claimed=sp.MatMul(eigenvectors_example, sp.ImmutableMatrix(sp.diag(1, 3)), evaluate=False),
    refs=["S4-31"],
)
A_ex = matrix("A", n, n)
symmetric_part = claim(
    "hessians.quadratic_form_symmetric_part",
    "A quadratic form only sees the symmetric part of its matrix",
    kind="identity", f=AsScalar(x.T @ A_ex @ x),
    claimed=AsScalar(x.T @ (A_ex + A_ex.T) @ x) / 2,
    refs=["S4-31", "S4-57"],
)
nonsymmetric_form = sp.expand((sp.Matrix([[x1, x2]]) * sp.Matrix([[1, -3], [0, 1]])
                               * sp.Matrix([x1, x2]))[0, 0])
A_num = sp.ImmutableMatrix([[1, -3], [0, 1]])
A_sym = (A_num + A_num.T) / 2
nonsymmetric_part = claim(
    "hessians.nonsymmetric_example_symmetric_part",
    "The symmetric part of [[1, −3], [0, 1]]",
    kind="identity",
    f=sp.MatMul(sp.Rational(1, 2), sp.MatAdd(A_num, A_num.T, evaluate=False), evaluate=False),
    claimed=A_sym,
    refs=["S4-57"],
)
sym_eigenvectors = sp.ImmutableMatrix([[1, 1], [1, -1]])  # columns (1, 1) and (1, −1)
nonsymmetric_part_eigen = claim(
    "hessians.nonsymmetric_example_symmetric_part_eigenvectors",
    "That symmetric part has eigenvalue −1/2 along (1, 1) and 5/2 along (1, −1)",
    kind="identity",
    f=sp.MatMul(A_sym, sym_eigenvectors, evaluate=False),
    claimed=sp.MatMul(
        sym_eigenvectors,
        sp.ImmutableMatrix(sp.diag(sp.Rational(-1, 2), sp.Rational(5, 2))),
        evaluate=False,
    ),
    refs=["S4-57"],
)
nonsymmetric_value = claim(
    "hessians.nonsymmetric_example_form_at_ones",
    "xᵀAx for A = [[1, −3], [0, 1]] is −1 at x = (1, 1)",
    kind="identity", f=nonsymmetric_form, claimed=-1, at={x1: 1, x2: 1},
    refs=["S4-57"],
)
eigenvalue_test_pitfall = claim(
    "hessians.pitfall_eigenvalue_test_nonsymmetric",
    "Pitfall: nonnegative eigenvalues make xᵀAx ≥ 0, i.e. max(xᵀAx, 0) = xᵀAx (at x = (1, 1))",
    kind="identity", f=sp.Max(nonsymmetric_form, 0), claimed=nonsymmetric_form, pitfall=True,
    at={x1: 1, x2: 1},
    corrects="hessians.quadratic_form_symmetric_part",
    note="A = [[1, −3], [0, 1]] has eigenvalues 1 and 1, yet xᵀAx = x₁² − 3x₁x₂ + x₂² is −1 at "
    "(1, 1). The eigenvalue test applies to symmetric matrices (here, to (A + Aᵀ)/2, whose "
    "eigenvalues are −1/2 and 5/2).",
    refs=["S4-57"],
)

# %% [markdown]
# ## The figure on the chapter page

# %%
from derivations.figures import figure, show


def _surface(ax, fn, label):
    import numpy as np

    g = np.linspace(-1.0, 1.0, 17)  # 16 × 16 facets: smooth enough, and the SVG stays small
    xx, yy = np.meshgrid(g, g)
    ax.plot_surface(xx, yy, fn(xx, yy), cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
    ax.set_zlim(-1, 2)
    ax.set_xlabel("$x_1$", labelpad=-8)
    ax.set_ylabel("$x_2$", labelpad=-8)
    ax.set_zlabel("$f$", labelpad=-8)
    ax.set_xticks([-1, 0, 1])
    ax.set_yticks([-1, 0, 1])
    ax.set_zticks([-1, 0, 1, 2])
    ax.tick_params(labelsize=8, pad=-2)
    ax.text2D(0.5, 0.95, label, transform=ax.transAxes, ha="center", fontsize=9)
    ax.view_init(elev=28, azim=-60)


@figure(
    "hessians.bowl_saddle_trough",
    alt="Three surface plots side by side. Left: a bowl, curving up in every direction. Middle: "
    "a saddle, curving up along the first axis and down along the second. Right: a trough, "
    "curving up along the first axis and perfectly flat along the second.",
    caption="Bowl x₁² + x₂² (Hessian 2I, positive definite), saddle x₁² − x₂² (diag(2, −2), "
    "indefinite) and trough x₁² (diag(2, 0), positive semidefinite with a flat direction).",
    size=(9.0, 3.2),
)
def draw_bowl_saddle_trough(ax):
    fig = ax.figure
    ax.remove()
    panels = [
        (lambda a, b: a**2 + b**2, "bowl: eigenvalues 2, 2"),
        (lambda a, b: a**2 - b**2, "saddle: eigenvalues 2, −2"),
        (lambda a, b: a**2 + 0 * b, "trough: eigenvalues 2, 0"),
    ]
    for i, (fn, label) in enumerate(panels):
        _surface(fig.add_subplot(1, 3, i + 1, projection="3d"), fn, label)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("hessians")


# %% [markdown]
# ## Numbers: eigenvalues of the example Hessians
#
# numpy's `eigvalsh` is for symmetric matrices, which every Hessian of a $C^2$ function is.

# %%
if __name__ == "__main__":
    import numpy as np

    for name, H in (
        ("bowl", np.diag([2.0, 2.0])),
        ("saddle", np.diag([2.0, -2.0])),
        ("trough", np.diag([2.0, 0.0])),
        ("[[2, 1], [1, 2]]", np.array([[2.0, 1.0], [1.0, 2.0]])),
    ):
        print(f"{name:<18} eigenvalues {np.linalg.eigvalsh(H)}")
    A_num = np.array([[1.0, -3.0], [0.0, 1.0]])
    print("non-symmetric A: eigenvalues", np.linalg.eigvals(A_num),
          "but x^T A x at (1, 1) =", np.array([1.0, 1.0]) @ A_num @ np.array([1.0, 1.0]))
    print("its symmetric part has eigenvalues", np.linalg.eigvalsh((A_num + A_num.T) / 2))

# %% [markdown]
# ## A picture: bowl, saddle and trough

# %%
if __name__ == "__main__":
    show("hessians.bowl_saddle_trough")
