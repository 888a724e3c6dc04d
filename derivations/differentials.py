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
# # Lab: differentials
#
# This page is the executed form of `derivations/differentials.py`. It declares the rules of the
# differential calculus boxed on the chapter page *Differentials: the dX calculus*, each as a
# directional derivative in the direction $dX$, then the identification rule that turns a
# differential into a gradient, and the gradients derived with it. At the end it checks one
# rule with numpy: the difference quotient in a random direction approaches the differential
# as the step shrinks, and a wrong rule does not.
#
# The differential $d F$ of a map $F$ at $X$ is the part of $F(X + dX) - F(X)$ that is linear in
# the step $dX$: the directional derivative of $F$ at $X$ in the direction $dX$. The engine
# checks each rule as that directional derivative, so every box on the chapter page shows the
# derivative in the direction $dX$, which is $dF$.

# %%
# %matplotlib inline
import numpy as np
import sympy as sp

from derivations.engine import (
    Applied,
    AsScalar,
    GradientOf,
    Norm,
    claim,
    dim,
    fn,
    matrix,
    scalar,
    vector,
)
from derivations.engine.written import product_of, sum_of
from derivations.identities import LogAbsDet  # log |det X|, made explicit as ½ log (det X)²


class StepSymbol(sp.MatrixSymbol):
    """A step such as dX: a matrix variable like any other for the engine, typeset as an
    inner atom, so that TeX puts a thin space between it and a neighbouring factor
    (−X⁻¹ dX X⁻¹, not −X⁻¹dXX⁻¹) but none inside brackets or in a subscript."""

    def _latex(self, printer, exp=None):
        tex = rf"\mathinner{{d{printer._deal_with_super_sub(self.name[1:])}}}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


def bracketed(step):
    """(dX) where a transpose follows, so that (dX)ᵀ cannot be read as d(Xᵀ); the one-term
    sum prints its term in brackets under a transpose and is the step itself."""
    return sum_of(step)


m, n = dim("m"), dim("n")
X, dX = matrix("X", n, n), StepSymbol("dX", n, n)
A = matrix("A", n, n)
x, dx = vector("x", n), StepSymbol("dx", n, 1)
alpha = scalar("alpha")

# The rules hold at every size; they are checked at n = 2 and 3 where that stays fast, and at
# n = 2 alone where the expressions hold several inverses, products of six matrices or an
# arbitrary function of all the entries (each claim then stays well under 0.3 s).
SMALL = {n: (2, 3)}
TINY = {n: (2,)}

# %% [markdown]
# ## Constants, scalar multiples, transposes and traces
#
# A constant does not move when $X$ moves, so its differential is zero. The differential is
# linear, and it commutes with the linear maps transpose and trace.

# %%
claim(
    "differentials.constant",
    "The differential of a constant is zero",
    kind="directional",
    f=A,
    wrt=X,
    direction=dX,
    claimed=sp.ZeroMatrix(n, n),
    dims=SMALL,
    refs=["MC-33", "S1-02"],
)
claim(
    "differentials.scalar_multiple",
    "d(αX) = α dX",
    kind="directional",
    f=alpha * X,
    wrt=X,
    direction=dX,
    claimed=alpha * dX,
    dims=SMALL,
    refs=["MC-34", "S1-02"],
)
claim(
    "differentials.transpose",
    "d(Xᵀ) = (dX)ᵀ",
    kind="directional",
    f=X.T,
    wrt=X,
    direction=dX,
    claimed=dX.T,
    display=sp.Transpose(bracketed(dX)),
    dims=SMALL,
    refs=["MC-44", "S1-02"],
)
claim(
    "differentials.trace",
    "d tr X = tr dX",
    kind="directional",
    f=sp.Trace(X),
    wrt=X,
    direction=dX,
    claimed=sp.Trace(dX),
    dims=SMALL,
    refs=["MC-36", "S1-02"],
)

# %% [markdown]
# ## Sums and products
#
# The sum and product rules are about two matrices $A$ and $B$ that both depend on $X$. A
# differential sees only the part of each that is linear in the step, so it is enough to check
# them for $A = PXQ$ and $B = RXS$ with arbitrary square $P, Q, R, S$ (the `where` lines
# below give $dA$ and $dB$), and at a random point and a random step the four matrices $A$,
# $dA$, $B$, $dB$ are arbitrary (for invertible $P, Q, R, S$ every quadruple is reached).

# %%
P, Q, R, S = (matrix(name, n, n) for name in "PQRS")
A_of, B_of = matrix("A", n, n), matrix("B", n, n)
dA, dB = StepSymbol("dA", n, n), StepSymbol("dB", n, n)
two_maps = {A_of: P @ X @ Q, B_of: R @ X @ S, dA: P @ dX @ Q, dB: R @ dX @ S}


def written_out(expr):
    """``expr`` with A, B, dA and dB replaced by their definitions: what is checked (and what
    the checker page is given), while the page shows ``expr`` itself and the definitions."""
    return expr.xreplace(two_maps)


sum_shown = sum_of(dA, dB)
product_shown = sum_of(product_of(dA, B_of), product_of(A_of, dB))
swapped_shown = sum_of(product_of(A_of, dB), product_of(B_of, dA))
claim(
    "differentials.sum_rule",
    "The sum rule: d(A + B) = dA + dB",
    kind="directional",
    f=written_out(A_of + B_of),
    wrt=X,
    direction=dX,
    claimed=written_out(dA + dB),
    display_f=sum_of(A_of, B_of),
    display=sum_shown,
    where=two_maps,
    dims=TINY,
    refs=["MC-35", "S1-02"],
)
claim(
    "differentials.product_rule",
    "The product rule: d(AB) = dA B + A dB",
    kind="directional",
    f=written_out(A_of @ B_of),
    wrt=X,
    direction=dX,
    claimed=written_out(dA @ B_of + A_of @ dB),
    display_f=A_of @ B_of,
    display=product_shown,
    where=two_maps,
    dims=TINY,
    refs=["MC-37", "S1-02"],
)
claim(
    "differentials.pitfall_product_rule_order",
    "Pitfall: d(AB) = A dB + B dA",
    kind="directional",
    f=written_out(A_of @ B_of),
    wrt=X,
    direction=dX,
    claimed=written_out(A_of @ dB + B_of @ dA),
    display_f=A_of @ B_of,
    display=swapped_shown,
    where=two_maps,
    dims=TINY,
    pitfall=True,
    corrects="differentials.product_rule",
    note="The scalar rule d(ab) = a db + b da reorders freely; matrices do not commute, so "
    "each factor keeps its place: the step dA stays on the left of B.",
    refs=["MC-37"],
)

# %% [markdown]
# ## Inverse, determinant, log-determinant
#
# These three need $X$ invertible. The inverse rule follows from the product rule applied to
# the product of $X$ and its inverse, which is constant (a worked example on the chapter page;
# its step is the identity claim below). Jacobi's formula and the log-determinant rule are the
# same statement twice: the second divides the first by $\det X$.

# %%
inverse_rule = claim(
    "differentials.inverse",
    "d(X⁻¹) = −X⁻¹ dX X⁻¹",
    kind="directional",
    f=sp.Inverse(X),
    wrt=X,
    direction=dX,
    claimed=-sp.Inverse(X) @ dX @ sp.Inverse(X),
    domains={X: "invertible"},
    dims=SMALL,
    refs=["MC-40", "S1-02"],
)
claim(
    "differentials.pitfall_inverse_squared",
    "Pitfall: d(X⁻¹) = −X⁻² dX",
    kind="directional",
    f=sp.Inverse(X),
    wrt=X,
    direction=dX,
    claimed=-sp.MatPow(X, -2) @ dX,
    domains={X: "invertible"},
    dims=SMALL,
    pitfall=True,
    corrects="differentials.inverse",
    note="The scalar rule d(1/x) = −dx/x² does not carry over: the step dX need not commute "
    "with X, so it stays between the two inverses. −X⁻² dX is right only for steps that "
    "commute with X, such as dX = tX.",
    refs=["MC-40"],
)
claim(
    "differentials.inverse_from_product_rule",
    "X times −X⁻¹ dX X⁻¹ is −dX X⁻¹, as the product rule on XX⁻¹ = I requires",
    kind="identity",
    # unevaluated: sympy would cancel X X⁻¹ before anything is checked
    f=sp.MatMul(X, sp.MatMul(-1, sp.Inverse(X), dX, sp.Inverse(X)), evaluate=False),
    claimed=-dX @ sp.Inverse(X),
    display_f=product_of(X, sum_of(-sp.Inverse(X) @ dX @ sp.Inverse(X))),
    domains={X: "invertible"},
    dims=TINY,
    refs=["MC-37", "MC-40"],
)
claim(
    "differentials.jacobi",
    "Jacobi's formula: d det X = det X tr(X⁻¹ dX)",
    kind="directional",
    f=sp.Determinant(X),
    wrt=X,
    direction=dX,
    claimed=sp.Determinant(X) * sp.Trace(sp.Inverse(X) @ dX),
    domains={X: "invertible"},
    dims=SMALL,
    refs=["MC-42"],
)
claim(
    "differentials.log_abs_det",
    "d log∣det X∣ = tr(X⁻¹ dX)",
    kind="directional",
    f=LogAbsDet(X),
    wrt=X,
    direction=dX,
    claimed=sp.Trace(sp.Inverse(X) @ dX),
    domains={X: "invertible"},
    dims=SMALL,
    refs=["MC-43"],
)

# %% [markdown]
# ## Powers and traces of powers
#
# The product rule applied to $X^2$ keeps the step on either side of $X$; under a trace the
# terms of $X^3$ become one because the trace is cyclic.

# %%
claim(
    "differentials.square",
    "d(X²) = dX X + X dX",
    kind="directional",
    f=sp.MatPow(X, 2),
    wrt=X,
    direction=dX,
    claimed=dX @ X + X @ dX,
    display=sum_of(product_of(dX, X), product_of(X, dX)),
    dims=SMALL,
    refs=["MC-37"],
)
claim(
    "differentials.trace_cube",
    "d tr(X³) = 3 tr(X² dX)",
    kind="directional",
    f=sp.Trace(sp.MatPow(X, 3)),
    wrt=X,
    direction=dX,
    claimed=3 * sp.Trace(sp.MatPow(X, 2) @ dX),
    dims=SMALL,
    refs=["MC-36", "MC-37"],
)
P2, Q2 = matrix("P", m, n), matrix("Q", n, m)
claim(
    "differentials.trace_cyclic",
    "The trace is cyclic: tr(PQ) = tr(QP)",
    kind="identity",
    f=sp.Trace(P2 @ Q2),
    claimed=sp.Trace(Q2 @ P2),
    dims={m: (2,), n: (3,)},
    refs=["MC-14"],
)

# %% [markdown]
# ## Functions of a vector
#
# For a vector $x$ the step is a vector $dx$, and the differential of a scalar function is a
# row times $dx$. An entrywise function multiplies the step entry by entry by its derivative.

# %%
claim(
    "differentials.quadratic_form",
    "d(xᵀAx) = xᵀ(A + Aᵀ)dx",
    kind="directional",
    f=x.T @ A @ x,
    wrt=x,
    direction=dx,
    claimed=x.T @ (A + A.T) @ dx,
    dims=SMALL,
    refs=["MC-81", "S4-44"],
)
claim(
    "differentials.squared_norm",
    "d‖x‖² = 2xᵀdx",
    kind="directional",
    f=Norm(x) ** 2,
    wrt=x,
    direction=dx,
    claimed=2 * AsScalar(x.T @ dx),
    dims=SMALL,
    refs=["MC-131", "S1-15"],
)
s_x = vector("s", n)
ones = sp.OneMatrix(n, 1)
claim(
    "differentials.sigmoid",
    "d σ(x) = σ′(x) ∘ dx, entry by entry",
    kind="directional",
    f=Applied("sigma", x),
    wrt=x,
    direction=dx,
    claimed=sp.HadamardProduct(s_x, ones - s_x, dx),
    display=sp.HadamardProduct(s_x, sum_of(ones, -s_x), dx),
    where={s_x: Applied("sigma", x)},
    dims=SMALL,
    refs=["S1-10", "S2-29"],
)

# %% [markdown]
# ## From the differential to the gradient
#
# For a scalar $f$ of a matrix $X$, the directional derivative is the Frobenius inner product
# of the gradient with the step (the first claim below). So once a differential has been
# brought to the form $\operatorname{tr}(G^\top dX)$, the gradient is $G$; for a vector, the
# column $g$ of $g^\top dx$ is the gradient. The two claims state this for an arbitrary
# differentiable $f$ (the symbolic layer proves them with $f$ left undefined).

# %%
f_X = fn("f", X)
claim(
    "differentials.identification_matrix",
    "The identification rule: df = tr(∇f(X)ᵀ dX)",
    kind="directional",
    f=f_X,
    wrt=X,
    direction=dX,
    claimed=sp.Trace(GradientOf(f_X).T @ dX),
    dims=TINY,
    refs=["S1-02"],
)
f_x = fn("f", x)
claim(
    "differentials.identification_vector",
    "The identification rule for a vector: df = ∇f(x)ᵀ dx",
    kind="directional",
    f=f_x,
    wrt=x,
    direction=dx,
    claimed=GradientOf(f_x).T @ dx,
    dims=SMALL,
    refs=["S1-18", "S1-02"],
)

# %% [markdown]
# Reading the gradient off as the matrix in front of $dX$, without the transpose, transposes
# the answer: for the trace of $AX$ the matrix in front of $dX$ is $A$, and the gradient is its
# transpose (`identities.trace_ax`), not $A$.

# %%
claim(
    "differentials.trace_linear",
    "d tr(AX) = tr(A dX)",
    kind="directional",
    f=sp.Trace(A @ X),
    wrt=X,
    direction=dX,
    claimed=sp.Trace(A @ dX),
    dims=SMALL,
    refs=["MC-36", "MC-37"],
)
claim(
    "differentials.pitfall_trace_gradient_untransposed",
    "Pitfall: ∇_X tr(AX) = A, read off tr(A dX)",
    kind="gradient",
    f=sp.Trace(A @ X),
    wrt=X,
    claimed=A,
    dims=SMALL,
    pitfall=True,
    corrects="identities.trace_ax",
    note="The rule reads the gradient G off tr(Gᵀ dX), with a transpose: tr(A dX) is "
    "tr((Aᵀ)ᵀ dX), so the gradient is Aᵀ. A is the numerator-layout derivative.",
    refs=["MC-100"],
)

# %% [markdown]
# ### Worked derivation: least squares
#
# Data $X\in\mathbb{R}^{m\times n}$ (one row per example), weights $w\in\mathbb{R}^n$, targets
# $y\in\mathbb{R}^m$. The claims below take the differential of the residual, then of half its
# squared norm (the squared-norm rule, halved), and move the transpose to the front to reach
# the form $g^\top dw$.

# %%
X_data = matrix("X", m, n)
w, y = vector("w", n), vector("y", m)
dw = StepSymbol("dw", n, 1)
residual = X_data @ w - y
residual_shown = sum_of(X_data @ w, -y)
DATA_SIZES = {m: (3,), n: (2,)}
QUESTION = "Answers the reader question “why Xᵀ(Xw − y) is the gradient of ½‖Xw − y‖²” (issue 15)"
claim(
    "differentials.residual",
    "d(Xw − y) = X dw",
    kind="directional",
    f=residual,
    wrt=w,
    direction=dw,
    claimed=X_data @ dw,
    display_f=residual_shown,
    dims=DATA_SIZES,
    refs=["S2-23"],
)
half_loss = Norm(residual) ** 2 / 2
half_loss_shown = product_of(sp.Rational(1, 2), Norm(residual_shown) ** 2)
claim(
    "differentials.half_loss",
    "d(½‖Xw − y‖²) = (Xw − y)ᵀX dw",
    kind="directional",
    f=half_loss,
    wrt=w,
    direction=dw,
    claimed=AsScalar(residual.T @ X_data @ dw),
    display=AsScalar(product_of(sp.Transpose(residual_shown), X_data, dw)),
    display_f=half_loss_shown,
    dims=DATA_SIZES,
    refs=["S2-23", "S4-60"],
)
claim(
    "differentials.half_loss_row_form",
    "(Xw − y)ᵀX dw is (Xᵀ(Xw − y))ᵀdw",
    kind="identity",
    f=residual.T @ X_data @ dw,
    claimed=(X_data.T @ residual).T @ dw,
    display_f=product_of(sp.Transpose(residual_shown), X_data, dw),
    display=product_of(sp.Transpose(product_of(X_data.T, residual_shown)), dw),
    dims=DATA_SIZES,
    refs=["S2-23"],
)
claim(
    "differentials.half_loss_gradient",
    "∇_w ½‖Xw − y‖² = Xᵀ(Xw − y), read off the differential",
    kind="gradient",
    f=half_loss,
    wrt=w,
    claimed=X_data.T @ residual,
    display_f=half_loss_shown,
    display=product_of(X_data.T, residual_shown),
    dims=DATA_SIZES,
    note=f"{QUESTION}: the differential is (Xw − y)ᵀX dw = (Xᵀ(Xw − y))ᵀdw, and the vector "
    "that multiplies dw after the transpose is the gradient.",
    refs=["S2-23", "S4-60"],
)
loss = Norm(residual) ** 2
loss_shown = Norm(residual_shown) ** 2
claim(
    "differentials.loss_gradient",
    "∇_w ‖Xw − y‖² = 2Xᵀ(Xw − y)",
    kind="gradient",
    f=loss,
    wrt=w,
    claimed=2 * X_data.T @ residual,
    display_f=loss_shown,
    display=product_of(2, X_data.T, residual_shown),
    dims=DATA_SIZES,
    refs=["S2-23", "S4-60"],
)
claim(
    "differentials.pitfall_missing_factor_two",
    "Pitfall: a gradient missing its factor 2, ∇_w ‖Xw − y‖² = Xᵀ(Xw − y)",
    kind="gradient",
    f=loss,
    wrt=w,
    claimed=X_data.T @ residual,
    display_f=loss_shown,
    display=product_of(X_data.T, residual_shown),
    dims=DATA_SIZES,
    pitfall=True,
    corrects="differentials.loss_gradient",
    note=f"{QUESTION}: Xᵀ(Xw − y) is the gradient of half the squared norm. Without the ½ the "
    "differential is 2(Xw − y)ᵀX dw, and the gradient keeps the 2.",
    refs=["S2-23", "S2-24"],
)

# %% [markdown]
# ### Two more gradients by the same method
#
# For $\log\lvert\det X\rvert$ the first claim below rewrites the differential in the form
# of the identification rule; the gradient is `identities.log_abs_det`. For
# $\operatorname{tr}(AX^{-1})$ the inverse rule and a cyclic shift give the differential, and
# the gradient is minus the transpose of the matrix in front of $dX$.

# %%
claim(
    "differentials.log_abs_det_row_form",
    "tr(X⁻¹ dX) is tr((X⁻ᵀ)ᵀ dX)",
    kind="identity",
    f=sp.Trace(sp.Inverse(X) @ dX),
    claimed=sp.Trace(sp.Inverse(X) @ dX),
    display=sp.Trace(sp.MatMul(sp.Transpose(sp.Inverse(X.T)), dX, evaluate=False)),
    domains={X: "invertible"},
    dims=SMALL,
    refs=["MC-43", "MC-57"],
)
claim(
    "differentials.trace_a_inverse",
    "d tr(AX⁻¹) = −tr(X⁻¹AX⁻¹ dX)",
    kind="directional",
    f=sp.Trace(A @ sp.Inverse(X)),
    wrt=X,
    direction=dX,
    claimed=-sp.Trace(sp.Inverse(X) @ A @ sp.Inverse(X) @ dX),
    domains={X: "invertible"},
    dims=TINY,
    refs=["MC-40", "MC-16"],
)

# %% [markdown]
# ## Exercise on the chapter page: ridge regression
#
# The ridge loss adds $\tfrac{\lambda}{2}\lVert w\rVert^2$ to the half least-squares loss,
# and its differential adds the squared-norm rule's term to that of the least-squares loss.

# %%
lam = scalar("lambda")
ridge = half_loss + lam / 2 * Norm(w) ** 2
ridge_shown = sum_of(half_loss_shown, product_of(lam / 2, Norm(w) ** 2))
claim(
    "differentials.exercise_ridge_differential",
    "d of the ridge loss",
    kind="directional",
    f=ridge,
    wrt=w,
    direction=dw,
    claimed=AsScalar(residual.T @ X_data @ dw) + lam * AsScalar(w.T @ dw),
    display_f=ridge_shown,
    display=sum_of(
        AsScalar(product_of(sp.Transpose(residual_shown), X_data, dw)),
        product_of(lam, AsScalar(w.T @ dw)),
    ),
    dims=DATA_SIZES,
    refs=["S2-23"],
)
claim(
    "differentials.exercise_ridge_gradient",
    "Gradient of the ridge loss",
    kind="gradient",
    f=ridge,
    wrt=w,
    claimed=X_data.T @ residual + lam * w,
    display_f=ridge_shown,
    display=sum_of(product_of(X_data.T, residual_shown), lam * w),
    dims=DATA_SIZES,
    refs=["S2-23"],
)

# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("differentials")

# %% [markdown]
# ## The inverse rule in numpy, by finite differences
#
# The differential is the part of $F(X + hV) - F(X)$ that is linear in the step. So for a
# random point $X$ and a random direction $V$, the difference quotient (that change divided by
# $h$) must approach $dF$, evaluated with $V$ as the step, as $h$ shrinks, with an error
# proportional to $h$, until rounding error (about $10^{-16}/h$) takes over. A wrong rule
# stays at an error of order one however small the step. Below, $F$ is the inverse, with the
# rule (`differentials.inverse`) and the pitfall (`differentials.pitfall_inverse_squared`), at
# a random $4\times4$ matrix.

# %%
STEPS = tuple(10.0**-k for k in range(1, 13))


def inverse_rule_errors(steps=STEPS, size=4, seed=0):
    """Relative gap between the difference quotient of X⁻¹ along V and each rule, per step."""

    rng = np.random.default_rng(seed)
    point = rng.standard_normal((size, size)) + size * np.eye(size)  # safely invertible
    direction = rng.standard_normal((size, size))
    inverse = np.linalg.inv(point)
    rule = -inverse @ direction @ inverse  # differentials.inverse
    mistake = -inverse @ inverse @ direction  # differentials.pitfall_inverse_squared
    rows = []
    for h in steps:
        quotient = (np.linalg.inv(point + h * direction) - inverse) / h
        rows.append(
            (
                h,
                np.linalg.norm(quotient - rule) / np.linalg.norm(rule),
                np.linalg.norm(quotient - mistake) / np.linalg.norm(mistake),
            )
        )
    return rows


# %% [markdown]
# ## The figure on the chapter page

# %%
from derivations.figures import figure, show


@figure(
    "differentials.inverse_rule_convergence",
    alt="A log-log plot of relative error against the step size h, from 0.1 down to 1e-12. "
    "The error of the rule minus X inverse V X inverse falls along a line of slope one from "
    "about 4e-2 to about 4e-8 at h = 1e-7, then rises again to about 4e-4 at h = 1e-12 as "
    "rounding takes over. The error of the pitfall minus X inverse squared V stays flat near "
    "0.7 at every step.",
    caption="Relative gap between the difference quotient (F(X + hV) − F(X))/h of F(X) = X⁻¹ "
    "and two candidate differentials, at a random 4 × 4 matrix and direction. The rule "
    "−X⁻¹VX⁻¹ (solid) is approached in proportion to h until rounding error, about 10⁻¹⁶/h, "
    "dominates; the scalar-style rule −X⁻²V (dashed) is never approached.",
    size=(5.0, 3.4),
)
def draw_inverse_rule_convergence(ax):
    rows = inverse_rule_errors()
    steps = [r[0] for r in rows]
    right, wrong = [r[1] for r in rows], [r[2] for r in rows]
    ax.loglog(steps, right, color="#3949ab", marker="o", markersize=3, label="−X⁻¹VX⁻¹")
    ax.loglog(steps, wrong, color="#c2185b", ls="--", marker="s", markersize=3, label="−X⁻²V")
    ax.invert_xaxis()
    ax.set_xlabel("step h")
    ax.set_ylabel("relative error")
    ax.legend(frameon=False, fontsize=8)


# %%
if __name__ == "__main__":
    print(f"{'step h':>8} {'error, −X⁻¹VX⁻¹':>18} {'error, −X⁻²V':>14}")
    for h, right, wrong in inverse_rule_errors():
        print(f"{h:8.0e} {right:18.2e} {wrong:14.2e}")
    best = min(r[1] for r in inverse_rule_errors())
    assert best < 1e-6 < min(r[2] for r in inverse_rule_errors())
    show("differentials.inverse_rule_convergence")
