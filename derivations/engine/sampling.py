"""Where claims are tested: reproducible random points that respect each variable's domain.

Every generator is seeded from a stable hash of the claim id (never Python's salted ``hash``),
so a run can be repeated exactly; a sweep passes its own salt to get fresh seeds.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

import numpy as np
import sympy as sp

MAX_CONDITION = 1e3


def stable_seed(*parts: object) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def rng_for(*parts: object) -> np.random.Generator:
    return np.random.default_rng(stable_seed(*parts))


class SamplingError(RuntimeError):
    """No admissible point was found (for example a conditioning gate that never opens)."""


def sample_float(domain: str, shape: tuple[int, int], rng: np.random.Generator, scale: float = 1.0):
    """A float point of ``shape`` inside ``domain``; generic (non-symmetric) unless told otherwise."""
    rows, cols = shape
    for _ in range(50):
        if domain == "real":
            x = scale * rng.standard_normal(shape)
            if rows == cols and rows > 1 and np.linalg.cond(x) > MAX_CONDITION:
                continue
        elif domain == "symmetric":
            a = rng.standard_normal(shape)
            x = scale * (a + a.T) / 2
            if np.linalg.cond(x) > MAX_CONDITION:
                continue
        elif domain == "spd":
            a = rng.standard_normal(shape)
            x = scale * (a @ a.T / rows + 0.5 * np.eye(rows))
        elif domain == "invertible":
            x = scale * rng.standard_normal(shape)
            if np.linalg.cond(x) > MAX_CONDITION:
                continue
        elif domain == "nonzero":
            x = scale * rng.standard_normal(shape)
            if np.linalg.norm(x) < 0.3 * scale:
                continue
        elif domain == "positive":
            x = scale * (0.2 + rng.gamma(2.0, 0.5, shape))
        elif domain == "probability":
            x = rng.dirichlet(np.full(rows * cols, 2.0)).reshape(shape)
            if x.min() < 0.02:
                continue
        elif domain == "unit-interval":
            x = rng.uniform(0.05, 0.95, shape)
        else:
            raise SamplingError(f"unknown domain {domain!r}")
        return x
    raise SamplingError(f"no admissible {domain} point of shape {shape} in 50 draws")


def draw_float(domain: str, shape: tuple[int, int], rng: np.random.Generator, stress=None):
    """``sample_float``, unless a stress profile supplies the point (``python -m derivations
    stress``): ``stress.sample(domain, shape, rng)`` returns an array inside ``domain``, or None
    where the profile does not apply (then the usual sample is drawn). Without a profile this is
    exactly ``sample_float``: the committed seeds and verdicts do not depend on this hook."""
    if stress is not None:
        value = stress.sample(domain, shape, rng)
        if value is not None:
            return np.asarray(value, dtype=float)
    return sample_float(domain, shape, rng)


def length_scale(domain: str, x: np.ndarray) -> float:
    """How far one may step from ``x`` before leaving the domain or the regime of the sample."""
    if domain in ("positive", "probability"):
        return float(x.min())
    if domain == "unit-interval":
        return float(min(x.min(), 1 - x.max()))
    if domain in ("spd", "invertible", "symmetric") or (
        domain == "real" and x.shape[0] == x.shape[1] and x.shape[0] > 1
    ):
        return float(np.linalg.svd(x, compute_uv=False).min())
    if domain == "nonzero":
        return float(np.linalg.norm(x))
    return max(1.0, float(np.abs(x).max()))


def sample_rational(domain: str, shape: tuple[int, int], rng: np.random.Generator) -> sp.Matrix:
    """A small exact point of ``shape`` inside ``domain`` (integers and simple fractions)."""
    rows, cols = shape

    def small(low=-4, high=5):
        v = int(rng.integers(low, high))
        return v if v != 0 else 1

    for _ in range(50):
        if domain in ("real", "invertible"):
            m = sp.Matrix(rows, cols, lambda i, j: sp.Rational(small(), int(rng.integers(1, 3))))
            if (domain == "invertible" or (rows == cols and rows > 1)) and m.det() == 0:
                continue
        elif domain == "symmetric":
            a = sp.Matrix(rows, cols, lambda i, j: small())
            m = a + a.T
            if m.det() == 0:
                continue
        elif domain == "spd":
            a = sp.Matrix(rows, cols, lambda i, j: small(-2, 3))
            m = a * a.T + sp.eye(rows)
        elif domain == "nonzero":
            m = sp.Matrix(rows, cols, lambda i, j: small())
        elif domain == "positive":
            m = sp.Matrix(rows, cols, lambda i, j: sp.Rational(int(rng.integers(1, 7)), 2))
        elif domain == "probability":
            weights = [int(rng.integers(1, 6)) for _ in range(rows * cols)]
            total = sum(weights)
            m = sp.Matrix(rows, cols, [Fraction(w, total) for w in weights])
            m = m.applyfunc(lambda v: sp.Rational(v.numerator, v.denominator))
        elif domain == "unit-interval":
            m = sp.Matrix(rows, cols, lambda i, j: sp.Rational(int(rng.integers(1, 9)), 9))
        else:
            raise SamplingError(f"unknown domain {domain!r}")
        return m
    raise SamplingError(f"no admissible exact {domain} point of shape {shape}")


def gaussian_direction(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    u = rng.standard_normal(shape)
    return u / np.linalg.norm(u)
