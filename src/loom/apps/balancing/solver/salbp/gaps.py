"""A lower bound on the idle time the open tasks force: the gaps next to long tasks.

A task longer than c/2 sits in a station of its own; the gap c − t beside it can only be
filled by tasks no longer than the gap. So for any x, the long tasks with gaps under x idle
at least their gaps' sum minus the time of all tasks shorter than x (each task fills at most
one gap). On BARTHOL2 c=85 (16 idle units over 50 stations; tasks of 80, 80, 81 and 83 with
gaps of 5, 5, 4 and 2, and only tasks of 1, 3, 3 and 5 under 6) a beam that spends the short
tasks early is left with 16 units of idle beside the long ones; the bound sees it coming.
Precedence is ignored, so the bound holds for any order.
"""

from __future__ import annotations

from bisect import bisect_left


class GapBound:
    """Precomputed groups of tasks by time, for ``idle(rest)`` on bitsets of open tasks."""

    def __init__(self, times: tuple[int, ...], c: int) -> None:
        groups: dict[int, int] = {}
        for i, t in enumerate(times):
            groups[t] = groups.get(t, 0) | 1 << i
        self.c = c
        self.groups = sorted(groups.items())  # (time, tasks of that time), ascending
        self.values = [t for t, _ in self.groups]
        # The first group of long tasks (over c/2): only then is there a gap to count.
        self.first_long = bisect_left(self.values, c // 2 + 1)

    def idle(self, rest: int) -> int:
        """Return a lower bound on the idle time of the stations holding the tasks in ``rest``."""
        if self.first_long == len(self.groups):
            return 0
        c = self.c
        counts = [(t, (rest & tasks).bit_count()) for t, tasks in self.groups]
        # Long tasks from the longest down (gaps growing); short tasks below each gap + 1.
        best = 0
        gaps = 0
        short = 0  # time of the short tasks under the current x, grown as x grows
        s = 0
        for t, k in reversed(counts[self.first_long :]):
            if not k:
                continue
            gaps += (c - t) * k
            x = c - t + 1  # every gap so far is below x
            while s < self.first_long and counts[s][0] < x:
                short += counts[s][0] * counts[s][1]
                s += 1
            best = max(best, gaps - short)
        return best
