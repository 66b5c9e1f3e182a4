"""Dynasearch over block moves: swaps, forward and backward insertions, all at once.

A move that rearranges the jobs at positions i..j (i < j) of a sequence leaves the completion
time of position j, hence of every later job, unchanged. So moves on disjoint blocks change the
cost independently and their gains add up: dynasearch (Congram, Potts and van de Velde, 2002)
picks the best set of disjoint moves by a dynamic programme over positions. The three move
kinds are those of Grosso, Della Croce and Tadei's enhanced dynasearch (2004):

- swap (i, j): the jobs at i and j trade places; the jobs between shift by p[j] - p[i];
- forward insertion (i, j): the job at i moves to just after j; jobs i+1..j start p[i] earlier;
- backward insertion (i, j): the job at j moves to just before i; jobs i..j-1 start p[j] later.

Every gain of every (i, j) pair is computed at once with numpy in exact integer arithmetic:
an O(n^2) table for insertions (the shift depends on one end only, so prefix sums apply) and
an O(n^3) masked table for swaps (the shift depends on both ends).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

SWAP, FORWARD, BACKWARD = 0, 1, 2


@dataclass(frozen=True)
class Problem:
    """Processing times, weights and due dates as integer arrays indexed by job."""

    processing: IntArray
    weight: IntArray
    due: IntArray

    @classmethod
    def of(cls, processing: list[int], weight: list[int], due: list[int]) -> Problem:
        """Build the arrays from three equally long lists."""
        return cls(
            np.asarray(processing, dtype=np.int64),
            np.asarray(weight, dtype=np.int64),
            np.asarray(due, dtype=np.int64),
        )

    @property
    def size(self) -> int:
        """Return the number of jobs."""
        return int(self.processing.shape[0])

    def cost(self, order: IntArray) -> int:
        """Return the total weighted tardiness of ``order`` (job indices)."""
        completion = np.cumsum(self.processing[order])
        late = np.maximum(completion - self.due[order], 0)
        return int(np.dot(late, self.weight[order]))


class Neighbourhood:
    """Gains of every block move on sequences of one problem, and the best disjoint set."""

    def __init__(self, problem: Problem) -> None:
        """Precompute the index arrays for the problem's size."""
        self.problem = problem
        n = problem.size
        index = np.arange(n)
        upper = index[:, None] < index[None, :]
        self.after: IntArray = upper.astype(np.int64)  # [i, k] = 1 when k > i
        self.before: IntArray = upper.T.astype(np.int64)  # [j, k] = 1 when k < j
        self.first, self.last = (a.astype(np.int64) for a in np.triu_indices(n, 1))
        # The swap table lists, pair after pair, the positions strictly inside each block:
        # C(n, 3) entries instead of n^3, and a block's sum is a difference of prefix sums.
        gaps = self.last - self.first - 1
        self.inside_pair = np.repeat(np.arange(len(gaps), dtype=np.int64), gaps)
        self.inside_at = np.concatenate(
            [
                np.arange(i + 1, j, dtype=np.int64)
                for i, j in zip(self.first, self.last, strict=True)
            ]
            + [np.zeros(0, dtype=np.int64)]
        )
        self.offsets = np.concatenate(([0], np.cumsum(gaps))).astype(np.int64)
        self.blocks = np.arange(len(gaps), dtype=np.int64)
        self.prefix = np.zeros(len(self.inside_at) + 1, dtype=np.int64)

    def gains(self, order: IntArray) -> tuple[IntArray, IntArray]:
        """Return the best cost change, and its move kind, of each block (first[b], last[b])."""
        pb = self.problem
        p = pb.processing[order]
        w = pb.weight[order]
        d = pb.due[order]
        n = len(order)
        completion = np.cumsum(p)
        lateness = completion - d
        tardy = w * np.maximum(lateness, 0)
        first, last, at = self.first, self.last, self.inside_at
        p_first, p_last = p[first], p[last]

        # The end jobs' new cost: job j completing p[j] after i's start (swap, backward
        # insertion), job i completing at j's completion (swap, forward insertion).
        j_first = w[last] * np.maximum(completion[first] - p_first + p_last - d[last], 0)
        i_last = w[first] * np.maximum(completion[last] - d[first], 0)

        # Forward insertion: job k in (i, j] completes p[i] earlier; early[i, k] is its change.
        early = w * np.maximum(lateness - p[:, None], 0)
        early -= tardy
        early *= self.after  # keep k > i
        forward = np.cumsum(early, axis=1)[first, last] + i_last - tardy[first]

        # Backward insertion: job k in [i, j) completes p[j] later; late[j, k] is its change,
        # summed over k = i .. j - 1 by prefix sums taken from the right.
        late = w * np.maximum(lateness + p[:, None], 0)
        late -= tardy
        late *= self.before  # keep k < j
        from_right = np.cumsum(late[:, ::-1], axis=1)  # [j, m]: Σ late[j, k] for k >= n-1-m
        backward = from_right[last, n - 1 - first] + j_first - tardy[last]

        # Swap: job k strictly inside (i, j) shifts by p[j] - p[i].
        moved = np.maximum(lateness[at] + (p_last - p_first)[self.inside_pair], 0)
        moved *= w[at]
        moved -= tardy[at]
        np.cumsum(moved, out=self.prefix[1:])
        swap = self.prefix[self.offsets[1:]] - self.prefix[self.offsets[:-1]]
        swap += j_first + i_last - tardy[first] - tardy[last]

        stacked = np.stack((swap, forward, backward))
        kind = stacked.argmin(axis=0)
        return stacked[kind, self.blocks], kind

    def best_moves(self, order: IntArray) -> tuple[int, list[tuple[int, int, int]]]:
        """Return the dynasearch gain (<= 0) and its disjoint moves (i, j, kind)."""
        delta, kind = self.gains(order)
        n = self.problem.size
        # Only improving blocks can enter the optimum: group them by their last position.
        (improving,) = np.nonzero(delta < 0)
        ending: dict[int, list[tuple[int, int, int]]] = {}
        for i, j, change, how in zip(
            self.first[improving].tolist(),
            self.last[improving].tolist(),
            delta[improving].tolist(),
            kind[improving].tolist(),
            strict=True,
        ):
            ending.setdefault(j, []).append((i, change, how))
        # best[m]: least total change using blocks inside positions 0..m-1;
        # choice[m]: (first position, kind) of the block ending at m - 1, None when m - 1 stays put.
        best = [0] * (n + 1)
        choice: list[tuple[int, int] | None] = [None] * (n + 1)
        for m in range(1, n + 1):
            best[m], choice[m] = best[m - 1], None
            for i, change, how in ending.get(m - 1, ()):
                if best[i] + change < best[m]:
                    best[m], choice[m] = best[i] + change, (i, how)
        moves: list[tuple[int, int, int]] = []
        m = n
        while m > 0:
            picked = choice[m]
            if picked is None:
                m -= 1
                continue
            moves.append((picked[0], m - 1, picked[1]))
            m = picked[0]
        return best[n], moves


def apply_moves(order: IntArray, moves: list[tuple[int, int, int]]) -> IntArray:
    """Return a copy of ``order`` with the disjoint block moves applied."""
    result = order.copy()
    for i, j, kind in moves:
        if kind == SWAP:
            result[i], result[j] = order[j], order[i]
        elif kind == FORWARD:
            result[i:j] = order[i + 1 : j + 1]
            result[j] = order[i]
        else:
            result[i + 1 : j + 1] = order[i:j]
            result[i] = order[j]
    return result


def descend(neighbourhood: Neighbourhood, order: IntArray, cost: int) -> tuple[IntArray, int]:
    """Apply dynasearch steps until none improves; return the local optimum and its cost."""
    while True:
        gain, moves = neighbourhood.best_moves(order)
        if gain >= 0:
            return order, cost
        order = apply_moves(order, moves)
        cost += gain
