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
# # Lab: backpropagation
#
# This page is the executed form of `derivations/backprop.py`. It takes a network with one
# hidden layer and a softmax cross-entropy loss, derives the gradient of the loss in every
# parameter, in the logits, in the hidden units and in the input, as a chain of
# vector–Jacobian products, and declares each result boxed on the chapter page
# *Backpropagation* as a claim checked by the engine. Then it trains the network for a few
# steps on a small synthetic data set and compares the derived gradients with finite
# differences.
#
# The network, for an input $x\in\mathbb{R}^n$, $m$ hidden units and $k$ classes:
# $a = W_1x + b_1$, $h = \tanh(a)$, $z = W_2h + b_2$, $s = \operatorname{softmax}(z)$, and the
# loss $L = -y^\top\log s$ for a target $y$ whose entries sum to 1.

# %%
# %matplotlib inline
import sympy as sp

from derivations.engine import (
    Applied,
    AsScalar,
    LogSumExp,
    Softmax,
    claim,
    dim,
    matrix,
    scalar,
    vector,
)
from derivations.engine.written import product_of, sum_of

n, m, k = dim("n"), dim("m"), dim("k")
x = vector("x", n)
W_1, b_1 = matrix("W_1", m, n), vector("b_1", m)
W_2, b_2 = matrix("W_2", k, m), vector("b_2", k)
y = vector("y", k)
a, h = vector("a", m), vector("h", m)
z, s = vector("z", k), vector("s", k)
ones_m = sp.OneMatrix(m, 1)

# Sizes: n = 2 inputs, m = 3 hidden units, k = 2 classes. The three are not all equal, so a
# transposed weight gradient has the wrong shape; the expressions stay small enough for the
# symbolic layer (with k = 3 one claim takes twenty seconds instead of a fraction of one).
NETWORK_SIZES = {n: (2,), m: (3,), k: (2,)}
HEAD_SIZES = {m: (3,), k: (2,)}

# %% [markdown]
# ## The loss, written for differentiation
#
# The logarithm of softmax is the logits minus log-sum-exp (`activations.log_softmax`), so for
# targets that sum to 1 the cross-entropy is log-sum-exp minus a linear term. That form is what the claims
# below differentiate: it is the same function, and its derivatives are short.

# %%
cross_entropy = -AsScalar(y.T @ Applied("log", Softmax(z)))
loss = LogSumExp(z) - AsScalar(y.T @ z)
loss_shown = sum_of(LogSumExp(z), -AsScalar(y.T @ z))
claim(
    "backprop.loss_as_lse",
    "Cross-entropy after softmax is lse(z) − yᵀz when 1ᵀy = 1",
    kind="identity",
    f=cross_entropy,
    claimed=loss,
    display=loss_shown,
    domains={y: "probability"},
    refs=["S2-25"],
)

# %% [markdown]
# ## Step 1: the gradient in the logits
#
# The gradient of log-sum-exp is softmax (`activations.log_sum_exp_gradient`) and that of the
# linear term $y^\top z$ is its coefficient vector (`gradients.linear_form`). Their difference
# is the first vector of the backward pass, $g_z = \nabla_z L$.

# %%
g_z = s - y
softmax_where = {s: Softmax(z)}
claim(
    "backprop.logits_gradient",
    "The backward pass starts at the logits: ∇_z L = s − y",
    kind="gradient",
    f=loss,
    wrt=z,
    claimed=g_z,
    where=softmax_where,
    display_f=loss_shown,
    refs=["S2-30", "S2-31"],
)

# %% [markdown]
# ### Reader question: "s(1 − s) or s(s − 1)?"
#
# With three named logits and the target on class 1, the loss is $-\log S_1$. The chain rule
# multiplies the softmax derivative (`activations.softmax_partial_same`, positive) by the
# derivative of minus the logarithm (minus a reciprocal), and $S_1$ cancels: the loss
# derivative is negative. Flipping the sign of either factor is a pitfall below.

# %%
z_1, z_2, z_3 = scalar("z_1"), scalar("z_2"), scalar("z_3")
normaliser = sp.exp(z_1) + sp.exp(z_2) + sp.exp(z_3)
S_1 = scalar("S_1")
first_output = sp.exp(z_1) / normaliser
QUESTION = "Answers the reader question “s(1−s) or s(s−1)?” (issue 15)"
claim(
    "backprop.true_class_logit_partial",
    "∂L/∂z₁ for L = −log S₁ (the target is class 1)",
    kind="partial",
    f=-sp.log(first_output),
    wrt=(z_1,),
    claimed=S_1 - 1,
    display=sum_of(S_1, -1),
    where={S_1: first_output},
    refs=["S2-30"],
)
claim(
    "backprop.pitfall_true_class_sign",
    "Pitfall: ∂L/∂z₁ = 1 − S₁",
    kind="partial",
    f=-sp.log(first_output),
    wrt=(z_1,),
    claimed=1 - S_1,
    display=sum_of(1, -S_1),
    where={S_1: first_output},
    pitfall=True,
    corrects="backprop.true_class_logit_partial",
    note=f"{QUESTION}: the loss falls as the true class's logit rises, so the partial is "
    "negative, S₁ − 1. 1 − S₁ is the step that increases the loss.",
    refs=["S2-30"],
)
claim(
    "backprop.pitfall_softmax_diagonal_sign",
    "Pitfall: ∂S₁/∂z₁ = S₁(S₁ − 1)",
    kind="partial",
    f=first_output,
    wrt=(z_1,),
    claimed=S_1 * (S_1 - 1),
    display=product_of(S_1, sum_of(S_1, -1)),
    where={S_1: first_output},
    pitfall=True,
    corrects="activations.softmax_partial_same",
    note=f"{QUESTION}: raising z₁ raises S₁, so the diagonal entry of the softmax Jacobian is "
    "positive, S₁(1 − S₁). The factor S₁ − 1 belongs to the loss, −log S₁, not to softmax.",
    refs=["S2-30"],
)

# %% [markdown]
# ## Step 2: through the output layer
#
# For the linear map $z = W_2h + b_2$, the vector–Jacobian products with an upstream vector
# $u$ are the gradients of $u^\top(W_2h + b_2)$: in $h$ the claim below (the pullback of a
# linear map is its transpose), in $W_2$ and in $b_2$ the claims
# `activations.linear_layer_weights` and `activations.linear_layer_bias`. With $u = g_z$ they
# give the gradients of the loss.

# %%
u_k = vector("u", k)
claim(
    "backprop.linear_vjp_input",
    "Vector–Jacobian product of a linear layer in its input",
    kind="gradient",
    f=AsScalar(u_k.T @ (W_2 @ h + b_2)),
    wrt=h,
    claimed=W_2.T @ u_k,
    display_f=AsScalar(u_k.T @ sum_of(W_2 @ h, b_2)),
    refs=["S2-19"],
)
head_where = {z: W_2 @ h + b_2, s: Softmax(z)}
claim(
    "backprop.hidden_gradient",
    "Gradient of the loss in the hidden units",
    kind="gradient",
    f=loss,
    wrt=h,
    claimed=W_2.T @ g_z,
    display_f=loss_shown,
    display=product_of(W_2.T, sum_of(s, -y)),
    where=head_where,
    dims=HEAD_SIZES,
    refs=["S2-19", "S2-31"],
)

# %% [markdown]
# ## Step 3: through tanh
#
# tanh acts entry by entry, so its Jacobian is diagonal, with the derivative of tanh at each
# entry on the diagonal (`activations.tanh_derivative`), and the vector–Jacobian product
# multiplies entry by entry.

# %%
u_m = vector("u", m)
tanh_where = {h: Applied("tanh", a)}
tanh_slope = ones_m - sp.HadamardProduct(h, h)
tanh_slope_shown = sum_of(ones_m, -sp.HadamardProduct(h, h))
claim(
    "backprop.tanh_vjp",
    "Vector–Jacobian product of tanh applied entry by entry",
    kind="gradient",
    f=AsScalar(u_m.T @ Applied("tanh", a)),
    wrt=a,
    claimed=sp.HadamardProduct(tanh_slope, u_m),
    display=sp.HadamardProduct(tanh_slope_shown, u_m),
    where=tanh_where,
    refs=["S1-10", "S2-19"],
)
g_a = sp.HadamardProduct(tanh_slope, W_2.T @ g_z)
g_a_shown = sp.HadamardProduct(tanh_slope_shown, product_of(W_2.T, sum_of(s, -y)))
pre_where = {h: Applied("tanh", a), z: W_2 @ h + b_2, s: Softmax(z)}
claim(
    "backprop.preactivation_gradient",
    "Gradient of the loss in the pre-activations",
    kind="gradient",
    f=loss,
    wrt=a,
    claimed=g_a,
    display_f=loss_shown,
    display=g_a_shown,
    where=pre_where,
    dims=HEAD_SIZES,
    refs=["S2-19", "S1-10"],
)
claim(
    "backprop.pitfall_missing_tanh_slope",
    "Pitfall: passing W₂ᵀ(s − y) through tanh unchanged",
    kind="gradient",
    f=loss,
    wrt=a,
    claimed=W_2.T @ g_z,
    display_f=loss_shown,
    display=product_of(W_2.T, sum_of(s, -y)),
    where=pre_where,
    dims=HEAD_SIZES,
    pitfall=True,
    corrects="backprop.preactivation_gradient",
    note="The chain rule multiplies by the Jacobian of every map on the way, tanh included: "
    "each entry is scaled by 1 − hᵢ², which is small where the unit saturates.",
    refs=["S2-19"],
)

# %% [markdown]
# ## The whole network: every parameter, and the input
#
# Now the loss is a function of everything: the forward pass is written out in the `where`
# definitions, and the engine differentiates the composed function entry by entry in each
# variable in turn. The claimed gradients are the vector–Jacobian products above, chained:
# $g_z$ for the output layer, $g_a$ for the hidden layer, and one more transposed weight
# matrix for the input.

# %%
network = {a: W_1 @ x + b_1, h: Applied("tanh", a), z: W_2 @ h + b_2, s: Softmax(z)}
network_claims = dict(
    kind="gradient", f=loss, display_f=loss_shown, where=network, dims=NETWORK_SIZES
)
claim(
    "backprop.output_bias_gradient",
    "Gradient of the loss in the output bias b₂",
    wrt=b_2,
    claimed=g_z,
    refs=["S2-31", "S1-13"],
    **network_claims,
)
claim(
    "backprop.output_weights_gradient",
    "Gradient of the loss in the output weights W₂",
    wrt=W_2,
    claimed=g_z @ h.T,
    display=product_of(sum_of(s, -y), h.T),
    refs=["S2-31", "S1-17"],
    **network_claims,
)
claim(
    "backprop.hidden_bias_gradient",
    "Gradient of the loss in the hidden bias b₁",
    wrt=b_1,
    claimed=g_a,
    display=g_a_shown,
    refs=["S2-19", "S1-13"],
    **network_claims,
)
claim(
    "backprop.hidden_weights_gradient",
    "Gradient of the loss in the hidden weights W₁",
    wrt=W_1,
    claimed=g_a @ x.T,
    display=product_of(g_a_shown, x.T),
    refs=["S2-19", "S1-17"],
    **network_claims,
)
claim(
    "backprop.input_gradient",
    "Gradient of the loss in the input x",
    wrt=x,
    claimed=W_1.T @ g_a,
    display=product_of(W_1.T, g_a_shown),
    refs=["S2-19"],
    **network_claims,
)

# %% [markdown]
# ### Reader question: a row/column mismatch in the update
#
# Gradient descent updates $W_2 \leftarrow W_2 - \eta\,\nabla_{W_2}L$, so the gradient must
# have the shape of $W_2$, $k\times m$: the column $g_z$ times the row $h^\top$. The product
# the other way round is $m\times k$. When $m \neq k$ the update does not type-check; when
# $m = k$ (the sizes of this claim) it runs and moves every weight the wrong amount.

# %%
claim(
    "backprop.pitfall_output_weights_transposed",
    "Pitfall: ∇_{W₂}L = h(s − y)ᵀ",
    kind="gradient",
    f=loss,
    wrt=W_2,
    claimed=h @ g_z.T,
    display_f=loss_shown,
    display=product_of(h, sp.Transpose(sum_of(s, -y))),
    where=head_where,
    dims={m: (2,), k: (2,)},
    pitfall=True,
    corrects="backprop.output_weights_gradient",
    note="Answers the reader question about a row/column mismatch in a gradient-descent "
    "update (issue 15): entry (i, j) of the gradient is ∂L/∂(W₂)ᵢⱼ = (sᵢ − yᵢ)hⱼ, row i from "
    "the output, column j from the input, so it is (s − y)hᵀ, of the shape of W₂.",
    refs=["S2-19", "S1-17"],
)

# %% [markdown]
# ## A batch of examples
#
# Training averages the loss over a batch. The gradient is linear, so the gradient of the mean
# loss is the mean of the per-example gradients; for the output weights that is the mean of the
# outer products $(s_j - y_j)h_j^\top$. The claim below takes a batch of two examples, each with
# its own hidden values $h_j$, target $y_j$ and softmax output $s_j$, through the same weights.

# %%
h_1, h_2 = vector("h_1", m), vector("h_2", m)
y_1, y_2 = vector("y_1", k), vector("y_2", k)
s_1, s_2 = vector("s_1", k), vector("s_2", k)
batch = [(h_1, y_1, s_1), (h_2, y_2, s_2)]
half = sp.Rational(1, 2)
example_losses = [LogSumExp(W_2 @ h_j + b_2) - AsScalar(y_j.T @ (W_2 @ h_j + b_2))
                  for h_j, y_j, _ in batch]  # fmt: skip
claim(
    "backprop.batch_output_weights_gradient",
    "Gradient of the mean loss of a batch in W₂: the mean of the outer products",
    kind="gradient",
    f=half * (example_losses[0] + example_losses[1]),
    wrt=W_2,
    claimed=half * ((s_1 - y_1) @ h_1.T + (s_2 - y_2) @ h_2.T),
    display_f=product_of(half, sum_of(*example_losses)),
    display=product_of(
        half, sum_of(product_of(sum_of(s_1, -y_1), h_1.T), product_of(sum_of(s_2, -y_2), h_2.T))
    ),
    where={s_j: Softmax(W_2 @ h_j + b_2) for h_j, _, s_j in batch},
    dims=HEAD_SIZES,
    refs=["S2-31", "S1-17"],
)

# %% [markdown]
# ## The same network in numpy
#
# The forward and backward passes below follow the claims line by line, for a batch: each
# column of `X` is one input and each column of `Y` a one-hot target. The batch loss is the
# mean of the per-example losses, so its gradient is the mean of theirs (the gradient is
# linear); for the weights, the mean of the outer products $g\,x^\top$ is one matrix product.


# %%
def synthetic_data(samples=90, seed=0):
    """Three noisy clusters in the plane, one per class; X is 2 × N, Y is 3 × N one-hot."""
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 1.2], [-1.0, -0.7], [1.0, -0.7]])
    labels = np.arange(samples) % 3
    points = centres[labels] + 0.6 * rng.standard_normal((samples, 2))
    return points.T, np.eye(3)[labels].T


def initial_parameters(inputs=2, hidden=8, classes=3, seed=1):
    import numpy as np

    rng = np.random.default_rng(seed)
    return {
        "W_1": 0.5 * rng.standard_normal((hidden, inputs)) / np.sqrt(inputs),
        "b_1": np.zeros((hidden, 1)),
        "W_2": 0.5 * rng.standard_normal((classes, hidden)) / np.sqrt(hidden),
        "b_2": np.zeros((classes, 1)),
    }


def forward(params, X, Y):
    """The forward pass and the mean cross-entropy; the intermediate values are kept."""
    import numpy as np

    A = params["W_1"] @ X + params["b_1"]
    H = np.tanh(A)
    Z = params["W_2"] @ H + params["b_2"]
    Z_shift = Z - Z.max(axis=0, keepdims=True)  # softmax does not change (shift invariance)
    lse = np.log(np.exp(Z_shift).sum(axis=0, keepdims=True))
    S = np.exp(Z_shift - lse)
    loss_value = float(np.mean(lse - (Y * Z_shift).sum(axis=0, keepdims=True)))
    return loss_value, {"H": H, "S": S}


def backward(params, X, Y, cache):
    """Gradients of the mean loss: the claims of this page, averaged over the batch."""
    batch = X.shape[1]
    G_z = (cache["S"] - Y) / batch  # backprop.logits_gradient
    G_a = (1 - cache["H"] ** 2) * (params["W_2"].T @ G_z)  # backprop.preactivation_gradient
    return {
        "W_2": G_z @ cache["H"].T,  # backprop.output_weights_gradient
        "b_2": G_z.sum(axis=1, keepdims=True),  # backprop.output_bias_gradient
        "W_1": G_a @ X.T,  # backprop.hidden_weights_gradient
        "b_1": G_a.sum(axis=1, keepdims=True),  # backprop.hidden_bias_gradient
        "X": params["W_1"].T @ G_a,  # backprop.input_gradient (per example, scaled by 1/N)
    }


def train(steps=60, rate=0.5):
    """Full-batch gradient descent; returns the loss before each step and after the last."""
    X, Y = synthetic_data()
    params = initial_parameters()
    losses = []
    for _ in range(steps):
        value, cache = forward(params, X, Y)
        losses.append(value)
        grads = backward(params, X, Y, cache)
        for name in params:
            params[name] = params[name] - rate * grads[name]
    losses.append(forward(params, X, Y)[0])
    return losses, params


def finite_difference_errors(step=1e-6):
    """For each gradient: the largest relative gap between the backward pass and central
    differences of the loss, entry by entry, at the initial parameters."""
    import numpy as np

    X, Y = synthetic_data(samples=12)
    params = initial_parameters()
    _, cache = forward(params, X, Y)
    grads = backward(params, X, Y, cache)
    variables = dict(params, X=X)
    errors = {}
    for name, value in variables.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = {key: v.copy() for key, v in variables.items()}
            shifted[name][index] += step
            up = forward({p: shifted[p] for p in params}, shifted["X"], Y)[0]
            shifted[name][index] -= 2 * step
            down = forward({p: shifted[p] for p in params}, shifted["X"], Y)[0]
            numeric[index] = (up - down) / (2 * step)
        scale = np.abs(numeric).max() + np.abs(grads[name]).max()
        errors[name] = float(np.abs(numeric - grads[name]).max() / scale)
    return errors


# %% [markdown]
# ## Figures on the chapter page

# %%
from derivations.figures import figure, show


@figure(
    "backprop.loss_curve",
    alt="A curve of the training loss against the step number, from 0 to 60: it starts at "
    "about 1.0, just under the dotted line at log 3, falls steeply over the first ten steps "
    "and then flattens out below 0.1.",
    caption="Mean cross-entropy of the two-layer network (2 inputs, 8 tanh units, 3 classes) "
    "on 90 synthetic points, over 60 steps of full-batch gradient descent with step 0.5 and "
    "the gradients of this chapter. The dotted line is log 3, the loss of a uniform guess.",
    size=(5.0, 3.4),
)
def draw_loss_curve(ax):
    import numpy as np

    losses, _ = train()
    ax.plot(np.arange(len(losses)), losses, color="#3949ab", marker="o", markersize=2.5)
    ax.axhline(np.log(3), color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("mean cross-entropy")
    ax.set_ylim(bottom=0)


@figure(
    "backprop.finite_differences",
    alt="A bar chart on a logarithmic scale with one bar for each of W_1, b_1, W_2, b_2 and the "
    "inputs X; every bar lies between about 1e-10 and 1e-8, far below 1e-6.",
    caption="Largest relative gap between each gradient of the backward pass and central "
    "differences of the loss (step 10⁻⁶), at the initial parameters on 12 points: agreement to "
    "the accuracy finite differences can give.",
    size=(5.0, 3.0),
)
def draw_finite_differences(ax):
    errors = finite_difference_errors()
    names = list(errors)
    ax.bar(range(len(names)), [errors[k] for k in names], color="#00897b")
    ax.set_xticks(range(len(names)), [rf"${k}$" for k in names])
    ax.set_yscale("log")
    ax.set_ylim(1e-13, 1e-4)
    ax.set_ylabel("relative gap")


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("backprop")

# %% [markdown]
# ## Training for a few steps
#
# Sixty steps of gradient descent on the whole batch. The loss starts near $\log 3$ (the
# initial network guesses almost uniformly) and falls.

# %%
if __name__ == "__main__":
    losses, trained = train()
    print("loss before training:", round(losses[0], 4))
    print("loss after", len(losses) - 1, "steps:", round(losses[-1], 4))
    X_data, Y_data = synthetic_data()
    _, final_cache = forward(trained, X_data, Y_data)
    accuracy = (final_cache["S"].argmax(axis=0) == Y_data.argmax(axis=0)).mean()
    print("training accuracy:", accuracy)
    assert losses[-1] < 0.5 * losses[0]
    show("backprop.loss_curve")

# %% [markdown]
# ## The derived gradients against finite differences
#
# Every gradient of the backward pass, for every parameter and for the inputs, against central
# differences of the loss alone.

# %%
if __name__ == "__main__":
    gaps = finite_difference_errors()
    for name, gap in gaps.items():
        print(f"{name:>4}: largest relative gap {gap:.1e}")
    assert max(gaps.values()) < 1e-6
    show("backprop.finite_differences")
