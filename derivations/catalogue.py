"""Which topic modules hold claims, and where on the site each claim is shown."""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import re
from pathlib import Path

from .engine import REGISTRY, Registry

# Topic modules, in reading order. Each is a jupytext percent file rendered as a lab page.
TOPICS = (
    "derivations.derivative",
    "derivations.partial_directional",
    "derivations.gradients",
    "derivations.jacobians",
    "derivations.hessians",
    "derivations.chain_rule",
    "derivations.identities",
    "derivations.differentials",
    "derivations.reference_forms_norms",
    "derivations.reference_det_inverse_trace",
    "derivations.activations",
    "derivations.backprop",
    "derivations.forward_reverse",
    "derivations.taylor",
    "derivations.gradient_descent",
    "derivations.least_squares",
    "derivations.newton",
)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CLAIM_MARKER = re.compile(r"""\{\{\s*claim\(\s*["']([^"']+)["']\s*\)\s*\}\}""")
# every marker a page may hold: {{ claim("id") }}, {{ ref("id") }}, {{ figure("id") }},
# {{ eq("id") }} and {{ eq("id", "rhs") }} ("lhs", "display"); single or double quotes
MARKER = re.compile(
    r"""\{\{\s*(?P<kind>claim|ref|figure|eq)\(\s*["'](?P<id>[^"']*)["']"""
    r"""\s*(?:,\s*["'](?P<form>[^"']*)["']\s*)?\)\s*\}\}"""
)


def load_claims() -> Registry:
    """Import every topic module (registering its claims) and return the registry."""
    for name in TOPICS:
        importlib.import_module(name)
    return REGISTRY


def _markers(docs: Path, kind: str):
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        for match in MARKER.finditer(path.read_text(encoding="utf-8")):
            if match.group("kind") == kind:
                yield match.group("id"), rel


def box_pages(docs: Path = DOCS) -> dict[str, str]:
    """claim id → the docs page (relative path) whose ``{{ claim("id") }}`` marker shows its box."""
    pages: dict[str, str] = {}
    for claim_id, rel in _markers(docs, "claim"):
        pages.setdefault(claim_id, rel)
    return pages


def claim_pages(docs: Path = DOCS) -> dict[str, str]:
    """claim id → the docs page where it is shown: its box, or for a fact (a claim shown only
    inline, by ``{{ eq("id") }}``) the first page that prints it."""
    pages = box_pages(docs)
    for claim_id, rel in _markers(docs, "eq"):
        pages.setdefault(claim_id, rel)
    return pages


def page_url(rel_md: str) -> str:
    """The built site's path for a docs page (``use_directory_urls``)."""
    if rel_md == "index.md":
        return ""
    if rel_md.endswith("/index.md"):
        return rel_md[: -len("index.md")]
    return rel_md[: -len(".md")] + "/"


def claim_url(claim_id: str, pages: dict[str, str]) -> str | None:
    page = pages.get(claim_id)
    return None if page is None else f"{page_url(page)}#{claim_id}"


def source_fingerprint() -> str:
    """A hash of every source file under ``derivations/`` and the versions results depend on."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "derivations").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    for dist in ("sympy", "numpy", "matplotlib", "mkdocs-jupyter", "nbconvert"):
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{dist}={version}".encode())
    return digest.hexdigest()[:16]
