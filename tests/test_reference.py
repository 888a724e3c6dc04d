"""The identity reference (issue 15): how much it holds, counted from ``list --json``.

* At least 120 distinct identities that are not pitfalls. A result stated in both layouts is
  counted once: the other-layout twin (``…_numerator`` / ``…_denominator``), the forward and
  reverse forms (``…_jvp`` / ``…_vjp``) and exercises are not counted.
* Every gradient and Jacobian identity there has its other-layout twin, and every Jacobian
  identity its JVP (a directional claim) and its VJP (the row uᵀJ, or a gradient for a matrix map).
* The counting can fail: fixtures missing a twin or a VJP, or short of identities, are caught.
"""

from __future__ import annotations

import json

from derivations import cli

MINIMUM = 120
DERIVED = ("_numerator", "_denominator", "_jvp", "_vjp")
# results that live in the reference's module but illustrate notation for the conventions page
NOT_IDENTITIES = {"identities.linear_xyz_gradient", "identities.partial_of_euclidean_norm"}


def in_reference(entry: dict) -> bool:
    module = entry["module"]
    return module == "derivations.identities" or module.startswith("derivations.reference_")


def local(claim_id: str) -> str:
    return claim_id.split(".", 1)[1]


def distinct_identities(entries: list[dict]) -> list[dict]:
    return [
        e
        for e in entries
        if in_reference(e)
        and not e["pitfall"]
        and not e["id"].endswith(DERIVED)
        and e["id"] not in NOT_IDENTITIES
        and not local(e["id"]).startswith("exercise_")
    ]


def missing_companions(entries: list[dict]) -> list[str]:
    """What a gradient or Jacobian identity of the reference lacks: its twin in the other layout,
    and for a Jacobian its JVP and VJP claims (of the right kinds)."""
    kinds = {e["id"]: e["kind"] for e in entries}
    missing = []
    for e in distinct_identities(entries):
        if e["kind"] not in ("gradient", "jacobian"):
            continue
        twins = [e["id"] + "_numerator", e["id"] + "_denominator"]
        if not any(t in kinds for t in twins):
            missing.append(f"{e['id']}: no other-layout twin")
        if e["kind"] == "jacobian":
            if kinds.get(e["id"] + "_jvp") != "directional":
                missing.append(f"{e['id']}: no JVP (directional) claim {e['id']}_jvp")
            if kinds.get(e["id"] + "_vjp") not in ("gradient", "jacobian"):
                missing.append(f"{e['id']}: no VJP claim {e['id']}_vjp")
    return missing


def listed(capsys) -> list[dict]:
    assert cli.main(["list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_reference_holds_at_least_120_distinct_identities(capsys):
    entries = listed(capsys)
    found = distinct_identities(entries)
    by_module: dict[str, int] = {}
    for e in found:
        by_module[e["module"]] = by_module.get(e["module"], 0) + 1
    print(f"{len(found)} distinct identities: {by_module}")
    assert len(found) >= MINIMUM, by_module


def test_every_gradient_and_jacobian_identity_has_its_twin_jvp_and_vjp(capsys):
    missing = missing_companions(listed(capsys))
    assert not missing, missing


def entry(claim_id, kind, pitfall=False, module="derivations.reference_demo"):
    return {"id": claim_id, "kind": kind, "pitfall": pitfall, "module": module}


def test_the_counts_catch_a_short_reference_and_missing_companions():
    entries = [
        entry("reference_demo.inverse", "jacobian"),
        entry("reference_demo.inverse_denominator", "jacobian"),
        entry("reference_demo.inverse_jvp", "directional"),
        entry("reference_demo.trace", "gradient"),
        entry("reference_demo.pitfall_trace", "gradient", pitfall=True),
        entry("reference_demo.exercise_trace", "gradient"),
        entry("gradients.elsewhere", "gradient", module="derivations.gradients"),
    ]
    assert [e["id"] for e in distinct_identities(entries)] == [
        "reference_demo.inverse",
        "reference_demo.trace",
    ]
    assert missing_companions(entries) == [
        "reference_demo.inverse: no VJP claim reference_demo.inverse_vjp",
        "reference_demo.trace: no other-layout twin",
    ]
