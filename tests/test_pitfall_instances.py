"""Pitfalls about abstract functions (f, g, q, h) link to a check of a concrete instance.

For every registered instance (``derivations/checker/instances.py``, declared next to the
pitfall) the command line refutes the pitfall written with the stand-ins, and verifies the
claim it corrects written with the same stand-ins. An instance under which the mistake does not
show (f = g, commuting Jacobians...) is flagged. No site build is needed.
"""

from __future__ import annotations

import contextlib
import io
import json

import pytest
import sympy as sp

from derivations import catalogue, cli
from derivations.checker import instances
from derivations.checker.as_command import fields, instance_text
from derivations.checker.instances import StandIn, linear_map, make

CLAIMS = catalogue.load_claims()
REGISTERED = sorted(instances.INSTANCES)


def verdict(options: dict) -> str:
    argv = ["check"]
    for key, values in options.items():
        for v in values if isinstance(values, list) else [values]:
            argv.append(f"--{key}={v}")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli.main([*argv, "--json"])
    return json.loads(out.getvalue())["verdict"]


def audit(pitfall_id: str, instance) -> list[str]:
    """What is wrong with linking ``pitfall_id`` to a check written with ``instance``."""
    pitfall = CLAIMS[pitfall_id]
    problems = []
    options = fields(pitfall, instance)
    if options is None:
        return [f"{pitfall_id}: the checker cannot state it with this instance"]
    if (found := verdict(options)) != "refuted":
        problems.append(f"{pitfall_id}: the mistake does not show with this instance ({found})")
    correction = fields(CLAIMS[pitfall.corrects], instance)
    if correction is None:
        problems.append(f"{pitfall.corrects}: the correction cannot be stated")
    elif (found := verdict(correction)) != "verified":
        problems.append(f"{pitfall.corrects}: the correction is {found} with this instance")
    return problems


def test_the_abstract_pitfalls_have_instances():
    assert (
        sorted(
            [
                "derivative.pitfall_quotient_of_derivatives",
                "derivative.pitfall_chain_outer_at_x",
                "chain_rule.pitfall_product_rule_inner_untransposed",
                "chain_rule.pitfall_jacobian_product_reversed",
                "identities.pitfall_symmetric_gradient",
                "forward_reverse.pitfall_vjp_forward_order",
            ]
        )
        == REGISTERED
    )
    for claim_id in REGISTERED:
        assert CLAIMS[claim_id].pitfall and CLAIMS[claim_id].corrects
        assert fields(CLAIMS[claim_id]) is not None, claim_id


@pytest.mark.parametrize("claim_id", REGISTERED)
def test_each_instance_refutes_the_pitfall_and_verifies_its_correction(claim_id):
    assert audit(claim_id, instances.of(claim_id)) == []


def test_the_link_text_names_the_stand_ins():
    quotient = CLAIMS["derivative.pitfall_quotient_of_derivatives"]
    assert instance_text(quotient, instances.of(quotient)) == ["f = sin", "g = exp"]
    chain = CLAIMS["chain_rule.pitfall_jacobian_product_reversed"]
    assert instance_text(chain, instances.of(chain)) == ["q(x) = A @ x", "h(z) = B @ z"]
    symmetric = CLAIMS["identities.pitfall_symmetric_gradient"]
    assert instance_text(symmetric, instances.of(symmetric)) == ["f(S) = np.log(np.linalg.det(S))"]


def _identity_map():
    return StandIn(lambda x, rows: x, lambda x, rows: sp.Identity(x.shape[0]))


INVISIBLE = {
    # (f/g)′ = f′/g′ holds when f = 0
    "derivative.pitfall_quotient_of_derivatives": make(f=lambda u: sp.Integer(0), g=sp.exp),
    # g′(x) f′(x) is right when f(x) = x
    "derivative.pitfall_chain_outer_at_x": make(f=lambda u: u, g=sp.exp),
    # symmetric Jacobians (here I) hide the missing transposes
    "chain_rule.pitfall_product_rule_inner_untransposed": make(
        q=_identity_map(), r=_identity_map()
    ),
    # AA = AA: the order of commuting Jacobians does not matter
    "chain_rule.pitfall_jacobian_product_reversed": make(q=linear_map("A"), h=linear_map("A")),
    "forward_reverse.pitfall_vjp_forward_order": make(q=linear_map("A"), h=linear_map("A")),
    # a diagonal gradient (tr S has gradient I): G + Gᵀ − G∘I = G
    "identities.pitfall_symmetric_gradient": make(
        f=StandIn(lambda S: sp.Trace(S), lambda S: sp.Identity(S.shape[0]))
    ),
}


@pytest.mark.parametrize("claim_id", sorted(INVISIBLE))
def test_an_instance_that_hides_the_mistake_is_flagged(claim_id):
    problems = audit(claim_id, INVISIBLE[claim_id])
    assert any("does not show" in p for p in problems), problems


def test_an_instance_missing_a_function_prints_nothing():
    quotient = CLAIMS["derivative.pitfall_quotient_of_derivatives"]
    assert fields(quotient, make(f=sp.sin)) is None
    chain = CLAIMS["chain_rule.pitfall_jacobian_product_reversed"]
    assert fields(chain, make(q=linear_map("A"), h=StandIn(lambda z, rows: z))) is None


def test_a_stand_in_variable_never_takes_a_claims_name():
    chain = CLAIMS["chain_rule.pitfall_jacobian_product_reversed"]
    assert fields(chain, make(q=linear_map("x"), h=linear_map("B"))) is None


def test_the_vector_of_ones_is_printed_as_a_column_or_a_row():
    pitfall = CLAIMS["reference_forms_norms.pitfall_log_softmax_jacobian_transposed"]
    options = fields(pitfall)
    assert "np.ones(n).T" in options["claimed"] and "np.ones(n)" in options["f"]
    assert verdict(options) == "refuted"
    assert verdict(fields(CLAIMS[pitfall.corrects])) == "verified"
