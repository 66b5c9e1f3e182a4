"""The load scenario's figures: the scenario, per-page percentiles, checks and printed lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.load_ingest import IngestTally
from bench.load_pages import every_page
from bench.shopfloor_common import percentile

TARGET_P95_MS = 300.0
LOGIN_NAMES = ("GET /login", "POST /login")


@dataclass(frozen=True)
class Scenario:
    """How many users for how long, the ingest rate, and how the server runs."""

    users: int
    seconds: int
    rate: float  # scan events per second
    batch: int  # events per POST
    workers: int  # loom serve worker processes
    spawn_rate: float  # users started per second
    district: bool  # the full demo district; False: the small demo (same logins)
    #: run on past ``seconds`` until every page has answered (at most ``cap_seconds``)
    until_every_page: bool = False
    cap_seconds: int = 0


FULL = Scenario(
    users=200, seconds=180, rate=5_000, batch=500, workers=2, spawn_rate=10, district=True
)
SMOKE = Scenario(
    users=20,
    seconds=20,
    rate=500,
    batch=100,
    workers=1,
    spawn_rate=20,
    district=False,
    until_every_page=True,
    cap_seconds=120,
)


@dataclass(frozen=True)
class PageStats:
    """One page's requests: how many, how many failed, and percentiles in milliseconds."""

    count: int
    errors: int
    p50: float
    p95: float
    p99: float
    max: float


@dataclass
class LoadResult:
    """Everything one run measured."""

    scenario: Scenario
    pages: dict[str, PageStats]
    logins: dict[str, PageStats]
    ingest: dict[str, Any]
    cpu: dict[str, Any]
    metrics_accepted: float  # loom_ingest_events_total{outcome="accepted"} summed over workers
    seed_seconds: float
    load_seconds: float  # locust's wall time, logins included
    failures: list[str] = field(default_factory=list)
    #: why page views and logins failed: "page: reason" -> count (locust's exception text)
    error_reasons: dict[str, int] = field(default_factory=dict)
    #: page views (logins apart) per stretch of WINDOW_SECONDS: start s, views, p50 and p95 ms
    windows: list[tuple[int, int, float, float]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Return failed page views and logins."""
        return sum(s.errors for s in [*self.pages.values(), *self.logins.values()])


def page_stats(samples: list[tuple[Any, ...]]) -> dict[str, PageStats]:
    """Return each page's count, failures and percentiles from (page, ms, ok[, reason]) rows."""
    by_name: dict[str, list[tuple[float, bool]]] = {}
    for name, millis, ok, *_ in samples:
        by_name.setdefault(name, []).append((millis, ok))
    out: dict[str, PageStats] = {}
    for name, rows in sorted(by_name.items()):
        times = sorted(t for t, _ in rows)
        out[name] = PageStats(
            count=len(rows),
            errors=sum(not ok for _, ok in rows),
            p50=round(percentile(times, 0.5), 1),
            p95=round(percentile(times, 0.95), 1),
            p99=round(percentile(times, 0.99), 1),
            max=round(times[-1], 1),
        )
    return out


WINDOW_SECONDS = 20


def windows(samples: list[tuple[Any, ...]]) -> list[tuple[int, int, float, float]]:
    """Return (start s, views, p50 ms, p95 ms) of the page views per WINDOW_SECONDS stretch.

    A run whose p95 is far above its p50 on every page either queues all the time or stalls
    now and then; the stretches tell which. Samples without a time (older locust files) are
    left out.
    """
    timed = [(row[4], row[1]) for row in samples if len(row) > 4 and row[0] not in LOGIN_NAMES]
    if not timed:
        return []
    first = min(at for at, _ in timed)
    stretches: dict[int, list[float]] = {}
    for at, millis in timed:
        stretches.setdefault(int((at - first) // WINDOW_SECONDS), []).append(millis)
    out = []
    for index in sorted(stretches):
        times = sorted(stretches[index])
        out.append(
            (
                index * WINDOW_SECONDS,
                len(times),
                round(percentile(times, 0.5), 1),
                round(percentile(times, 0.95), 1),
            )
        )
    return out


def error_reasons(samples: list[tuple[Any, ...]]) -> dict[str, int]:
    """Return how often each (page, reason) failed, most frequent first."""
    counts = Counter(
        f"{name}: {rest[0] if rest else '?'}" for name, _, ok, *rest in samples if not ok
    )
    return dict(counts.most_common())


def ingest_figures(tally: IngestTally, wall: float, scenario: Scenario) -> dict[str, Any]:
    return {
        "target_events_per_second": scenario.rate,
        "achieved_events_per_second": round(tally.accepted / wall, 1),
        "accepted": tally.accepted,
        "sent_in_answered_batches": tally.sent,
        "duplicates": tally.duplicates,
        "rejected": tally.rejected,
        "errors": tally.errors,
        "first_error": tally.first_error,
        "worst_lateness_seconds": round(tally.behind_seconds, 2),
        "batches_unsent_at_the_end": tally.unsent,
        "wall_seconds": round(wall, 1),
    }


def checks(result: LoadResult) -> list[tuple[str, bool, str]]:
    """Return (what, ok, detail) of the run's correctness checks (latency is a target, not one)."""
    ingest = result.ingest
    unseen = sorted(set(every_page()) - {p for p, s in result.pages.items() if s.count})
    return [
        ("no page view or login failed", result.errors == 0, f"{result.errors} errors"),
        ("every page was opened", not unseen, f"never opened: {unseen}" if unseen else "all"),
        (
            "every scan was accepted, none repeated, refused or failed",
            ingest["accepted"] == ingest["sent_in_answered_batches"] > 0
            and not (ingest["duplicates"] or ingest["rejected"] or ingest["errors"]),
            f"accepted {ingest['accepted']:,} of {ingest['sent_in_answered_batches']:,}, "
            f"{ingest['errors']} failed requests {ingest['first_error']}".strip(),
        ),
        (
            "/metrics (all workers summed) counts the accepted scans",
            result.metrics_accepted == ingest["accepted"],
            f"/metrics {result.metrics_accepted:,.0f}, driver {ingest['accepted']:,}",
        ),
    ]


def lines(result: LoadResult) -> list[str]:
    """Return the run as printable lines: one per page, then the ingest and the CPU."""
    s = result.scenario
    out = [
        f"{s.users} users, {s.seconds} s, ingest target {s.rate:,.0f} events/s in batches of "
        f"{s.batch}, loom serve --workers {s.workers}, "
        f"{'demo district' if s.district else 'small demo'} (seeded in {result.seed_seconds} s)",
        f"{'page':<34} {'views':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8}",
    ]
    for name, st in [*result.pages.items(), *result.logins.items()]:
        flag = "" if name in LOGIN_NAMES or st.p95 < TARGET_P95_MS else "  p95 >= 300 ms"
        out.append(
            f"{name:<34} {st.count:>6} {st.errors:>6} {st.p50:>8.1f} {st.p95:>8.1f} "
            f"{st.p99:>8.1f} {st.max:>8.1f}{flag}"
        )
    everything = sum(st.count for st in result.pages.values())
    out.append(
        f"page views {everything:,} in {result.load_seconds} s "
        f"({everything / result.load_seconds:.1f}/s), errors {result.errors}"
    )
    ingest = result.ingest
    out.append(
        f"ingest: {ingest['achieved_events_per_second']:,.0f} events/s achieved of "
        f"{ingest['target_events_per_second']:,.0f} ({ingest['accepted']:,} accepted in "
        f"{ingest['wall_seconds']} s, worst lateness {ingest['worst_lateness_seconds']} s)"
    )
    out.append("cpu: " + ", ".join(f"{k} {v}" for k, v in result.cpu.items()))
    out.extend(f"failed: {count} x {reason}" for reason, count in result.error_reasons.items())
    if result.windows:
        stretches = [f"{at} s: {n} p50 {a:.0f} p95 {b:.0f}" for at, n, a, b in result.windows]
        out.append(f"page views per {WINDOW_SECONDS} s from the first: " + "; ".join(stretches))
    return out


def as_json(result: LoadResult) -> dict[str, Any]:
    """Return the run as plain JSON data."""
    data = asdict(result)
    data["errors"] = result.errors
    data["checks"] = [{"what": w, "ok": ok, "detail": d} for w, ok, d in checks(result)]
    return data
