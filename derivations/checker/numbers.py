"""How the checker prints a number in a counterexample: exactly when it is exact.

A counterexample is read by a person checking a derivation by hand, so a value known exactly
prints exactly: 5/9 as ``5/9`` (not 0.555556), 1/4 as ``0.25``, 314159/100000 as ``3.14159``.
A value known only approximately (a double, or an irrational number such as π/2) prints with six
significant digits, or more when the comparison needs them, and rounding noise (1e-17 beside
entries of size 1) prints as ``0`` rather than as a value that is not there.
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

DIGITS = 6
NOISE = 1e-12  # relative to the largest entry compared: below it, a double is rounding noise


def as_fraction(value) -> Fraction | None:
    """The exact rational value of ``value`` (int, Fraction or sympy Rational), else None.

    Floats are not exact values here: a double computed from a formula carries rounding error,
    so it is never shown as a fraction."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, sp.Basic) and value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return None


def is_exact(value) -> bool:
    return as_fraction(value) is not None


def approximate(value, scale: float = 0.0) -> float:
    """The value as a double, with rounding noise (relative to ``scale``) snapped to 0."""
    number = float(sp.N(value, 30)) if isinstance(value, sp.Basic) else float(value)
    if math.isfinite(number) and abs(number) <= NOISE * scale:
        return 0.0
    return number


def show(value, scale: float = 0.0, digits: int = DIGITS) -> str:
    """``value`` as printed: exact rationals exactly, other numbers to ``digits`` significant
    digits after snapping noise relative to ``scale`` (the largest entry it is compared with)."""
    exact = as_fraction(value)
    if exact is not None:
        return show_fraction(exact)
    number = approximate(value, scale)
    if not math.isfinite(number):
        return str(number)
    if isinstance(value, sp.Basic) and number != 0 and digits > 15:  # beyond a double
        return str(sp.N(value, digits))
    return _significant(number, digits)


def show_fraction(value: Fraction) -> str:
    """An exact rational: an integer, a terminating decimal (``0.25``, ``3.14159``), or ``p/q``
    when the decimal would not terminate (``5/9``)."""
    if value.denominator == 1:
        return str(value.numerator)
    places = _decimal_places(value.denominator)
    if places is None:
        return f"{value.numerator}/{value.denominator}"
    digits = abs(value.numerator) * (10**places // value.denominator)
    whole, part = divmod(digits, 10**places)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{str(part).rjust(places, '0').rstrip('0')}"


def _decimal_places(denominator: int) -> int | None:
    """How many decimal places 1/denominator needs, or None if its decimal does not end."""
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def _significant(number: float, digits: int) -> str:
    """``digits`` significant digits; whole numbers without a decimal point."""
    digits = min(digits, 15)  # a double holds no more
    value = float(f"{number:.{digits}g}")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}g}"


def digits_to_tell_apart(relative_difference: float | None) -> int:
    """Significant digits that show two values differing by ``relative_difference``: 6 for a
    clear difference, up to 30 for 8e-7 (π against 3.14159) or less."""
    if not relative_difference or relative_difference <= 0:
        return DIGITS
    needed = math.ceil(-math.log10(relative_difference)) + 3
    return max(DIGITS, min(30, needed))


def bracketed(value) -> str:
    """A point's value as numpy prints it, without quotes: ``[1/9, 5/9]``, ``[[1, 2], [3, 4]]``."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(bracketed(v) for v in value) + "]"
    return str(value)
