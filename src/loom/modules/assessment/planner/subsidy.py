"""The pilot subsidy (a share of the investment up to a cap) and exact money in fen."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

FEN_PER_CNY = 100


def to_fen(amount: Decimal | int | str) -> int:
    """Return an amount of CNY as whole fen; raise ``ValueError`` for fractions of a fen."""
    fen = Decimal(amount) * FEN_PER_CNY
    if not fen.is_finite() or fen % 1:
        raise ValueError(f"{amount} CNY is not a whole number of fen")
    return int(fen)


def cny(fen: int) -> int | float:
    """Return fen as CNY for JSON: an integer when whole, else a number with two decimals."""
    whole, rest = divmod(fen, FEN_PER_CNY)
    return whole if not rest else float(Decimal(fen) / FEN_PER_CNY)


@dataclass(frozen=True, slots=True)
class SubsidyRule:
    """Subsidy = min(rate x investment, cap), rounded down to the fen.

    The defaults are the Haishu pilot rule (≤ 50% of the investment, at most 500,000 CNY); the
    programme module supplies the numbers of other rules as versioned data.
    """

    rate: Fraction = Fraction(1, 2)
    cap_fen: int = 500_000 * FEN_PER_CNY

    def __post_init__(self) -> None:
        if not 0 <= self.rate <= 1:
            raise ValueError(f"subsidy rate {self.rate} is outside 0–1")
        if self.cap_fen < 0:
            raise ValueError("subsidy cap is negative")

    @classmethod
    def of(cls, rate: Decimal | Fraction | str, cap_cny: Decimal | int | str) -> SubsidyRule:
        """Return a rule from a rate such as ``"0.5"`` and a cap in CNY."""
        return cls(Fraction(rate), to_fen(cap_cny))

    def subsidy_fen(self, investment_fen: int) -> int:
        """Return the subsidy for an investment, both in fen."""
        share = investment_fen * self.rate.numerator // self.rate.denominator
        return min(share, self.cap_fen)

    def net_fen(self, investment_fen: int) -> int:
        """Return what the enterprise pays itself after the subsidy."""
        return investment_fen - self.subsidy_fen(investment_fen)

    def as_integers(self) -> tuple[int, int, int]:
        """Return (rate numerator, rate denominator, cap in fen) for an integer model."""
        return self.rate.numerator, self.rate.denominator, self.cap_fen

    def to_dict(self) -> dict[str, float | int]:
        """Return the rule as plain data (the rate as a fraction of one, e.g. 0.5)."""
        return {"rate": float(self.rate), "cap_cny": cny(self.cap_fen)}
