"""A seeded, realistic stream of scans: every line works its bundles through the routing.

Each local day, every line takes its next bundles in cutting order and works them from 08:00 to
20:00 (Beijing). A bundle's operations are scanned in routing order, about 16 minutes apart, each
by one of the few operators who work that operation on the line. About 3% of done scans are
followed by a rework scan a few minutes later, and about 2% of bundles get a defect scan at the
final inspection. Every scan is valid: ingest must apply all of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from random import Random

from loom.modules.shopfloor.engine.events import LOCAL_TZ, event_dict
from loom.modules.shopfloor.service.sample import SampleFactory

REWORK_SHARE = 0.03
DEFECT_SHARE = 0.02
#: bundles start over the first 80% of the working day; their operations span the rest
WORKDAY = timedelta(hours=12)
START_SPREAD = WORKDAY * 0.8
#: scans per bundle on average: the routing's done scans, rework and defects
SCANS_PER_BUNDLE_EXTRA = 9 * REWORK_SHARE + DEFECT_SHARE


def bundles_per_order(events: int, lines: int) -> int:
    """Return the bundles each line's order needs to yield ``events`` scans, with 5 % to spare."""
    return math.ceil(events / (9 + SCANS_PER_BUNDLE_EXTRA) / lines * 1.05) + 1


@dataclass(frozen=True, slots=True)
class Scan:
    """One scan as a device makes it."""

    ts: datetime
    line_id: int
    bundle: int
    operation: int
    operator: str
    qty: int
    kind: str
    device: str


@dataclass
class LineWork:
    """A line's operators and the bundles it will work, in cutting order."""

    line_id: int
    operators: list[str]
    bundles: list[tuple[int, int]]  # (bundle number, pieces)
    next_index: int = 0

    def take(self, count: int) -> list[tuple[int, int]]:
        """Return the line's next ``count`` bundles (fewer at the end of its work)."""
        taken = self.bundles[self.next_index : self.next_index + count]
        self.next_index += len(taken)
        return taken


def line_work(sample: SampleFactory) -> list[LineWork]:
    """Return each seeded line with its operators and its order's bundles."""
    line_of_order = dict(zip(sample.orders, sample.lines, strict=True))
    work = {line: LineWork(line, list(sample.operators[line]), []) for line in sample.lines}
    for number, qty, order in sample.bundles:
        work[line_of_order[order]].bundles.append((number, qty))
    return list(work.values())


def workday_start(day: date) -> datetime:
    """Return 08:00 Beijing time of ``day``, in UTC."""
    return datetime.combine(day, time(8), tzinfo=LOCAL_TZ).astimezone(UTC)


def day_scans(
    day: date,
    lines: Sequence[LineWork],
    operations: Sequence[int],
    bundles_per_line: int,
    rng: Random,
) -> list[Scan]:
    """Return one local day's scans of every line, in time order."""
    start = workday_start(day)
    steps = len(operations)
    step = (WORKDAY - START_SPREAD) / steps
    found: list[Scan] = []
    for work in lines:
        bundles = work.take(bundles_per_line)
        if not bundles:
            continue
        # a few operators per operation: operator j works operation j mod the routing's length
        groups = [work.operators[k::steps] or work.operators for k in range(steps)]
        spacing = START_SPREAD / len(bundles)
        for i, (number, qty) in enumerate(bundles):
            base = start + spacing * i
            for k, operation in enumerate(operations):
                group = groups[k]
                who = group[i % len(group)]
                ts = base + step * k + timedelta(seconds=rng.uniform(0, 60))
                device = f"ws-{who}"
                found.append(Scan(ts, work.line_id, number, operation, who, qty, "done", device))
                if rng.random() < REWORK_SHARE:
                    later = ts + timedelta(minutes=rng.uniform(2, 10))
                    pieces = rng.randint(1, 3)
                    found.append(
                        Scan(later, work.line_id, number, operation, who, pieces, "rework", device)
                    )
            if rng.random() < DEFECT_SHARE:
                last = operations[-1]
                who = groups[-1][i % len(groups[-1])]
                ts = base + step * steps + timedelta(seconds=rng.uniform(0, 60))
                found.append(Scan(ts, work.line_id, number, last, who, 1, "defect", f"ws-{who}"))
    found.sort(key=lambda scan: scan.ts)
    return found


def scan_days(
    first_day: date,
    lines: Sequence[LineWork],
    operations: Sequence[int],
    bundles_per_line: int,
    *,
    seed: int,
) -> Iterator[tuple[date, list[Scan]]]:
    """Yield (local day, its scans) from ``first_day`` until every line's bundles are worked."""
    rng = Random(seed)
    day = first_day
    while any(work.next_index < len(work.bundles) for work in lines):
        yield day, day_scans(day, lines, operations, bundles_per_line, rng)
        day += timedelta(days=1)


def event_dicts(scans: Sequence[Scan], key: bytes, org_id: int) -> list[dict[str, object]]:
    """Return the scans as a device sends them: UUIDv7 ids, signed coupons."""
    return [
        event_dict(
            key,
            org_id,
            bundle=s.bundle,
            operation=s.operation,
            operator=s.operator,
            ts=s.ts,
            qty=s.qty,
            kind=s.kind,
            device=s.device,
        )
        for s in scans
    ]
