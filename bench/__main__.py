"""Run the benchmarks, print a table and write var/bench/results-<timestamp>.json."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from bench import (
    assessment_plan,
    assessment_score,
    audit_append,
    audit_concurrent,
    audit_verify,
    balancing_garment,
    load,
    request_auth,
    salbp,
    scheduling_plan,
    shopfloor_dashboards,
    shopfloor_ingest,
    shopfloor_mqtt,
    wt,
)
from bench.core import Check, Config, Report, Row, postgres_server_url
from bench.machine import REPO, machine_facts

BENCHMARKS: dict[str, Callable[[Config, Report], None]] = {
    audit_append.NAME: audit_append.run,
    audit_verify.NAME: audit_verify.run,
    request_auth.NAME: request_auth.run,
    audit_concurrent.NAME: audit_concurrent.run,
    assessment_score.NAME: assessment_score.run,
    assessment_plan.NAME: assessment_plan.run,
    shopfloor_ingest.NAME: shopfloor_ingest.run,
    shopfloor_dashboards.NAME: shopfloor_dashboards.run,
    shopfloor_mqtt.NAME: shopfloor_mqtt.run,
    balancing_garment.NAME: balancing_garment.run,
    scheduling_plan.NAME: scheduling_plan.run,
    wt.NAME: wt.run,
    salbp.NAME: salbp.run,
    # last: minutes long, and it loads the whole machine (users, ingest, several workers)
    load.NAME: load.run,
}


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short run (smoke test, < 30 s)")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(BENCHMARKS),
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    return parser.parse_args(argv)


def _format_rate(rate: float) -> str:
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:,.1f}"


def _format_ratio(row: Row) -> str:
    if row.cost_ratio is None:
        return "baseline"
    spread = row.cost_ratio_quartiles
    if spread is None:
        return f"{_number(row.cost_ratio)}x"
    return f"{_number(row.cost_ratio)}x ({_number(spread[0])}-{_number(spread[1])})"


def _number(value: float) -> str:
    # Two decimals hide tiny ratios (a hash next to a request); keep two significant digits.
    return f"{value:.2f}" if value >= 0.1 else f"{value:.2g}"


def print_table(rows: Sequence[Row]) -> None:
    """Print one line per case: rate, time per operation and cost ratio to its baseline."""
    header = ("benchmark", "backend", "case", "per second", "µs/op", "cost ratio (IQR)")
    lines = [
        (
            r.benchmark,
            r.backend,
            r.case,
            f"{_format_rate(r.rate)} {r.unit}",
            f"{r.median_seconds_per_op * 1e6:,.1f}",
            _format_ratio(r),
        )
        for r in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines, strict=True)]
    right = {3, 4, 5}

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    previous = None
    for row, line in zip(rows, lines, strict=True):
        if previous is not None and (row.benchmark, row.backend) != previous:
            print()
        previous = (row.benchmark, row.backend)
        print(fmt(line))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected benchmarks and record their results."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = _parse(arguments)
    config = Config(quick=args.quick)
    selected = [name for name in BENCHMARKS if not args.only or name in args.only]
    server = postgres_server_url()
    started = datetime.now(UTC)
    facts = machine_facts(server)
    print(f"Loom benchmarks ({'quick' if config.quick else 'full'} run)")
    print(f"machine: {facts['cpu_model']}, {facts['cpu_count']} cores, {facts['ram_gib']} GiB")
    print(f"PostgreSQL: {'yes' if server else 'not configured (set LOOM_BENCH_POSTGRES_URL)'}")
    report = Report()
    durations: dict[str, float] = {}
    for name in selected:
        print(f"running {name} ...", flush=True)
        began = perf_counter()
        try:
            BENCHMARKS[name](config, report)
        except Exception as exc:  # keep the other benchmarks' figures; the failure is reported
            traceback.print_exc()
            report.checks.append(Check(name, "-", "benchmark ran to the end", False, repr(exc)))
        durations[name] = round(perf_counter() - began, 1)
    print()
    print_table(report.rows)
    print()
    for note in report.notes:
        print(f"note  {note.benchmark} [{note.backend}] {note.text}")
    if report.notes:
        print()
    for check in report.checks:
        print(
            f"{'ok  ' if check.ok else 'FAIL'}  {check.benchmark} [{check.backend}] "
            f"{check.what}: {check.detail}"
        )
    failed = [c for c in report.checks if not c.ok]
    result: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "command": shlex.join([sys.executable, "-m", "bench", *arguments]),
        "quick": config.quick,
        "rounds": config.rounds,
        "round_seconds": config.round_seconds,
        "benchmarks": selected,
        "duration_seconds": durations,
        "machine": {**facts, "load_average_at_end": list(os.getloadavg())},
        "results": [row.as_json() for row in report.rows],
        "checks": [check.as_json() for check in report.checks],
        "notes": [note.as_json() for note in report.notes],
    }
    out_dir = REPO / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"results-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print()
    print(f"durations (s): {durations}")
    print(f"results written to {out.relative_to(REPO)}")
    if failed:
        print(
            f"\n*** {len(failed)} CHECK(S) FAILED: the figures above describe broken behaviour ***"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
