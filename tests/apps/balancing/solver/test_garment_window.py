"""The window local search: re-solved runs of stations replace the run, never a broken line."""

from __future__ import annotations

import random

import pytest

from loom.apps.balancing.solver.garment import evaluate, solve, window
from loom.apps.balancing.solver.garment.window import improve
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task

LS, OV = "lockstitch", "overlock"


def resolve(problem: LineProblem, seconds: float) -> Assignment | None:
    return solve(problem, time_limit=seconds).assignment


def test_a_window_packs_its_operations() -> None:
    # A, B, C (lockstitch, 0.3 min each) one per station, then D (overlock) after all three:
    # the first window holds them all; A, B and C fit one operator at a 1.0 min cycle
    tasks = (
        Task(1, "A", 3_000, LS),
        Task(2, "B", 3_000, LS),
        Task(3, "C", 3_000, LS),
        Task(4, "D", 2_000, OV, predecessors=(1, 2, 3)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    line = Assignment(tuple(Station(None, ((n, 1),)) for n in (1, 2, 3, 4)))
    better = improve(problem, line, 10.0, resolve)
    assert len(better.stations) == 2
    assert better.stations[-1].tasks == ((4, 1),)
    assert evaluate(problem, better).violations == ()


def test_a_window_is_not_cut_inside_a_split(monkeypatch: pytest.MonkeyPatch) -> None:
    # windows of two stations: [A/2] [A/2] cannot be cut after the first; [A/2 | A/2 B]
    # would be cut through A, so the window from station 1 is skipped and the line kept
    monkeypatch.setattr(window, "WINDOW", 2)
    monkeypatch.setattr(window, "STEP", 1)
    tasks = (Task(1, "A", 16_000, LS), Task(2, "B", 1_000, LS, predecessors=(1,)))
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    line = Assignment((Station(None, ((1, 2),)), Station(None, ((1, 2), (2, 1)))))
    seen: list[tuple[int, ...]] = []

    def spy(sub: LineProblem, seconds: float) -> Assignment | None:
        seen.append(tuple(t.id for t in sub.tasks))
        return resolve(sub, seconds)

    assert improve(problem, line, 10.0, spy) == line
    assert set(seen) == {(1, 2)}  # only the whole line, never A's parts apart
    assert window._cut(list(line.stations), 1) is None


@pytest.mark.parametrize("seed", range(12))
def test_improved_lines_stay_valid_and_never_longer(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "WINDOW", 3)
    monkeypatch.setattr(window, "STEP", 2)
    rng = random.Random(seed)
    tasks: list[Task] = []
    for n in range(1, rng.randint(6, 9) + 1):
        preds = tuple(p for p in range(1, n) if rng.random() < 0.3)
        sam = rng.choice((rng.randrange(1_000, 6_000, 500), rng.randrange(11_000, 19_000, 500)))
        tasks.append(Task(n, f"T{n}", sam, rng.choice((LS, OV)), 1, preds))
    problem = LineProblem(tuple(tasks), cycle_time_e4=10_000)
    # every share on its own station, in id order (ids follow precedence): a valid, long line
    line = Assignment(
        tuple(
            Station(None, ((t.id, parts),))
            for t in tasks
            for parts in [-(-t.sam_e4 // 10_000)]
            for _ in range(parts)
        )
    )
    assert evaluate(problem, line).violations == ()
    better = improve(problem, line, 30.0, resolve)
    assert evaluate(problem, better).violations == ()
    assert len(better.stations) <= len(line.stations)
