"""Stable ids: the committed snapshot agrees with the code, and every way of silently changing
or dropping a claim is caught."""

from __future__ import annotations

import copy
import itertools
import subprocess
import sys

import sympy as sp

from derivations import load_claims, lock
from derivations.engine import Registry, claim, dim, latex, matrix, vector

from .conftest import ROOT

REGISTRY = load_claims()


def test_snapshot_agrees_with_the_claims_in_the_code():
    problems = lock.problems(REGISTRY, lock.read())
    assert not problems, "\n".join(problems)


def _tiny_registry(claimed_factor=2):
    n = dim("n")
    x = vector("x", n)
    reg = Registry()
    claim(
        "ids.squared_norm",
        "t",
        kind="gradient",
        f=x.T @ x,
        wrt=x,
        claimed=claimed_factor * x,
        refs=["S0-11"],
        registry=reg,
    )
    return reg


def test_a_changed_statement_is_caught_and_can_be_accepted_on_purpose():
    data = {"claims": {}, "changed": {}, "retired": {}}
    lock.add_new(_tiny_registry(), data, "0.1.0")
    assert lock.problems(_tiny_registry(), data) == []
    changed = _tiny_registry(claimed_factor=sp.Integer(3))
    problems = lock.problems(changed, data)
    assert len(problems) == 1 and "statement changed" in problems[0]
    accepted = copy.deepcopy(data)
    lock.accept_change(changed, accepted, "ids.squared_norm", "typo in factor", "0.2.0")
    assert lock.problems(changed, accepted) == []
    assert accepted["changed"]["ids.squared_norm"][0]["note"] == "typo in factor"


def test_a_removed_claim_is_caught_unless_retired_with_a_note():
    data = {"claims": {}, "changed": {}, "retired": {}}
    lock.add_new(_tiny_registry(), data, "0.1.0")
    empty = Registry()
    assert any("locked but missing" in p for p in lock.problems(empty, data))
    lock.retire(data, "ids.squared_norm", None, "merged elsewhere", "chapters/x.md", "0.2.0")
    assert lock.problems(empty, data) == []
    assert any("retired but declared again" in p for p in lock.problems(_tiny_registry(), data))


def test_a_new_claim_must_enter_the_snapshot():
    data = {"claims": {}, "changed": {}, "retired": {}}
    assert any("new claim" in p for p in lock.problems(_tiny_registry(), data))


def test_hash_ignores_printing_but_not_meaning():
    a, b = _tiny_registry(), _tiny_registry()
    assert lock.statement_hash(a["ids.squared_norm"]) == lock.statement_hash(b["ids.squared_norm"])
    c = _tiny_registry(claimed_factor=sp.Integer(3))
    assert lock.statement_hash(a["ids.squared_norm"]) != lock.statement_hash(c["ids.squared_norm"])


def same_formula_groups(registry) -> list[list[str]]:
    """Ids of claims that print the same formula, sorted, one list per formula.

    A result shown in two chapters is one claim, boxed once and linked (``ref``) elsewhere. The
    one exception is a pitfall beside its correction: a mistake may print the very formula of the
    claim it corrects, or of a true claim that holds on a smaller domain (2Ax, refuted for any A,
    verified for a symmetric A; the line under the formula shows the domain).
    """
    by_formula: dict[str, list] = {}
    for c in registry:
        by_formula.setdefault(latex.statement(c), []).append(c)
    groups = []
    for claims in by_formula.values():
        clashing = {
            c.id
            for a, b in itertools.combinations(claims, 2)
            if not _pitfall_and_correction(a, b)
            for c in (a, b)
        }
        if clashing:
            groups.append(sorted(clashing))
    return sorted(groups)


def _pitfall_and_correction(a, b) -> bool:
    if a.pitfall == b.pitfall:
        return False
    pitfall, correct = (a, b) if a.pitfall else (b, a)
    return pitfall.corrects == correct.id or latex.domain(pitfall) != latex.domain(correct)


def test_no_two_claims_print_the_same_formula():
    groups = same_formula_groups(REGISTRY)
    assert not groups, (
        "one result, one claim: box it once and ref() it elsewhere, then retire the other id "
        "(python -m derivations lock --retire OLD --replaced-by KEPT --note ...):\n"
        + "\n".join(", ".join(g) for g in groups)
    )


def test_same_formula_check_reports_duplicates_but_not_a_pitfall_beside_its_correction():
    n = dim("n")
    x, X = vector("x", n), matrix("X", n, n)
    reg = Registry()
    gradient = {"kind": "gradient", "f": x.T @ X @ x, "wrt": x, "registry": reg}
    claim("ids.quadratic_form", "t", claimed=(X + X.T) @ x, refs=["S0-10"], **gradient)
    claim("ids.symmetric", "t", claimed=2 * X @ x, domains={X: "symmetric"}, **gradient)
    claim(
        "ids.pitfall_2xx",
        "t",
        claimed=2 * X @ x,
        pitfall=True,
        corrects="ids.quadratic_form",
        note="only for symmetric X",
        **gradient,
    )
    assert same_formula_groups(reg) == []  # a pitfall beside the true claim on a smaller domain
    # the same result declared again in another chapter (the case this check exists for)
    claim("other.quadratic_form", "t", claimed=(X + X.T) @ x, **gradient)
    assert same_formula_groups(reg) == [["ids.quadratic_form", "other.quadratic_form"]]
    # the same mistake stated twice is a duplicate too (each pitfall may still sit beside the
    # symmetric claim, so that one is not reported)
    claim(
        "other.pitfall_2xx",
        "t",
        claimed=2 * X @ x,
        pitfall=True,
        corrects="ids.quadratic_form",
        note="again",
        **gradient,
    )
    assert same_formula_groups(reg) == [
        ["ids.pitfall_2xx", "other.pitfall_2xx"],
        ["ids.quadratic_form", "other.quadratic_form"],
    ]


def test_lock_check_cli_reports_and_fails_on_disagreement():
    proc = subprocess.run(
        [sys.executable, "-m", "derivations", "lock", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_citation_cff_validates():
    proc = subprocess.run(
        [
            str(__import__("pathlib").Path(sys.executable).parent / "cffconvert"),
            "--validate",
            "-i",
            str(ROOT / "CITATION.cff"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
