"""Calculus for ML, Verified: claims declared in topic modules and the engine that checks them.

    from derivations import load_claims, verify
    claims = load_claims()            # imports every topic module once
    result = verify(claims["gradients.quadratic_form"])
"""

from .catalogue import TOPICS, load_claims
from .engine import Claim, Result, verify

__all__ = ["TOPICS", "Claim", "Result", "load_claims", "verify"]
