"""Money as integer minor units plus an ISO 4217 code; never floats."""

from __future__ import annotations

import re
from dataclasses import dataclass

# ISO 4217 currencies whose minor unit is not 2 decimals (the common ones).
_EXPONENTS = {
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "HUF": 2, "XAF": 0, "XOF": 0,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
}  # fmt: skip
_AMOUNT = re.compile(r"^(\d+)(?:\.(\d+))?$")


class MoneyError(ValueError):
    """An amount or currency the user typed is not valid."""


def exponent(currency: str) -> int:
    """Number of decimal places of the currency's minor unit."""
    return _EXPONENTS.get(currency, 2)


@dataclass(frozen=True)
class Rate:
    """An hourly rate: ``minor`` units of ``currency`` per hour."""

    minor: int
    currency: str

    def to_json(self) -> dict[str, int | str]:
        return {"minor": self.minor, "currency": self.currency}

    @staticmethod
    def from_json(value: object) -> Rate | None:
        if not isinstance(value, dict):
            return None
        minor, currency = value.get("minor"), value.get("currency")
        if not isinstance(minor, int) or not isinstance(currency, str):
            return None
        return Rate(minor, currency)


def parse_currency(text: str) -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise MoneyError(f"not an ISO 4217 currency code: {text!r}")
    return code


def parse_amount(text: str, currency: str) -> int:
    """Parse ``95`` or ``95.50`` into minor units of ``currency``."""
    match = _AMOUNT.match(text.strip())
    if not match:
        raise MoneyError(f"not an amount: {text!r} (use digits, e.g. 95.00)")
    places = exponent(currency)
    whole, frac = match.group(1), match.group(2) or ""
    if len(frac) > places:
        raise MoneyError(f"{currency} has {places} decimal places: {text!r}")
    return int(whole) * 10**places + int(frac.ljust(places, "0") or "0")


def amount_for(seconds: int, rate: Rate) -> int:
    """Minor units owed for ``seconds`` at ``rate``, rounded half up to the minor unit."""
    return (seconds * rate.minor + 1800) // 3600


def format_amount(minor: int, currency: str) -> str:
    places = exponent(currency)
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    if places == 0:
        return f"{sign}{minor} {currency}"
    return f"{sign}{minor // 10**places}.{minor % 10**places:0{places}d} {currency}"
