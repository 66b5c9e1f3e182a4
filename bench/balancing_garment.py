"""Garment line balancing: the exact engine on generated styles, next to the greedy line.

Seeded styles of 20, 40, 60 and 80 operations with a realistic machine mix (lockstitch most,
then overlock, coverstitch, bartack, buttonhole, button sewing and manual work), SAM 0.1 to
1.5 min, and precedence as a few parallel sub-assemblies joined at assembly. Each style is
balanced at a target output per hour (cycle-time mode: fewest operators, then the shortest
bottleneck) with anonymous operators and with a named 30-operator skills matrix, and once in
operators mode. The baseline is the greedy line of the same run. Every answer is re-checked
by ``evaluate``; an invalid line fails the run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Sequence

from bench.core import Check, Config, Note, Report, Row
from loom.apps.balancing.solver.garment import evaluate, solve
from loom.apps.balancing.solver.garment.heuristic import greedy, greedy_operators
from loom.apps.balancing.solver.model import E4, LineProblem, Solution, Task, Worker

NAME = "balancing_garment"
SEED = 2024
SIZES = (20, 40, 60, 80)
TIME_LIMIT = 10.0
# share of operations per machine type, as in shirts, trousers and jackets
MIX = (
    ("lockstitch", 0.52),
    ("overlock", 0.18),
    ("coverstitch", 0.07),
    ("bartack", 0.05),
    ("buttonhole", 0.04),
    ("buttonsew", 0.04),
    ("manual", 0.10),
)


def style(size: int, rng: random.Random) -> tuple[Task, ...]:
    """Return a generated routing: sub-assemblies in parallel, joined at assembly."""
    kinds = [kind for kind, _ in MIX]
    weights = [share for _, share in MIX]
    groups = rng.randint(3, 5)
    assembly = max(3, size // 3)
    sizes = _spread(size - assembly, groups, rng)
    tasks: list[Task] = []
    ends: list[int] = []
    next_id = 1

    def add(predecessors: tuple[int, ...]) -> int:
        nonlocal next_id
        before = [t.machine_type for t in tasks if t.id in predecessors]
        # seams come in runs on one machine (a collar: several lockstitch steps in a row)
        kind = before[0] if before and rng.random() < 0.45 else rng.choices(kinds, weights)[0]
        # most operations are short; a few long seams reach 1.5 min
        sam = 1_000 + round(rng.betavariate(1.4, 3.5) * 14_000 / 10) * 10
        grade = rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0]
        task = Task(next_id, f"OP{next_id:03d}", sam, kind, grade, predecessors)
        tasks.append(task)
        next_id += 1
        return task.id

    for count in sizes:
        previous: tuple[int, ...] = ()
        for _ in range(count):
            if previous and rng.random() < 0.25 and len(tasks) > 1:
                # a parallel branch inside the sub-assembly: starts where the last one did
                start = tasks[-1].predecessors
                previous = (add(start), *previous)
                continue
            previous = (add(previous),)
        ends.extend(previous)
    joined: tuple[int, ...] = tuple(ends)
    for _ in range(assembly):
        joined = (add(joined),)
    return tuple(tasks)


def _spread(total: int, groups: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.sample(range(1, total), groups - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def skills_matrix(tasks: Sequence[Task], rng: random.Random, count: int = 30) -> tuple[Worker, ...]:
    """Return ``count`` named operators: one main machine, some a second, grades 1 to 3."""
    work: dict[str, int] = {}
    for task in tasks:
        work[task.machine_type] = work.get(task.machine_type, 0) + task.sam_e4
    kinds = sorted(work)
    weights = [work[k] for k in kinds]
    workers = []
    for index in range(count):
        # every machine type present gets at least one operator, the rest by workload
        main = kinds[index] if index < len(kinds) else rng.choices(kinds, weights)[0]
        # the first operator on each machine type is a grade-3 master of it
        grade = 3 if index < len(kinds) else rng.choices((1, 2, 3), (0.2, 0.45, 0.35))[0]
        grades = {main: grade}
        rates = {main: rng.randint(80, 125)}
        if rng.random() < 0.45:
            other = rng.choice(kinds)
            if other != main:
                grades[other] = rng.choice((1, 2))
                rates[other] = rng.randint(65, 100)
        workers.append(Worker(index + 1, f"W{index + 1:02d}", grades, rates))
    return tuple(workers)


def instances(config: Config) -> list[tuple[str, LineProblem]]:
    """Return the seeded cases: anonymous and named, cycle-time and operators mode."""
    rng = random.Random(SEED)
    per_size = config.pick(3, 2)
    cases: list[tuple[str, LineProblem]] = []
    for size in SIZES if not config.quick else SIZES[:3]:
        for copy in range(per_size):
            tasks = style(size, rng)
            total = sum(t.sam_e4 for t in tasks)
            # a target output per hour that needs roughly one operator per 2.5 operations
            cycle = max(max(t.sam_e4 for t in tasks) // 3 + 1, round(total / (size / 2.5) / 0.9))
            cases.append((f"anonymous {size}", LineProblem(tasks, cycle_time_e4=cycle)))
            named = skills_matrix(tasks, rng)
            # the named line: a pace the greedy line holds with 24 anonymous operators, plus
            # 15 % for skills and efficiencies, so that 30 named operators can usually make it
            loose = greedy_operators(LineProblem(tasks, operators=24), 24)
            pace = evaluate(LineProblem(tasks, operators=24), loose).bottleneck_e4 if loose else 0
            named_cycle = max(cycle, round(pace * 1.15))
            cases.append((f"named-30 {size}", LineProblem(tasks, named, cycle_time_e4=named_cycle)))
            if copy == 0:
                operators = max(3, round(size / 1.6))
                cases.append((f"operators {size}", LineProblem(tasks, operators=operators)))
    return cases


def _baseline(problem: LineProblem) -> tuple[int, int] | None:
    if problem.cycle_time_e4 is not None:
        line = greedy(problem, problem.cycle_time_e4)
    else:
        assert problem.operators is not None
        line = greedy_operators(problem, problem.operators)
    if line is None:
        return None
    figures = evaluate(problem, line)
    return figures.operators, figures.bottleneck_e4


def run(config: Config, report: Report) -> None:
    """Solve every generated case with a 10 s limit and compare with the greedy line."""
    results: dict[str, list[tuple[Solution, tuple[int, int] | None]]] = {}
    for group, problem in instances(config):
        answer = solve(problem, time_limit=TIME_LIMIT, workers=1)
        results.setdefault(group, []).append((answer, _baseline(problem)))
        if answer.assignment is not None:
            bad = evaluate(problem, answer.assignment).violations
            if bad:
                report.checks.append(
                    Check(NAME, group, "returned line is valid", False, bad[0].message)
                )
    for group, answers in results.items():
        seconds = [a.seconds for a, _ in answers]
        proved = sum(a.optimal for a, _ in answers)
        solved = [(a, b) for a, b in answers if a.figures is not None]
        ops = sum(a.figures.operators for a, _ in solved if a.figures)
        base_ops = sum(b[0] for _, b in solved if b)
        neck = sum(a.figures.bottleneck_e4 for a, _ in solved if a.figures)
        base_neck = sum(b[1] for _, b in solved if b)
        cycle_mode = not group.startswith("operators")
        # cycle-time mode: the operator count is proved when the bound meets it
        first = sum(
            a.figures is not None and a.lower_bound == a.figures.operators for a, _ in solved
        )
        greedy_failed = sum(b is None for _, b in answers)
        report.rows.append(
            Row(NAME, group, "solve (10 s limit, 1 core)", "styles", 1, len(seconds), seconds)
        )
        level = f"operators proved minimal {first}/{len(answers)}; " if cycle_mode else ""
        report.notes.append(
            Note(
                NAME,
                group,
                f"{proved}/{len(answers)} proved optimal; {level}seconds median "
                f"{statistics.median(seconds):.2f}, max {max(seconds):.2f}; operators "
                f"{ops} (greedy {base_ops}); bottleneck sum {neck / E4:.3f} min (greedy "
                f"{base_neck / E4:.3f} min); greedy found no line for {greedy_failed}; "
                f"{len(answers) - len(solved)} refused",
            )
        )
        report.checks.append(
            Check(
                NAME,
                group,
                "never worse than the greedy line",
                all(
                    b is None
                    or (
                        a.figures is not None
                        and (a.figures.operators, a.figures.bottleneck_e4) <= b
                    )
                    for a, b in answers
                ),
                f"{len(solved)} lines checked",
            )
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run standalone and print the notes and checks."""
    parser = argparse.ArgumentParser(prog="python -m bench.balancing_garment")
    parser.add_argument("--quick", action="store_true", help="fewer, smaller styles")
    args = parser.parse_args(argv)
    report = Report()
    run(Config(quick=args.quick), report)
    for note in report.notes:
        print(f"note  [{note.backend}] {note.text}")
    for check in report.checks:
        print(f"{'ok  ' if check.ok else 'FAIL'}  [{check.backend}] {check.what}: {check.detail}")
    return 0 if all(c.ok for c in report.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
