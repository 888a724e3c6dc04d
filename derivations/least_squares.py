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
# # Lab: least squares by calculus
#
# This page is the executed form of `derivations/least_squares.py`. Every result on the chapter
# page *Least squares by calculus* is declared here as a claim, from the same sympy objects that
# are rendered there, and checked by the engine.
#
# Notation, the same throughout the chapter and this lab: $X\in\mathbb{R}^{n\times d}$ holds $n$
# examples (rows) of $d$ features (columns), $y\in\mathbb{R}^n$ the targets and
# $w\in\mathbb{R}^d$ the weights (the unknown). A general square matrix is $M$, and $v$ is a
# direction in weight space.

# %%
# %matplotlib inline
import numpy as np
import sympy as sp
from sympy.printing.precedence import PRECEDENCE

from derivations.engine import AsScalar, Norm, claim, dim, matrix, scalar, vector
from derivations.engine.concrete import ConcretiseError, explicit, register_handler
from derivations.engine.functions import ScalarOfMatrix
from derivations.engine.written import product_of, sum_of

n, d = dim("n"), dim("d")
X = matrix("X", n, d)
w, v, u = vector("w", d), vector("v", d), vector("u", d)
y = vector("y", n)
w_star = vector("w^*", d)
y_hat = vector(r"\hat{y}", n)
P = matrix("P", n, n)
half = sp.Rational(1, 2)

# %% [markdown]
# ## Two small named objects
#
# The site's printer orders the terms of a sum alphabetically, so $y - Xw$ would be shown as
# $-Xw + y$. `Difference(a, b)` is $a - b$ printed in the order written. `MinEigenvalue` and
# `MaxEigenvalue` are the eigenvalues of a $2\times 2$ matrix $M$ with real eigenvalues,
# $\tfrac{t}{2} \mp \sqrt{t^2/4 - \det M}$ with $t = \operatorname{tr} M$.


# %%
class Difference(sp.MatrixExpr):
    """a − b, printed in the order written (the printer would sort the terms)."""

    precedence = PRECEDENCE["Add"]  # so products put it in parentheses

    def __new__(cls, a, b):
        return sp.Basic.__new__(cls, sp.sympify(a), sp.sympify(b))

    @property
    def shape(self):
        return self.args[0].shape

    def _latex(self, printer, exp=None):
        return f"{printer._print(self.args[0])} - {printer._print(self.args[1])}"

    @staticmethod
    def numeric(a, b):  # the numeric layer's fast path (engine/fastnum.py)
        return np.asarray(a) - np.asarray(b)


register_handler(Difference, lambda e, ctx: explicit(e.args[0], ctx) - explicit(e.args[1], ctx))


class _Eigenvalue2(ScalarOfMatrix):
    """An eigenvalue of a 2×2 matrix whose eigenvalues are real (a symmetric one, say)."""

    sign = 0
    label = ""

    def _latex_body(self, printer):
        return rf"\lambda_{{\{self.label}}}\left({printer._print(self.args[0])}\right)"

    @classmethod
    def explicit(cls, arg):
        if arg.shape != (2, 2):
            raise ConcretiseError("the eigenvalue formula here is for 2×2 matrices")
        half_trace = arg.trace() / 2
        return half_trace + cls.sign * sp.sqrt(half_trace**2 - arg.det())


class MinEigenvalue(_Eigenvalue2):
    sign, label = -1, "min"


class MaxEigenvalue(_Eigenvalue2):
    sign, label = 1, "max"


# %% [markdown]
# ## Predictions: the row view and the feature view
#
# With three examples and two features, $Xw$ is, entry by entry, the inner product of each row
# with $w$ (row view), and, as a whole, a combination of the columns of $X$ weighted by $w$
# (feature view).

# %%
x_entries = [[scalar(f"x_{{{i}{j}}}") for j in (1, 2)] for i in (1, 2, 3)]
w1, w2 = scalar("w_1"), scalar("w_2")
X_32, w_2 = matrix("X", 3, 2), vector("w", 2)
X_32_data = sp.ImmutableMatrix(x_entries)
w_2_data = sp.ImmutableMatrix([w1, w2])
row_view = claim(
    "least_squares.prediction_row_view",
    "Predictions, row by row",
    kind="identity", f=X_32 @ w_2,
    claimed=sp.ImmutableMatrix([[row[0] * w1 + row[1] * w2] for row in x_entries]),
    where={X_32: X_32_data, w_2: w_2_data},
    refs=["S4-46"],
)
column_view = claim(
    "least_squares.prediction_feature_view",
    "Predictions as a combination of the feature columns",
    kind="identity", f=X_32 @ w_2,
    claimed=sp.MatAdd(
        sp.MatMul(w1, X_32_data[:, 0]), sp.MatMul(w2, X_32_data[:, 1]), evaluate=False
    ),
    where={X_32: X_32_data, w_2: w_2_data},
    refs=["S4-46"],
)

# %% [markdown]
# ## Step 1: expand the squared norm
#
# The loss does not care about the sign of the residual. Write the squared norm as the inner
# product of the residual with itself, multiply out, and use that the scalar $w^\top X^\top y$
# equals its transpose.

# %%
loss = Norm(Difference(y, X @ w)) ** 2
loss_004 = Norm(X @ w - y) ** 2
either_sign = claim(
    "least_squares.loss_either_sign",
    "The loss is the same for either sign of the residual",
    kind="identity", f=loss, claimed=loss_004,
    refs=["S0-19"],
)
residual = Difference(y, X @ w)
four_terms = claim(
    "least_squares.expand_four_terms",
    "The inner product of the residual with itself, multiplied out",
    kind="identity", f=residual.T @ residual,
    claimed=y.T @ y - y.T @ X @ w - w.T @ X.T @ y + w.T @ X.T @ X @ w,
    display=sp.MatAdd(
        y.T @ y, -y.T @ X @ w, -w.T @ X.T @ y, w.T @ X.T @ X @ w, evaluate=False
    ),
    refs=["S4-55"],
)
middle_terms = claim(
    "least_squares.middle_terms_equal",
    "The two middle terms are the same scalar",
    kind="identity", f=w.T @ X.T @ y, claimed=y.T @ X @ w,
    refs=["S4-55"],
)
expand_loss = claim(
    "least_squares.expand_loss",
    "The least-squares loss, expanded",
    kind="identity", f=loss, claimed=y.T @ y - 2 * y.T @ X @ w + w.T @ X.T @ X @ w,
    refs=["S0-19", "S4-55"],
)
expand_inner = claim(
    "least_squares.expand_inner_product",
    "The same expansion from the inner product",
    kind="identity", f=(X @ w - y).T @ (X @ w - y),
    claimed=w.T @ X.T @ X @ w - 2 * w.T @ X.T @ y + y.T @ y,
    refs=["S4-55"],
)
expand_half = claim(
    "least_squares.expand_half_loss",
    "Half the squared residual, expanded",
    kind="identity", f=Norm(X @ w - y) ** 2 / 2,
    claimed=sp.MatMul(
        half, sp.MatAdd(w.T @ X.T @ X @ w, -2 * y.T @ X @ w, y.T @ y, evaluate=False),
        evaluate=False,
    ),
    refs=["S2-22"],
)

# %% [markdown]
# ## Step 2: differentiate term by term
#
# The quadratic term is the quadratic form with matrix $G = X^\top X$, which is symmetric; the
# quadratic-form rule gives its gradient. The linear term $2w^\top X^\top y$ and the constant
# $y^\top y$ follow.

# %%
G = matrix("G", d, d)
gram_symmetric = claim(
    "least_squares.gram_symmetric",
    "XᵀX is symmetric",
    kind="identity", f=sp.Transpose(X.T @ X), claimed=X.T @ X,
    refs=["S4-60", "S4-58"],
)
quadratic_rule = claim(
    "least_squares.gradient_quadratic_term_by_rule",
    "Gradient of the quadratic term by the quadratic-form rule",
    kind="gradient", f=w.T @ G @ w, wrt=w, claimed=(G + G.T) @ w, where={G: X.T @ X},
    refs=["S4-44", "S4-60", "MC-81"],
)
quadratic_term = claim(
    "least_squares.gradient_quadratic_term",
    "Gradient of the quadratic term",
    kind="gradient", f=w.T @ X.T @ X @ w, wrt=w, claimed=2 * X.T @ X @ w,
    refs=["S4-60", "MC-81"],
)
linear_term = claim(
    "least_squares.gradient_linear_term",
    "Gradient of the linear term",
    kind="gradient", f=2 * w.T @ X.T @ y, wrt=w, claimed=2 * X.T @ y,
    refs=["S4-60", "MC-69"],
)
constant_term = claim(
    "least_squares.gradient_constant_term",
    "The constant term has zero gradient",
    kind="gradient", f=y.T @ y, wrt=w, claimed=sp.ZeroMatrix(d, 1),
    refs=["S4-60"],
)
gradient = claim(
    "least_squares.gradient",
    "Gradient of the least-squares loss",
    kind="gradient", f=loss, wrt=w, claimed=2 * X.T @ X @ w - 2 * X.T @ y,
    refs=["S0-20", "S4-60"],
)
gradient_residual = claim(
    "least_squares.gradient_residual_form",
    "Gradient of the least-squares loss, residual form",
    kind="gradient", f=loss, wrt=w, claimed=-2 * X.T @ Difference(y, X @ w),
    refs=["S0-20", "S4-60"],
)
half_gradient = claim(
    "least_squares.half_loss_gradient",
    "Gradient of half the squared residual",
    kind="gradient", f=Norm(X @ w - y) ** 2 / 2, wrt=w, claimed=X.T @ X @ w - X.T @ y,
    refs=["S2-23"],
)
# In residual form, Xᵀ(Xw − y), this gradient is chain_rule.half_residual_sum_of_squares (written
# there with A for the data and x for the unknown).

# %% [markdown]
# One example at a time: for a linear model with bias $b$ and one example $(x_i, y_i)$ ($x_i^\top$
# is row $i$ of $X$), the squared error $f(w) = (w^\top x_i + b - y_i)^2$ is differentiated with
# the chain rule, inner map $w\mapsto w^\top x_i + b - y_i$.

# %%
b, y_i = scalar("b"), scalar("y_i")
x = vector("x_i", d)
example_residual = AsScalar(w.T @ x) + b - y_i
example_inner = claim(
    "least_squares.example_inner_gradient",
    "Gradient of the residual of one example",
    kind="gradient", f=example_residual, wrt=w, claimed=x,
    display_f=sum_of(AsScalar(w.T @ x), b, -y_i),
    refs=["S1-16"],
)
single_example = claim(
    "least_squares.single_example_gradient",
    "Gradient of the squared error of one example",
    kind="gradient", f=example_residual**2, wrt=w, claimed=sp.MatMul(sp.Mul(2, example_residual, evaluate=False), x, evaluate=False),
    display_f=sum_of(AsScalar(w.T @ x), b, -y_i) ** 2,
    display=product_of(2, sum_of(AsScalar(w.T @ x), b, -y_i), x),
    refs=["S1-16"],
)

# %% [markdown]
# Half the residual sum of squares is not the mean squared error: the MSE divides by the number
# of examples $n$. Both have the same minimiser; the losses differ by a constant factor, and so
# do their gradients.

# %%
mse = Norm(X @ w - y) ** 2 / n
mse_vs_half = claim(
    "least_squares.mse_vs_half_rss",
    "The MSE is 2/n times half the residual sum of squares",
    kind="identity", f=mse,
    claimed=sp.Mul(2 / n, Norm(X @ w - y) ** 2 / 2, evaluate=False),
    refs=["S2-24"],
)
mse_gradient = claim(
    "least_squares.mse_gradient",
    "Gradient of the mean squared error",
    kind="gradient", f=mse, wrt=w, claimed=(2 / n) * X.T @ (X @ w - y),
    refs=["S2-24"],
)
X_3 = matrix("X", 3, 3)
w_3, y_3 = vector("w", 3), vector("y", 3)
pitfall_mse = claim(
    "least_squares.pitfall_half_rss_is_mse",
    "Pitfall: ½‖Xw − y‖² is the mean squared error",
    kind="identity", f=Norm(X_3 @ w_3 - y_3) ** 2 / 2, claimed=Norm(X_3 @ w_3 - y_3) ** 2 / 3,
    at={X_3: sp.eye(3), w_3: sp.Matrix([1, 0, 0]), y_3: sp.zeros(3, 1)},
    pitfall=True, corrects="least_squares.mse_vs_half_rss",
    note="With X = I₃, y = 0 and w = (1, 0, 0), half the squared residual is 1/2 but the mean "
    "squared error over the 3 examples is 1/3.",
    refs=["S2-24"],
)

# %% [markdown]
# ## Step 3: the normal equations and the Hessian
#
# Setting the gradient (in the form below) to zero gives the normal equations
# $X^\top X w = X^\top y$. Differentiating once more gives a Hessian that does not depend on $w$.

# %%
normal_equations = claim(
    "least_squares.normal_equations",
    "The gradient vanishes exactly when the normal equations hold",
    kind="gradient", f=loss_004, wrt=w, claimed=sp.MatMul(2, sp.MatAdd(X.T @ X @ w, -X.T @ y, evaluate=False), evaluate=False),
    refs=["S4-61", "S0-21"],
)
hessian = claim(
    "least_squares.hessian",
    "Hessian of the least-squares loss",
    kind="hessian", f=loss, wrt=w, claimed=2 * X.T @ X,
    refs=["S4-63", "S0-21"],
)

# %% [markdown]
# ## The closed form
#
# When $X$ has full column rank (rank $d$, which needs at least as many examples as features),
# $X^\top X$ is invertible and the closed form $w^* = (X^\top X)^{-1}X^\top y$ solves the normal
# equations. The engine checks tall matrices
# only ($n\in\{3, 4\}$, $d = 2$, or $d\in\{1, 2\}$ for the heavier identities, which are then
# proved symbolically at $d = 1$ and checked exactly and numerically at $d = 2$): a random tall
# matrix has full column rank with probability one, and the exact layer skips the rare singular
# rational sample.

# %%
closed_form = sp.Inverse(X.T @ X) @ X.T @ y
tall = {n: (3, 4), d: (2,)}
small_tall = {n: (3, 4), d: (1, 2)}  # symbolic proof at d = 1 (fast); exact, numeric at d = 2 too
closed_form_solves = claim(
    "least_squares.closed_form_solves_normal_equations",
    "The closed form solves the normal equations",
    kind="identity", f=X.T @ X @ w_star, claimed=X.T @ y, where={w_star: closed_form},
    dims=tall, refs=["S4-62", "S4-48", "S0-21"],
)
gradient_about_minimiser = claim(
    "least_squares.gradient_about_minimiser",
    "The gradient measured from the closed form",
    kind="gradient", f=loss_004, wrt=w, claimed=2 * X.T @ X @ (w - w_star),
    where={w_star: closed_form}, dims=tall, refs=["S4-62", "S0-21"],
)
loss_about_minimiser = claim(
    "least_squares.loss_about_minimiser",
    "The loss is its minimum plus a quadratic bowl",
    kind="identity", f=loss_004,
    claimed=Norm(X @ w_star - y) ** 2 + Norm(X @ (w - w_star)) ** 2,
    where={w_star: closed_form}, dims=small_tall, refs=["S4-63", "S0-17", "S0-21"],
)

# %% [markdown]
# A wide $X$ ($n < d$, full row rank) does not pin the weights down: adding any vector of the
# null space, such as $v = (I - X^\top(XX^\top)^{-1}X)u$, leaves the loss unchanged.

# %%
wide_nonunique = claim(
    "least_squares.wide_matrix_not_unique",
    "With more features than examples the minimiser is not unique",
    kind="identity", f=Norm(X @ (w + v) - y) ** 2, claimed=loss_004,
    where={v: (sp.Identity(d) - X.T @ sp.Inverse(X @ X.T) @ X) @ u},
    dims={n: (1, 2), d: (3,)}, refs=["S0-17"],
)

# %% [markdown]
# ## The projection
#
# The hat matrix $P = X(X^\top X)^{-1}X^\top$ maps $y$ to the fitted values $\hat y = Xw^*$ (it is
# $X$ times the closed form). $P$ is symmetric and idempotent (an orthogonal projection onto the
# column space), the residual $y - \hat y$ is orthogonal to every column, and Pythagoras shows
# that no other vector $Xv$ of the column space is closer to $y$.

# %%
projection = X @ sp.Inverse(X.T @ X) @ X.T
projection_idempotent = claim(
    "least_squares.projection_idempotent",
    "The hat matrix is idempotent",
    kind="identity", f=sp.MatMul(P, P, evaluate=False), claimed=P, where={P: projection}, dims=small_tall, refs=["S4-48"],
)
projection_symmetric = claim(
    "least_squares.projection_symmetric",
    "The hat matrix is symmetric",
    kind="identity", f=P.T, claimed=P, where={P: projection}, dims=tall, refs=["S4-48"],
)
residual_orthogonal = claim(
    "least_squares.residual_orthogonal",
    "The residual is orthogonal to the columns",
    kind="identity", f=X.T @ y_hat, claimed=X.T @ y, where={y_hat: projection @ y},
    dims=tall, refs=["S4-61", "S4-48"],
)
pythagoras = claim(
    "least_squares.pythagoras",
    "Pythagoras in the column space",
    kind="identity", f=Norm(X @ v - y) ** 2,
    claimed=Norm(y_hat - y) ** 2 + Norm(X @ v - y_hat) ** 2,
    where={y_hat: projection @ y}, dims=small_tall, refs=["S4-64", "S4-47"],
)

# %% [markdown]
# ## Quadratic forms, PSD and PD matrices
#
# A quadratic form on $\mathbb{R}^2$, $av_1^2 + 2bv_1v_2 + cv_2^2$, is written with a symmetric
# matrix. Only the symmetric part of a matrix enters a quadratic form. The quadratic form of the
# Gram matrix $X^\top X$ is a squared norm, hence it is positive semidefinite, and positive
# definite exactly when $Xv$ is nonzero for every nonzero $v$, i.e. when $X$ has full column rank.

# %%
qa, qb, qc = (scalar(s) for s in "abc")
v1, v2 = scalar("v_1"), scalar("v_2")
quadratic_form_2d = claim(
    "least_squares.quadratic_form_2d",
    "A quadratic form on the plane as a matrix product",
    kind="identity", f=qa * v1**2 + 2 * qb * v1 * v2 + qc * v2**2,
    claimed=AsScalar(sp.MatMul(
        sp.ImmutableMatrix([[v1, v2]]), sp.ImmutableMatrix([[qa, qb], [qb, qc]]),
        sp.ImmutableMatrix([v1, v2]), evaluate=False,
    )),
    refs=["S4-56"],
)
M = matrix("M", d, d)
symmetric_part = claim(
    "least_squares.quadratic_form_symmetric_part",
    "A quadratic form sees only the symmetric part of its matrix",
    kind="identity", f=v.T @ M @ v,
    claimed=sp.MatMul(v.T, sp.MatMul(half, M + M.T, evaluate=False), v, evaluate=False),
    refs=["S4-57", "S4-56"],
)
M_22, v_2 = matrix("M", 2, 2), vector("v", 2)
pitfall_psd = claim(
    "least_squares.pitfall_nonnegative_eigenvalues_psd",
    "Pitfall: nonnegative eigenvalues make a quadratic form nonnegative, for any square matrix",
    kind="property",
    f=sp.Implies(
        sp.GreaterThan(MinEigenvalue(M_22), 0), sp.GreaterThan(AsScalar(v_2.T @ M_22 @ v_2), 0)
    ),
    claimed=sp.true, where={M_22: sp.ImmutableMatrix([[1, -3], [0, 1]])}, at={v_2: sp.Matrix([1, 1])},
    pitfall=True, corrects="least_squares.quadratic_form_symmetric_part",
    note="M = [[1, −3], [0, 1]] has the double eigenvalue 1, but v = (1, 1) gives vᵀMv = −1. "
    "For symmetric matrices the eigenvalue test and the quadratic-form test agree.",
    refs=["S4-57"],
)
gram_form = claim(
    "least_squares.gram_quadratic_form",
    "The quadratic form of XᵀX is a squared norm",
    kind="identity", f=v.T @ X.T @ X @ v, claimed=Norm(X @ v) ** 2,
    refs=["S4-58", "S4-59"],
)

# %% [markdown]
# ### Eigenvalues and rank
#
# A square matrix has full rank exactly when no eigenvalue is zero, because the determinant is
# the product of the eigenvalues (checked here for a symmetric $2\times 2$ matrix). "All
# eigenvalues positive" is the right test only for PSD matrices such as $X^\top X$; the pitfall
# below shows a full-rank matrix with a negative eigenvalue.

# %%
S = matrix("M", 2, 2)
eigen_product = claim(
    "least_squares.eigenvalue_product_is_determinant",
    "The determinant is the product of the eigenvalues",
    kind="identity", f=MinEigenvalue(S) * MaxEigenvalue(S), claimed=sp.Determinant(S),
    domains={S: "symmetric"}, refs=["S4-52", "S4-59"],
)
pitfall_rank = claim(
    "least_squares.pitfall_full_rank_positive_eigenvalues",
    "Pitfall: a full-rank matrix has positive eigenvalues",
    kind="property",
    f=sp.Implies(sp.Ne(sp.Determinant(S), 0), sp.StrictGreaterThan(MinEigenvalue(S), 0)),
    claimed=sp.true, domains={S: "symmetric"}, at={S: sp.diag(1, -1)},
    pitfall=True, corrects="least_squares.eigenvalue_product_is_determinant",
    note="diag(1, −1) has determinant −1, so rank 2, yet its eigenvalue −1 is negative. Full rank "
    "means no eigenvalue is zero; positivity follows only for PSD matrices such as XᵀX.",
    refs=["S4-52"],
)

# %% [markdown]
# ### The sources' small data sets
#
# One feature: $X$ is the single column $x = (1, -1)$ and $y = (3, -3)$. Two features with
# $X = I$ and $y = (-1, 1)$: a round bowl. The rank-deficient $X = \operatorname{diag}(1, 0)$ with
# the same $y$: a valley.

# %%
w_s = scalar("w")
x_1f, y_1f = vector("x", 2), vector("y", 2)
one_feature = {x_1f: sp.ImmutableMatrix([1, -1]), y_1f: sp.ImmutableMatrix([3, -3])}
one_feature_loss_expr = Norm(w_s * x_1f - y_1f) ** 2
one_feature_loss = claim(
    "least_squares.one_feature_loss",
    "The one-feature data set: the loss",
    kind="identity", f=one_feature_loss_expr, claimed=(w_s - 3) ** 2 + (3 - w_s) ** 2,
    display=sum_of(sum_of(w_s, -3) ** 2, sum_of(3, -w_s) ** 2),
    where=one_feature, refs=["S4-49"],
)
one_feature_derivative = claim(
    "least_squares.one_feature_derivative",
    "The one-feature data set: the derivative",
    kind="derivative", f=one_feature_loss_expr, wrt=w_s, claimed=sp.Mul(4, w_s - 3, evaluate=False),
    where=one_feature, refs=["S4-49"],
)
one_feature_minimiser = claim(
    "least_squares.one_feature_minimiser",
    "The one-feature data set: the derivative vanishes at w = 3",
    kind="derivative", f=one_feature_loss_expr, wrt=w_s, claimed=0, at={w_s: 3},
    where=one_feature, refs=["S4-49"],
)
one_feature_curvature = claim(
    "least_squares.one_feature_second_derivative",
    "The one-feature data set: the second derivative is positive",
    kind="partial", f=one_feature_loss_expr, wrt=(w_s, w_s), claimed=4,
    where=one_feature, refs=["S4-49"],
)
one_feature_closed_form = claim(
    "least_squares.one_feature_closed_form",
    "The one-feature data set: the closed form gives w = 3",
    kind="identity", f=AsScalar(x_1f.T @ y_1f) / AsScalar(x_1f.T @ x_1f), claimed=3,
    where=one_feature, refs=["S4-49", "S4-62"],
)

X_22 = matrix("X", 2, 2)
y_22 = vector("y", 2)
y_data = sp.ImmutableMatrix([-1, 1])
bowl_data = {X_22: sp.ImmutableMatrix.eye(2), y_22: y_data, w_2: w_2_data}
valley_data = {X_22: sp.ImmutableMatrix([[1, 0], [0, 0]]), y_22: y_data, w_2: w_2_data}
small_loss = Norm(X_22 @ w_2 - y_22) ** 2
bowl_loss = claim(
    "least_squares.bowl_loss",
    "X = I: the loss is a round bowl",
    kind="identity", f=small_loss, claimed=(w1 + 1) ** 2 + (w2 - 1) ** 2, where=bowl_data,
    refs=["S4-50"],
)
bowl_gradient = claim(
    "least_squares.bowl_gradient",
    "X = I: the gradient vanishes only at (−1, 1)",
    kind="gradient", f=small_loss, wrt=(w1, w2), claimed=[sp.Mul(2, w1 + 1, evaluate=False), sp.Mul(2, w2 - 1, evaluate=False)],
    where=bowl_data, refs=["S4-50"],
)
bowl_zero_loss = claim(
    "least_squares.bowl_zero_loss",
    "X = I: the loss is zero at w = y = (−1, 1)",
    kind="identity", f=small_loss, claimed=0, at={w1: -1, w2: 1},
    where=bowl_data, refs=["S4-50"],
)
bowl_hessian = claim(
    "least_squares.bowl_hessian",
    "X = I: the Hessian is 2I",
    kind="hessian", f=small_loss, wrt=(w1, w2), claimed=2 * sp.Identity(2), where=bowl_data,
    refs=["S4-50", "S4-65"],
)
valley_loss = claim(
    "least_squares.valley_loss",
    "Rank-deficient X: the loss is a valley",
    kind="identity", f=small_loss, claimed=(w1 + 1) ** 2 + 1, where=valley_data,
    refs=["S4-51"],
)
valley_gradient = claim(
    "least_squares.valley_gradient",
    "Rank-deficient X: the gradient ignores w₂",
    kind="gradient", f=small_loss, wrt=(w1, w2), claimed=[sp.Mul(2, w1 + 1, evaluate=False), 0], where=valley_data,
    refs=["S4-51"],
)
valley_hessian = claim(
    "least_squares.valley_hessian",
    "Rank-deficient X: the Hessian is singular",
    kind="hessian", f=small_loss, wrt=(w1, w2),
    claimed=sp.ImmutableMatrix([[2, 0], [0, 0]]), where=valley_data,
    refs=["S4-51", "S4-65"],
)
valley_pinv = claim(
    "least_squares.valley_pseudo_inverse_minimiser",
    "Rank-deficient X: the pseudo-inverse answer (−1, 0) is a minimiser",
    kind="gradient", f=small_loss, wrt=(w1, w2), claimed=[0, 0], at={w1: -1, w2: 0},
    where=valley_data, refs=["S4-51"],
)
valley_line_norm = claim(
    "least_squares.valley_line_norm",
    "Rank-deficient X: the squared length of a minimiser (−1, w₂)",
    kind="identity", f=Norm(w_2) ** 2, claimed=w2**2 + 1,
    where={w_2: sp.ImmutableMatrix([-1, w2])}, refs=["S4-51"],
)

# %% [markdown]
# Curvature of the two Gram matrices: the characteristic polynomial gives the eigenvalues, and
# the quadratic form shows in which directions the bowl is flat. A third matrix,
# $X = \begin{bmatrix}1&0\\0&1\\1&1\end{bmatrix}$, shows a tall full-rank case.

# %%
lam = scalar("lambda")
v_2_data = sp.ImmutableMatrix([v1, v2])
X_32_example = sp.ImmutableMatrix([[1, 0], [0, 1], [1, 1]])
tall_gram = claim(
    "least_squares.tall_example_gram",
    "A tall full-rank X: its Gram matrix XᵀX",
    kind="identity", f=X_32.T @ X_32, claimed=sp.ImmutableMatrix([[2, 1], [1, 2]]),
    where={X_32: X_32_example}, refs=["S4-59"],
)
tall_char = claim(
    "least_squares.tall_example_eigenvalues",
    "A tall full-rank X: the eigenvalues of XᵀX are 1 and 3",
    kind="identity", f=sp.Determinant(Difference(X_32.T @ X_32, lam * sp.Identity(2))),
    claimed=(lam - 1) * (lam - 3), where={X_32: X_32_example},
    refs=["S4-59", "S0-21"],
)
tall_form = claim(
    "least_squares.tall_example_quadratic_form",
    "A tall full-rank X: the quadratic form is positive away from 0",
    kind="identity", f=Norm(X_32 @ v_2) ** 2, claimed=v1**2 + v2**2 + (v1 + v2) ** 2,
    where={X_32: X_32_example, v_2: v_2_data}, refs=["S4-59", "S4-65"],
)
valley_char = claim(
    "least_squares.valley_eigenvalues",
    "Rank-deficient X: XᵀX has the eigenvalues 0 and 1",
    kind="identity", f=sp.Determinant(Difference(X_22.T @ X_22, lam * sp.Identity(2))),
    claimed=lam * (lam - 1), where={X_22: valley_data[X_22]},
    refs=["S4-51", "S4-65"],
)
valley_form = claim(
    "least_squares.valley_quadratic_form",
    "Rank-deficient X: the quadratic form is flat along w₂",
    kind="identity", f=Norm(X_22 @ v_2) ** 2, claimed=v1**2,
    where={X_22: valley_data[X_22], v_2: v_2_data}, refs=["S4-51", "S4-65", "S4-58"],
)
valley_flat = claim(
    "least_squares.valley_flat_direction",
    "Rank-deficient X: the quadratic form vanishes at v = (0, 1)",
    kind="identity", f=Norm(X_22 @ v_2) ** 2, claimed=0,
    where={X_22: valley_data[X_22]}, at={v_2: sp.Matrix([0, 1])}, refs=["S4-51", "S4-58"],
)


# %% [markdown]
# ## The figures on the chapter page
#
# Registered here, drawn at build time by the site hook from these very functions.

# %%
from derivations.figures import figure, show


def draw_small_loss(ax, X_num, minimisers, marked):
    """Contours of ‖Xw − y‖² for y = (−1, 1), the set of minimisers, and marked points."""
    import numpy as np

    y_num = np.array([-1.0, 1.0])
    g = np.linspace(-3.0, 1.0, 201)
    h = np.linspace(-1.0, 3.0, 201)
    w1_grid, w2_grid = np.meshgrid(g, h)
    points = np.stack([w1_grid, w2_grid], axis=-1)
    residual = points @ X_num.T - y_num
    values = np.sum(residual**2, axis=-1)
    ax.contour(w1_grid, w2_grid, values, levels=[0.25, 0.5, 1, 1.5, 2, 3, 4], cmap="viridis",
               linewidths=1.0)
    minimisers(ax)
    for (p1, p2), label in marked:
        ax.plot([p1], [p2], marker="o", color="#c2185b", markersize=5)
        ax.annotate(label, (p1, p2), textcoords="offset points", xytext=(6, 6))
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    return ax


@figure(
    "least_squares.bowl",
    alt="Concentric circles centred at the point (-1, 1), which is marked as the unique "
    "minimiser: the level sets of the least-squares loss for X = I and y = (-1, 1).",
    caption="Full column rank: the loss (w₁ + 1)² + (w₂ − 1)² for X = I, y = (−1, 1) is a bowl "
    "with one lowest point, w* = (−1, 1).",
    size=(4.2, 4.0),
)
def draw_bowl(ax):
    import numpy as np

    return draw_small_loss(ax, np.eye(2), lambda ax: None, [((-1.0, 1.0), "$w^*$")])


@figure(
    "least_squares.valley",
    alt="Vertical straight lines, the level sets of the loss for X = diag(1, 0) and y = (-1, 1); "
    "a dashed vertical line w1 = -1 marks the whole line of minimisers, and the point (-1, 0) "
    "on it is marked as the pseudo-inverse answer.",
    caption="Rank deficient: for X = diag(1, 0) the loss (w₁ + 1)² + 1 ignores w₂. Every point "
    "of the dashed line w₁ = −1 is a minimiser; the pseudo-inverse picks the shortest, (−1, 0).",
    size=(4.2, 4.0),
)
def draw_valley(ax):
    import numpy as np

    def line(ax):
        ax.axvline(-1.0, color="#c2185b", linestyle="--", linewidth=1.2)

    return draw_small_loss(
        ax, np.array([[1.0, 0.0], [0.0, 0.0]]), line, [((-1.0, 0.0), "$X^+y$")]
    )


# %% [markdown]
# ## Checking the claims on this page
#
# The engine differentiates each function entry by entry on explicit matrices, evaluates both
# sides exactly at rational points and compares finite differences at random points.

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("least_squares")


# %% [markdown]
# ## Agreement with `numpy.linalg.lstsq`
#
# On a random tall data set the closed form, the normal equations solved by `numpy.linalg.solve`
# and the library least-squares solver give the same weights; the residual is orthogonal to the
# columns. On the rank-deficient data set `lstsq` returns the minimiser of smallest norm, which
# is the pseudo-inverse answer $X^+y$; the cell asserts its value, the point of exercise 3.

# %%
if __name__ == "__main__":
    import numpy as np

    rng = np.random.default_rng(0)
    X_num = rng.standard_normal((20, 3))
    y_num = X_num @ np.array([1.5, -2.0, 0.5]) + 0.1 * rng.standard_normal(20)
    w_closed = np.linalg.inv(X_num.T @ X_num) @ X_num.T @ y_num
    w_normal = np.linalg.solve(X_num.T @ X_num, X_num.T @ y_num)
    w_lstsq, *_ = np.linalg.lstsq(X_num, y_num, rcond=None)
    assert np.allclose(w_closed, w_lstsq) and np.allclose(w_normal, w_lstsq)
    assert np.allclose(X_num.T @ (y_num - X_num @ w_lstsq), 0.0, atol=1e-10)
    P_num = X_num @ np.linalg.inv(X_num.T @ X_num) @ X_num.T
    assert np.allclose(P_num @ P_num, P_num) and np.allclose(P_num, P_num.T)
    print("closed form   ", w_closed)
    print("lstsq         ", w_lstsq)

    X_valley = np.array([[1.0, 0.0], [0.0, 0.0]])
    y_small = np.array([-1.0, 1.0])
    w_valley, _, rank, _ = np.linalg.lstsq(X_valley, y_small, rcond=None)
    assert rank == 1
    assert np.allclose(w_valley, [-1.0, 0.0])
    assert np.allclose(np.linalg.pinv(X_valley) @ y_small, w_valley)
    print("valley: rank", rank, "lstsq =", w_valley, "loss =", np.sum((X_valley @ w_valley - y_small) ** 2))

    w_one = (np.array([1.0, -1.0]) @ np.array([3.0, -3.0])) / 2.0
    assert w_one == 3.0

# %% [markdown]
# ## Pictures: a bowl and a valley
#
# Full column rank gives a bowl with one lowest point; a rank-deficient $X$ gives a valley
# whose floor is a whole line of minimisers.

# %%
if __name__ == "__main__":
    show("least_squares.bowl", "least_squares.valley")
