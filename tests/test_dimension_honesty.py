"""A dimension name used as a number must not let a size-specific coincidence pass as verified."""

from __future__ import annotations

import json

import pytest

from derivations import cli
from derivations.engine import Registry, claim, dim, matrix, vector
from derivations.engine.statement import NUMERIC_SIZES, dimension_sets

n, m = dim("n"), dim("m")
x = vector("x", n)
A = matrix("A", n, n)


def _check(capsys, f, claimed, *variables):
    argv = ["check", "--json", "--f", f, "--wrt", "x", "--claimed", claimed]
    for v in variables:
        argv += ["--var", v]
    code = cli.main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_sizes_only_are_not_numbers_but_a_quotient_by_n_is():
    reg = Registry()
    shape_only = claim("t.shape", "s", kind="gradient", f=x.T @ A @ x, wrt=x,
                       claimed=(A + A.T) @ x, registry=reg)  # fmt: skip
    as_number = claim("t.number", "s", kind="gradient", f=(x.T @ x) / n, wrt=x,
                      claimed=2 * x / n, registry=reg)  # fmt: skip
    assert shape_only.dimensions_used_as_numbers() == []
    assert as_number.dimensions_used_as_numbers() == [n]
    assert len(dimension_sets(shape_only, NUMERIC_SIZES)) == 3
    assert [d[n] for d in dimension_sets(as_number, NUMERIC_SIZES)] == [2, 3, 4, 5, 6, 7, 8, 11]


@pytest.mark.parametrize(
    "factor",
    [
        "(n - 2) * (n - 3) * (n - 5)",  # vanishes at the three usual sizes
        "(n - 2) * (n - 3) * (n - 4) * (n - 5) * (n - 6) * (n - 7) * (n - 8)",  # and at 4..8
    ],
)
def test_a_decoy_that_is_right_only_at_some_sizes_is_refuted(capsys, factor):
    code, out = _check(capsys, "x @ x", f"2 * x * (1 + {factor})", "x=n")
    assert out["verdict"] == "refuted" and code == 1, out["reason"]


def test_a_right_answer_that_uses_n_as_a_number_is_verified_and_says_at_which_sizes(capsys):
    code, out = _check(capsys, "x @ x / n", "2 * x / n", "x=n")
    assert out["verdict"] == "verified" and code == 0
    numeric = next(layer for layer in out["layers"] if layer["layer"] == "numeric")
    assert numeric["dims"] == [f"n={k}" for k in (2, 3, 4, 5, 6, 7, 8, 11)]
    assert "n is used as a number" in numeric["detail"]


def test_only_a_rigorous_counterexample_at_an_unchecked_size_overrules_a_pass():
    from derivations.engine.report import LayerResult, combine

    def layers(exact_flag):
        return [
            LayerResult("symbolic", "pass", dims=["n=2", "n=3", "n=4"]),
            LayerResult("exact", "fail", dims=["n=11"],
                        counterexample={"dims": "n=11", "exact": exact_flag}),
            LayerResult("numeric", "fail", dims=["n=2", "n=11"],
                        counterexample={"dims": "n=11"}),
        ]  # fmt: skip

    assert combine(layers(True))[0] == "refuted"
    assert combine(layers(False))[0] == "inconclusive"  # 50-digit evaluation: not a proof
    disagreeing = layers(True)
    disagreeing[1].counterexample["dims"] = "n=3"  # a size the symbolic layer proved
    disagreeing[2].counterexample["dims"] = "n=3"
    assert combine(disagreeing)[0] == "inconclusive"
