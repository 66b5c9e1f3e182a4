"""Lower bounds on the number of stations, and each task's window of stations.

References: Scholl, *Balancing and Sequencing of Assembly Lines* (1999), ch. 2.2.2 (LB1–LB3,
earliest and latest stations); Martello and Toth, *Knapsack Problems* (1990), ch. 8.3 (L2).
"""

from __future__ import annotations

from collections.abc import Sequence

from loom.apps.balancing.solver.salbp.instance import Instance, members


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def lb1(times: Sequence[int], c: int) -> int:
    """Return the capacity bound ceil(sum of times / c)."""
    return _ceil_div(sum(times), c)


def lb2(times: Sequence[int], c: int) -> int:
    """Return the halves bound: a task over c/2 needs a station of its own, c/2 counts half."""
    # Counted in halves so that the test t > c/2 stays exact integer arithmetic (2t > c).
    halves = sum(2 if 2 * t > c else 1 for t in times if 2 * t >= c)
    return _ceil_div(halves, 2)


def lb3(times: Sequence[int], c: int) -> int:
    """Return the thirds bound: weight 1 over 2c/3, 2/3 at 2c/3, 1/2 between, 1/3 at c/3."""
    sixths = 0  # weights in sixths keep the arithmetic exact
    for t in times:
        if 3 * t > 2 * c:
            sixths += 6
        elif 3 * t == 2 * c:
            sixths += 4
        elif 3 * t > c:
            sixths += 3
        elif 3 * t == c:
            sixths += 2
    return _ceil_div(sixths, 6)


def martello_toth_l2(times: Sequence[int], c: int) -> int:
    """Return Martello and Toth's L2 bin-packing bound (max over thresholds K <= c/2)."""
    best = 0
    for k in {0, *(t for t in times if 2 * t <= c)}:
        big = [t for t in times if t > c - k]  # J1: no other item of size >= k fits with them
        mid = [t for t in times if c - k >= t and 2 * t > c]  # J2: one per bin
        small = sum(t for t in times if 2 * t <= c and t >= k)  # J3: fills J2's room, then bins
        room = len(mid) * c - sum(mid)
        best = max(best, len(big) + len(mid) + max(0, _ceil_div(small - room, c)))
    return best


def bin_packing_bound(times: Sequence[int], c: int) -> int:
    """Return the best of the bin-packing bounds LB1, LB2, LB3 and L2."""
    return max(lb1(times, c), lb2(times, c), lb3(times, c), martello_toth_l2(times, c))


def earliest_stations(instance: Instance, c: int) -> list[int]:
    """Return each task's earliest station: its predecessors and itself need that many."""
    times = instance.times
    return [
        _set_bound([times[j] for j in members(instance.all_preds[i])] + [t], c)
        for i, t in enumerate(times)
    ]


def tails(instance: Instance, c: int) -> list[int]:
    """Return how many stations each task and its successors need (latest = m + 1 - tail)."""
    times = instance.times
    return [
        _set_bound([times[j] for j in members(instance.all_succs[i])] + [t], c)
        for i, t in enumerate(times)
    ]


def _set_bound(times: list[int], c: int) -> int:
    # LB1-3 are linear; L2 costs a pass per distinct small time, so it is kept for lower_bound.
    return max(lb1(times, c), lb2(times, c), lb3(times, c))


def windows(earliest: Sequence[int], tail: Sequence[int], m: int) -> list[tuple[int, int]] | None:
    """Return each task's station window [E_i, L_i] for ``m`` stations, None if one is empty."""
    out = []
    for e, q in zip(earliest, tail, strict=True):
        latest = m + 1 - q
        if latest < e:
            return None
        out.append((e, latest))
    return out


def windows_fit(times: Sequence[int], spans: Sequence[tuple[int, int]], c: int) -> bool:
    """Return whether, for every a <= b, the tasks whose window lies in [a, b] pass LB1-LB3.

    Those tasks can only use the b - a + 1 stations a..b, so a bin-packing bound above that
    rules the station count out. LB1-LB3 are sums of per-task weights, so each ``a`` costs
    one pass over the tasks and one over the stations.
    """
    m = max((b for _, b in spans), default=0)
    weights = [(t, halves(t, c), sixths(t, c)) for t in times]
    for a in range(1, m + 1):
        by_end = [[0, 0, 0] for _ in range(m + 1)]
        for (e, last), (t, h, s) in zip(spans, weights, strict=True):
            if e >= a:
                row = by_end[last]
                row[0] += t
                row[1] += h
                row[2] += s
        total = big = third = 0
        for b in range(a, m + 1):
            total += by_end[b][0]
            big += by_end[b][1]
            third += by_end[b][2]
            room = b - a + 1
            if total > room * c or big > 2 * room or third > 6 * room:
                return False
    return True


def halves(t: int, c: int) -> int:
    """Return a task's LB2 weight in halves: 2 over c/2, 1 at c/2, else 0."""
    return (2 if 2 * t > c else 1) if 2 * t >= c else 0


def sixths(t: int, c: int) -> int:
    """Return a task's LB3 weight in sixths: 6 over 2c/3, 4 at 2c/3, 3 over c/3, 2 at c/3."""
    if 3 * t > 2 * c:
        return 6
    if 3 * t == 2 * c:
        return 4
    if 3 * t > c:
        return 3
    return 2 if 3 * t == c else 0


def lower_bound(instance: Instance, c: int) -> int:
    """Return the best bound: bin packing, the longest chain, then windows ruled out."""
    earliest = earliest_stations(instance, c)
    tail = tails(instance, c)
    bound = max(bin_packing_bound(instance.times, c), max(earliest), max(tail))
    # Destructive improvement: while some task's window is empty, or the tasks confined to
    # a run of stations cannot fit in it, m stations cannot suffice.
    while True:
        spans = windows(earliest, tail, bound)
        if spans is not None and windows_fit(instance.times, spans, c):
            return bound
        bound += 1
