"""Tests of the subsidy module: money, the funder split, the rule set, quotes and the CLI.

Quotes use the shipped rule set ``haishu-2024.v1`` (四(四)10-14 of 海经信〔2024〕10号); every
expected amount is worked out by hand in a comment next to it.
"""

from __future__ import annotations

from loom.modules.subsidy.engine import FactValue

# the facts of an accepted national pilot at digital level 2: pilot-project's three conditions
PILOT: dict[str, FactValue] = {
    "listed_as": frozenset({"national-pilot"}),
    "accepted": True,
    "level": 2,
}
WAN = 1_000_000  # fen in 1 万元 (10,000 CNY), the plan's unit
