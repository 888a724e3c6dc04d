"""The verification engine: claims, the three layers and their verdicts.

The engine imports no topic module, no hook and nothing of MkDocs.
"""

from .claims import Claim, ClaimError, Registry, Variable
from .declare import REGISTRY, claim, dim, matrix, scalar, vector
from .functions import (
    Applied,
    AsScalar,
    Diag,
    GradientOf,
    JacobianOf,
    LogSumExp,
    Norm,
    Softmax,
    SumEntries,
    VectorFunctionOf,
    fn,
)
from .latex import show, tex
from .report import Result
from .verify import verify, verify_topic
from .written import product_of, sum_of

__all__ = [
    "REGISTRY",
    "Applied",
    "AsScalar",
    "Claim",
    "ClaimError",
    "Diag",
    "GradientOf",
    "JacobianOf",
    "LogSumExp",
    "Norm",
    "Registry",
    "Result",
    "Softmax",
    "SumEntries",
    "Variable",
    "VectorFunctionOf",
    "claim",
    "dim",
    "fn",
    "matrix",
    "product_of",
    "scalar",
    "show",
    "sum_of",
    "tex",
    "vector",
    "verify",
    "verify_topic",
]
