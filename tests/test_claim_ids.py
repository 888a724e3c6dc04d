"""Stable ids: the committed snapshot agrees with the code, and every way of silently changing
or dropping a claim is caught."""

from __future__ import annotations

import copy
import subprocess
import sys

import sympy as sp

from derivations import load_claims, lock
from derivations.engine import Registry, claim, dim, vector

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
