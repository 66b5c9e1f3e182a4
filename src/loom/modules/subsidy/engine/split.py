"""Split an amount between funders in whole fen that add up exactly (largest remainder)."""

from __future__ import annotations

from collections.abc import Sequence


def split_fen(amount_fen: int, parts: Sequence[int]) -> list[int]:
    """Split ``amount_fen`` in proportion to ``parts``; the pieces always sum to the amount.

    Each funder first gets its exact share rounded down to the fen. The few fen this leaves
    (fewer than there are funders) go one each to the funders whose shares lost the most in
    rounding; when two lost the same, the one listed first gets the fen. This is the largest-
    remainder (Hamilton) method: no piece is ever more than one fen from its exact share.
    """
    total = sum(parts)
    if amount_fen < 0:
        raise ValueError(f"cannot split a negative amount ({amount_fen} fen)")
    if not parts or total <= 0 or any(part < 0 for part in parts):
        raise ValueError(f"parts must be non-negative with a positive total, got {list(parts)}")
    pieces = [amount_fen * part // total for part in parts]
    # remainders are in units of 1/total fen, so comparing them is exact integer arithmetic
    remainders = [amount_fen * part % total for part in parts]
    left_over = amount_fen - sum(pieces)
    by_loss = sorted(range(len(parts)), key=lambda index: (-remainders[index], index))
    for index in by_loss[:left_over]:
        pieces[index] += 1
    return pieces
