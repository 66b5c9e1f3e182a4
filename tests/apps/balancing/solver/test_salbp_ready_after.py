"""The tasks a closed station makes ready, shared by the tree search, the dives and the beams."""

from __future__ import annotations

from loom.apps.balancing.solver.salbp.instance import Instance, ready_after


def test_a_closed_load_frees_successors_whose_predecessors_are_all_placed() -> None:
    # 1 -> 3, 2 -> 3, 2 -> 4, 4 -> 5 (1-based); 0-based: 0->2, 1->2, 1->3, 3->4
    inst = Instance((1, 1, 1, 1, 1), ((1, 3), (2, 3), (2, 4), (4, 5)))
    ready = [1, 0]  # tasks 2 and 1, in the caller's order
    # closing a station with task 2 only: 1 stays ready, 4 is freed, 3 still waits for task 1
    load = 1 << 1
    assert ready_after(inst, ready, load, load) == [0, 3]
    # then closing one with task 1 (task 2 placed before): 3 is freed, once
    placed = load | 1 << 0
    assert ready_after(inst, [0, 3], 1 << 0, placed) == [3, 2]
    # a load of both 1 and 2 frees 3 and 4, ascending, and nothing of 5
    both = 0b11
    assert ready_after(inst, ready, both, both) == [2, 3]
