"""OEE = availability × performance × quality, from resolved timelines and counts.

Per machine and window (a shift), from the segments of ``engine.timeline``:

- **planned production time** = the window minus planned stops (``planned_stop``: reported by
  the machine or from the planned-stop calendar, e.g. breaks);
- **unknown time** = planned production time without data (see the timeline's rules): reported
  apart and left out of availability, which is judged on the time we know about;
- **availability** = running ÷ (running + idle + down) — idle (waiting for work) and down are
  both losses; unknown when no planned time is known;
- **performance** = ideal cycle time × total count ÷ running time, capped at 100 % (the cap is
  reported: counts faster than the ideal mean the ideal is wrong or counts are doubled);
  unknown without running time or without an ideal cycle time;
- **quality** = good ÷ (good + reject); unknown without any count;
- **OEE** = A × P × Q; 0 when the machine ran and produced nothing (P = 0); unknown when A or P
  is unknown, or Q is and P is not 0.

Each figure is a ratio of parts to a whole that contains them (segments never overlap), so it
is never negative nor above 100 %; ``ratio`` still clamps, as a last guard. A line (or several
shifts) is summed before dividing — not an average of machines' percentages — and performance
counts only machines with an ideal cycle time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from loom.apps.equipment.engine.timeline import (
    DOWN,
    IDLE,
    PLANNED_STOP,
    RUNNING,
    UNKNOWN,
    Segment,
)


@dataclass(frozen=True)
class Counts:
    """Pieces counted in a window."""

    good: int = 0
    reject: int = 0

    @property
    def total(self) -> int:
        """Return good plus rejected pieces."""
        return self.good + self.reject


@dataclass(frozen=True)
class TimeBreakdown:
    """Seconds of a window by state."""

    window: float = 0.0
    planned_stop: float = 0.0
    running: float = 0.0
    idle: float = 0.0
    down: float = 0.0
    unknown: float = 0.0

    @property
    def planned(self) -> float:
        """Return planned production time: the window minus planned stops."""
        return self.window - self.planned_stop

    @property
    def known(self) -> float:
        """Return planned production time with data: running, idle and down."""
        return self.running + self.idle + self.down

    def __add__(self, other: TimeBreakdown) -> TimeBreakdown:
        """Return the sum of two breakdowns (machines of a line, shifts of a period)."""
        return TimeBreakdown(
            self.window + other.window,
            self.planned_stop + other.planned_stop,
            self.running + other.running,
            self.idle + other.idle,
            self.down + other.down,
            self.unknown + other.unknown,
        )


def breakdown(segments: Iterable[Segment]) -> TimeBreakdown:
    """Return the seconds of each state in a resolved timeline."""
    seconds = dict.fromkeys((PLANNED_STOP, RUNNING, IDLE, DOWN, UNKNOWN), 0.0)
    for segment in segments:
        seconds[segment.state] += segment.seconds
    return TimeBreakdown(
        window=sum(seconds.values()),
        planned_stop=seconds[PLANNED_STOP],
        running=seconds[RUNNING],
        idle=seconds[IDLE],
        down=seconds[DOWN],
        unknown=seconds[UNKNOWN],
    )


def ratio(part: float, whole: float) -> float | None:
    """Return part ÷ whole within [0, 1], or None for an empty whole."""
    if whole <= 0:
        return None
    return min(1.0, max(0.0, part / whole))


@dataclass(frozen=True)
class Oee:
    """The three factors and their product; None where unknown (see the module's rules)."""

    time: TimeBreakdown
    counts: Counts
    ideal_seconds: float  # Σ ideal cycle time × count, over machines with an ideal
    rated_running: float  # running seconds of the machines with an ideal cycle time
    availability: float | None
    performance: float | None
    performance_capped: bool
    quality: float | None
    oee: float | None
    notes: tuple[str, ...] = field(default=())


def figures(
    time: TimeBreakdown, counts: Counts, *, ideal_seconds: float, rated_running: float
) -> Oee:
    """Return OEE from summed times and counts (one machine or many)."""
    availability = ratio(time.running, time.known)
    performance: float | None = None
    capped = False
    if rated_running > 0:
        raw = ideal_seconds / rated_running
        capped = raw > 1.0
        performance = min(1.0, raw)
    quality = ratio(counts.good, counts.total)
    product: float | None
    if availability is None or performance is None:
        product = None
    elif performance == 0:
        product = 0.0
    elif quality is None:
        product = None
    else:
        product = availability * performance * quality
    notes = []
    if capped:
        notes.append("performance_capped")
    if time.unknown > 0:
        notes.append("unknown_time")
    return Oee(
        time=time,
        counts=counts,
        ideal_seconds=ideal_seconds,
        rated_running=rated_running,
        availability=availability,
        performance=performance,
        performance_capped=capped,
        quality=quality,
        oee=product,
        notes=tuple(notes),
    )


def machine_oee(segments: Sequence[Segment], counts: Counts, ideal_cycle_s: float | None) -> Oee:
    """Return one machine's OEE in a window; ``ideal_cycle_s`` None leaves performance unknown."""
    time = breakdown(segments)
    if ideal_cycle_s is None or ideal_cycle_s <= 0:
        return figures(time, counts, ideal_seconds=0.0, rated_running=0.0)
    return figures(
        time, counts, ideal_seconds=ideal_cycle_s * counts.total, rated_running=time.running
    )


def combine(parts: Iterable[Oee]) -> Oee:
    """Return the OEE of several machines or windows: sums first, then the ratios."""
    time, good, reject, ideal, rated = TimeBreakdown(), 0, 0, 0.0, 0.0
    for part in parts:
        time = time + part.time
        good += part.counts.good
        reject += part.counts.reject
        ideal += part.ideal_seconds
        rated += part.rated_running
    return figures(time, Counts(good, reject), ideal_seconds=ideal, rated_running=rated)


@dataclass(frozen=True)
class Stoppage:
    """One downtime reason's total: minutes and the number of separate stoppages."""

    reason: str
    seconds: float
    count: int


def pareto(segments: Iterable[Segment]) -> list[Stoppage]:
    """Return downtime by reason, longest first (ties by reason); planned stops excluded."""
    seconds: dict[str, float] = {}
    count: dict[str, int] = {}
    for segment in segments:
        if segment.state != DOWN:
            continue
        seconds[segment.reason] = seconds.get(segment.reason, 0.0) + segment.seconds
        count[segment.reason] = count.get(segment.reason, 0) + 1
    return sorted(
        (Stoppage(reason, seconds[reason], count[reason]) for reason in seconds),
        key=lambda s: (-s.seconds, s.reason),
    )
