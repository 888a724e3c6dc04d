"""Stable claim ids: a committed snapshot of what every id means.

``derivations/claims.lock.json`` maps each claim id to a hash of its statement (the sympy
objects, not their printing) and the release that added it. A test compares the registry with
the snapshot: an id that disappears, or whose statement changes, fails the build unless the
snapshot records the change on purpose:

    python -m derivations lock                       # add new claims to the snapshot
    python -m derivations lock --change ID --note "why"           # accept a changed statement
    python -m derivations lock --retire ID --replaced-by NEW --note "why"

Retired ids keep an anchor on their old page with a note pointing to the replacement.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

import sympy as sp

from .engine.claims import Claim

ROOT = Path(__file__).resolve().parent.parent
LOCK = Path(__file__).resolve().parent / "claims.lock.json"


def release_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def statement_hash(claim: Claim) -> str:
    """A hash of what the claim says: kind, objects, domains, point, expectation."""
    parts = [
        claim.kind,
        sp.srepr(claim.f),
        sp.srepr(claim.claimed),
        sp.srepr(claim.wrt) if claim.wrt is not None else "",
        sp.srepr(claim.direction) if claim.direction is not None else "",
        repr(sorted((v.name, v.domain) for v in claim.variables)),
        repr(sorted((str(k), sp.srepr(sp.sympify(v))) for k, v in claim.at.items())),
        repr(sorted((str(k), sp.srepr(v)) for k, v in claim.where.items())),
        claim.expected,
        str(claim.side),
        str(claim.by_limit),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def read(path: Path = LOCK) -> dict:
    if not path.exists():
        return {"claims": {}, "changed": {}, "retired": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("claims", "changed", "retired"):
        data.setdefault(key, {})
    return data


def write(data: dict, path: Path = LOCK) -> None:
    ordered = {k: dict(sorted(data[k].items())) for k in ("claims", "changed", "retired")}
    path.write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def problems(registry, data: dict) -> list[str]:
    """Everything that makes the registry disagree with the snapshot (empty when in step)."""
    out = []
    locked = data["claims"]
    for claim_id, entry in locked.items():
        if claim_id not in registry:
            out.append(f"{claim_id}: locked but missing (retire it: lock --retire {claim_id} ...)")
        elif statement_hash(registry[claim_id]) != entry["statement"]:
            out.append(f"{claim_id}: statement changed since it was locked "
                       f"(lock --change {claim_id} --note ... if the meaning is unchanged or "
                       "intended; otherwise give the new statement a new id)")
    for claim_id in data["retired"]:
        if claim_id in registry:
            out.append(f"{claim_id}: retired but declared again (an id never changes meaning)")
        if claim_id in locked:
            out.append(f"{claim_id}: both retired and locked")
    for claim in registry:
        if claim.id not in locked and claim.id not in data["retired"]:
            out.append(f"{claim.id}: new claim not in the snapshot (run: python -m derivations lock)")
    return out


def add_new(registry, data: dict, version: str) -> list[str]:
    added = []
    for claim in registry:
        if claim.id not in data["claims"] and claim.id not in data["retired"]:
            data["claims"][claim.id] = {"statement": statement_hash(claim), "since": version}
            # "page" is filled in by the caller (where the claim box is shown)
            added.append(claim.id)
    return added


def accept_change(registry, data: dict, claim_id: str, note: str, version: str) -> None:
    entry = data["claims"][claim_id]
    entry["statement"] = statement_hash(registry[claim_id])
    data["changed"].setdefault(claim_id, []).append({"in": version, "note": note})


def retire(data: dict, claim_id: str, replaced_by: str | None, note: str, page: str | None,
           version: str) -> None:
    data["claims"].pop(claim_id, None)
    data["retired"][claim_id] = {"in": version, "replaced_by": replaced_by, "note": note,
                                 "page": page}
