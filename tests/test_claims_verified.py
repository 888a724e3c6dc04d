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
    counts: dict[str, list[str]] = {}
    for path in sorted(catalogue.DOCS.rglob("*.md")):
        for match in catalogue.CLAIM_MARKER.finditer(path.read_text(encoding="utf-8")):
            counts.setdefault(match.group(1), []).append(path.name)
    unknown = sorted(set(counts) - set(REGISTRY.ids()))
    missing = sorted(set(REGISTRY.ids()) - set(counts))
    repeated = {k: v for k, v in counts.items() if len(v) > 1}
    assert not unknown, f"pages show unknown claims: {unknown}"
    assert not missing, f"claims shown on no page: {missing}"
    assert not repeated, f"claims shown more than once: {repeated}"


def test_refs_name_seed_items_or_cookbook_equations():
    pattern = re.compile(r"^(S[0-4]-\d{2}|MC-\d+)$")
    for claim in REGISTRY:
        assert claim.refs, f"{claim.id} has no references"
        bad = [r for r in claim.refs if not pattern.match(r)]
        assert not bad, f"{claim.id}: refs {bad} are neither seed items nor Matrix Cookbook numbers"
