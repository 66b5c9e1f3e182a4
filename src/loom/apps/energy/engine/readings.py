"""Meter readings as consumption: register differences, rollovers, replacements and periods.

A register meter's reading is the cumulative figure on its dial; consumption between two
readings is their difference times the meter's multiplier (CT ratio). A reading may mark a
rollover (the dial passed its maximum and restarted at zero) or a replacement (the old meter's
final figure, then the new meter's starting figure). A period meter's reading is the
consumption of a span of days, as a bill gives it. Everything here is plain data and exact.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

E4 = 10_000
EVENTS = ("", "rollover", "replaced")
#: the factories' clock: days and reading times are shown in China Standard Time
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
#: the refusal of a register figure lower than the previous one (devices may read it as a rollover)
DROPPED = (
    "lower than the previous reading %(prev)s of %(when)s: if the register rolled over "
    "or the meter was replaced, say so"
)


@dataclass(frozen=True)
class Reading:
    """One stored reading, in ten-thousandths of the meter's unit."""

    at: datetime
    value_e4: int
    multiplier_e4: int = E4
    event: str = ""
    old_final_e4: int | None = None
    #: first instant of a period reading (None for register readings)
    start: datetime | None = None


@dataclass(frozen=True)
class Interval:
    """Consumption (in the meter's unit, multiplier applied) between two instants."""

    start: datetime
    end: datetime
    amount: Decimal


@dataclass(frozen=True)
class Refusal:
    """Why a new reading cannot be stored: an English msgid naming the field."""

    field: str
    template: str
    params: dict[str, object]


def _e4(value_e4: int) -> Decimal:
    return Decimal(value_e4) / E4


def interval_amount(previous: Reading, current: Reading, rollover_at_e4: int | None) -> Decimal:
    """Return the consumption from ``previous`` to ``current`` on a register meter (may be < 0)."""
    if current.event == "rollover" and rollover_at_e4 is not None:
        delta = rollover_at_e4 - previous.value_e4 + current.value_e4
    elif current.event == "replaced" and current.old_final_e4 is not None:
        delta = current.old_final_e4 - previous.value_e4
    else:
        delta = current.value_e4 - previous.value_e4
    return _e4(delta) * _e4(current.multiplier_e4)


def register_intervals(
    readings: Sequence[Reading], rollover_at_e4: int | None
) -> tuple[list[Interval], int]:
    """Return the intervals between consecutive readings, and how many had to be skipped.

    An interval whose figure would be negative (stored data that no longer fits together,
    for example after a rollover reading was removed) is skipped and counted, never summed.
    """
    ordered = sorted(readings, key=lambda r: r.at)
    found: list[Interval] = []
    skipped = 0
    for previous, current in itertools.pairwise(ordered):
        amount = interval_amount(previous, current, rollover_at_e4)
        if amount < 0:
            skipped += 1
            continue
        found.append(Interval(previous.at, current.at, amount))
    return found, skipped


def period_intervals(readings: Sequence[Reading]) -> list[Interval]:
    """Return each period reading as its own interval (the value is the consumption)."""
    return [
        Interval(r.start, r.at, _e4(r.value_e4))
        for r in sorted(readings, key=lambda r: r.at)
        if r.start is not None
    ]


def check_register(
    new: Reading,
    previous: Reading | None,
    following: Reading | None,
    rollover_at_e4: int | None,
) -> Refusal | None:
    """Return why ``new`` does not fit between its neighbours on a register meter, or None."""
    if new.value_e4 < 0:
        return Refusal("value", "a register reading cannot be negative", {})
    if rollover_at_e4 is not None and new.value_e4 >= rollover_at_e4:
        return Refusal(
            "value",
            "the meter's register rolls over at %(max)s: a reading must be lower",
            {"max": _plain(rollover_at_e4)},
        )
    if new.event == "rollover":
        if rollover_at_e4 is None:
            return Refusal(
                "event",
                "set the value at which this meter's register rolls over before recording a "
                "rollover",
                {},
            )
        if previous is None:
            return Refusal("event", "a rollover needs an earlier reading", {})
        if new.value_e4 >= previous.value_e4:
            return Refusal(
                "event",
                "the reading is not lower than the previous one (%(prev)s): it is no rollover",
                {"prev": _plain(previous.value_e4)},
            )
    elif new.event == "replaced":
        if new.old_final_e4 is None:
            return Refusal("old_final", "give the old meter's final reading", {})
        if previous is not None and new.old_final_e4 < previous.value_e4:
            return Refusal(
                "old_final",
                "the old meter's final reading is lower than its previous reading %(prev)s",
                {"prev": _plain(previous.value_e4)},
            )
    elif previous is not None and new.value_e4 < previous.value_e4:
        return Refusal(
            "value",
            DROPPED,
            {"prev": _plain(previous.value_e4), "when": _when(previous.at)},
        )
    if following is not None and following.event == "" and following.value_e4 < new.value_e4:
        return Refusal(
            "value",
            "higher than the next reading %(next)s of %(when)s",
            {"next": _plain(following.value_e4), "when": _when(following.at)},
        )
    return None


def periods_overlap(
    start: date, end: date, others: Sequence[tuple[date, date]]
) -> tuple[date, date] | None:
    """Return the first stored period that overlaps [start, end] (inclusive days), or None."""
    for other_start, other_end in others:
        if start <= other_end and other_start <= end:
            return other_start, other_end
    return None


def _plain(value_e4: int) -> str:
    text = f"{_e4(value_e4):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _when(at: datetime) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def plain(value_e4: int) -> str:
    """Return a value in ten-thousandths as the shortest exact decimal ("12.5")."""
    return _plain(value_e4)
