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


def lower_bound(instance: Instance, c: int) -> int:
    """Return the best bound: bin packing, the longest chain, then empty windows ruled out."""
    earliest = earliest_stations(instance, c)
    tail = tails(instance, c)
    bound = max(bin_packing_bound(instance.times, c), max(earliest), max(tail))
    # Destructive improvement: while some task's window is empty, m stations cannot suffice.
    while windows(earliest, tail, bound) is None:
        bound += 1
    return bound
