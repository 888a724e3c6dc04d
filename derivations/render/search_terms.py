r"""What the site's search finds: pages cleaned for the index, formulas as plain text, and one
entry per claim that lands on the claim.

Material's search (lunr, in a web worker) indexes each page's HTML section by section and ranks
titles a thousand times above text. Left alone, it indexed the lab pages' code and outputs, the
raw TeX of every formula and every claim box's evidence list, and a search for a topic found a
lab first. Here, nothing of MkDocs (``hooks/search.py`` is the glue):

``clean_html(html)``
    a page as the index should see it: claim boxes, the lab pages' code cells and outputs,
    permalink marks, evidence and counterexample lists left out; TeX read as plain text.
``tex_to_text(r"\nabla_{w}\left(w^\top X w\right)")``
    ``"∇_w(wᵀXw)"``: a formula as the search results show it.
``compact_spellings(r"w^\top X w")``, ``canonical("wTXw")``
    ``["wTXw"]``, ``"xTAx"``: a product with transposes as one word, and that word in canonical
    letters (vectors x, y, z, ..., matrices A, B, C, ...), so that "x^T A x" finds the claim
    the site writes ``w^\top X w``.
``claim_entry(claim, statement_tex, location)``
    the claim's own index entry: its title, its statement as text, and ``keys`` (a field the
    index holds but the results do not show) with its id, its spellings and ``KEYWORDS``;
    ``retired_entry`` the same for a retired id, landing on the note that replaces it.
``QUERY_SCRIPT``
    the page script that rewrites a query before Material's worker reads it. Lunr reads ``^``
    as a boost and ``~`` as an edit distance, so "x^T A x" raised an error and found nothing;
    the script spells transposed products the way ``compact_spellings`` does, and marks a claim
    id as ``claim_entry`` does, with an exact term that ranks it above the longer ids it begins.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# ── TeX as plain text ────────────────────────────────────────────────────────

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|[{}^_&~]|\s+|.", re.DOTALL)

_SYMBOLS = {
    "nabla": "∇", "partial": "∂", "cdot": "·", "cdots": "⋯", "ldots": "…", "dots": "…",
    "times": "×", "circ": "∘", "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "pm": "±", "mp": "∓",
    "infty": "∞", "sum": "Σ", "prod": "Π", "int": "∫", "top": "ᵀ", "intercal": "ᵀ",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", "lvert": "|", "rvert": "|",
    "vert": "|", "mid": "|", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋",
    "lceil": "⌈", "rceil": "⌉", "forall": "∀", "exists": "∃", "emptyset": "∅", "prime": "′",
    "neg": "¬", "lnot": "¬", "star": "⋆", "ast": "∗", "dagger": "†", "{": "{", "}": "}",
    "%": "%", "#": "#", "&": "&", "_": "_", "$": "$",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
# relations and arrows: spaced on both sides
_RELATIONS = {
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "to": "→", "mapsto": "↦",
    "rightarrow": "→", "Rightarrow": "⇒", "implies": "⇒", "iff": "⇔", "Leftrightarrow": "⇔",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "sim": "∼", "equiv": "≡", "propto": "∝", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
    "cup": "∪", "cap": "∩", "setminus": "∖",
}  # fmt: skip
_NAMES = {
    "log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "arcsin", "arccos",
    "arctan", "det", "max", "min", "lim", "sup", "inf", "arg", "Pr", "dim", "ker", "deg", "gcd",
}  # fmt: skip
_SPACES = {"quad", "qquad", ",", ";", ":", " ", "enspace", "thinspace"}
_IGNORED = {
    "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "!", "left", "right",
    "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "big", "Big", "bigg", "Bigg", "middle",
}  # fmt: skip
_FONTS = {
    "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "boldsymbol", "bm", "text", "textrm",
    "textit", "textbf", "mbox", "mathcal", "mathscr", "mathfrak", "vec", "overline",
    "underline", "mathop",
}  # fmt: skip
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "tilde": "\u0303",
            "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308"}  # fmt: skip
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "1": "𝟙"}
_ENVIRONMENTS = {"bmatrix": "[]", "pmatrix": "()", "vmatrix": "||", "Bmatrix": "{}",
                 "cases": "{ "}  # fmt: skip
_SUP = dict(
    zip(
        "0123456789+-−=()niTabcdefghijklmoprstuvwxyzᵀ×",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀˣ",
        strict=True,
    )
)
_SUB = dict(
    zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)
_BINARY = set("+-=<>")
_GAP = "\x00"  # after a function name or a fraction: a space, unless a bracket follows
# after these a + or - is binary (spaced); after anything else (start, "(", "=") it is a sign
_OPERAND_END = re.compile(r"[\w)\]}|‖′ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁾ⁿⁱ₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ!∞]$")


class _TexReader:
    """A small reader of the TeX the site prints: enough to show a formula as text."""

    def __init__(self, tex: str):
        self.tokens = _TOKEN.findall(tex)
        self.i = 0

    def _next(self) -> str | None:
        while self.i < len(self.tokens) and self.tokens[self.i].isspace():
            self.i += 1
        if self.i >= len(self.tokens):
            return None
        self.i += 1
        return self.tokens[self.i - 1]

    def _raw_group(self) -> str:
        """The raw text of the next ``{...}`` (for environment names)."""
        token = self._next()
        if token != "{":
            return token or ""
        depth, out = 1, []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            self.i += 1
            depth += token == "{"
            depth -= token == "}"
            if depth == 0:
                break
            out.append(token)
        return "".join(out)

    def arg(self) -> str:
        token = self._next()
        if token is None:
            return ""
        if token == "{":
            return self.read(until="}")
        return self.read_token(token, [])

    def read(self, until: str | None = None) -> str:
        out: list[str] = []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            self.i += 1
            if until == r"\end" and token == r"\end":
                self._raw_group()
                break
            if token == until or (until is None and token == "}"):
                if until is not None:
                    break
                continue
            out.append(self.read_token(token, out))
        return _tidy("".join(out))

    def read_token(self, token: str, out: list[str]) -> str:
        if token.isspace():
            return ""
        if token == "{":
            return self.read(until="}")
        if token in ("^", "_"):
            return _script(self.arg(), token == "^")
        if token == "&":
            return ", "
        if token == "~":
            return " "
        if token == "'":
            return "′"
        if token in _BINARY:
            sign = "−" if token == "-" else token
            previous = "".join(out).rstrip()
            return f" {sign} " if _OPERAND_END.search(previous) else sign
        if token == ",":
            return ", "
        if token == ";":
            return "; "
        if not token.startswith("\\"):
            return token
        name = token[1:].rstrip("*")
        if name == "\\":
            return "; "
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _RELATIONS:
            return f" {_RELATIONS[name]} "
        if name in _SPACES:
            return " "
        if name in _IGNORED:
            return ""
        if name in _NAMES:
            return name + _GAP
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            top, bottom = self.arg(), self.arg()
            return f"{_wrap(top)}/{_wrap(bottom)}{_GAP}"
        if name == "sqrt":
            return "√" + _wrap(self.arg(), always=True)
        if name == "binom":
            n, k = self.arg(), self.arg()
            return f"C({n}, {k})"
        if name == "operatorname":
            return self.arg() + _GAP
        if name == "mathbb":
            inner = self.arg()
            return _BLACKBOARD.get(inner, inner)
        if name in _FONTS:
            return self.arg()
        if name in _ACCENTS:
            inner = self.arg()
            return inner + _ACCENTS[name] if len(inner) == 1 else inner
        if name == "not":
            following = self.arg()
            return " ≠ " if following.strip() == "=" else "¬" + following
        if name == "begin":
            env = self._raw_group()
            if env == "array":
                self._raw_group()  # the column specification
            inner = self.read(until=r"\end").strip(" ;,")
            brackets = _ENVIRONMENTS.get(env, "")
            if len(brackets) == 2:
                return f"{brackets[0]}{inner}{brackets[1]}".replace("{ ", "{")
            return inner
        return name  # an unknown command: its name reads better than nothing


def _script(text: str, up: bool) -> str:
    text = text.replace(" ", "")
    table = _SUP if up else _SUB
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    mark = "^" if up else "_"
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def _wrap(text: str, always: bool = False) -> str:
    text = text.strip()
    needed = (always and len(text) > 1) or re.search(r"[\s+−=,<>]", text)
    if needed and not (text.startswith("(") and text.endswith(")")):
        return f"({text})"
    return text


def _tidy(text: str) -> str:
    text = re.sub(_GAP + r"+(?=[\s(\[)\]},;]|$)", "", text)  # "log(x)", "1/2 w"
    text = re.sub(r"[\s" + _GAP + r"]+", " ", text)
    text = re.sub(r"([(\[{]) ", r"\1", text)
    return re.sub(r" ([)\]},;])", r"\1", text)


def tex_to_text(tex: str) -> str:
    """A formula as plain text for search results: ``\\nabla_{w}\\left(w^\\top X w\\right)``
    reads ``∇_w(wᵀXw)``. Not a typesetter: it keeps what a reader needs to recognise it."""
    return _tidy(_TexReader(tex).read()).strip()


_INLINE_TEX = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)


def text_with_tex(text: str) -> str:
    """Text in which every ``$...$``, ``$$...$$``, ``\\(...\\)`` and ``\\[...\\]`` is plain text."""
    return _INLINE_TEX.sub(lambda m: tex_to_text(next(g for g in m.groups() if g)), text)


# ── formulas as the words people type ────────────────────────────────────────

_TRANSPOSE_ARGS = {r"\top", r"\intercal", "T"}


def compact_spellings(tex: str) -> list[str]:
    """Each product of letters with at least one transpose, as one word: ``w^\\top X w`` gives
    ``wTXw``. Products of one letter, or without a transpose, are left out (they would match
    half the index)."""
    tokens = [t for t in _TOKEN.findall(tex) if not t.isspace() and t not in (r"\,", r"\;")]
    runs: list[list[list]] = [[]]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if len(token) == 1 and token.isascii() and token.isalpha():
            runs[-1].append([token, False])
            continue
        if token == "^" and i < len(tokens):
            if tokens[i] == "{" and i + 2 < len(tokens) and tokens[i + 2] == "}":
                argument, i = tokens[i + 1], i + 3
            else:
                argument, i = tokens[i], i + 1
            if argument in _TRANSPOSE_ARGS and runs[-1] and not runs[-1][-1][1]:
                runs[-1][-1][1] = True
                continue
            if runs[-1]:
                runs[-1].pop()  # x^2 is no letter of a product
        if token == "_" and runs[-1]:
            runs[-1].pop()  # nor is x_1
        if token in ("{", "}"):
            continue
        runs.append([])
    words = (
        "".join(letter + ("T" if t else "") for letter, t in run)
        for run in runs
        if len(run) >= 2 and any(t for _, t in run)
    )
    return list(dict.fromkeys(words))


# The index is case-blind: vectors and matrices get letters that stay apart in lower case (and
# neither is t, the transpose), so "xTy" (two vectors) and "ATx" (a matrix and a vector) remain
# different words.
_VECTORS = "xyzuvwpqrs"
_MATRICES = "ABCDEFGHIJKLMN"


def canonical(word: str) -> str:
    """A compact product in canonical letters: lower-case letters become x, y, z, u, ... and
    capitals A, B, C, ... in order of first appearance (``wTXw`` → ``xTAx``, ``bTAa`` →
    ``xTAy``, ``XTy`` → ``ATx``). ``T`` after a letter is a transpose. The index holds products
    only in these letters, and ``QUERY_SCRIPT`` spells a query's the same way: "x^T A x" and
    "w'Xw" find the claims the site writes ``w^\\top X w``."""
    names: dict[str, str] = {}
    out = []
    previous_letter = False
    for c in word:
        if c == "T" and previous_letter:
            out.append("T")
            previous_letter = False
            continue
        if c.isalpha():
            if c not in names:
                pool = _VECTORS if c.islower() else _MATRICES
                used = sum(1 for k in names if k.islower() == c.islower())
                names[c] = pool[used] if used < len(pool) else c
            out.append(names[c])
            previous_letter = True
        else:
            out.append(c)
            previous_letter = False
    return "".join(out)


_TITLE_PRODUCT = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]ᵀ?){2,4}(?![A-Za-z(])")
_FUNCTION_NAME = re.compile(r"exp|log|sin|cos|tan|det|diag|max|min")


def title_spellings(title: str) -> list[str]:
    """The compact spellings of the products a title writes in Unicode (``xᵀAx`` → ``xTAx``;
    not ``aᵀexp(x)``, a function's name)."""
    words = _TITLE_PRODUCT.findall(title)
    return list(
        dict.fromkeys(
            w.replace("ᵀ", "T") for w in words if "ᵀ" in w and not _FUNCTION_NAME.search(w)
        )
    )


# Words people type for a result whose page words differ (names, abbreviations, the textbook
# letters), and the common name of a result for the claims that should come first under it
# ("quadratic form": its gradient, not every claim about one). Keyed by claim id; the claim's
# title, id and formula spellings (in its letters and in canonical ones) need no entry here.
KEYWORDS = {
    "gradients.quadratic_form": "quadratic form xTAx",
    "gradients.quadratic_form_hessian": "second derivative",
    "gradients.linear_form": "linear form inner product dot product aTx",
    "gradients.squared_norm": "squared norm xTx sum of squares",
    "gradients.bilinear_form": "bilinear form xTAy",
    "identities.quadratic_form": "quadratic form",
    "identities.squared_norm": "squared euclidean norm xTx",
    "identities.norm": "euclidean norm length",
    "identities.least_squares": "least squares residual",
    "identities.trace_ax": "trace trick",
    "identities.log_abs_det": "log determinant logdet",
    "identities.log_det_spd": "log determinant logdet covariance",
    "identities.det": "determinant Jacobi formula",
    "identities.inverse_directional": "inverse matrix derivative",
    "identities.exercise_frobenius_norm": "Frobenius norm",
    "identities.log_sum_exp_hessian": "logsumexp LSE",
    "activations.sigmoid_derivative": "logistic function",
    "activations.tanh_derivative": "hyperbolic tangent",
    "activations.softmax_jacobian": "softmax derivative",
    "activations.log_sum_exp_gradient": "logsumexp LSE softmax",
    "activations.cross_entropy_gradient": "cross entropy loss softmax logits",
    "activations.relu_subgradient": "ReLU derivative at zero",
    "chain_rule.jacobian_product": "chain rule backpropagation backprop composition",
    "chain_rule.half_residual_sum_of_squares": "least squares gradient",
    "chain_rule.mean_squared_error": "MSE",
    "derivative.chain_rule": "composition",
    "least_squares.gradient": "OLS linear regression",
    "least_squares.normal_equations": "OLS linear regression XTXw XTy",
    "least_squares.closed_form_solves_normal_equations": "OLS linear regression XTX XTy",
    "least_squares.hessian": "XTX",
    "least_squares.mse_gradient": "MSE",
    "least_squares.projection_idempotent": "projection",
    "gradient_descent.error_recursion": "convergence step size learning rate",
    "gradient_descent.factor_inside_window": "learning rate step size convergence",
    "taylor.source_function_second_order": "quadratic approximation",
    "taylor.exp_second_order": "Taylor series",
    "hessians.saddle": "saddle point indefinite",
    "hessians.mixed_partials_agree": "Schwarz Clairaut symmetry of second derivatives",
    "partial_directional.directional_from_gradient": "gradient dot direction",
}

_KIND_WORDS = {
    "gradient": "gradient",
    "hessian": "Hessian second derivative",
    "jacobian": "Jacobian derivative",
    "derivative": "derivative",
    "partial": "partial derivative",
    "directional": "directional derivative",
}


_PRODUCT = re.compile(r"(?:[A-Za-z]T?)*[A-Za-z]T(?:[A-Za-z]T?)*")


def _keyword_spellings(words: str) -> list[str]:
    """Curated keywords; a compact product among them (``XTX``) in canonical letters."""
    return [canonical(w) if _PRODUCT.fullmatch(w) else w for w in words.split()]


# The id is in ``keys`` with a mark, so that a topic word ("taylor", "hessian") does not match
# it as a prefix at the weight of a title; QUERY_SCRIPT marks an id (or its beginning) typed in
# the search box the same way.
ID_MARK = "#"


def claim_entry(claim, statement_tex: str, location: str) -> dict:
    """The index entry of one claim: found by its title, its id and its formula however it is
    typed, landing on the claim (``location`` is its page's URL and ``#`` its id)."""
    keys = [ID_MARK + claim.id]  # QUERY_SCRIPT adds this exact term for an id typed in full
    products = compact_spellings(statement_tex) + title_spellings(claim.title)
    keys += [canonical(word) for word in products]
    title = claim.title.lower()
    keys += [w for w in _KIND_WORDS.get(claim.kind, "").split() if w.lower() not in title]
    unique = list(dict.fromkeys(k for k in keys if k))
    # curated words count even when derived too: they name the claim to find first
    unique += _keyword_spellings(KEYWORDS.get(claim.id, ""))
    return {
        "location": location,
        "title": html.escape(claim.title, quote=False),
        "text": html.escape(tex_to_text(statement_tex), quote=False),
        "keys": " ".join(unique),
    }


def retired_entry(claim_id: str, retired: dict, location: str) -> dict:
    """The index entry of a retired id (``retired`` is its record in the claims lock): an old
    citation still lands on the note that names its replacement."""
    replaced = retired.get("replaced_by")
    text = retired.get("note", "") + (f"; replaced by {replaced}" if replaced else "")
    return {
        "location": location,
        "title": html.escape(f"Retired claim {claim_id}", quote=False),
        "text": html.escape(text, quote=False),
        "keys": ID_MARK + claim_id,
    }


# ── pages as the index should see them ───────────────────────────────────────

# Elements left out of the index, as "tag", ".class" or "tag.class": claim boxes (each claim
# has its own entry), the lab pages' code cells and their outputs, prompts and copy buttons,
# permalink marks, the check marks after inline formulas (links to the box), counterexample
# details, the claim index's per-claim blocks (the claims' own entries supersede them).
DROPPED = frozenset(
    {
        ".claim",
        ".claim__evidence",
        ".claim__report",
        ".claim__refutation",
        ".claim-eq__check",
        ".claim-index",
        ".jp-CodeCell",
        ".jp-OutputArea",
        ".jp-InputPrompt",
        ".jp-OutputPrompt",
        ".zeroclipboard-container",
        ".headerlink",
        ".anchor-link",
        "script",
        "style",
        "svg",
        "template",
        "button",
    }
)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
_CONTAINERS = frozenset({"div", "section", "article", "span", "details", "summary", "figure"})


def _matches(selectors: frozenset[str], tag: str, classes: set[str]) -> bool:
    if tag in selectors:
        return True
    for selector in selectors:
        name, dot, cls = selector.partition(".")
        if dot and cls in classes and name in ("", tag):
            return True
    return False


class _Cleaner(HTMLParser):
    def __init__(self, drop: frozenset[str], flatten: bool):
        super().__init__(convert_charrefs=True)
        self.drop = DROPPED | drop
        self.flatten = flatten
        self.out: list[str] = []
        self.skipping: tuple[str, int] | None = None  # (tag, depth) of the element left out
        self.math: tuple[str, int, list[str]] | None = None  # an arithmatex element's TeX

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skipping:
            name, depth = self.skipping
            if tag == name:
                self.skipping = (name, depth + 1)
            return
        classes = set((attrs.get("class") or "").split())
        if "data-search-exclude" in attrs or _matches(self.drop, tag, classes):
            if tag not in _VOID:
                self.skipping = (tag, 1)
            return
        if self.math:
            name, depth, tex = self.math
            if tag == name:
                self.math = (name, depth + 1, tex)
            return
        if "arithmatex" in classes:
            self.math = (tag, 1, [])
        if self.flatten and tag in _CONTAINERS:
            return
        kept = "".join(
            f' {k}="{html.escape(v or "", quote=True)}"' for k, v in attrs.items() if k == "id"
        )
        self.out.append(f"<{tag}{kept}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.skipping:
            name, depth = self.skipping
            if tag == name:
                self.skipping = None if depth == 1 else (name, depth - 1)
            return
        if self.math:
            name, depth, tex = self.math
            if tag != name:
                return
            if depth > 1:
                self.math = (name, depth - 1, tex)
                return
            self.math = None
            self.out.append(html.escape(text_with_tex("".join(tex)), quote=False))
        if tag in _VOID or (self.flatten and tag in _CONTAINERS):
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skipping:
            return
        if self.math:
            self.math[2].append(data)
            return
        self.out.append(html.escape(text_with_tex(data), quote=False))


def first_paragraph(text: str) -> str:
    """The first block (``<p>``, ``<ul>``, ...) of an index entry's text."""
    match = re.match(r"\s*<(p|ul|ol|pre)>.*?</\1>", text, re.DOTALL)
    return match.group(0).strip() if match else text.strip()


def clean_html(page_html: str, drop: frozenset[str] = frozenset(), flatten: bool = False) -> str:
    """A page's HTML as the search index should read it: ``DROPPED`` and ``drop`` (selectors
    ``"tag"``, ``".class"``, ``"tag.class"``) left out, and every element marked
    ``data-search-exclude``; formulas as plain text. ``flatten`` leaves out the containers
    (``div``, ``section``, ...) and keeps their content, for a notebook, whose every cell is a
    ``div``: the index then files each paragraph under the heading above it, as on any page.
    Only for indexing: the page itself is unchanged."""
    cleaner = _Cleaner(drop, flatten)
    cleaner.feed(page_html)
    cleaner.close()
    return "".join(cleaner.out)


# ── the query, before lunr reads it ──────────────────────────────────────────

QUERY_SCRIPT = r"""// Search queries as people type formulas (written by hooks/search.py; see
// derivations/render/search_terms.py). Lunr, behind Material's search, reads "^" as a boost and
// "~" as an edit distance: "x^T A x" was an error that found nothing. Before a query reaches
// the search worker, a product with transposes becomes one word in canonical letters, as the
// index spells the claims' formulas ("x^T A x", "w'Xw", "wᵀXw", "wTXw" -> "xTAx"; "X^T y" ->
// "ATx"); a stray ^ or ~ is dropped; and a claim id, whole or begun, finds the claim's own
// entry, whose keys hold "#" and the id (the whole id exactly, above the longer ids it begins).
(function () {
  "use strict";
  var VECTORS = "xyzuvwpqrs", MATRICES = "ABCDEFGHIJKLMN";
  function canonical(word) {
    var names = {}, lower = 0, upper = 0, out = "", letter = false;
    for (var i = 0; i < word.length; i++) {
      var c = word[i];
      if (c === "T" && letter) { out += "T"; letter = false; continue; }
      if (/[A-Za-z]/.test(c)) {
        if (!(c in names)) {
          var isLower = c === c.toLowerCase(), pool = isLower ? VECTORS : MATRICES;
          var used = isLower ? lower++ : upper++;
          names[c] = used < pool.length ? pool[used] : c;
        }
        out += names[c]; letter = true;
      } else { out += c; letter = false; }
    }
    return out;
  }
  function marked(word) {
    return word
      .replace(/\^\s*\{?\s*(?:\\top|\\intercal|T)\s*\}?|\^\{\s*t\s*\}|\^t(?![a-z])/g, "T")
      .replace(/\u1d40/g, "T")
      .replace(/\.T(?![A-Za-z])/g, "T")
      .replace(/(^|[^A-Za-z])([A-Za-z])'(?=[A-Za-z]|$)/g, "$1$2T")
      .replace(/[@*\u00b7\u22c5]/g, "");
  }
  function rewrite(query) {
    var words = query.trim().split(/\s+/), out = [], run = [], flagged = false;
    function flush() {
      if (flagged && run.length) {
        out.push(canonical(run.map(function (r) { return r.text; }).join("")));
      } else {
        out.push.apply(out, run.map(function (r) { return r.original; }));
      }
      run = []; flagged = false;
    }
    for (var i = 0; i < words.length; i++) {
      var word = words[i], m = marked(word);
      if (!m && run.length) continue;  // "x.T @ A @ x": the operators between the factors
      var product = /^(?:[A-Za-z]T?)+$/.test(m) && m.length <= 12;
      var transposed = product && /[A-Za-z]T/.test(m) &&
        (m !== word || /^[A-Za-z]T[A-Za-z]{1,5}$/.test(word));
      if (product && (transposed || m.length === 1)) {
        run.push({ text: transposed ? m : word, original: word });
        if (transposed) flagged = true;
        continue;
      }
      flush();
      if (/^[a-z][a-z0-9_]*\.[a-z0-9_]*$/.test(word)) {  // a claim id, or its beginning
        out.push(word, "#" + word, "#" + word + "^10");
        continue;
      }
      if (/^[a-z0-9]+(?:_[a-z0-9]+)+$/.test(word)) {  // an id without its topic
        out.push(word, "*" + word);
        continue;
      }
      out.push(word.replace(/[\^~](?!\d)/g, " "));
    }
    flush();
    return out.join(" ").replace(/\s+/g, " ").trim();
  }
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { rewrite: rewrite, canonical: canonical };
  }
  if (typeof window === "undefined" || !window.Worker) return;
  // Material talks to its search worker with {type, data}; type 2 is a query. Under file://
  // Worker is the iframe-worker shim, which has the same postMessage.
  var post = window.Worker.prototype.postMessage;
  window.Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === 2 && typeof message.data === "string") {
      args[0] = { type: 2, data: rewrite(message.data) };
    }
    return post.apply(this, args);
  };
})();
"""
