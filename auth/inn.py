"""INN (taxpayer id) checksums: 10 digits for a legal entity, 12 for an individual."""

from __future__ import annotations

_W10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_W11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_W12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_problem(inn: str) -> str | None:
    """None for a valid INN, else the reason in plain words."""
    if not (inn.isascii() and inn.isdigit()):
        return "INN must contain digits only"
    digits = [int(c) for c in inn]
    if len(digits) in (10, 12) and inn.startswith("00"):
        return "region code 00 does not exist"  # the first two digits are the region; all-zero sums check out
    if len(digits) == 10:
        return None if _check(digits, _W10) == digits[9] else "wrong check digit"
    if len(digits) == 12:
        if _check(digits, _W11) != digits[10] or _check(digits, _W12) != digits[11]:
            return "wrong check digit"
        return None
    return "INN has 10 digits (organization) or 12 (individual)"


def complete_inn(prefix: str) -> str:
    """Append the check digit(s) to 9 or 10 digits: a valid INN (used for demo data)."""
    digits = [int(c) for c in prefix]
    if len(digits) == 9:
        return prefix + str(_check(digits, _W10))
    if len(digits) == 10:
        d11 = _check(digits, _W11)
        return prefix + str(d11) + str(_check([*digits, d11], _W12))
    raise ValueError("give 9 digits (organization) or 10 (individual)")
