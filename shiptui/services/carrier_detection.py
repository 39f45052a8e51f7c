"""Which carrier issued a tracking number, told by each format's structure and check digit.

The formats and check-digit parameters of UPS, USPS, FedEx, DHL Express, DPD, Canada Post,
Amazon and UPU S10 follow the MIT-licensed tracking_number_data project by Jeff Keen
(github.com/jkeen/tracking_number_data, commit b79ce4bf); those of DHL Paket (12-digit
weights 4/9, 20-digit SSCC), Hermes (14-digit, weights 3/1) and GLS (weights 3/1 plus one)
follow the carriers' label specifications. The table and the code are written here.

Numbers are given normalised (see carriers.normalize_tracking_number): upper case, no spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

# A letter in a UPS number counts as (its code - 3) mod 10.
_LETTER_DIGITS = str.maketrans({chr(code): str((code - 3) % 10) for code in range(65, 91)})
_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _weighted_sum(digits: str, cycle: tuple[int, ...]) -> int:
    """Σ digit × weight, the weights repeating `cycle` from the left."""
    # per weight, the digits it applies to summed as bytes (in C): a number per row of a
    # 100,000-row import is checked
    codes = digits.encode()
    period = len(cycle)
    total = 0
    for start, weight in enumerate(cycle):
        part = codes[start::period]
        total += weight * (sum(part) - 48 * len(part))
    return total


def mod10(digits: str, check: str, cycle: tuple[int, ...], plus: int = 0) -> bool:
    """Σ digit × weight (from the left), + plus; check digit = (10 - Σ mod 10) mod 10."""
    return (10 - (_weighted_sum(digits, cycle) + plus) % 10) % 10 == int(check)


def gs1(digits: str, check: str) -> bool:
    """GS1 (SSCC, IMpb, Canada Post, Hermes): weights 3, 1, … from the digit left of the check."""
    return mod10(digits, check, (3, 1) if len(digits) % 2 else (1, 3))  # the rightmost weighs 3


_THREE_ONE = (3, 1)
_ONE_TWO = (1, 2)
_FOUR_NINE = (4, 9)
_FEDEX_12 = (3, 1, 7)
_FEDEX_34 = (1, 7, 3)


def mod11_mod10(digits: str, check: str, weights: tuple[int, ...]) -> bool:
    """FedEx: Σ digit × weight, mod 11, mod 10."""
    return _weighted_sum(digits, weights) % 11 % 10 == int(check)


def mod7(digits: str, check: str) -> bool:
    """DHL Express waybill: the serial number mod 7."""
    return int(digits) % 7 == int(check)


_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10(digits: str, check: str) -> bool:
    """UPU S10: r = Σ digit × (8 6 4 2 3 5 9 7) mod 11; 11 - r, with 10 → 0 and 11 → 5."""
    value = 11 - _weighted_sum(digits, _S10_WEIGHTS) % 11
    return {10: 0, 11: 5}.get(value, value) == int(check)


def mod37_36(body: str, check: str) -> bool:
    """ISO 7064 MOD 37,36 over digits and letters (DPD's check character)."""
    product = 36
    for char in body:
        total = (product + _ALPHANUMERIC.index(char)) % 36 or 36
        product = total * 2 % 37
    return _ALPHANUMERIC[(37 - product) % 36] == check


# The postal operator a UPU S10 number's country suffix names.
S10_OPERATORS = {
    "DE": "Deutsche Post",
    "AT": "Österreichische Post",
    "CH": "Swiss Post",
    "LI": "Swiss Post",
    "GB": "Royal Mail",
    "US": "USPS",
    "CA": "Canada Post",
}


DIGIT, LETTER = True, False  # what a format's numbers start with


@dataclass(frozen=True)
class Format:
    carrier: str  # the registry name (carriers.CARRIERS); "" for S10, named by the suffix
    name: str
    lengths: tuple[int, ...]
    starts_with: bool  # DIGIT or LETTER
    pattern: re.Pattern[str]
    check: Callable[[re.Match[str]], bool] | None  # None: no check digit, the structure alone


def _format(carrier: str, name: str, lengths, starts_with: bool, pattern: str, check=None) -> Format:
    lengths = tuple(lengths) if not isinstance(lengths, int) else (lengths,)
    return Format(carrier, name, lengths, starts_with, re.compile(pattern), check)


def _usps_impb(match: re.Match[str]) -> bool:
    body = match.group("body")
    return gs1(body[:-1], body[-1])


FORMATS: tuple[Format, ...] = (
    _format("UPS", "UPS 1Z", 18, DIGIT, r"1Z([0-9A-Z]{15})([0-9])",
            lambda m: mod10(m[1].translate(_LETTER_DIGITS), m[2], _ONE_TWO)),
    _format("UPS", "UPS waybill", 11, LETTER, r"[AHJKTV]([0-9]{9})([0-9])",
            lambda m: mod10(m[1], m[2], _ONE_TWO)),
    _format("UPS", "UPS Mail Innovations", range(14, 31), LETTER, r"MI[0-9]{6}[0-9A-Z]{6,22}"),
    # 20 digits (no SSCC's 00): a legacy one's check digit also counts its left-out 91
    _format("USPS", "USPS 20", 20, DIGIT, r"(?!00)([0-9]{19})([0-9])",
            lambda m: gs1(m[1], m[2]) or gs1("91" + m[1], m[2])),
    # IMpb: an application identifier 91-95, optionally behind a 420 + ZIP (+4) routing code
    _format("USPS", "USPS IMpb", (22, 26, 30, 34, 38), DIGIT,
            r"(?:420[0-9]{5}(?:[0-9]{4})?)?(?P<body>9[1-5][0-9]{20}|9[1-5][0-9]{24})", _usps_impb),
    _format("FedEx", "FedEx 12", 12, DIGIT, r"([0-9]{11})([0-9])",
            lambda m: mod11_mod10(m[1], m[2], _FEDEX_12)),
    _format("FedEx", "FedEx Ground 15", 15, DIGIT, r"([0-9]{14})([0-9])", lambda m: gs1(m[1], m[2])),
    _format("FedEx", "FedEx SSCC 18", 18, DIGIT, r"([0-9]{17})([0-9])", lambda m: gs1(m[1], m[2])),
    # an SSCC behind its application identifier 00; DHL Paket's own (003404) are DHL Paket's
    _format("FedEx", "FedEx SSCC 20", 20, DIGIT, r"00(?!3404)([0-9]{17})([0-9])", lambda m: gs1(m[1], m[2])),
    _format("FedEx", "FedEx Ground 96 (22)", 22, DIGIT, r"96[0-9]{5}([0-9]{14})([0-9])",
            lambda m: gs1(m[1], m[2])),
    _format("FedEx", "FedEx 34", 34, DIGIT, r"(?:[0-8][0-9]{19}|96[0-9]{18})([0-9]{13})([0-9])",
            lambda m: mod11_mod10(m[1], m[2], _FEDEX_34)),
    _format("DHL Express", "DHL Express waybill", (10, 11), DIGIT, r"([0-9]{9,10})([0-9])",
            lambda m: mod7(m[1], m[2])),
    _format("DHL Express", "DHL Express piece", range(12, 15), LETTER, r"J[A-Z]{2,3}[0-9]{9,10}"),
    _format("DHL Paket", "DHL Paket 12", 12, DIGIT, r"([0-9]{11})([0-9])",
            lambda m: mod10(m[1], m[2], _FOUR_NINE)),
    _format("DHL Paket", "DHL Paket SSCC 20", 20, DIGIT, r"(003404[0-9]{13})([0-9])",
            lambda m: gs1(m[1], m[2])),
    _format("DHL Paket", "DHL Paket JJD", range(14, 25), LETTER, r"JJD[0-9]{11,21}"),
    _format("", "UPU S10", 13, LETTER, r"[A-Z]{2}([0-9]{8})([0-9])([A-Z]{2})", lambda m: s10(m[1], m[2])),
    _format("DPD", "DPD 14", 14, DIGIT, r"[0-9]{14}"),
    _format("DPD", "DPD 14 with check character", 15, DIGIT, r"([0-9]{14})([0-9A-Z])",
            lambda m: mod37_36(m[1], m[2])),
    _format("DPD", "DPD 28", 28, DIGIT, r"([0-9]{27})([0-9A-Z])", lambda m: mod37_36(m[1], m[2])),
    _format("GLS", "GLS 12", 12, DIGIT, r"([0-9]{11})([0-9])",
            lambda m: mod10(m[1], m[2], _THREE_ONE, plus=1)),
    _format("GLS", "GLS 11", 11, DIGIT, r"[0-9]{11}"),
    _format("Hermes", "Hermes 14", 14, DIGIT, r"([0-9]{13})([0-9])", lambda m: gs1(m[1], m[2])),
    _format("Hermes", "Hermes 16", 16, DIGIT, r"[0-9]{16}"),
    _format("Canada Post", "Canada Post 16", 16, DIGIT, r"([0-9]{15})([0-9])", lambda m: gs1(m[1], m[2])),
    _format("Amazon Logistics", "Amazon TBA", 15, LETTER, r"TB[ACM][0-9]{12}"),
)

# Formats by (length, starts with a digit), so a number meets only those it could fit.
_BY_SHAPE: dict[tuple[int, bool], list[Format]] = {}
# The same by carrier, for checking a typed carrier's number against its formats alone.
_BY_CARRIER_SHAPE: dict[tuple[str, int, bool], list[Format]] = {}
for _fmt in FORMATS:
    for _length in _fmt.lengths:
        _BY_SHAPE.setdefault((_length, _fmt.starts_with), []).append(_fmt)
        for _carrier in [_fmt.carrier] if _fmt.carrier else sorted(set(S10_OPERATORS.values())):
            _BY_CARRIER_SHAPE.setdefault((_carrier, _length, _fmt.starts_with), []).append(_fmt)


@dataclass(frozen=True)
class Fit:
    carrier: str
    format: str
    checked: bool  # its check digit fits; False: the format has none and its structure fits


def _carrier_of(fmt: Format, match: re.Match[str]) -> str:
    """The carrier whose number this is, or "" when its check digit fails (or an S10
    number's country has no operator shiptui knows)."""
    if fmt.check is not None and not fmt.check(match):
        return ""
    return fmt.carrier or S10_OPERATORS.get(match[3], "")


def detect(number: str) -> tuple[Fit, ...]:
    """Every carrier format the number fits, its check digit included, in table order."""
    fits = []
    for fmt in _BY_SHAPE.get((len(number), number[:1].isdigit()), ()):
        match = fmt.pattern.fullmatch(number)
        if match is not None and (carrier := _carrier_of(fmt, match)):
            fits.append(Fit(carrier, fmt.name, fmt.check is not None))
    return tuple(fits)


def fitting_carriers(number: str) -> list[str]:
    """The carriers whose check digit fits the number; without any, those whose structure does."""
    fits = detect(number)
    checked = [fit.carrier for fit in fits if fit.checked]
    return list(dict.fromkeys(checked or [fit.carrier for fit in fits]))


@cache
def number_lengths(carrier: str) -> frozenset[int]:
    """The lengths of the carrier's numbers that start with a digit."""
    return frozenset(
        length for fmt in FORMATS if fmt.carrier == carrier and fmt.starts_with == DIGIT for length in fmt.lengths
    )


def fits_carrier(carrier: str, number: str) -> bool:
    """Whether the number is one the carrier issues (by check digit or, lacking one, structure)."""
    for fmt in _BY_CARRIER_SHAPE.get((carrier, len(number), number[:1].isdigit()), ()):
        match = fmt.pattern.fullmatch(number)
        # the carrier before the check digit: an S10 number's suffix may name another
        if match is not None and (fmt.carrier or S10_OPERATORS.get(match[3])) == carrier and (
            fmt.check is None or fmt.check(match)
        ):
            return True
    return False
