"""The dynasearch neighbourhood: every predicted gain equals the recomputed cost change."""

from __future__ import annotations

import random

import numpy as np
import pytest

from loom.apps.scheduling.solver.wt.moves import (
    BACKWARD,
    FORWARD,
    SWAP,
    Neighbourhood,
    Problem,
    apply_moves,
    descend,
)


def random_problem(rng: random.Random, n: int) -> Problem:
    """Return n jobs with due dates spread over the whole makespan (so some are late)."""
    processing = [rng.randint(0, 10) for _ in range(n)]
    return Problem.of(
        processing,
        [rng.randint(0, 10) for _ in range(n)],
        [rng.randint(0, sum(processing)) for _ in range(n)],
    )


def test_moves_rearrange_blocks() -> None:
    order = np.arange(6, dtype=np.int64)
    assert apply_moves(order, [(1, 4, SWAP)]).tolist() == [0, 4, 2, 3, 1, 5]
    assert apply_moves(order, [(1, 4, FORWARD)]).tolist() == [0, 2, 3, 4, 1, 5]
    assert apply_moves(order, [(1, 4, BACKWARD)]).tolist() == [0, 4, 1, 2, 3, 5]
    assert apply_moves(order, [(0, 1, SWAP), (3, 5, FORWARD)]).tolist() == [1, 0, 2, 4, 5, 3]
    assert order.tolist() == [0, 1, 2, 3, 4, 5]  # the input is left alone


@pytest.mark.parametrize("seed", range(6))
def test_every_gain_matches_the_recomputed_cost(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(15):
        n = rng.randint(2, 9)
        problem = random_problem(rng, n)
        neighbourhood = Neighbourhood(problem)
        order = np.asarray(rng.sample(range(n), n), dtype=np.int64)
        base = problem.cost(order)
        delta, kind = neighbourhood.gains(order)
        blocks = zip(neighbourhood.first.tolist(), neighbourhood.last.tolist(), strict=True)
        for b, (i, j) in enumerate(blocks):
            changes = [problem.cost(apply_moves(order, [(i, j, k)])) - base for k in range(3)]
            assert delta[b] == min(changes)
            assert changes[int(kind[b])] == delta[b]
        gain, moves = neighbourhood.best_moves(order)
        assert problem.cost(apply_moves(order, moves)) - base == gain
        assert gain <= min(0, int(delta.min()))  # at least as good as the best single move


def test_dynasearch_combines_disjoint_blocks() -> None:
    # (p, w, d) = (5, 1, 10), (1, 10, 1), (5, 1, 20), (1, 10, 7) in order 0 1 2 3 complete at
    # 5, 6, 11, 12: job 1 is 6 - 1 = 5 late (x10 = 50), job 3 is 12 - 7 = 5 late (x10 = 50),
    # the others are on time: 100. Swapping 0/1 makes both on time (1 <= 1, 6 <= 10) and so
    # does swapping 2/3 (7 <= 7, 12 <= 20). The blocks are disjoint, so one dynasearch step
    # takes both swaps and saves the whole 100.
    problem = Problem.of([5, 1, 5, 1], [1, 10, 1, 10], [10, 1, 20, 7])
    order = np.arange(4, dtype=np.int64)
    assert problem.cost(order) == 100
    gain, moves = Neighbourhood(problem).best_moves(order)
    assert gain == -100
    assert sorted(moves) == [(0, 1, SWAP), (2, 3, SWAP)]
    best, cost = descend(Neighbourhood(problem), order, 100)
    assert (best.tolist(), cost) == ([1, 0, 3, 2], 0)
