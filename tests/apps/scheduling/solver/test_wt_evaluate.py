"""Pricing a processing order, and the earliest-due-date baseline."""

from __future__ import annotations

import pytest

from loom.apps.scheduling.solver.wt import Job, edd_order, sequence, total_weighted_tardiness

# Four jobs (processing, weight, due), numbered 1-4 in the comments below.
FOUR = [Job(3, 2, 4), Job(2, 1, 3), Job(4, 3, 6), Job(1, 4, 2)]


def test_input_order_by_hand() -> None:
    # Order 1 2 3 4: completions 3, 5, 9, 10.
    #   job 1: 3 <= 4, on time                 -> 0
    #   job 2: 5 - 3 = 2 late, weight 1         -> 2
    #   job 3: 9 - 6 = 3 late, weight 3         -> 9
    #   job 4: 10 - 2 = 8 late, weight 4        -> 32
    # total 0 + 2 + 9 + 32 = 43
    assert total_weighted_tardiness(FOUR, [0, 1, 2, 3]) == 43


def test_another_order_by_hand() -> None:
    # Order 4 1 3 2: completions 1, 4, 8, 10.
    #   job 4: 1 <= 2 -> 0; job 1: 4 <= 4 -> 0 (finishing on the due date is on time)
    #   job 3: 8 - 6 = 2 late, weight 3 -> 6; job 2: 10 - 3 = 7 late, weight 1 -> 7
    # total 13, the optimum (the 24 orders were priced by hand and by the brute force below)
    assert total_weighted_tardiness(FOUR, [3, 0, 2, 1]) == 13
    assert sequence(FOUR, seed=0).sequence == (3, 0, 2, 1)


def test_edd_by_hand() -> None:
    # Due dates 4, 3, 6, 2 -> EDD is 4 2 1 3: completions 1, 3, 6, 10.
    #   job 4: 1 <= 2 -> 0; job 2: 3 <= 3 -> 0; job 1: 6 - 4 = 2, weight 2 -> 4
    #   job 3: 10 - 6 = 4, weight 3 -> 12; total 16 (so EDD is 3 above the optimum 13)
    order = edd_order(FOUR)
    assert order == [3, 1, 0, 2]
    assert total_weighted_tardiness(FOUR, order) == 16


def test_edd_breaks_ties_by_weight_then_input_order() -> None:
    jobs = [Job(1, 1, 5), Job(1, 3, 5), Job(1, 1, 2), Job(1, 1, 5)]
    # due 2 first; among due 5 the weight-3 job, then jobs 1 and 4 in input order
    assert edd_order(jobs) == [2, 1, 0, 3]


def test_zero_processing_time_and_zero_weight() -> None:
    # (0, 5, 0) completes at 0, on time; (2, 0, 0) is 2 late with weight 0 -> 0;
    # (1, 2, 1) then completes at 3, 2 late, weight 2 -> 4.
    jobs = [Job(0, 5, 0), Job(2, 0, 0), Job(1, 2, 1)]
    assert total_weighted_tardiness(jobs, [0, 1, 2]) == 4


@pytest.mark.parametrize("order", [[0, 1, 2], [0, 1, 2, 2], [0, 1, 1, 3], [1, 2, 3, 4]])
def test_order_must_be_a_permutation(order: list[int]) -> None:
    with pytest.raises(ValueError, match="not a permutation"):
        total_weighted_tardiness(FOUR, order)
