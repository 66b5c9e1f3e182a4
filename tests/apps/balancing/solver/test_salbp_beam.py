"""The beam search: plans at the target count, feasible, never below the optimum."""

from __future__ import annotations

import random
from time import perf_counter

import pytest

from loom.apps.balancing.solver.salbp import Instance, check
from loom.apps.balancing.solver.salbp import beam as beam_module
from loom.apps.balancing.solver.salbp.bbr import Search
from loom.apps.balancing.solver.salbp.beam import WIDEN, WIDTHS, Beam, search_beam
from loom.apps.balancing.solver.salbp.dive import Dive
from tests.apps.balancing.solver.test_salbp_exact import brute_force, random_instance


def _numbered(plan: list[list[int]]) -> list[list[int]]:
    return [[i + 1 for i in station] for station in plan]


def test_the_beam_fills_stations_exactly_when_it_must() -> None:
    # Times 3, 3, 2, 2, 2 without precedence, c = 6, m = 2: total 12 = 2 x 6, so both
    # stations must be exactly full: {3, 3} and {2, 2, 2} (in either order).
    instance = Instance((3, 3, 2, 2, 2), ())
    plan = search_beam(instance, 6, 2, perf_counter() + 5)
    assert plan is not None
    assert sorted(sorted(instance.times[i] for i in station) for station in plan) == [
        [2, 2, 2],
        [3, 3],
    ]


def test_a_beam_that_cannot_reach_the_count_empties() -> None:
    # Times 4, 4, 4 without precedence, c = 6: no two tasks share a station, so 2 stations
    # are too few; the beam must come back empty and say it finished (not cut by time).
    instance = Instance((4, 4, 4), ())
    search = Search(instance, 6, 2)
    beam = Beam(instance, 6, 2, Dive(instance, 6, 2, [0.0] * 3, search), 4)
    assert beam.run(perf_counter() + 5) == (None, True)


def test_the_reversed_line_gives_a_plan_in_line_order() -> None:
    # Chain 1 -> 2 -> 3 -> 4 of 5s with side tasks 5 (after 1) and 6 (before 4) of 1, c = 6:
    # 4 stations; whichever direction finds the plan, it must respect precedence forward.
    instance = Instance((5, 5, 5, 5, 1, 1), ((1, 2), (2, 3), (3, 4), (1, 5), (6, 4)))
    for seed in range(4):
        plan = search_beam(instance, 6, 4, perf_counter() + 5, seed=seed)
        assert plan is not None
        assert len(plan) == 4
        assert check(instance, 6, _numbered(plan)) == []


@pytest.mark.parametrize("seed", range(20))
def test_beams_return_only_feasible_plans_and_never_beat_the_optimum(seed: int) -> None:
    instance, c = random_instance(random.Random(3000 + seed))
    best = brute_force(instance, c)
    plan = search_beam(instance, c, best, perf_counter() + 0.5, seed=seed)
    if plan is not None:  # a beam may miss; what it returns must be right
        assert len(plan) <= best
        assert check(instance, c, _numbered(plan)) == []
    if best > 1:  # no plan exists below the optimum, so the beams must come back empty
        assert search_beam(instance, c, best - 1, perf_counter() + 0.2, seed=seed) is None


def test_a_beam_cut_by_its_deadline_resumes_where_it_stopped() -> None:
    # Times 3, 3, 2, 2, 2, c = 6, m = 2 (both stations exactly full): a deadline already
    # past cuts the beam before its first station; the next call goes on and finds the plan.
    instance = Instance((3, 3, 2, 2, 2), ())
    search = Search(instance, 6, 2)
    beam = Beam(instance, 6, 2, Dive(instance, 6, 2, [0.0] * 5, search), 4)
    assert beam.run(perf_counter() - 1) == (None, False)
    assert beam.k == 0
    plan, finished = beam.run(perf_counter() + 5)
    assert finished
    assert plan is not None
    assert check(instance, 6, _numbered(plan)) == []


def test_beams_take_the_widths_in_turn_and_double_them_after_rounds_that_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Times 4, 4, 4, c = 6, m = 2: every beam empties at once, so the finder keeps starting
    # beams; record their widths and stop after WIDEN rounds of WIDTHS and one more beam.
    widths: list[int] = []
    built = beam_module.Beam.__init__

    class Enough(Exception):
        pass

    def record(self: Beam, *args: object, **kwargs: object) -> None:
        width = args[4]
        assert isinstance(width, int)
        widths.append(width)
        if len(widths) > WIDEN * len(WIDTHS):
            raise Enough
        built(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(beam_module.Beam, "__init__", record)
    monkeypatch.setattr(beam_module, "SHORT_LINE", 1)  # 2 stations count as a long line here
    with pytest.raises(Enough):
        beam_module.BeamFinder(Instance((4, 4, 4), ()), 6, 2).run(perf_counter() + 60)
    assert widths == [*WIDTHS] * WIDEN + [2 * WIDTHS[0]]


@pytest.mark.parametrize("short_line", [1, 2])
def test_short_lines_start_with_the_forward_long_tasks_first_beam(
    monkeypatch: pytest.MonkeyPatch, short_line: int
) -> None:
    # Times 4, 4, 4, c = 6, m = 2: every beam empties at once; record the first two beams'
    # direction, value and width. A line of at most SHORT_LINE stations skips three turns.
    instance = Instance((4, 4, 4), ())
    seen: list[tuple[bool, bool, int]] = []
    built = beam_module.Beam.__init__

    class Enough(Exception):
        pass

    def record(self: Beam, *args: object, **kwargs: object) -> None:
        width = args[4]
        assert isinstance(width, int)
        seen.append((args[0] is instance, bool(kwargs.get("big")), width))
        if len(seen) == 2:
            raise Enough
        built(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(beam_module.Beam, "__init__", record)
    monkeypatch.setattr(beam_module, "SHORT_LINE", short_line)
    with pytest.raises(Enough):
        beam_module.BeamFinder(instance, 6, 2).run(perf_counter() + 60)
    if short_line >= 2:  # forward, long tasks first, the second width; then reversed
        assert seen == [(True, True, WIDTHS[1]), (False, False, WIDTHS[0])]
    else:  # reversed, due-early value, the first width; then forward
        assert seen == [(False, False, WIDTHS[0]), (True, False, WIDTHS[1])]


def test_a_beam_drops_lines_whose_open_tasks_force_more_idle_than_is_left() -> None:
    # c = 10, times 9, 9, 1, 1, 8, 2, no precedence, m = 3: total 30, so no idle at all. The
    # priority grows 8+1+1 first (full, idle 0), but it leaves both 9s without a 1 beside
    # them: 2 units of forced idle. A beam of width 1 must drop it and keep 9+1 or 8+2.
    instance = Instance((9, 9, 1, 1, 8, 2), ())
    search = Search(instance, 10, 3)
    dive = Dive(instance, 10, 3, [1.0, 1.0, 9.0, 9.0, 10.0, 0.0], search)
    plan, finished = Beam(instance, 10, 3, dive, 1).run(perf_counter() + 5)
    assert finished
    assert plan is not None
    assert sorted(sorted(instance.times[i] for i in s) for s in plan) == [[1, 9], [1, 9], [2, 8]]
