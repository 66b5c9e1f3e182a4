"""Lower bounds and station windows on small cases computed by hand."""

from __future__ import annotations

import random

import pytest

from loom.apps.balancing.solver.salbp import Instance
from loom.apps.balancing.solver.salbp.bounds import (
    bin_packing_bound,
    earliest_stations,
    lb1,
    lb2,
    lb3,
    lower_bound,
    martello_toth_l2,
    tails,
    windows,
    windows_fit,
)
from loom.apps.balancing.solver.salbp.parse import parse_in2
from tests.apps.balancing.solver.salbp_data import MERTENS
from tests.apps.balancing.solver.test_salbp_exact import brute_force, random_instance


def test_capacity_halves_and_thirds_bounds() -> None:
    times = [6, 6, 6, 5, 4, 3]  # sum 30, c = 10
    assert lb1(times, 10) == 3  # ceil(30 / 10)
    # three tasks over c/2 count one each, the 5 (= c/2) counts a half: ceil(3.5) = 4
    assert lb2(times, 10) == 4
    # over c/3 and under 2c/3 (6, 6, 6, 5, 4) weigh 1/2 each: ceil(2.5) = 3
    assert lb3(times, 10) == 3


def test_thirds_bound_sees_what_halves_miss() -> None:
    times = [7, 7, 7, 4, 4, 4]  # c = 10: 7 > 2c/3 weighs 1, 4 in (c/3, c/2) weighs 1/2
    assert lb2(times, 10) == 3
    assert lb3(times, 10) == 5  # ceil(3 + 1.5)
    assert bin_packing_bound(times, 10) == 5


def test_martello_toth_l2() -> None:
    # K = 5: the 6s go alone (3 bins), the 5 cannot join them (6 + 5 > 10): one more bin.
    assert martello_toth_l2([6, 6, 6, 5, 4, 3], 10) == 4
    # 6 + 4 pairs fill bins exactly; L2 must not claim more than 4 bins for 4 such pairs.
    assert martello_toth_l2([6, 6, 6, 6, 4, 4, 4, 4], 10) == 4
    # K = 4: J1 = {7, 7, 7}; the three 4s need ceil(12 / 10) = 2 bins of their own.
    assert martello_toth_l2([7, 7, 7, 4, 4, 4], 10) == 5


def test_earliest_and_latest_stations_of_mertens() -> None:
    instance = parse_in2(MERTENS)
    # Task 6 follows 1, 2 and 5: 1 + 5 + 5 + 6 = 17 > 10, so station 2 at the earliest.
    assert earliest_stations(instance, 10) == [1, 1, 1, 1, 2, 2, 1]
    # Task 1 precedes everything: 29 units need 3 stations; task 2 precedes 3, 5, 6: 20 units.
    assert tails(instance, 10) == [3, 2, 1, 1, 2, 1, 1]
    span = windows(earliest_stations(instance, 10), tails(instance, 10), 3)
    assert span is not None
    assert span[0] == (1, 1)  # task 1 must open the line
    assert span[5] == (2, 3)
    assert windows(earliest_stations(instance, 10), tails(instance, 10), 2) is None
    assert lower_bound(instance, 10) == 3


def test_windows_raise_the_bound_for_a_chain() -> None:
    # A chain 5 -> 6 -> 5 with c = 10: bin packing says 2 stations, but no two neighbours
    # fit together, so task 2 can neither open nor close a 2-station line: 3 stations.
    instance = Instance((5, 6, 5), ((1, 2), (2, 3)))
    assert bin_packing_bound(instance.times, 10) == 2
    assert earliest_stations(instance, 10) == [1, 2, 2]
    assert tails(instance, 10) == [2, 2, 1]
    assert lower_bound(instance, 10) == 3


def test_tasks_confined_to_a_station_must_fit_in_it() -> None:
    # c = 13; arcs 1->2, 1->3, 2->3, 2->4; times 5, 4, 8, 9 (sum 26).
    # Bin packing gives 2 (LB1 = 2; the 8 and 9 count two halves each; thirds 12/6).
    # For m = 2: tasks 1, 2 must open the line (tails 2: {4, 8, 9} needs two stations) and
    # tasks 3, 4 follow 5 + 4, so both are confined to station 2, where 8 + 9 = 17 > 13.
    instance = Instance((5, 4, 8, 9), ((1, 2), (1, 3), (2, 3), (2, 4)))
    assert bin_packing_bound(instance.times, 13) == 2
    span = windows(earliest_stations(instance, 13), tails(instance, 13), 2)
    assert span == [(1, 1), (1, 1), (2, 2), (2, 2)]
    assert not windows_fit(instance.times, span, 13)
    assert lower_bound(instance, 13) == 3  # {1, 2}, {3}, {4} meets it


@pytest.mark.parametrize("seed", range(40))
def test_lower_bound_never_exceeds_the_brute_forced_optimum(seed: int) -> None:
    instance, c = random_instance(random.Random(3000 + seed))
    assert lower_bound(instance, c) <= brute_force(instance, c)
