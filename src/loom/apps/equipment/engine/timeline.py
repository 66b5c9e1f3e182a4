"""A machine's state timeline in a window, from state reports that may be messy.

Machines report state *changes* (``running``, ``idle``, ``down`` with a reason,
``planned_stop``) and counts. Reports arrive out of order, twice, or not at all. The rules:

- A state holds from its report until the machine's next state report, but only while the
  machine shows signs of life: every record (a state report or a count) is one, and a state
  is trusted for at most ``max_silence`` after the last of them. Beyond that the time is
  **unknown** — missing data, counted neither as running nor as down — until the next record.
- Reports are sorted by time; a report repeated at the same instant counts once. Two different
  states reported at the same instant resolve to the more severe one (planned_stop > down >
  idle > running), so the answer does not depend on arrival order.
- The last report before the window carries into it (within ``max_silence``).
- Extra spans (a planned-stop calendar such as breaks, downtime recorded by hand) may overlap
  the reported states and each other. Where spans overlap, the most severe state wins, so
  every instant of the window is counted exactly once: the segments never overlap and their
  durations add up to the window.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

RUNNING = "running"
IDLE = "idle"
DOWN = "down"
PLANNED_STOP = "planned_stop"
UNKNOWN = "unknown"
#: severity: where spans overlap the higher one wins; unknown is what no span covers
SEVERITY = {UNKNOWN: 0, RUNNING: 1, IDLE: 2, DOWN: 3, PLANNED_STOP: 4}
STATES = (RUNNING, IDLE, DOWN, PLANNED_STOP)
DEFAULT_MAX_SILENCE = timedelta(minutes=30)


@dataclass(frozen=True, order=True)
class StateReport:
    """A machine said at ``ts`` that it is now in ``state`` (``reason`` for down)."""

    ts: datetime
    state: str
    reason: str = ""


@dataclass(frozen=True)
class Span:
    """A state over ``[start, end)``: reported, from a calendar, or recorded by hand."""

    start: datetime
    end: datetime
    state: str
    reason: str = ""


@dataclass(frozen=True)
class Segment:
    """A piece of the resolved timeline: one state (or unknown) over ``[start, end)``."""

    start: datetime
    end: datetime
    state: str
    reason: str = ""

    @property
    def seconds(self) -> float:
        """Return the segment's length in seconds."""
        return (self.end - self.start).total_seconds()


def _canonical(reports: Iterable[StateReport]) -> list[StateReport]:
    """Sort reports and keep one per instant: the most severe (duplicates vanish)."""
    by_ts: dict[datetime, StateReport] = {}
    for report in reports:
        if report.state not in SEVERITY or report.state == UNKNOWN:
            raise ValueError(f"unknown state {report.state!r}")
        kept = by_ts.get(report.ts)
        if kept is None or (SEVERITY[report.state], report.reason) > (
            SEVERITY[kept.state],
            kept.reason,
        ):
            by_ts[report.ts] = report
    return [by_ts[ts] for ts in sorted(by_ts)]


def reported_spans(
    reports: Iterable[StateReport],
    life: Iterable[datetime] = (),
    *,
    max_silence: timedelta = DEFAULT_MAX_SILENCE,
) -> list[Span]:
    """Return the spans the reports vouch for; ``life`` are other records' times (counts)."""
    ordered = _canonical(reports)
    beats = sorted(set(life))
    # (start, end, state, reason), made Spans at the end: a span grows with every sign of life
    # (a thousand a day), and a frozen Span for each step cost more than the rest of the loop
    spans: list[tuple[datetime, datetime, str, str]] = []
    for i, report in enumerate(ordered):
        until = ordered[i + 1].ts if i + 1 < len(ordered) else None
        # the signs of life while this state holds: its own report and the records after it
        lo = bisect.bisect_right(beats, report.ts)
        hi = len(beats) if until is None else bisect.bisect_left(beats, until)
        points = [report.ts, *beats[lo:hi]]
        for j, point in enumerate(points):
            end = point + max_silence
            nxt = points[j + 1] if j + 1 < len(points) else until
            if nxt is not None and nxt < end:
                end = nxt
            if end <= point:
                continue
            if j and spans[-1][1] == point:
                # one report's span stays one span while signs of life keep coming
                spans[-1] = (spans[-1][0], end, report.state, report.reason)
            else:
                spans.append((point, end, report.state, report.reason))
    return [Span(*span) for span in spans]


def resolve(window_start: datetime, window_end: datetime, spans: Sequence[Span]) -> list[Segment]:
    """Return non-overlapping segments covering the window, the most severe span winning.

    Uncovered time is ``unknown``. Adjacent pieces of one state and reason are merged, so a
    down segment is one stoppage (the Pareto counts them).
    """
    if window_end <= window_start:
        return []
    clipped = [
        Span(max(s.start, window_start), min(s.end, window_end), s.state, s.reason)
        for s in spans
        if s.end > window_start and s.start < window_end and s.end > s.start
    ]
    cuts = sorted(
        {window_start, window_end, *(s.start for s in clipped), *(s.end for s in clipped)}
    )
    starts = sorted(clipped, key=lambda s: s.start)
    active: list[Span] = []
    taken = 0
    segments: list[Segment] = []
    for left, right in itertools.pairwise(cuts):
        while taken < len(starts) and starts[taken].start <= left:
            active.append(starts[taken])
            taken += 1
        active = [s for s in active if s.end > left]
        state, reason = UNKNOWN, ""
        if active:
            # the most severe state; among equals the span that began first names the reason
            top = max(active, key=lambda s: (SEVERITY[s.state], -s.start.timestamp()))
            state, reason = top.state, top.reason
        if segments and segments[-1].state == state and segments[-1].reason == reason:
            last = segments[-1]
            segments[-1] = Segment(last.start, right, state, reason)
        else:
            segments.append(Segment(left, right, state, reason))
    return segments


def timeline(
    window_start: datetime,
    window_end: datetime,
    reports: Iterable[StateReport],
    *,
    life: Iterable[datetime] = (),
    extra: Iterable[Span] = (),
    max_silence: timedelta = DEFAULT_MAX_SILENCE,
) -> list[Segment]:
    """Return a machine's resolved timeline in the window (see the module's rules)."""
    spans = reported_spans(reports, life, max_silence=max_silence)
    return resolve(window_start, window_end, [*spans, *extra])
