"""Pruning for the station-by-station trial: deadlines of the work left, and dominated states.

Both are proofs, not heuristics (tests in ``test_garment_prune.py``):

- **Deadlines.** On a line of ``K`` stations each operation's last share sits no later than
  its window allows (``intervals.py``: ``K`` minus the stations its descendants need). After
  ``k`` stations the operations left whose deadline is ``d`` or earlier must all be sewn on
  stations ``k..d``; per machine type they need their work over a station and no fewer
  stations than their shares over half a station. A state where some ``d`` fails has no
  completion within ``K``. The tail bound checks each operation alone; this checks them
  together, and on the shirts it halves the states a trial keeps (docs/solver-garment.md).
- **Dominance.** A state whose done operations are a subset of another reached state's, with
  every split it has begun either finished there or begun with the same part count and no
  more shares placed, and nothing begun there that it has not begun, is no better: any
  completion of it, with the other state's extra shares dropped, completes the other. Only
  supersets one operation away are looked up (each a dictionary probe); two away doubled the
  time for 7 % fewer states.
"""

from __future__ import annotations

from collections.abc import Sequence

# the deadline test's trial calls before it may be switched off as useless
TRY_CALLS = 1_000
# resting, the test runs on one call in this many
SAMPLE = 16
# a state: (done operations as a bitmask, begun splits as (index, parts, shares placed))
State = tuple[int, tuple[tuple[int, int, int], ...]]
# per done set and begun (operation, parts): the shares placed in the states kept
Kept = dict[tuple[int, tuple[tuple[int, int], ...]], list[tuple[int, ...]]]


class Deadlines:
    """The work each run of stations from the next one on must hold, per machine type."""

    def __init__(
        self,
        kind: Sequence[int],
        size: Sequence[Sequence[int]],
        lo: Sequence[int],
        capacity: int,
        due: Sequence[int],
    ) -> None:
        """Group the operations by deadline (0-based last station), earliest first."""
        self.kind, self.size, self.lo, self.capacity = kind, size, lo, capacity
        self.calls = self.failed = 0
        self.resting = False  # run on a sample only (it ruled out too little)
        self.kinds = max(kind, default=-1) + 1
        # unbegun, an operation's shares are all over half a station if its finest one is
        self.big_unbegun = [lo[i] if 2 * size[i][-1] > capacity else 0 for i in range(len(kind))]
        groups: dict[int, int] = {}
        for i, d in enumerate(due):
            groups[d] = groups.get(d, 0) | 1 << i
        self.groups = sorted(groups.items())  # (deadline, operations due then as a bitmask)
        # the operations due by each group's deadline: a state skips the groups it has done
        self.due_by: list[int] = []
        for _, mask in self.groups:
            self.due_by.append((self.due_by[-1] if self.due_by else 0) | mask)

    def check(self, state: State, start: int, room: int) -> bool:
        """Return ``fit``, run on every call while it pays and on a sample while it does not.

        From the end of a fanning-in style the deadlines are the sub-assemblies' starts and
        ruled out none of 27,827 states of a shirt (a fifth of the trial's time); from the
        start they rule out a third, but only from the middle layers on. So after
        ``TRY_CALLS`` calls ruling out under 1 % the test runs on one call in ``SAMPLE``,
        and the first state it rules out there turns it back on. It only prunes: skipping
        it loses no line and proves nothing false.
        """
        self.calls += 1
        if self.resting and self.calls % SAMPLE:
            return True
        if self.fit(state, start, room):
            if not self.resting and self.calls >= TRY_CALLS and self.failed * 100 < self.calls:
                self.resting = True
            return True
        if self.resting:  # it pays again: count afresh
            self.resting, self.calls, self.failed = False, 0, 0
        self.failed += 1
        return False

    def fit(self, state: State, start: int, room: int) -> bool:
        """Return False when the work due by some station overflows stations ``start..``.

        ``room`` is the stations the caller's bound already grants the whole rest: runs
        ending later cannot fail where the whole rest did not.
        """
        done, begun = state
        placed = {i: (parts, count) for i, parts, count in begun}
        work = [0] * self.kinds
        big = [0] * self.kinds
        needs = [0] * self.kinds
        need = 0
        capacity, kind, size, groups = self.capacity, self.kind, self.size, self.groups
        # the first group with an operation not done (done only grows along the deadlines'
        # prefix masks, so a bisection finds it)
        low, high = 0, len(groups)
        while low < high:
            middle = (low + high) // 2
            if self.due_by[middle] & ~done:
                high = middle
            else:
                low = middle + 1
        for g in range(low, len(groups)):
            due, mask = groups[g]
            span = due - start + 1
            if span >= room:
                return True
            pending = mask & ~done
            if not pending:
                continue  # nothing more is due: the need is unchanged
            while pending:
                low = pending & -pending
                pending ^= low
                i = low.bit_length() - 1
                k = kind[i]
                if i in placed:
                    parts, count = placed[i]
                    share = size[i][parts]
                    work[k] += (parts - count) * share
                    if 2 * share > capacity:
                        big[k] += parts - count
                else:
                    work[k] += size[i][1]
                    big[k] += self.big_unbegun[i]
                stations = -(-work[k] // capacity)
                if big[k] > stations:
                    stations = big[k]
                need += stations - needs[k]
                needs[k] = stations
            if need > span or span < 0:  # more than fits, or work due before the next station
                return False
        return True


def slot(state: State, kept: Kept) -> tuple[list[tuple[int, ...]], tuple[int, ...]] | None:
    """Return where to record ``state`` as kept, or None when a like kept one is as far on.

    "Like": the same done set and the same splits begun with the same part counts; "as far
    on": at least as many shares of each placed.
    """
    done, begun = state
    counts = tuple(count for _, _, count in begun)
    known = kept.setdefault((done, tuple((i, parts) for i, parts, _ in begun)), [])
    return None if _at_least(known, counts) else (known, counts)


def dominated(state: State, kept: Kept, preds: Sequence[int]) -> bool:
    """Return True when a kept state has one more operation done and is at least as far."""
    done, begun = state
    keys = tuple((i, parts) for i, parts, _ in begun)
    counts = tuple(count for _, _, count in begun)
    begun_mask = 0
    for i, _, _ in begun:
        begun_mask |= 1 << i
    # one more whole operation, every predecessor done
    rest = ~(done | begun_mask) & ((1 << len(preds)) - 1)
    while rest:
        low = rest & -rest
        j = low.bit_length() - 1
        rest ^= low
        if not preds[j] & ~done and _at_least(kept.get((done | low, keys)), counts):
            return True
    # one begun split finished
    for n, (i, _, _) in enumerate(begun):
        key = (done | 1 << i, keys[:n] + keys[n + 1 :])
        if _at_least(kept.get(key), counts[:n] + counts[n + 1 :]):
            return True
    return False


def _at_least(known: list[tuple[int, ...]] | None, counts: tuple[int, ...]) -> bool:
    """Return True when some kept count vector places at least ``counts`` shares of each split."""
    if not known:
        return False
    return any(all(a >= b for a, b in zip(old, counts, strict=True)) for old in known)
