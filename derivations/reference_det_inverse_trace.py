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
# # Lab: determinants, inverses and traces (identity reference)
#
# This page is the executed form of `derivations/reference_det_inverse_trace.py`, the claims
# behind the reference page *Determinants, inverses and traces*. It follows the pattern of the
# lab *matrix-calculus identities*: every result about a scalar function of a matrix is declared
# once in our layout (the gradient, shaped like the variable) and then, by a small helper, in the
# numerator layout, read off the directional derivative $D_V f(X) = \operatorname{tr}(NV)$ with
# $N$ the transpose of the gradient. A matrix-valued map (such as $X\mapsto X^{-1}$) is stated by
# its directional derivative, which is the same in both layouts (the Jacobian-vector product),
# and by the gradient of the pairing $\operatorname{tr}(U^\top F(X))$ (the vector-Jacobian
# product) that reverse-mode differentiation uses.
#
# Where the equation is in *The Matrix Cookbook* (Petersen and Pedersen, version of November 15,
# 2012) the claim names its number, both in its sources (`MC-n`) and in its note.

# %%
# %matplotlib inline
import sympy as sp

from derivations.engine import AsScalar, claim, dim, matrix, scalar, vector
from derivations.engine.claims import Claim
from derivations.engine.written import product_of, sum_of
from derivations.identities import LogAbsDet as _LogAbsDet
from derivations.identities import transposed


class LogAbsDet(_LogAbsDet):
    """log |det M|, with brackets around a product or sum: log |det(AXB)|."""

    def _latex_body(self, printer):
        arg = self.args[0]
        inner = printer._print(arg)
        if not isinstance(arg, sp.MatrixSymbol | sp.Inverse):
            inner = rf"\left({inner}\right)"
        return rf"\log\left\lvert\det {inner}\right\rvert"


m, n, p = dim("m"), dim("n"), dim("p")
X, V, U = matrix("X", n, n), matrix("V", n, n), matrix("U", n, n)
A, B, C = matrix("A", n, n), matrix("B", n, n), matrix("C", n, n)
a, b, x = vector("a", n), vector("b", n), vector("x", n)
t = scalar("t")
Id = sp.Identity(n)
Xi = sp.Inverse(X)
det = sp.Determinant
tr = sp.Trace


def cookbook(*numbers: int) -> str:
    """The note's words for Cookbook equations: "Matrix Cookbook eq. (49)"."""
    eqs = ", ".join(f"({k})" for k in numbers)
    return f"Matrix Cookbook eq. {eqs}." if len(numbers) == 1 else f"Matrix Cookbook eqs. {eqs}."


# %% [markdown]
# ## The two layouts from one object
#
# `transposed`, imported from the identities lab, writes the transpose of a product factor by
# factor; `numerator_form` declares the numerator-layout twin of a gradient claim in a matrix
# variable, with the id suffix `_numerator`, checked again from scratch. `vjp` declares, for a matrix-valued
# map given by its directional derivative, the gradient of the pairing with a weight $U$ (id
# suffix `_vjp`): that is the denominator-layout reading of its Jacobian.


# %%
def _domains(ours: Claim) -> dict:
    return {v.symbol: v.domain for v in ours.variables if v.domain != "real"}


def _times(shown, direction):
    """``shown · V`` as written, one flat product (no brackets around ``shown``)."""
    factors = list(shown.args) if isinstance(shown, sp.MatMul) else [shown]
    return sp.MatMul(*factors, direction, evaluate=False)


def numerator_form(ours: Claim, direction) -> Claim:
    """The numerator-layout twin of a gradient claim in a matrix variable: D_V f = tr(N V)."""
    return claim(
        f"{ours.id}_numerator",
        f"{ours.title}, numerator layout",
        kind="directional",
        f=ours.f,
        wrt=ours.wrt,
        direction=direction,
        claimed=sp.Trace(transposed(ours.claimed) @ direction),
        display_f=ours.display_f,
        display=None
        if ours.display is None
        else sp.Trace(_times(transposed(ours.display), direction)),
        domains=_domains(ours),
        where=dict(ours.where),
        dims=dict(ours.dims),
        refs=list(ours.refs),
        note="Numerator layout: the transpose of the gradient, read through D_V f = tr(N V).",
    )


def gradient_pair(id, title, *, f, wrt, claimed, refs, note="", **kw) -> Claim:
    """A gradient claim in our layout and its numerator-layout twin, declared together; the
    twin's direction V has the shape of the variable."""
    ours = claim(
        id, title, kind="gradient", f=f, wrt=wrt, claimed=claimed, refs=refs, note=note, **kw
    )
    numerator_form(ours, matrix("V", *wrt.shape))
    return ours


def vjp(ours: Claim, weight, claimed, display_f=None) -> Claim:
    """The vector-Jacobian product of a matrix-valued map stated by its directional derivative:
    the gradient of tr(Uᵀ F(X)), for every weight U (id suffix ``_vjp``)."""
    return claim(
        f"{ours.id}_vjp",
        f"{ours.title}: the vector-Jacobian product",
        kind="gradient",
        f=sp.Trace(weight.T @ ours.f),
        wrt=ours.wrt,
        claimed=claimed,
        display_f=display_f,
        domains=_domains(ours),
        dims=dict(ours.dims),
        refs=list(ours.refs),
        note="Denominator layout of the Jacobian: the gradient of the pairing tr(Uᵀ F(X)) with "
        "a weight U, which is what reverse mode passes back.",
    )


# %% [markdown]
# ## Determinants
#
# Jacobi's formula first, along a line $X + tV$: the derivative of the determinant is the
# determinant times the trace of $X^{-1}$ times the change. It needs no layout; reading a gradient
# off it does.

# %%
Y = X + t * V
Yw = sum_of(X, t * V)  # X + tV as written
jacobi = claim(
    "reference_det_inverse_trace.jacobi_formula",
    "Jacobi's formula: d det Y = det Y tr(Y⁻¹ dY)",
    kind="derivative",
    f=det(Y),
    wrt=t,
    claimed=det(Y) * tr(sp.Inverse(Y) @ V),
    display_f=det(sum_of(X, t * V)),
    display=product_of(det(sum_of(X, t * V)), tr(product_of(sp.Inverse(sum_of(X, t * V)), V))),
    domains={X: "invertible"},
    refs=["MC-42", "MC-46"],
    note="Matrix Cookbook eqs. (42), (46). Issue 15 reported Jacobi's formula as 'wrong' three "
    "times, although it is right: each time the formula was compared with a gradient from a "
    "table in the other layout. tr(X⁻¹ dX) pairs dX with X⁻ᵀ, so the gradient (our layout, the "
    "Cookbook's) is det(X) X⁻ᵀ, while the numerator layout writes the row form det(X) X⁻¹. "
    "Both come from this one formula; only the transpose differs.",
)
claim(
    "reference_det_inverse_trace.pitfall_mixed_layout_appendix",
    "Pitfall: an appendix that mixes layouts, det(X) X⁻¹ as the gradient of det X",
    kind="gradient",
    f=det(X),
    wrt=X,
    claimed=det(X) * Xi,
    domains={X: "invertible"},
    pitfall=True,
    corrects="identities.det",
    refs=["MC-49"],
    note="Answers the reader question about an appendix that mixes layouts (issue 15): the "
    "numerator-layout form det(X) X⁻¹ copied into a table of gradients (denominator layout, "
    "shaped like X). The gradient is det(X) X⁻ᵀ (Matrix Cookbook eq. (49)); the two agree only "
    "when X is symmetric. The same slip is behind the other reader question of issue 15, "
    "Jacobi's formula reported 'wrong' three times although it is right.",
)
claim(
    "reference_det_inverse_trace.det_second_derivative",
    "Second derivative of det(X + tV)",
    kind="partial",
    f=det(Y),
    wrt=(t, t),
    claimed=det(Y) * (tr(sp.Inverse(Y) @ V) ** 2 - tr(sp.Inverse(Y) @ V @ sp.Inverse(Y) @ V)),
    display_f=det(Yw),
    display=product_of(
        det(Yw),
        sum_of(
            tr(product_of(sp.Inverse(Yw), V)) ** 2,
            -tr(product_of(sp.Inverse(Yw), V, sp.Inverse(Yw), V)),
        ),
    ),
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-48"],
    note=cookbook(48) + " Here Y = X + tV is linear in t, so the term with ∂²Y/∂t² is zero.",
)
claim(
    "reference_det_inverse_trace.log_det_second_derivative",
    "Second derivative of log ∣det(X + tV)∣: the curvature of log det",
    kind="partial",
    f=LogAbsDet(Y),
    wrt=(t, t),
    claimed=-tr(sp.Inverse(Y) @ V @ sp.Inverse(Y) @ V),
    display_f=LogAbsDet(Yw),
    display=-tr(product_of(sp.Inverse(Yw), V, sp.Inverse(Yw), V)),
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-43"],
    note="Differentiate tr(Y⁻¹V) once more with the inverse rule (Matrix Cookbook eqs. (43), "
    "(59)). For a symmetric positive definite X and a symmetric V it is −‖X^{-1/2}VX^{-1/2}‖², "
    "never positive: log det is concave there.",
)

# %%
gradient_pair(
    "reference_det_inverse_trace.det_axb",
    "Gradient of det(AXB)",
    f=det(A @ X @ B),
    wrt=X,
    claimed=det(A @ X @ B) * Xi.T,
    display=product_of(det(product_of(A, X, B)), Xi.T),
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-51"],
    note=cookbook(51),
)
gradient_pair(
    "reference_det_inverse_trace.det_xtax",
    "Gradient of det(XᵀAX), X square",
    f=det(X.T @ A @ X),
    wrt=X,
    claimed=2 * det(X.T @ A @ X) * Xi.T,
    display=product_of(2, det(product_of(X.T, A, X)), Xi.T),
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-52"],
    note=cookbook(52) + " For a square invertible X and any square A.",
)
Xr = matrix("X", n, p)
S_ = matrix("S", n, n)
gram = Xr.T @ S_ @ Xr
gradient_pair(
    "reference_det_inverse_trace.det_xtax_rectangular_symmetric",
    "Gradient of det(XᵀSX), X rectangular, S symmetric",
    f=det(gram),
    wrt=Xr,
    claimed=2 * det(gram) * S_ @ Xr @ sp.Inverse(gram),
    domains={S_: "symmetric"},
    dims={n: (3,), p: (2,)},
    refs=["MC-53"],
    note=cookbook(53) + " X is n×p with XᵀSX invertible (true for almost every X).",
)
gradient_pair(
    "reference_det_inverse_trace.det_xtax_rectangular",
    "Gradient of det(XᵀAX), X rectangular, A any square matrix",
    f=det(Xr.T @ A @ Xr),
    wrt=Xr,
    claimed=det(Xr.T @ A @ Xr)
    * (A @ Xr @ sp.Inverse(Xr.T @ A @ Xr) + A.T @ Xr @ sp.Inverse(Xr.T @ A.T @ Xr)),
    dims={n: (3,), p: (2,)},
    refs=["MC-54"],
    note=cookbook(54) + " X is n×p with XᵀAX invertible (true for almost every X).",
)
gradient_pair(
    "reference_det_inverse_trace.log_det_gram",
    "Gradient of log det(XᵀX), X of full column rank",
    f=sp.log(det(Xr.T @ Xr)),
    wrt=Xr,
    claimed=2 * Xr @ sp.Inverse(Xr.T @ Xr),
    dims={n: (3,), p: (2,)},
    refs=["MC-55"],
    note=cookbook(55) + " There it reads 2(X⁺)ᵀ: for X of full column rank the pseudo-inverse is "
    "X⁺ = (XᵀX)⁻¹Xᵀ, so (X⁺)ᵀ = X(XᵀX)⁻¹. XᵀX is then positive definite and its log det defined.",
)
gradient_pair(
    "reference_det_inverse_trace.det_of_inverse",
    "Gradient of det(X⁻¹)",
    f=det(Xi),
    wrt=X,
    claimed=-det(Xi) * Xi.T,
    display=product_of(-1, det(Xi), Xi.T),
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-62"],
    note=cookbook(62),
)
gradient_pair(
    "reference_det_inverse_trace.det_square",
    "Gradient of det(X²)",
    f=det(X @ X),
    wrt=X,
    claimed=2 * det(X @ X) * Xi.T,
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-58"],
    note=cookbook(58) + " The case k = 2 of k det(Xᵏ) X⁻ᵀ.",
)
gradient_pair(
    "reference_det_inverse_trace.det_cube",
    "Gradient of det(X³)",
    f=det(X @ X @ X),
    wrt=X,
    claimed=3 * det(X @ X @ X) * Xi.T,
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-58"],
    note=cookbook(58) + " The case k = 3 of k det(Xᵏ) X⁻ᵀ.",
)
gradient_pair(
    "reference_det_inverse_trace.log_abs_det_inverse",
    "Gradient of log ∣det X⁻¹∣",
    f=LogAbsDet(Xi),
    wrt=X,
    claimed=-Xi.T,
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-57", "MC-22"],
    note="log∣det X⁻¹∣ = −log∣det X∣ (Matrix Cookbook eq. (22)), then eq. (57).",
)
gradient_pair(
    "reference_det_inverse_trace.log_abs_det_axb",
    "Gradient of log ∣det(AXB)∣",
    f=LogAbsDet(A @ X @ B),
    wrt=X,
    claimed=Xi.T,
    domains={X: "invertible", A: "invertible", B: "invertible"},
    dims={n: (2,)},
    refs=["MC-57", "MC-21"],
    note="log∣det(AXB)∣ = log∣det A∣ + log∣det X∣ + log∣det B∣ (Matrix Cookbook eq. (21)): "
    "the constant factors drop out, then eq. (57).",
)
gradient_pair(
    "reference_det_inverse_trace.det_times_trace",
    "Gradient of det(X) tr(X)",
    f=det(X) * tr(X),
    wrt=X,
    claimed=det(X) * (tr(X) * Xi.T + Id),
    domains={X: "invertible"},
    refs=["MC-49", "MC-99"],
    note="The product rule with Matrix Cookbook eqs. (49) and (99).",
)

# %% [markdown]
# Directional forms: the determinant of a product along $V$, and the determinant on symmetric
# matrices with a symmetric step.

# %%
claim(
    "reference_det_inverse_trace.det_product_directional",
    "Directional derivative of det(AX)",
    kind="directional",
    f=det(A @ X),
    wrt=X,
    direction=V,
    claimed=det(A @ X) * tr(Xi @ V),
    domains={X: "invertible"},
    refs=["MC-42", "MC-21"],
    note="det(AX) = det(A) det(X) (Matrix Cookbook eq. (21)), then Jacobi's formula, eq. (42).",
)
S, E = matrix("S", n, n), matrix("E", n, n)
claim(
    "reference_det_inverse_trace.det_symmetric_directional",
    "det on symmetric matrices, along a symmetric step",
    kind="directional",
    f=det(S),
    wrt=S,
    direction=E,
    claimed=det(S) * tr(sp.Inverse(S) @ E),
    domains={S: "symmetric", E: "symmetric"},
    dims={n: (2, 3)},
    refs=["MC-42"],
    note="Jacobi's formula holds for every step, symmetric ones included; the gradient on the "
    "space of symmetric matrices is det(S) S⁻¹ = sym(det(S) S⁻ᵀ).",
)
claim(
    "reference_det_inverse_trace.pitfall_cookbook_symmetric_det",
    "Pitfall: det(S)(2S⁻¹ − S⁻¹∘I) as the gradient of det S on symmetric matrices",
    kind="directional",
    f=det(S),
    wrt=S,
    direction=E,
    claimed=tr(det(S) * (2 * sp.Inverse(S) - sp.HadamardProduct(sp.Inverse(S), Id)) @ E),
    display=tr(
        product_of(
            det(S),
            sum_of(2 * sp.Inverse(S), -sp.HadamardProduct(sp.Inverse(S), Id)),
            E,
        )
    ),
    domains={S: "symmetric", E: "symmetric"},
    dims={n: (2, 3)},
    pitfall=True,
    corrects="reference_det_inverse_trace.det_symmetric_directional",
    refs=["MC-140"],
    note="Matrix Cookbook eq. (140), a convention mismatch: the Cookbook's 'derivative for "
    "symmetric X' counts each off-diagonal pair once, as one variable. Used as a gradient in "
    "the inner product tr(GᵀE) every other formula on this page assumes, it doubles the "
    "off-diagonal part and predicts the wrong rate of change.",
)
claim(
    "reference_det_inverse_trace.trace_symmetric_directional",
    "tr(AS) on symmetric matrices, along a symmetric step",
    kind="directional",
    f=tr(A @ S),
    wrt=S,
    direction=E,
    claimed=tr(((A + A.T) / 2) @ E),
    display=tr(product_of(product_of(sp.Rational(1, 2), sum_of(A, A.T)), E)),
    domains={S: "symmetric", E: "symmetric"},
    dims={n: (2, 3)},
    refs=["MC-100"],
    note="Against a symmetric step only the symmetric part of the gradient Aᵀ counts: the "
    "gradient on symmetric matrices is sym(A) = (A + Aᵀ)/2.",
)
claim(
    "reference_det_inverse_trace.pitfall_cookbook_symmetric_trace",
    "Pitfall: A + Aᵀ − A∘I as the gradient of tr(AS) on symmetric matrices",
    kind="directional",
    f=tr(A @ S),
    wrt=S,
    direction=E,
    claimed=tr((A + A.T - sp.HadamardProduct(A, Id)).T @ E),
    display=tr(product_of(sum_of(A, A.T, -sp.HadamardProduct(A, Id)), E)),
    domains={S: "symmetric", E: "symmetric"},
    dims={n: (2, 3)},
    pitfall=True,
    corrects="reference_det_inverse_trace.trace_symmetric_directional",
    refs=["MC-139"],
    note="Matrix Cookbook eq. (139), the same convention mismatch as eq. (140): A + Aᵀ − A∘I is "
    "not a gradient for the Frobenius inner product, where it counts the off-diagonal part twice.",
)

# %% [markdown]
# ## Algebraic identities used above
#
# These hold as equalities of numbers or matrices (no layout is involved).

# %%
claim(
    "reference_det_inverse_trace.det_of_product",
    "det(AB) = det A det B",
    kind="identity",
    f=det(A @ B),
    claimed=det(A) * det(B),
    dims={n: (2,)},
    refs=["MC-21"],
    note=cookbook(21),
)
claim(
    "reference_det_inverse_trace.det_of_inverse_value",
    "det(X⁻¹) = 1 / det X",
    kind="identity",
    f=det(Xi),
    claimed=1 / det(X),
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-22"],
    note=cookbook(22),
)
claim(
    "reference_det_inverse_trace.det_of_power_value",
    "det(X³) = (det X)³",
    kind="identity",
    f=det(X @ X @ X),
    claimed=det(X) ** 3,
    dims={n: (2,)},
    refs=["MC-23"],
    note=cookbook(23) + " The case k = 3 of det(Xᵏ) = det(X)ᵏ.",
)
u_, v_ = vector("u", n), vector("v", n)
claim(
    "reference_det_inverse_trace.det_rank_one_update",
    "det(I + uvᵀ) = 1 + uᵀv",
    kind="identity",
    f=det(Id + u_ @ v_.T),
    claimed=1 + AsScalar(u_.T @ v_),
    display=sum_of(1, AsScalar(u_.T @ v_)),
    display_f=det(sum_of(Id, u_ @ v_.T)),
    dims={n: (2, 3)},
    refs=["MC-24"],
    note=cookbook(24),
)
c_ = vector("c", n)
claim(
    "reference_det_inverse_trace.sherman_morrison",
    "Sherman–Morrison: the inverse after a rank-one update",
    kind="identity",
    f=sp.Inverse(A + b @ c_.T),
    claimed=sp.Inverse(A)
    - sp.Inverse(A) @ b @ c_.T @ sp.Inverse(A) / (1 + AsScalar(c_.T @ sp.Inverse(A) @ b)),
    display=sum_of(
        sp.Inverse(A),
        product_of(
            -1 / sum_of(1, AsScalar(c_.T @ sp.Inverse(A) @ b)),
            sp.Inverse(A),
            b,
            c_.T,
            sp.Inverse(A),
        ),
    ),
    display_f=sp.Inverse(sum_of(A, b @ c_.T)),
    domains={A: "invertible"},
    dims={n: (2,)},
    refs=["MC-160"],
    note=cookbook(160) + " Valid whenever 1 + cᵀA⁻¹b ≠ 0 (true for almost every A, b, c).",
)
claim(
    "reference_det_inverse_trace.trace_cyclic",
    "The trace is cyclic: tr(ABC) = tr(BCA)",
    kind="identity",
    f=tr(A @ B @ C),
    claimed=tr(B @ C @ A),
    refs=["MC-16"],
    note=cookbook(16) + " Every trace gradient below is found by cycling dX to the right.",
)
claim(
    "reference_det_inverse_trace.trace_of_transpose",
    "tr(Aᵀ) = tr(A)",
    kind="identity",
    f=tr(A.T),
    claimed=tr(A),
    refs=["MC-13"],
    note=cookbook(13),
)
claim(
    "reference_det_inverse_trace.inverse_of_product",
    "(AB)⁻¹ = B⁻¹A⁻¹",
    kind="identity",
    f=sp.Inverse(A @ B),
    claimed=sp.Inverse(B) @ sp.Inverse(A),
    domains={A: "invertible", B: "invertible"},
    dims={n: (2,)},
    refs=["MC-1"],
    note=cookbook(1),
)

# %% [markdown]
# ## Inverses
#
# Everything here follows from one rule, the directional derivative of the inverse (the lab
# *matrix-calculus identities* states it as `identities.inverse_directional`), and the cyclic
# trace. Its vector-Jacobian product comes first.

# %%

# %%
gradient_pair(
    "reference_det_inverse_trace.inverse_bilinear",
    "Gradient of aᵀX⁻¹b",
    f=a.T @ Xi @ b,
    wrt=X,
    claimed=-Xi.T @ a @ b.T @ Xi.T,
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-61", "MC-60"],
    note=cookbook(61) + " With unit vectors a = eₖ and b = eₗ it gives the gradient of one entry "
    "of the inverse, −X⁻ᵀeₖeₗᵀX⁻ᵀ, that is ∂(X⁻¹)ₖₗ/∂Xᵢⱼ = −(X⁻¹)ₖᵢ(X⁻¹)ⱼₗ, eq. (60).",
)
gradient_pair(
    "reference_det_inverse_trace.trace_a_inverse_b",
    "Gradient of tr(AX⁻¹B)",
    f=tr(A @ Xi @ B),
    wrt=X,
    claimed=-Xi.T @ A.T @ B.T @ Xi.T,
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-63", "MC-124"],
    note=cookbook(63, 124) + " The Cookbook writes it −(X⁻¹BAX⁻¹)ᵀ.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_a_inverse",
    "Gradient of tr(AX⁻¹)",
    f=tr(A @ Xi),
    wrt=X,
    claimed=-Xi.T @ A.T @ Xi.T,
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-63"],
    note=cookbook(63) + " With B = I.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_inverse",
    "Gradient of tr(X⁻¹)",
    f=tr(Xi),
    wrt=X,
    claimed=-Xi.T @ Xi.T,
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-64"],
    note=cookbook(64) + " With A = 0: −(X⁻²)ᵀ.",
)
claim(
    "reference_det_inverse_trace.pitfall_trace_inverse_untransposed",
    "Pitfall: −X⁻² as the gradient of tr(X⁻¹)",
    kind="gradient",
    f=tr(Xi),
    wrt=X,
    claimed=-Xi @ Xi,
    domains={X: "invertible"},
    pitfall=True,
    corrects="reference_det_inverse_trace.trace_inverse",
    refs=["MC-64"],
    note="−X⁻² is the numerator-layout answer, D_V tr(X⁻¹) = tr(−X⁻²V); as a gradient it is "
    "transposed, −(X⁻²)ᵀ. The same layout slip as det(X) X⁻¹ for det X.",
)
lam = scalar("lambda")
ridge = sp.Inverse(X + lam * Id)
gradient_pair(
    "reference_det_inverse_trace.trace_inverse_shift",
    "Gradient of tr((X + λI)⁻¹)",
    f=tr(ridge),
    wrt=X,
    claimed=-(ridge @ ridge).T,
    display_f=tr(sp.Inverse(sum_of(X, lam * Id))),
    display=product_of(
        -1,
        sp.Transpose(product_of(sp.Inverse(sum_of(X, lam * Id)), sp.Inverse(sum_of(X, lam * Id)))),
    ),
    refs=["MC-64"],
    note=cookbook(64) + " With A = λI, the shift of a ridge-regularised inverse; X + λI must be "
    "invertible (true for almost every X).",
)
gradient_pair(
    "reference_det_inverse_trace.quadratic_inverse_in_matrix",
    "Gradient of xᵀA⁻¹x in A",
    f=x.T @ sp.Inverse(A) @ x,
    wrt=A,
    claimed=-sp.Inverse(A).T @ x @ x.T @ sp.Inverse(A).T,
    domains={A: "invertible"},
    refs=["MC-61"],
    note=cookbook(61) + " With a = b = x.",
)
Ai = sp.Inverse(A)
quad_inv = claim(
    "reference_det_inverse_trace.quadratic_inverse_in_vector",
    "Gradient of xᵀA⁻¹x in x",
    kind="gradient",
    f=x.T @ Ai @ x,
    wrt=x,
    claimed=(Ai + Ai.T) @ x,
    domains={A: "invertible"},
    refs=["MC-81"],
    note=cookbook(81) + " With B = A⁻¹.",
)
claim(
    "reference_det_inverse_trace.quadratic_inverse_in_vector_numerator",
    "Gradient of xᵀA⁻¹x in x, numerator layout",
    kind="jacobian",
    f=x.T @ Ai @ x,
    wrt=x,
    claimed=x.T @ (Ai.T + Ai),
    domains={A: "invertible"},
    refs=["MC-81"],
    note="Numerator layout: the transpose of the gradient, a row.",
)
claim(
    "reference_det_inverse_trace.quadratic_inverse_hessian",
    "Hessian of xᵀA⁻¹x",
    kind="hessian",
    f=x.T @ Ai @ x,
    wrt=x,
    claimed=Ai + Ai.T,
    domains={A: "invertible"},
    refs=["MC-81"],
    note="A symmetric matrix, so the same in both layouts.",
)
Sigma = matrix("Sigma", n, n)
Si = sp.Inverse(Sigma)
gradient_pair(
    "reference_det_inverse_trace.gaussian_covariance",
    "Gradient of the Gaussian log-density in its covariance",
    f=-LogAbsDet(Sigma) / 2 - AsScalar(x.T @ Si @ x) / 2,
    wrt=Sigma,
    claimed=(Si.T @ x @ x.T @ Si.T - Si.T) / 2,
    display_f=sum_of(-LogAbsDet(Sigma) / 2, -AsScalar(x.T @ Si @ x) / 2),
    display=product_of(sp.Rational(1, 2), sum_of(Si.T @ x @ x.T @ Si.T, -Si.T)),
    domains={Sigma: "spd"},
    dims={n: (2,)},
    refs=["MC-57", "MC-61"],
    note="−½ log det Σ − ½ xᵀΣ⁻¹x, the x-dependent part of log 𝒩(x; 0, Σ) (Matrix Cookbook "
    "eqs. (57), (61)). At a symmetric Σ it reads ½Σ⁻¹(xxᵀ − Σ)Σ⁻¹; summed over samples it "
    "vanishes where Σ is the average of xxᵀ, the maximum-likelihood covariance.",
)

# %% [markdown]
# Directional derivatives of maps built on the inverse: each with its vector-Jacobian product.

# %%
inv_t = claim(
    "reference_det_inverse_trace.inverse_transpose_directional",
    "Directional derivative of X⁻ᵀ",
    kind="directional",
    f=Xi.T,
    wrt=X,
    direction=V,
    claimed=-Xi.T @ V.T @ Xi.T,
    domains={X: "invertible"},
    dims={n: (2, 3)},
    refs=["MC-59", "MC-44"],
    note="Transpose the inverse rule (Matrix Cookbook eqs. (44), (59)).",
)
vjp(inv_t, U, -Xi.T @ U.T @ Xi.T)
inv_sq = claim(
    "reference_det_inverse_trace.inverse_square_directional",
    "Directional derivative of X⁻²",
    kind="directional",
    f=Xi @ Xi,
    wrt=X,
    direction=V,
    claimed=-Xi @ V @ Xi @ Xi - Xi @ Xi @ V @ Xi,
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-59", "MC-37"],
    note="The product rule (Matrix Cookbook eq. (37)) on X⁻¹X⁻¹, then eq. (59) for each factor.",
)
vjp(inv_sq, U, -(Xi @ Xi).T @ U @ Xi.T - Xi.T @ U @ (Xi @ Xi).T)
inv_axb = claim(
    "reference_det_inverse_trace.inverse_of_product_directional",
    "Directional derivative of (AXB)⁻¹",
    kind="directional",
    f=sp.Inverse(A @ X @ B),
    wrt=X,
    direction=V,
    claimed=-sp.Inverse(A @ X @ B) @ A @ V @ B @ sp.Inverse(A @ X @ B),
    domains={X: "invertible", A: "invertible", B: "invertible"},
    dims={n: (2,)},
    refs=["MC-59"],
    note=cookbook(59) + " With Y = AXB, whose change along V is AVB.",
)
M_ = sp.Inverse(A @ X @ B)
vjp(inv_axb, U, -A.T @ M_.T @ U @ M_.T @ B.T, display_f=tr(product_of(U.T, M_)))
solve = claim(
    "reference_det_inverse_trace.solve_directional",
    "Directional derivative of the solution A⁻¹b in A",
    kind="directional",
    f=Ai @ b,
    wrt=A,
    direction=V,
    claimed=-Ai @ V @ Ai @ b,
    domains={A: "invertible"},
    dims={n: (2, 3)},
    refs=["MC-59"],
    note=cookbook(59) + " The solution of Az = b moves by −A⁻¹V z when A moves along V.",
)
w_ = vector("w", n)
claim(
    "reference_det_inverse_trace.solve_directional_vjp",
    "Directional derivative of the solution A⁻¹b in A: the vector-Jacobian product",
    kind="gradient",
    f=w_.T @ Ai @ b,
    wrt=A,
    claimed=-Ai.T @ w_ @ b.T @ Ai.T,
    domains={A: "invertible"},
    refs=["MC-61"],
    note="Denominator layout: the gradient of wᵀA⁻¹b for a weight w on the solution, "
    "−A⁻ᵀw (A⁻¹b)ᵀ, the adjoint method in one line (Matrix Cookbook eq. (61)).",
)
adj = claim(
    "reference_det_inverse_trace.adjugate_directional",
    "Directional derivative of the adjugate det(X) X⁻¹",
    kind="directional",
    f=det(X) * Xi,
    wrt=X,
    direction=V,
    claimed=det(X) * (tr(Xi @ V) * Xi - Xi @ V @ Xi),
    domains={X: "invertible"},
    dims={n: (2, 3)},
    refs=["MC-42", "MC-59"],
    note="The product rule on det(X) · X⁻¹ with Matrix Cookbook eqs. (42) and (59).",
)
vjp(adj, U, det(X) * (tr(U.T @ Xi) * Xi.T - Xi.T @ U @ Xi.T))

# %% [markdown]
# ## Traces: first order
#
# $X$ is $n\times n$ unless a shape is given; $A$, $B$, $C$ are constants of matching shapes.

# %%
gradient_pair(
    "reference_det_inverse_trace.trace_x",
    "Gradient of tr(X)",
    f=tr(X),
    wrt=X,
    claimed=Id,
    refs=["MC-99"],
    note=cookbook(99),
)
gradient_pair(
    "reference_det_inverse_trace.trace_xa",
    "Gradient of tr(XA)",
    f=tr(X @ A),
    wrt=X,
    claimed=A.T,
    refs=["MC-100"],
    note=cookbook(100) + " The same as for tr(AX), by the cyclic trace.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_axt",
    "Gradient of tr(AXᵀ)",
    f=tr(A @ X.T),
    wrt=X,
    claimed=A,
    refs=["MC-104"],
    note=cookbook(104),
)
# A is p×n, X is m×n, B is m×p: tr(AXᵀB) is the trace of a p×p matrix
Ar, Xm, Br = matrix("A", p, n), matrix("X", m, n), matrix("B", m, p)
gradient_pair(
    "reference_det_inverse_trace.trace_axtb",
    "Gradient of tr(AXᵀB), X rectangular",
    f=tr(Ar @ Xm.T @ Br),
    wrt=Xm,
    claimed=Br @ Ar,
    refs=["MC-102"],
    note=cookbook(102) + " A is p×n, X is m×n and B is m×p.",
)

# %% [markdown]
# ## Traces: second order

# %%
gradient_pair(
    "reference_det_inverse_trace.trace_x_squared",
    "Gradient of tr(X²)",
    f=tr(X @ X),
    wrt=X,
    claimed=2 * X.T,
    refs=["MC-106"],
    note=cookbook(106),
)
gradient_pair(
    "reference_det_inverse_trace.trace_x_squared_b",
    "Gradient of tr(X²B)",
    f=tr(X @ X @ B),
    wrt=X,
    claimed=(X @ B + B @ X).T,
    display=sp.Transpose(sum_of(X @ B, B @ X)),
    refs=["MC-107"],
    note=cookbook(107),
)
# a rectangular X (n×m) for the Gram-type traces; B is square of the matching side
Xnm = matrix("X", n, m)
Bm = matrix("B", m, m)
gradient_pair(
    "reference_det_inverse_trace.trace_b_x_xt",
    "Gradient of tr(BXXᵀ)",
    f=tr(B @ Xnm @ Xnm.T),
    wrt=Xnm,
    claimed=B @ Xnm + B.T @ Xnm,
    dims={n: (3,), m: (2,)},
    refs=["MC-109"],
    note=cookbook(109) + " X is n×m, B is n×n.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_x_xt_b",
    "Gradient of tr(XXᵀB)",
    f=tr(Xnm @ Xnm.T @ B),
    wrt=Xnm,
    claimed=B @ Xnm + B.T @ Xnm,
    dims={n: (3,), m: (2,)},
    refs=["MC-110"],
    note=cookbook(110) + " X is n×m, B is n×n.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_x_b_xt",
    "Gradient of tr(XBXᵀ)",
    f=tr(Xnm @ Bm @ Xnm.T),
    wrt=Xnm,
    claimed=Xnm @ Bm.T + Xnm @ Bm,
    dims={n: (3,), m: (2,)},
    refs=["MC-111"],
    note=cookbook(111) + " X is n×m, B is m×m.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_b_xt_x",
    "Gradient of tr(BXᵀX)",
    f=tr(Bm @ Xnm.T @ Xnm),
    wrt=Xnm,
    claimed=Xnm @ Bm.T + Xnm @ Bm,
    dims={n: (3,), m: (2,)},
    refs=["MC-112"],
    note=cookbook(112) + " X is n×m, B is m×m.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_xt_x_b",
    "Gradient of tr(XᵀXB)",
    f=tr(Xnm.T @ Xnm @ Bm),
    wrt=Xnm,
    claimed=Xnm @ Bm.T + Xnm @ Bm,
    dims={n: (3,), m: (2,)},
    refs=["MC-113"],
    note=cookbook(113) + " X is n×m, B is m×m.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_axbx",
    "Gradient of tr(AXBX)",
    f=tr(A @ X @ B @ X),
    wrt=X,
    claimed=A.T @ X.T @ B.T + B.T @ X.T @ A.T,
    refs=["MC-114"],
    note=cookbook(114),
)
gradient_pair(
    "reference_det_inverse_trace.trace_xt_x",
    "Gradient of tr(XᵀX)",
    f=tr(Xnm.T @ Xnm),
    wrt=Xnm,
    claimed=2 * Xnm,
    dims={n: (3,), m: (2,)},
    refs=["MC-115"],
    note=cookbook(115) + " tr(XᵀX) is the squared Frobenius norm.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_x_xt",
    "Gradient of tr(XXᵀ)",
    f=tr(Xnm @ Xnm.T),
    wrt=Xnm,
    claimed=2 * Xnm,
    dims={n: (3,), m: (2,)},
    refs=["MC-115"],
    note=cookbook(115),
)
# tr(BᵀXᵀCXB): X is n×m, C is n×n, B is m×p
Bmp, Cn, Cm = matrix("B", m, p), matrix("C", n, n), matrix("C", m, m)
gradient_pair(
    "reference_det_inverse_trace.trace_bt_xt_c_x_b",
    "Gradient of tr(BᵀXᵀCXB)",
    f=tr(Bmp.T @ Xnm.T @ Cn @ Xnm @ Bmp),
    wrt=Xnm,
    claimed=Cn.T @ Xnm @ Bmp @ Bmp.T + Cn @ Xnm @ Bmp @ Bmp.T,
    dims={m: (2,), n: (3,), p: (2,)},
    refs=["MC-116"],
    note=cookbook(116) + " X is n×m, C is n×n, B is m×p.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_xt_b_x_c",
    "Gradient of tr(XᵀBXC)",
    f=tr(Xnm.T @ B @ Xnm @ Cm),
    wrt=Xnm,
    claimed=B @ Xnm @ Cm + B.T @ Xnm @ Cm.T,
    dims={n: (3,), m: (2,)},
    refs=["MC-117"],
    note=cookbook(117) + " X is n×m, B is n×n, C is m×m.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_a_x_b_xt_c",
    "Gradient of tr(AXBXᵀC)",
    f=tr(A @ Xnm @ Bm @ Xnm.T @ C),
    wrt=Xnm,
    claimed=A.T @ C.T @ Xnm @ Bm.T + C @ A @ Xnm @ Bm,
    dims={n: (3,), m: (2,)},
    refs=["MC-118"],
    note=cookbook(118) + " X is n×m, A and C are n×n, B is m×m.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_a_x_b_xt",
    "Gradient of tr(AXBXᵀ)",
    f=tr(A @ Xnm @ Bm @ Xnm.T),
    wrt=Xnm,
    claimed=A.T @ Xnm @ Bm.T + A @ Xnm @ Bm,
    dims={n: (3,), m: (2,)},
    refs=["MC-118"],
    note=cookbook(118) + " With C = I.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_a_x_xt_b",
    "Gradient of tr(AXXᵀB)",
    f=tr(A @ Xnm @ Xnm.T @ B),
    wrt=Xnm,
    claimed=(B @ A + A.T @ B.T) @ Xnm,
    dims={n: (3,), m: (2,)},
    refs=["MC-109", "MC-16"],
    note="Cycle to tr(BAXXᵀ) (Matrix Cookbook eq. (16)) and use eq. (109) with BA in place of B.",
)
# tr[(AXB + C)(AXB + C)ᵀ], all square here
R = A @ X @ B + C
gradient_pair(
    "reference_det_inverse_trace.trace_affine_square",
    "Gradient of tr[(AXB + C)(AXB + C)ᵀ]",
    f=tr(R @ R.T),
    wrt=X,
    claimed=2 * A.T @ R @ B.T,
    display_f=tr(product_of(sum_of(A @ X @ B, C), sp.Transpose(sum_of(A @ X @ B, C)))),
    display=product_of(2, A.T, sum_of(A @ X @ B, C), B.T),
    dims={n: (2,)},
    refs=["MC-119"],
    note=cookbook(119) + " The squared Frobenius norm of the affine map AXB + C.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_squared",
    "Gradient of tr(X)²",
    f=tr(X) ** 2,
    wrt=X,
    claimed=2 * tr(X) * Id,
    refs=["MC-120"],
    note=cookbook(120),
)
claim(
    "reference_det_inverse_trace.trace_quadratic_second_derivative",
    "Second derivative of tr((X + tV)ᵀA(X + tV))",
    kind="partial",
    f=tr(Y.T @ A @ Y),
    wrt=(t, t),
    claimed=2 * tr(V.T @ A @ V),
    display_f=tr(product_of(sp.Transpose(Yw), A, Yw)),
    refs=["MC-108"],
    note="The Hessian of tr(XᵀAX) as a quadratic form in the step: 2tr(VᵀAV), which sees only the "
    "symmetric part of A (compare Matrix Cookbook eq. (108)).",
)

# %% [markdown]
# ## Traces: higher order

# %%
gradient_pair(
    "reference_det_inverse_trace.trace_x_cubed",
    "Gradient of tr(X³)",
    f=tr(X @ X @ X),
    wrt=X,
    claimed=3 * (X @ X).T,
    refs=["MC-121"],
    note=cookbook(121) + " The case k = 3 of k(Xᵏ⁻¹)ᵀ.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_x_fourth",
    "Gradient of tr(X⁴)",
    f=tr(X @ X @ X @ X),
    wrt=X,
    claimed=4 * (X @ X @ X).T,
    dims={n: (2, 3)},
    refs=["MC-121"],
    note=cookbook(121) + " The case k = 4 of k(Xᵏ⁻¹)ᵀ.",
)
gradient_pair(
    "reference_det_inverse_trace.trace_a_x_cubed",
    "Gradient of tr(AX³)",
    f=tr(A @ X @ X @ X),
    wrt=X,
    claimed=(A @ X @ X).T + (X @ A @ X).T + (X @ X @ A).T,
    display=sp.Transpose(sum_of(A @ X @ X, X @ A @ X, X @ X @ A)),
    refs=["MC-122"],
    note=cookbook(122) + " The case k = 3 of Σᵣ (XʳAXᵏ⁻ʳ⁻¹)ᵀ.",
)

# %% [markdown]
# ## Matrix-valued maps: Jacobian-vector and vector-Jacobian products
#
# The directional derivative (JVP) is the same in both layouts; the VJP is the gradient of the
# pairing $\operatorname{tr}(U^\top F(X))$.

# %%
cube = claim(
    "reference_det_inverse_trace.cube_directional",
    "Directional derivative of X³",
    kind="directional",
    f=X @ X @ X,
    wrt=X,
    direction=V,
    claimed=V @ X @ X + X @ V @ X + X @ X @ V,
    display=sum_of(V @ X @ X, X @ V @ X, X @ X @ V),
    refs=["MC-90"],
    note="Matrix Cookbook eq. (90) in matrix form: the step V takes each of the three places.",
)
vjp(cube, U, U @ (X @ X).T + X.T @ U @ X.T + (X @ X).T @ U)
Um = matrix("U", m, m)
outer_map = claim(
    "reference_det_inverse_trace.outer_gram_directional",
    "Directional derivative of XXᵀ",
    kind="directional",
    f=Xnm @ Xnm.T,
    wrt=Xnm,
    direction=matrix("W", n, m),
    claimed=matrix("W", n, m) @ Xnm.T + Xnm @ matrix("W", n, m).T,
    dims={n: (3,), m: (2,)},
    refs=["MC-37", "MC-44"],
    note="The product rule with ∂Xᵀ = (∂X)ᵀ (Matrix Cookbook eqs. (37), (44)).",
)
claim(
    "reference_det_inverse_trace.outer_gram_directional_vjp",
    "Directional derivative of XXᵀ: the vector-Jacobian product",
    kind="gradient",
    f=tr(U.T @ Xnm @ Xnm.T),
    wrt=Xnm,
    claimed=(U + U.T) @ Xnm,
    dims={n: (3,), m: (2,)},
    refs=["MC-37", "MC-44"],
    note="Denominator layout of the Jacobian: the gradient of tr(Uᵀ XXᵀ), U of size n×n.",
)

# %% [markdown]
# ## The figure on the reference page: the mixed-layout appendix, measured
#
# At one non-symmetric $X$, take the unit steps $E(\theta)$ with $\cos\theta$ in entry
# $(1, 2)$ and $\sin\theta$ in entry $(2, 1)$ (the entries a transpose swaps), measure the rate of
# change of $\det$ by central differences, and compare it with the rate $\operatorname{tr}(G^\top E)$
# predicted by a candidate gradient $G$: the gradient of `identities.det`, and the mixed-layout
# entry of the pitfall above.

# %%
from derivations.figures import figure, show

TRAP_X = ((2.0, 1.5), (-0.5, 1.0))


def layout_trap_curves(thetas):
    """Finite-difference rate of change of det along E(θ), and the two predicted rates."""
    import numpy as np

    X0 = np.array(TRAP_X)
    d, inverse = np.linalg.det(X0), np.linalg.inv(X0)
    gradient, mixed = d * inverse.T, d * inverse
    measured, right, wrong = [], [], []
    for th in thetas:
        step = np.array([[0.0, np.cos(th)], [np.sin(th), 0.0]])
        h = 1e-6
        measured.append((np.linalg.det(X0 + h * step) - np.linalg.det(X0 - h * step)) / (2 * h))
        right.append(np.trace(gradient.T @ step))
        wrong.append(np.trace(mixed.T @ step))
    return np.array(measured), np.array(right), np.array(wrong)


@figure(
    "reference_det_inverse_trace.layout_trap",
    alt="Three curves against the angle of an off-diagonal unit step. A solid line of measured "
    "rates of change of the determinant and a dotted line predicted by the gradient det(X) times "
    "the transposed inverse coincide; a dashed line predicted by det(X) times the inverse, the "
    "numerator-layout entry, is a different sine curve that crosses them only at two angles.",
    caption="Rate of change of det X along off-diagonal unit steps E(θ): finite differences "
    "(solid) agree with tr(GᵀE) for G = det(X) X⁻ᵀ (dotted), not for det(X) X⁻¹ (dashed), "
    "the numerator-layout form copied into a gradient table.",
    size=(5.2, 3.4),
)
def draw_layout_trap(ax):
    import numpy as np

    thetas = np.linspace(0, 2 * np.pi, 181)
    measured, right, wrong = layout_trap_curves(thetas)
    ax.plot(thetas, measured, color="#3949ab", lw=2.4, label="finite differences")
    ax.plot(thetas, right, color="#fdd835", lw=1.2, ls=":", label="det(X) X⁻ᵀ (gradient)")
    ax.plot(thetas, wrong, color="#c2185b", lw=1.4, ls="--", label="det(X) X⁻¹ (mixed layout)")
    ax.set_xlabel("angle θ of the off-diagonal step")
    ax.set_ylabel("rate of change of det X")
    ax.legend(frameon=False, fontsize=8)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("reference_det_inverse_trace")


# %% [markdown]
# ## A numeric check and the picture
#
# The largest gap between the measured rates and each prediction, then the figure.

# %%
if __name__ == "__main__":
    import numpy as np

    measured, right, wrong = layout_trap_curves(np.linspace(0, 2 * np.pi, 37))
    print("max |measured − tr((det(X) X⁻ᵀ)ᵀE)| =", np.abs(measured - right).max())
    print("max |measured − tr((det(X) X⁻¹)ᵀE)| =", np.abs(measured - wrong).max())
    show("reference_det_inverse_trace.layout_trap")
