"""Every claim on the site gets the verdict it expects, and every claim is shown on one page."""

from __future__ import annotations

import re

import pytest

from derivations import catalogue, load_claims, verify

REGISTRY = load_claims()


def test_there_are_claims_to_check():
    assert len(REGISTRY) >= 10


@pytest.mark.parametrize("claim_id", REGISTRY.ids())
def test_claim_verdict_matches_expectation(claim_id):
    claim = REGISTRY[claim_id]
    result = verify(claim)
    assert result.verdict == claim.expected, (result.reason, result.counterexample)
    if claim.pitfall:
        assert result.counterexample is not None, "a refuted pitfall must show a counterexample"
        assert claim.corrects in REGISTRY, "a pitfall links to the correct statement"
        assert REGISTRY[claim.corrects].expected == "verified"
    else:
        assert result.evidence["layers"]["numeric"] == "pass"
        assert result.evidence["layers"]["symbolic"] == "pass"


def test_every_claim_is_shown_on_exactly_one_page():
    """Each claim has one box ({{ claim }}), or is a fact shown only inline ({{ eq }})."""
    boxes: dict[str, list[str]] = {}
    inline: dict[str, list[str]] = {}
    for path in sorted(catalogue.DOCS.rglob("*.md")):
        for match in catalogue.MARKER.finditer(path.read_text(encoding="utf-8")):
            kind, claim_id = match.group("kind"), match.group("id")
            if kind in ("claim", "eq"):
                (boxes if kind == "claim" else inline).setdefault(claim_id, []).append(path.name)
    unknown = sorted((set(boxes) | set(inline)) - set(REGISTRY.ids()))
    missing = sorted(set(REGISTRY.ids()) - set(boxes) - set(inline))
    repeated = {k: v for k, v in boxes.items() if len(v) > 1}
    inline_pitfalls = sorted(k for k in inline if k in REGISTRY and REGISTRY[k].pitfall)
    assert not unknown, f"pages show unknown claims: {unknown}"
    assert not missing, f"claims shown on no page (neither a box nor an eq): {missing}"
    assert not repeated, f"claims shown in more than one box: {repeated}"
    assert not inline_pitfalls, f"pitfalls printed inline, without refutation: {inline_pitfalls}"


def test_refs_name_seed_items_or_cookbook_equations():
    pattern = re.compile(r"^(S[0-4]-\d{2}|MC-\d+)$")
    for claim in REGISTRY:
        assert claim.refs, f"{claim.id} has no references"
        bad = [r for r in claim.refs if not pattern.match(r)]
        assert not bad, f"{claim.id}: refs {bad} are neither seed items nor Matrix Cookbook numbers"
