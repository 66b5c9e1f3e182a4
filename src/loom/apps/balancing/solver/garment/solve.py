"""Solve a style: the fewest operators at a cycle time, or the shortest cycle for operators."""

from __future__ import annotations

from math import ceil
from time import perf_counter

from loom.apps.balancing.solver.garment import answers
from loom.apps.balancing.solver.garment.bounds import cycle_bound, line_bound
from loom.apps.balancing.solver.garment.chain import append_chain, chain_bound, closing_chain
from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.garment.grouped import GroupModel
from loom.apps.balancing.solver.garment.heuristic import greedy, greedy_operators
from loom.apps.balancing.solver.garment.inputs import problem_error
from loom.apps.balancing.solver.garment.intervals import StyleBounds
from loom.apps.balancing.solver.garment.layers import Layers, shortest_cycle
from loom.apps.balancing.solver.garment.packing import PackingBound, bottleneck_bound, packing_bound
from loom.apps.balancing.solver.garment.rules import (
    loosest_cycle,
    operator_range,
    split_range,
)
from loom.apps.balancing.solver.garment.staffed import shortest_staffed, staffed_line
from loom.apps.balancing.solver.garment.trials import (
    Trials,
    fewest_at_shortest_by_trials,
    shortest_by_trials,
)
from loom.apps.balancing.solver.garment.window import Resolve, improve
from loom.apps.balancing.solver.model import Assignment, LineProblem, Solution

# the share of the time limit the per-machine-type relaxation may take for its bound
RELAXATION_SHARE = 0.3
# of that, the share the whole style's packing takes (the rest: the head before the chain)
FULL_SHARE = 0.6
# the share of the time limit a style ending in an assembly chain gives its head's own search
HEAD_SHARE = 0.3
# the shares of the time limit the windows of a large style's line take (window.py): before
# the search (its hint) and after it (what it found)
WINDOW_SHARE = 0.15
RESERVE_SHARE = 0.1
# anonymous lines: the share of the time limit the beam of station-by-station lines takes
# (layers.py), and the exact station-by-station trial's for large styles
BEAM_SHARE = 0.2
TRIAL_SHARE = 0.75
# the share of what is left the tie-break's trials take (the bottleneck a step shorter)
NECK_TRIAL_SHARE = 0.8
# operators mode: the share of what the beam leaves the trials take (at a half, one trousers
# line lost its CP-SAT improvement when the trials did not finish)
OPERATORS_TRIAL_SHARE = 0.3
# named lines: the share of the limit for anonymous lines staffed by matching (staffed.py);
# measured: fewer operators than the greedy line on all 12 benchmark styles in 1 s each. In
# operators mode it bisects the cycle, a staffing per step: 3 s at a 10 s limit
STAFF_SHARE = 0.1
OPERATORS_STAFF_SHARE = 0.3
# from this many operations on, the whole-style search rarely improves the greedy line in
# 10 s and the head's search pays; below it (tees, trousers) the search proves the style
# and the head's share would only be taken from it (measured: docs/solver-garment.md)
LARGE_STYLE = 48
# a search phase starts only with this much of the limit left (s): building its models costs
LEAST_PHASE = 0.25


def solve(problem: LineProblem, *, time_limit: float = 10.0, workers: int = 1) -> Solution:
    """Return a proven-optimal line when the time allows, a valid one otherwise, or a refusal.

    Cycle-time mode minimises operators, then the bottleneck; operators mode minimises the
    bottleneck, then operators. Every answer is checked by ``evaluate`` before it is returned.
    """
    started = perf_counter()
    error = problem_error(problem)
    if error:
        return answers.refuse(error, started)
    if problem.cycle_time_e4 is not None:
        return _fewest_operators(problem, problem.cycle_time_e4, time_limit, workers, started)
    assert problem.operators is not None
    return _shortest_cycle(problem, problem.operators, time_limit, workers, started)


def _fewest_operators(
    problem: LineProblem, cycle: int, limit: float, threads: int, started: float
) -> Solution:
    ranges = {task.id: split_range(problem, task, cycle) for task in problem.tasks}
    for task in problem.tasks:
        if ranges[task.id][0] > ranges[task.id][1]:
            return answers.refuse(
                f"Operation {task.code} needs more than {problem.max_split} operators "
                "at this cycle time.",
                started,
            )
    least = {task_id: lo for task_id, (lo, _) in ranges.items()}
    bound = line_bound(problem, cycle, least)
    if problem.workers and bound > len(problem.workers):
        return answers.refuse(answers.too_few(bound, len(problem.workers)), started)
    deadline = started + limit
    best = _valid(problem, greedy(problem, cycle))
    if problem.workers and (best is None or len(best.stations) > bound):
        seconds = min(STAFF_SHARE * limit, deadline - perf_counter())
        best = staffed_line(problem, cycle, ranges, seconds, best)
    runs = StyleBounds(problem, cycle, ranges)
    if best is not None and len(best.stations) > bound:
        # runs of stations that cannot hold the tasks they must: cheap, no CP-SAT
        bound = runs.bound(bound, len(best.stations))
    layers = None if problem.workers else Layers(problem, cycle, ranges, runs.reaches())
    beamed = None  # the beam's line; below LARGE_STYLE CP-SAT proves most styles from the
    # greedy line, and a shorter hint there measured no better (docs/solver-garment.md)
    wide = len(problem.tasks) > LARGE_STYLE
    if layers is not None and wide and best is not None and len(best.stations) > bound:
        # lines built station by station, the most promising states of each layer kept
        seconds = min(BEAM_SHARE * limit, deadline - perf_counter())
        beamed = _valid(problem, layers.beam(seconds, bound))
        if beamed is not None and len(beamed.stations) < len(best.stations):
            best = beamed
        if len(best.stations) > bound:
            # the exact trial a station below it, from both ends: no line there proves it
            seconds = min(TRIAL_SHARE * limit, deadline - perf_counter())
            best, bound = Trials(problem, cycle, ranges, layers).shorter(best, bound, seconds)
    head_bound = 0  # a proved bound on the head's operators, from its own search
    large = best is not None and len(best.stations) > bound and len(problem.tasks) > LARGE_STYLE
    # the windows never shortened a beam's line (measured): their time goes to the bounds
    reserve = RESERVE_SHARE * limit if large and not problem.workers and not beamed else 0.0
    if best is not None and large and deadline - perf_counter() > LEAST_PHASE:
        seconds = min(HEAD_SHARE * limit, deadline - perf_counter())
        composed, head_bound = _composed(problem, ranges, cycle, seconds, threads)
        if composed is not None and len(composed.stations) < len(best.stations):
            best = composed
        if reserve:  # a shorter line is a better hint for the search, too
            best = improve(problem, best, WINDOW_SHARE * limit, _window_solver(threads))
    most = len(best.stations) if best else len(problem.workers) or _every_share(ranges)
    # with no time left only a refusal needs these (no line yet): building their models
    # alone took 0.2 s past the limit on a jacket
    if best is None or (len(best.stations) > bound and deadline - perf_counter() > LEAST_PHASE):
        # the packing of each machine type on its own, with the conflicts precedence implies
        budget = min(RELAXATION_SHARE * limit, deadline - perf_counter())
        packing = packing_bound(problem, ranges, cycle, budget * FULL_SHARE)
        chain, known = _chain(problem, ranges, cycle, head_bound, deadline - perf_counter(), budget)
        bound = max(bound, packing.total, chain)
        spots: dict[int, tuple[int, int]] = {}  # each task's stations in a shorter line
        if best is not None:  # again, with the head's stronger bound
            high = len(best.stations)
            bound = runs.bound(bound, high, known)
            spots = runs.places(high - 1) if bound < high else {}
        if problem.workers and bound > len(problem.workers):
            return answers.refuse(answers.too_few(bound, len(problem.workers)), started)
        if bound > most:
            return answers.refuse(answers.none_up_to(most), started, bound)
        # look for a line shorter than the best known one, with only the split counts whose
        # packing can fit in it: a proof that none exists proves the known line optimal
        if best is None or len(best.stations) > bound:
            best, proved = _search(
                problem,
                best,
                bound,
                (most, cycle),
                ranges,
                packing,
                spots,
                threads,
                deadline - reserve,
            )
            if best is None and proved > most:
                return answers.refuse(answers.none_up_to(most), started, bound)
            bound = proved
    if best is None:
        return answers.refuse(answers.no_line(bound, most, limit), started, bound)
    if reserve and len(best.stations) > bound:
        best = improve(problem, best, deadline - perf_counter(), _window_solver(threads))
    stations = len(best.stations)
    if stations > bound:
        return answers.result(problem, best, bound, False, started, "fewer operators not ruled out")
    line, proved = _shortest(problem, best, stations, ranges, threads, deadline, False)
    what = "the fewest operators, then the shortest bottleneck"
    if not proved:
        what = "the fewest operators (proved); the bottleneck is not proved shortest"
    return answers.result(problem, line, bound, proved, started, what)


def _search(
    problem: LineProblem,
    best: Assignment | None,
    bound: int,
    sizes: tuple[int, int],
    ranges: dict[int, tuple[int, int]],
    packing: PackingBound,
    spots: dict[int, tuple[int, int]],
    threads: int,
    deadline: float,
) -> tuple[Assignment | None, int]:
    """Return the best line and the proved bound after looking for a shorter line.

    ``sizes``: the most operators and the cycle. Only the split counts whose packing can
    fit are looked at, each task only on the stations it may take in a shorter line
    (``spots``): a proof that none exists proves the known line optimal. None: no line.
    """
    most, cycle = sizes
    target = len(best.stations) - 1 if best else most
    allowed = {kind.kind: packing.allowed(kind.kind, target) for kind in packing.types}
    model = GroupModel(problem, target, cycle, cycle, ranges, allowed=allowed, places=spots)
    outcome = model.solve(deadline - perf_counter(), threads, "stations", bound)
    found = _valid(problem, outcome.assignment)
    if outcome.status == "infeasible":  # no line of ``target``: the known one is optimal
        return best, len(best.stations) if best else most + 1
    if found is not None:
        best = found
        if outcome.status == "optimal":
            bound = len(found.stations)
    if outcome.status in ("feasible", "unknown"):
        bound = max(bound, min(ceil(outcome.bound), target + 1))
    return best, bound


def _chain(
    problem: LineProblem,
    ranges: dict[int, tuple[int, int]],
    cycle: int,
    known: int,
    left: float,
    budget: float,
) -> tuple[int, dict[frozenset[int], int]]:
    """Return the closing-chain bound, the head bounded by its windows and its packing.

    ``known`` is a bound the head's own search proved (0: none; then pack the head here).
    Also the head's bound by its task ids, for the interval bound.
    """
    least = {task_id: lo for task_id, (lo, _) in ranges.items()}
    heads: dict[frozenset[int], int] = {}

    def head_bound(head: LineProblem) -> int:
        seconds = min(budget * (1 - FULL_SHARE), left)
        # the head's own search already packed the head (and more): no need to again
        packed = 0
        if not known and seconds > 0:
            packed = packing_bound(head, ranges, cycle, seconds).total
        found = max(line_bound(head, cycle, least), known or packed)
        heads[frozenset(t.id for t in head.tasks)] = found
        return found

    return chain_bound(problem, ranges, cycle, head_bound), heads


def _composed(
    problem: LineProblem, ranges: dict[int, tuple[int, int]], cycle: int, limit: float, threads: int
) -> tuple[Assignment | None, int]:
    """Return the head's best line found in ``limit``, then the closing chain packed exactly.

    Also the head's proved bound on operators: with the chain's own, a bound on the style.
    """
    split = closing_chain(problem)
    if split is None or problem.workers or not split.head.tasks:
        return None, 0  # named workers: the chain's packing does not staff its stations
    answer = solve(split.head, time_limit=limit, workers=threads)
    head = answer.assignment
    if head is None:
        return None, 0
    stations = append_chain(problem, head.stations, split.chain, ranges, cycle)
    if stations is None:
        return None, answer.lower_bound
    line = _valid(problem, Assignment(stations))
    return line, answer.lower_bound


def _window_solver(threads: int) -> Resolve:
    """Return the exact search as the window search's sub-solver."""
    return lambda window, seconds: solve(window, time_limit=seconds, workers=threads).assignment


def _shortest_cycle(
    problem: LineProblem, operators: int, limit: float, threads: int, started: float
) -> Solution:
    stations = min(operators, len(problem.workers)) if problem.workers else operators
    deadline = started + limit
    low = cycle_bound(problem, stations)
    best = _valid(problem, greedy_operators(problem, stations))
    high = evaluate(problem, best).bottleneck_e4 if best else loosest_cycle(problem)
    if problem.workers:  # anonymous lines at a tighter pace, staffed by matching
        seconds = min(OPERATORS_STAFF_SHARE * limit, deadline - perf_counter())
        best = shortest_staffed(problem, stations, (low, high - 1), seconds, best)
        high = evaluate(problem, best).bottleneck_e4 if best else high
    if best is not None and not problem.workers:  # the beam's lines, bisecting the cycle
        seconds = min(BEAM_SHARE * limit, deadline - perf_counter())
        beamed = _valid(problem, shortest_cycle(problem, stations, low, high - 1, seconds))
        best = beamed or best
        high = evaluate(problem, best).bottleneck_e4
        # exact trials at a bottleneck one e4 shorter, then a station fewer
        seconds = OPERATORS_TRIAL_SHARE * (deadline - perf_counter())
        line, neck_proved, proved = fewest_at_shortest_by_trials(
            problem, best, stations, min(low, high), seconds
        )
        best, high = line, evaluate(problem, line).bottleneck_e4
        if proved:
            what = "the shortest bottleneck, then the fewest operators"
            return answers.result(problem, best, high, True, started, what)
        if neck_proved:
            low = high
    low = min(low, high)
    if best is not None:
        low = bottleneck_bound(
            problem,
            stations,
            low,
            high,
            lambda lo, hi: {t.id: operator_range(problem, t.id, lo, hi) for t in problem.tasks},
            min(RELAXATION_SHARE * limit, deadline - perf_counter()),
        )
    ranges = {t.id: operator_range(problem, t.id, low, high) for t in problem.tasks}
    model = GroupModel(problem, stations, low, high, ranges, split_rule=True)
    if best is not None:
        model.hint(best)
    outcome = model.solve(deadline - perf_counter(), threads, "cycle", low)
    if outcome.status == "infeasible" and best is None:
        return answers.refuse(f"No valid line exists with {stations} operators.", started)
    found = _valid(problem, outcome.assignment)
    best = found or best
    if best is None:
        return answers.refuse(answers.no_line(stations, stations, limit), started)
    neck = evaluate(problem, best).bottleneck_e4
    if outcome.status == "optimal" and found is not None:  # the objective counts operators
        return answers.result(
            problem, best, neck, True, started, "the shortest bottleneck, then the fewest operators"
        )
    if outcome.status == "feasible":
        low = max(low, ceil(outcome.bound))
    if low < neck:
        return answers.result(problem, best, low, False, started, "the shortest bottleneck")
    # the bottleneck is proved: now the fewest operators that hold it
    tight = {t.id: operator_range(problem, t.id, neck, neck) for t in problem.tasks}
    fewest = line_bound(problem, neck, {k: lo for k, (lo, _) in tight.items()})
    proved = len(best.stations) <= fewest
    if not proved:
        again = GroupModel(problem, len(best.stations), neck, neck, tight, split_rule=True)
        again.hint(best)
        fewer = again.solve(deadline - perf_counter(), threads, "stations", fewest)
        best = _valid(problem, fewer.assignment) or best
        proved = fewer.status == "optimal"
    what = "the shortest bottleneck, then the fewest operators"
    if not proved:
        what = "the shortest bottleneck (proved); fewer operators not ruled out"
    return answers.result(problem, best, neck, proved, started, what)


def _shortest(
    problem: LineProblem,
    best: Assignment,
    stations: int,
    ranges: dict[int, tuple[int, int]],
    threads: int,
    deadline: float,
    split_rule: bool,
) -> tuple[Assignment, bool]:
    """Return the line of ``stations`` with the shortest bottleneck found, and if proved."""
    high = evaluate(problem, best).bottleneck_e4
    low = min(cycle_bound(problem, stations), high)
    if not problem.workers:  # the beam's lines, bisecting the cycle with these split counts
        seconds = BEAM_SHARE * (deadline - perf_counter())
        best = (
            _valid(problem, shortest_cycle(problem, stations, low, high - 1, seconds, ranges))
            or best
        )
        high = evaluate(problem, best).bottleneck_e4
        seconds = NECK_TRIAL_SHARE * (deadline - perf_counter())
        best, proved = shortest_by_trials(problem, best, stations, ranges, seconds)
        if proved:
            return best, True
        high = evaluate(problem, best).bottleneck_e4
    budget = min(RELAXATION_SHARE * (deadline - perf_counter()), deadline - perf_counter())
    # the operators are proved; the tie-break keeps the cheaper steps (intervals: measured
    # to cost trousers their proof of the bottleneck, docs/solver-garment.md)
    low = bottleneck_bound(problem, stations, low, high, lambda _lo, _hi: ranges, budget, False)
    if low >= high:
        return best, True
    model = GroupModel(problem, stations, low, high, ranges, split_rule=split_rule)
    model.hint(best)
    outcome = model.solve(deadline - perf_counter(), threads, "cycle", low)
    line = _valid(problem, outcome.assignment) or best
    return line, outcome.status == "optimal"


def _every_share(ranges: dict[int, tuple[int, int]]) -> int:
    # every share on its own station, in precedence order, is always a valid anonymous line
    return sum(lo for lo, _ in ranges.values())


def _valid(problem: LineProblem, assignment: Assignment | None) -> Assignment | None:
    if assignment is None or evaluate(problem, assignment).violations:
        return None
    return assignment
