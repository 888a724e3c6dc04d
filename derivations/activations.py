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
# # Lab: ML building blocks
#
# This page is the executed form of `derivations/activations.py`. It derives the derivatives of
# the pieces networks are built from (sigmoid, tanh, softmax, log-sum-exp, cross-entropy, ReLU,
# max and the linear layer) and declares every result boxed on the chapter page *ML building
# blocks* as a claim checked by the engine; results an earlier chapter already states (ReLU and
# max at their kinks, the Jacobian of the linear layer) are linked to that claim, not declared
# twice.

# %%
# %matplotlib inline
import numpy as np
import sympy as sp

from derivations.engine import (
    Applied,
    AsScalar,
    Diag,
    LogSumExp,
    Norm,
    Softmax,
    SumEntries,
    claim,
    dim,
    matrix,
    scalar,
    vector,
)
from derivations.engine.concrete import _as_matrix, explicit, register_handler
from derivations.engine.functions import round_half_up, sigmoid
from derivations.engine.written import product_of, sum_of

n, m = dim("n"), dim("m")
t = scalar("t")

# %% [markdown]
# ## Six small named functions
#
# So that the page reads like the textbook, $\sigma(t)$, $1 - u$ (in that order), the $i$-th
# entry $v_i$ of a vector, rounding to two (or $k$) decimals and $\max(a, b)$ get their own
# printable classes. Each expands to its definition before anything is differentiated
# (`register_handler`), so no derivative rule is assumed: the engine differentiates $1/(1+e^{-t})$, not a symbol that "knows" its
# derivative. $\max(a, b)$ expands to $(a + b + \lvert a - b\rvert)/2$, which sympy's limits
# handle at every point (its `Max` has no series expansion away from a tie).


# %%
class Sigma(sp.Function):
    """The logistic sigmoid of a scalar, printed σ(t), expanded to 1 / (1 + e^(−t))."""

    nargs = 1
    is_real = True

    @staticmethod
    def numeric(t):  # the numeric layer's fast path (engine/fastnum.py)
        return 1 / (1 + np.exp(-t))

    def _latex(self, printer, exp=None):
        tex = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex


class OneMinus(sp.Function):
    """1 − u for a scalar u, printed in that order (sympy would write −u + 1)."""

    nargs = 1
    is_real = True

    @staticmethod
    def numeric(u):
        return 1 - u

    def _latex(self, printer, exp=None):
        tex = rf"\left(1 - {printer._print(self.args[0])}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex


class Entry(sp.Expr):
    """Entry i (counting from 1) of a column vector expression, printed v_i."""

    is_commutative = True
    is_real = True

    def __new__(cls, vec, i):
        return sp.Expr.__new__(cls, vec, sp.Integer(i))

    @staticmethod
    def numeric(vec, i):
        return float(np.asarray(vec).reshape(-1)[int(i) - 1])

    def _latex(self, printer, exp=None):
        vec, i = self.args
        body = printer._print(vec)
        if not isinstance(vec, sp.MatrixSymbol):
            body = rf"\left({body}\right)"
        tex = rf"{body}_{{{i}}}"
        return rf"\left({tex}\right)^{{{exp}}}" if exp is not None else tex


class Round2(sp.MatrixExpr):
    """A vector rounded entry by entry to two decimals (half up), printed round₂(v)."""

    def __new__(cls, arg):
        return sp.Basic.__new__(cls, arg)

    @property
    def shape(self):
        return self.args[0].shape

    def _latex(self, printer, exp=None):
        return rf"\operatorname{{round}}_2\left({printer._print(self.args[0])}\right)"


class RoundTo(sp.MatrixExpr):
    """A vector rounded entry by entry to k decimals (half up), printed round_k(v)."""

    def __new__(cls, arg, digits):
        return sp.Basic.__new__(cls, arg, sp.Integer(digits))

    @property
    def shape(self):
        return self.args[0].shape

    def _latex(self, printer, exp=None):
        vec, digits = self.args
        return rf"\operatorname{{round}}_{{{digits}}}\left({printer._print(vec)}\right)"


class Max2(sp.Function):
    """max(a, b), printed as such, expanded to (a + b + |a − b|)/2 for the limit definition."""

    nargs = 2
    is_real = True

    @staticmethod
    def numeric(a, b):
        return np.maximum(a, b)

    def _latex(self, printer, exp=None):
        a, b = (printer._print(v) for v in self.args)
        tex = rf"\max\left({a}, {b}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex


register_handler(Sigma, lambda e, ctx: sigmoid(explicit(e.args[0], ctx)))
register_handler(OneMinus, lambda e, ctx: 1 - explicit(e.args[0], ctx))
register_handler(Entry, lambda e, ctx: _as_matrix(explicit(e.args[0], ctx))[int(e.args[1]) - 1, 0])
register_handler(
    Max2,
    lambda e, ctx: (lambda a, b: (a + b + sp.Abs(a - b)) / 2)(*(explicit(v, ctx) for v in e.args)),
)
register_handler(
    Round2,
    lambda e, ctx: _as_matrix(explicit(e.args[0], ctx)).applyfunc(lambda v: round_half_up(v, 2)),
)
register_handler(
    RoundTo,
    lambda e, ctx: _as_matrix(explicit(e.args[0], ctx)).applyfunc(
        lambda v: round_half_up(v, e.args[1])
    ),
)

# %% [markdown]
# ## Sigmoid and tanh
#
# $\sigma(t) = 1/(1+e^{-t})$. The quotient rule, then splitting the fraction into two factors,
# writes its derivative with $\sigma$ itself; each step is a claim below, and so is the bound
# that makes $t = 0$ the steepest point. tanh is a rescaled sigmoid, and its derivative follows
# from the sigmoid's by the chain rule.

# %%
sigmoid_t = 1 / (1 + sp.exp(-t))
quotient_rule = sp.diff(sigmoid_t, t)
assert sp.simplify(quotient_rule - sigmoid_t * (1 - sigmoid_t)) == 0
claim(
    "activations.sigmoid_derivative",
    "Derivative of the sigmoid",
    kind="derivative",
    f=sigmoid_t,
    wrt=t,
    claimed=Sigma(t) * OneMinus(Sigma(t)),
    display=product_of(Sigma(t), sum_of(1, -Sigma(t))),
    refs=["S1-10", "S1-17"],
)
e_minus_t = sp.exp(-t)
claim(
    "activations.sigmoid_derivative_quotient",
    "Derivative of the sigmoid by the quotient rule",
    kind="derivative",
    f=sigmoid_t,
    wrt=t,
    claimed=e_minus_t / (1 + e_minus_t) ** 2,
    display=e_minus_t / sum_of(1, e_minus_t) ** 2,
    refs=["S1-10"],
)
claim(
    "activations.sigmoid_complement_form",
    "The second factor of σ′ is 1 − σ",
    kind="identity",
    f=e_minus_t / (1 + e_minus_t),
    claimed=OneMinus(Sigma(t)),
    display_f=e_minus_t / sum_of(1, e_minus_t),
    display=sum_of(1, -Sigma(t)),
    refs=["S1-10"],
)
claim(
    "activations.sigmoid_derivative_at_zero",
    "The sigmoid is steepest at 0, with slope 1/4",
    kind="derivative",
    f=sigmoid_t,
    wrt=t,
    claimed=quotient_rule.subs(t, 0),
    at={t: 0},
    refs=["S1-10"],
)
claim(
    "activations.sigmoid_slope_bound",
    "σ(1 − σ) is at most 1/4",
    kind="identity",
    f=Sigma(t) * OneMinus(Sigma(t)),
    claimed=sp.Rational(1, 4) - (Sigma(t) - sp.Rational(1, 2)) ** 2,
    display_f=product_of(Sigma(t), sum_of(1, -Sigma(t))),
    display=sum_of(sp.Rational(1, 4), -(sum_of(Sigma(t), -sp.Rational(1, 2)) ** 2)),
    refs=["S1-10"],
)
claim(
    "activations.sigmoid_symmetry",
    "σ(−t) = 1 − σ(t)",
    kind="identity",
    f=Sigma(-t),
    claimed=OneMinus(Sigma(t)),
    display=sum_of(1, -Sigma(t)),
    refs=["S1-10"],
)
claim(
    "activations.tanh_derivative",
    "Derivative of tanh",
    kind="derivative",
    f=sp.tanh(t),
    wrt=t,
    claimed=OneMinus(sp.tanh(t) ** 2),
    display=sum_of(1, -sp.tanh(t) ** 2),
    refs=["S1-10"],
)
claim(
    "activations.tanh_via_sigmoid",
    "tanh is a rescaled sigmoid",
    kind="identity",
    f=sp.tanh(t).rewrite(sp.exp),
    claimed=2 * Sigma(2 * t) - 1,
    refs=["S1-10"],
)
sigma_2t = Sigma(2 * t)
sigma_2t_slope = product_of(4, sigma_2t, sum_of(1, -sigma_2t))  # 4σ(2t)(1 − σ(2t)), as written
claim(
    "activations.tanh_sigmoid_chain",
    "Derivative of 2σ(2t) − 1 by the chain rule",
    kind="derivative",
    f=2 * sigma_2t - 1,
    wrt=t,
    claimed=4 * sigma_2t * OneMinus(sigma_2t),
    display=sigma_2t_slope,
    refs=["S1-10"],
)
claim(
    "activations.tanh_sigmoid_square",
    "4σ(2t)(1 − σ(2t)) is 1 − tanh², written with σ",
    kind="identity",
    f=4 * sigma_2t * OneMinus(sigma_2t),
    claimed=1 - (2 * sigma_2t - 1) ** 2,
    display_f=sigma_2t_slope,
    display=sum_of(1, -(sum_of(2 * sigma_2t, -1) ** 2)),
    refs=["S1-10"],
)

# %% [markdown]
# ### The logistic unit: sigmoid of an affine function
#
# $f(w, b) = \sigma(w^\top x + b)$. With $a = w^\top x + b$ the chain rule multiplies
# $\sigma'(a)$ by the derivative of $a$, in the bias or in the weights.

# %%
w, x = vector("w", n), vector("x", n)
b = scalar("b")
affine = AsScalar(w.T @ x) + b
unit = 1 / (1 + sp.exp(-affine))
affine_shown = sum_of(AsScalar(w.T @ x), b)  # wᵀx + b, as written
unit_shown = 1 / sum_of(1, sp.exp(product_of(-1, affine_shown)))
sigma_prime_shown = product_of(Sigma(affine_shown), sum_of(1, -Sigma(affine_shown)))
claim(
    "activations.logistic_unit_bias",
    "Partial derivative of σ(wᵀx + b) in the bias",
    kind="partial",
    f=unit,
    wrt=(b,),
    claimed=Sigma(affine) * OneMinus(Sigma(affine)),
    display_f=unit_shown,
    display=sigma_prime_shown,
    refs=["S1-10"],
)
claim(
    "activations.logistic_unit_weights",
    "Gradient of σ(wᵀx + b) in the weights",
    kind="gradient",
    f=unit,
    wrt=w,
    claimed=Sigma(affine) * OneMinus(Sigma(affine)) * x,
    display_f=unit_shown,
    display=product_of(*sigma_prime_shown.args, x),
    refs=["S1-17"],
)
z = vector("z", n)
ones = sp.OneMatrix(n, 1)
claim(
    "activations.sigmoid_elementwise_jacobian",
    "Jacobian of σ applied entry by entry",
    kind="jacobian",
    f=Applied("sigma", z),
    wrt=z,
    claimed=Diag(sp.HadamardProduct(Applied("sigma", z), ones - Applied("sigma", z))),
    display=Diag(sp.HadamardProduct(Applied("sigma", z), sum_of(ones, -Applied("sigma", z)))),
    refs=["S1-10", "S2-29"],
)

# %% [markdown]
# ## Softmax
#
# $\operatorname{softmax}(z)_j = e^{z_j}/\sum_{k=1}^{n} e^{z_k}$: the sum runs over all $n$
# coordinates, with its own index $k$ (the source writes an upper limit $N$ and the index $i$;
# both are slips).

# %%
exp_z = Applied("exp", z)
claim(
    "activations.softmax_definition",
    "Softmax: exponentiate, then normalise",
    kind="identity",
    f=Softmax(z),
    claimed=exp_z / SumEntries(exp_z),
    refs=["S2-25", "S2-28"],
)
claim(
    "activations.softmax_sums_to_one",
    "Softmax outputs sum to 1",
    kind="identity",
    f=SumEntries(Softmax(z)),
    claimed=sp.Integer(1),
    refs=["S2-26"],
)
claim(
    "activations.softmax_positive",
    "Softmax outputs are positive: 1/S₁ is a sum of exponentials",
    kind="identity",
    f=1 / Entry(Softmax(z), 1),
    claimed=SumEntries(Applied("exp", z - Entry(z, 1) * ones)),
    display=SumEntries(Applied("exp", sum_of(z, -Entry(z, 1) * ones))),
    refs=["S2-26"],
)
claim(
    "activations.softmax_ratio",
    "The ratio of two softmax outputs depends only on the logit gap",
    kind="identity",
    f=Entry(Softmax(z), 2) / Entry(Softmax(z), 1),
    claimed=sp.exp(Entry(z, 2) - Entry(z, 1)),
    display=sp.exp(sum_of(Entry(z, 2), -Entry(z, 1))),
    refs=["S2-26", "S2-43"],
)
c = scalar("c")
claim(
    "activations.softmax_shift_invariance",
    "Adding a constant to every logit changes nothing",
    kind="identity",
    f=Softmax(z + c * ones),
    claimed=Softmax(z),
    display_f=Softmax(sum_of(z, c * ones)),
    refs=["S2-26"],
)
z2 = vector("z", 2)
claim(
    "activations.softmax_two_logits",
    "With two logits, softmax is a sigmoid of the gap",
    kind="identity",
    f=Entry(Softmax(z2), 1),
    claimed=Sigma(Entry(z2, 1) - Entry(z2, 2)),
    refs=["S2-43"],
)
claim(
    "activations.softmax_equal_logits",
    "Equal logits give the uniform vector",
    kind="identity",
    f=Softmax(c * ones),
    claimed=ones / n,
    refs=["S2-26"],
)

# %% [markdown]
# ### The worked example $z = (1, 2, 5)$
#
# Each exact output is its exponential divided by $e + e^2 + e^5$. The engine rounds the exact
# values itself, to two and to five decimals. The source prints 0.93 for the last entry; the
# pitfall below shows that it rounds up instead.

# %%
example_logits = [1, 2, 5]
z3 = vector("z", 3)
exact_values = sp.Matrix([sp.exp(k) for k in example_logits]) / sum(
    sp.exp(k) for k in example_logits
)
rounded = exact_values.applyfunc(lambda v: sp.floor(100 * v + sp.Rational(1, 2)) / 100)
as_decimals = sp.ImmutableMatrix(rounded.applyfunc(sp.Float))
example_point = {z3: sp.Matrix(example_logits)}
claim(
    "activations.softmax_example",
    "Softmax of (1, 2, 5), exactly",
    kind="identity",
    f=Softmax(z3),
    claimed=sp.ImmutableMatrix(exact_values),
    at=example_point,
    refs=["S2-27"],
)
claim(
    "activations.softmax_example_rounded",
    "Softmax of (1, 2, 5), to two decimals",
    kind="identity",
    f=Round2(Softmax(z3)),
    claimed=as_decimals,
    at=example_point,
    refs=["S2-27"],
)
claim(
    "activations.pitfall_softmax_example_source",
    "Pitfall: (0.02, 0.05, 0.93) as printed",
    kind="identity",
    f=Round2(Softmax(z3)),
    claimed=sp.ImmutableMatrix([sp.Float("0.02"), sp.Float("0.05"), sp.Float("0.93")]),
    at=example_point,
    pitfall=True,
    corrects="activations.softmax_example_rounded",
    note="The last output is 0.93624…, which rounds to 0.94 (the rounded values then sum to "
    "1.01, as rounded values may).",
    refs=["S2-27"],
)
claim(
    "activations.softmax_example_five_decimals",
    "Softmax of (1, 2, 5), to five decimals",
    kind="identity",
    f=RoundTo(Softmax(z3), 5),
    claimed=sp.ImmutableMatrix([sp.Float("0.01715"), sp.Float("0.04661"), sp.Float("0.93624")]),
    at=example_point,
    refs=["S2-27"],
)
claim(
    "activations.softmax_example_rounded_sum",
    "The outputs rounded to two decimals sum to 1.01",
    kind="identity",
    f=SumEntries(Round2(Softmax(z3))),
    claimed=sp.Float("1.01"),
    at=example_point,
    refs=["S2-27"],
)

# %% [markdown]
# ### The softmax Jacobian
#
# Write $g_i = e^{z_i}$ and $h = \sum_k e^{z_k}$, so $S_i = g_i/h$. The quotient rule needs the
# derivatives of $h$ and of $g_i$ (the gradient of the normaliser and the Jacobian of the
# exponentials, both claims below). It gives the two cases of $\partial S_i/\partial z_j$,
# checked first with three named logits, then the whole Jacobian for any $n$.

# %%
claim(
    "activations.exp_sum_gradient",
    "Gradient of the normaliser Σₖ exp(zₖ)",
    kind="gradient",
    f=SumEntries(exp_z),
    wrt=z,
    claimed=exp_z,
    refs=["S2-29"],
)
claim(
    "activations.exp_jacobian",
    "Jacobian of exp applied entry by entry",
    kind="jacobian",
    f=exp_z,
    wrt=z,
    claimed=Diag(exp_z),
    refs=["S2-29"],
)
z_1, z_2, z_3 = scalar("z_1"), scalar("z_2"), scalar("z_3")
normaliser = sp.exp(z_1) + sp.exp(z_2) + sp.exp(z_3)
S_1, S_2 = scalar("S_1"), scalar("S_2")
named_outputs = {S_1: sp.exp(z_1) / normaliser, S_2: sp.exp(z_2) / normaliser}
claim(
    "activations.softmax_partial_same",
    "∂S₁/∂z₁ (the case i = j)",
    kind="partial",
    f=sp.exp(z_1) / normaliser,
    wrt=(z_1,),
    claimed=S_1 * OneMinus(S_1),
    where={S_1: named_outputs[S_1]},
    refs=["S2-30", "S2-29"],
)
claim(
    "activations.softmax_partial_cross",
    "∂S₁/∂z₂ (the case i ≠ j)",
    kind="partial",
    f=sp.exp(z_1) / normaliser,
    wrt=(z_2,),
    claimed=-S_1 * S_2,
    where=named_outputs,
    refs=["S2-31"],
)
s = vector("s", n)
softmax_where = {s: Softmax(z)}
claim(
    "activations.softmax_jacobian",
    "Jacobian of softmax",
    kind="jacobian",
    f=Softmax(z),
    wrt=z,
    claimed=Diag(s) - s @ s.T,
    where=softmax_where,
    refs=["S2-30", "S2-31"],
)
claim(
    "activations.pitfall_softmax_jacobian_diagonal",
    "Pitfall: keeping only the diagonal, diag(s ∘ (1 − s))",
    kind="jacobian",
    f=Softmax(z),
    wrt=z,
    claimed=Diag(sp.HadamardProduct(s, ones - s)),
    display=Diag(sp.HadamardProduct(s, sum_of(ones, -s))),
    where=softmax_where,
    pitfall=True,
    corrects="activations.softmax_jacobian",
    note="Every output depends on every logit through the normaliser: the off-diagonal entries "
    "−sᵢsⱼ are not zero.",
    refs=["S2-31"],
)
claim(
    "activations.softmax_jacobian_rows",
    "The two parts of each Jacobian row have equal sums",
    kind="identity",
    f=Diag(s) @ ones,
    claimed=s @ s.T @ ones,
    where=softmax_where,
    refs=["S2-31", "S2-26"],
)

# %% [markdown]
# ## Log-sum-exp and cross-entropy
#
# $\operatorname{lse}(z) = \log\sum_k e^{z_k}$ is a smooth maximum, and its gradient is softmax.
# The cross-entropy of the targets $y$ against $\operatorname{softmax}(z)$ is
# $-y^\top\log\operatorname{softmax}(z)$; the logarithm of softmax splits it into a log-sum-exp
# term and a linear term. Its gradient follows, for any targets and for targets that sum to 1
# (the familiar form, and the pitfall of using it for any other targets).

# %%
claim(
    "activations.log_sum_exp_gradient",
    "Gradient of log-sum-exp",
    kind="gradient",
    f=LogSumExp(z),
    wrt=z,
    claimed=Softmax(z),
    refs=["S2-43"],
)
claim(
    "activations.log_sum_exp_shift",
    "Shifting the logits shifts log-sum-exp",
    kind="identity",
    f=LogSumExp(z + c * ones),
    claimed=LogSumExp(z) + c,
    display_f=LogSumExp(sum_of(z, c * ones)),
    display=sum_of(c, LogSumExp(z)),
    refs=["S2-43"],
)
y = vector("y", n)
cross_entropy = -AsScalar(y.T @ Applied("log", Softmax(z)))
claim(
    "activations.log_softmax",
    "The logarithm of softmax",
    kind="identity",
    f=Applied("log", Softmax(z)),
    claimed=z - LogSumExp(z) * ones,
    display=sum_of(z, -LogSumExp(z) * ones),
    refs=["S2-25", "S2-43"],
)
claim(
    "activations.cross_entropy_as_lse",
    "Cross-entropy after softmax, rewritten",
    kind="identity",
    f=cross_entropy,
    claimed=SumEntries(y) * LogSumExp(z) - AsScalar(y.T @ z),
    display=sum_of(product_of(SumEntries(y), LogSumExp(z)), -AsScalar(y.T @ z)),
    refs=["S2-25"],
)
claim(
    "activations.cross_entropy_gradient",
    "Gradient of cross-entropy after softmax",
    kind="gradient",
    f=cross_entropy,
    wrt=z,
    claimed=s - y,
    where=softmax_where,
    domains={y: "probability"},
    refs=["S2-30", "S2-31"],
)
claim(
    "activations.cross_entropy_gradient_general",
    "… and when y does not sum to 1",
    kind="gradient",
    f=cross_entropy,
    wrt=z,
    claimed=SumEntries(y) * s - y,
    where=softmax_where,
    refs=["S2-30", "S2-31"],
)
claim(
    "activations.pitfall_cross_entropy_any_y",
    "Pitfall: s − y for targets that do not sum to 1",
    kind="gradient",
    f=cross_entropy,
    wrt=z,
    claimed=s - y,
    where=softmax_where,
    pitfall=True,
    corrects="activations.cross_entropy_gradient_general",
    note="s − y uses 1ᵀy = 1. For label-smoothed, weighted or unnormalised targets the gradient "
    "is (1ᵀy)s − y.",
    refs=["S2-31"],
)

# %% [markdown]
# ## ReLU and max: derivatives that stop existing at a kink
#
# Away from 0, $\max(0, t)$ is locally constant or the identity. At 0 the difference quotient
# has two different one-sided limits (claims of the derivative chapter), so no two-sided
# derivative exists, and any value claimed for it is refuted. Frameworks use the value 0 there
# as a convention: it is a subgradient, not a derivative, and so is every slope in $[0, 1]$.

# %%
relu = Max2(0, t)
claim(
    "activations.relu_negative",
    "ReLU slope for a negative input",
    kind="derivative",
    by_limit=True,
    f=relu,
    wrt=t,
    claimed=sp.Integer(0),
    at={t: -1},
    refs=["S2-03"],
)
claim(
    "activations.relu_positive",
    "ReLU slope for a positive input",
    kind="derivative",
    by_limit=True,
    f=relu,
    wrt=t,
    claimed=sp.Integer(1),
    at={t: 2},
    refs=["S2-03"],
)
# At 0 the one-sided derivatives and the pitfall "ReLU′(0) = 0" are claims of the derivative
# chapter (derivative.relu_right, derivative.relu_left, derivative.pitfall_relu_at_zero): one
# result, one claim; the chapter page links to them. What is checked here: every g in [0, 1] is
# a subgradient at 0, because max(0, t) − g·t splits into two terms that are never negative.
g_sub = scalar("g")
claim(
    "activations.relu_subgradient",
    "Every slope in [0, 1] is a subgradient of ReLU at 0",
    kind="identity",
    f=relu - g_sub * t,
    claimed=(1 - g_sub) * relu + g_sub * Max2(0, -t),
    display_f=sum_of(relu, -g_sub * t),
    display=sum_of(product_of(sum_of(1, -g_sub), relu), product_of(g_sub, Max2(0, -t))),
    domains={g_sub: "unit-interval"},
    refs=["S2-03"],
)
x_1, x_2 = scalar("x_1"), scalar("x_2")
pair_max = Max2(x_1, x_2)
claim(
    "activations.max_gradient_unique",
    "Gradient of max(x₁, x₂) where x₁ is the unique maximum",
    kind="gradient",
    by_limit=True,
    f=pair_max,
    wrt=(x_1, x_2),
    claimed=[1, 0],
    at={x_1: 2, x_2: 1},
    refs=["S2-05"],
)
# The one-sided partials at a tie are derivative.max_tie_right and derivative.max_tie_left.
claim(
    "activations.pitfall_max_partial_at_tie",
    "Pitfall: the argmax rule at a tie",
    kind="partial",
    by_limit=True,
    f=pair_max,
    wrt=(x_1,),
    claimed=sp.Integer(1),
    at={x_1: 1, x_2: 1},
    pitfall=True,
    corrects="derivative.max_tie_right",
    note="'1 for the argmax, 0 elsewhere' needs a unique maximiser. At x₁ = x₂ the partial in x₁ "
    "does not exist (right 1, left 0), whichever index argmax reports.",
    refs=["S2-05"],
)

# %% [markdown]
# ## The linear layer
#
# $h = Wx + b$ with $W\in\mathbb{R}^{m\times n}$; its Jacobian in $x$ is the claim
# `jacobians.linear_layer`. For a scalar loss that sees $h$ through a weight $u$ (the
# backpropagated gradient), the gradients in the parameters are claims below, and so is the
# backpropagated gradient of a squared error.

# %%
W = matrix("W", m, n)
bias, u, target = vector("b", m), vector("u", m), vector("y", m)
layer = W @ x + bias
# Its Jacobian in x, W, is the claim jacobians.linear_layer of the Jacobians chapter.
claim(
    "activations.linear_layer_weights",
    "Gradient of uᵀ(Wx + b) in the weights",
    kind="gradient",
    f=u.T @ layer,
    wrt=W,
    claimed=u @ x.T,
    refs=["MC-70"],
)
claim(
    "activations.linear_layer_bias",
    "Gradient of uᵀ(Wx + b) in the bias",
    kind="gradient",
    f=u.T @ layer,
    wrt=bias,
    claimed=u,
    refs=["S1-13"],
)
h_out = vector("h", m)
claim(
    "activations.squared_error_output_gradient",
    "Gradient of ½‖h − y‖² in the output h",
    kind="gradient",
    f=Norm(h_out - target) ** 2 / 2,
    wrt=h_out,
    claimed=h_out - target,
    refs=["S2-23"],
)
claim(
    "activations.linear_layer_squared_error",
    "Gradient of ½‖Wx + b − y‖² in the weights",
    kind="gradient",
    f=Norm(layer - target) ** 2 / 2,
    wrt=W,
    claimed=(layer - target) @ x.T,
    refs=["S2-23"],
)

# %% [markdown]
# ## Figures on the chapter page

# %%
from derivations.figures import figure, show


@figure(
    "activations.sigmoid",
    alt="An S-shaped curve rising from 0 to 1, crossing 0.5 at t = 0, and below it a bell-shaped "
    "curve peaking at 0.25 at t = 0: the sigmoid and its derivative.",
    caption="The sigmoid σ(t) and its derivative σ(t)(1 − σ(t)), which peaks at 1/4 at t = 0 and "
    "vanishes for large |t| (saturation).",
    size=(5.0, 3.4),
)
def draw_sigmoid(ax):
    import numpy as np

    grid = np.linspace(-6, 6, 400)
    sig = 1 / (1 + np.exp(-grid))
    ax.plot(grid, sig, color="#3949ab", label="σ(t)")
    ax.plot(grid, sig * (1 - sig), color="#c2185b", label="σ′(t) = σ(t)(1 − σ(t))")
    ax.axhline(0.25, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("t")
    ax.set_ylabel("value")
    ax.legend(frameon=False, loc="center right")


@figure(
    "activations.softmax_saturation",
    alt="Three curves against the scale beta from 0 to 3: all start at one third; the curve for "
    "the largest logit rises towards 1 while the other two fall towards 0.",
    caption="softmax(βz) for z = (1, 2, 5) as the scale β grows: uniform at β = 0, close to the "
    "one-hot argmax vector for large β.",
    size=(5.0, 3.4),
)
def draw_softmax_saturation(ax):
    import numpy as np

    logits = np.array(example_logits, dtype=float)
    betas = np.linspace(0, 3, 300)
    scaled = betas[:, None] * logits[None, :]
    probs = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    for k, colour in zip(range(3), ("#3949ab", "#00897b", "#c2185b"), strict=True):
        ax.plot(betas, probs[:, k], color=colour, label=f"output {k + 1} (logit {logits[k]:g})")
    ax.set_xlabel("scale β")
    ax.set_ylabel("softmax output")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(frameon=False)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("activations")


# %% [markdown]
# ## A numeric check and the pictures
#
# The softmax Jacobian from central differences at the worked example, against
# $\operatorname{diag}(s) - ss^\top$.

# %%
if __name__ == "__main__":
    import numpy as np

    z0 = np.array(example_logits, dtype=float)

    def softmax_np(v):
        e = np.exp(v - v.max())
        return e / e.sum()

    s0 = softmax_np(z0)
    step = 1e-6
    numeric = np.column_stack(
        [(softmax_np(z0 + step * e) - softmax_np(z0 - step * e)) / (2 * step) for e in np.eye(3)]
    )
    formula = np.diag(s0) - np.outer(s0, s0)
    print("softmax(1, 2, 5) =", np.round(s0, 5))
    print("max |numeric − formula| =", np.abs(numeric - formula).max())

    show("activations.sigmoid", "activations.softmax_saturation")
