"""A huge revenue is "too big", not a 500 (the API fuzzer sent 1e30 to POST /registry)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loom.modules.programme.registry import messages as msg
from loom.modules.programme.registry.fields import MAX_REVENUE_WAN, CellProblem, parse_revenue


@pytest.mark.parametrize("value", [Decimal("1e30"), Decimal("1e28") + Decimal("0.5"), 10**40])
def test_a_revenue_beyond_the_limit_is_too_big(value: object) -> None:
    # quantizing 1e30 to cents needs 33 digits, more than the decimal context's 28
    with pytest.raises(CellProblem) as caught:
        parse_revenue(value)
    assert str(caught.value) == msg.TOO_BIG.format(limit=MAX_REVENUE_WAN)


def test_the_limit_itself_is_accepted() -> None:
    assert parse_revenue(MAX_REVENUE_WAN) == Decimal("999999999999.99")
