"""Samples kept between views: fewer provider reads, the same consent, the same read log.

The district and its figures are in ``district.py``: output W1 1 050, W2 720, 1 770 in all,
from E1, E2, E3, E4 and E6; E3 makes 300 in W1 and 330 in W2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import cast

import pytest
from sqlalchemy import Engine, func, select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.enablement import set_enabled
from loom.kernel.plugins.spec import AppSpec, MetricSample
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.engine.kanon import ALL, TOTAL
from loom.modules.brain.models import BrainRead
from loom.modules.brain.service import sample_cache
from loom.modules.brain.service.collect import read_shared, sharing
from loom.modules.brain.service.indices import IndexTable, index_table
from loom.modules.brain.service.sample_cache import Memo, SampleCache
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.models import LineHour
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.brain.district import (
    END,
    METRIC,
    START,
    W1,
    W2,
    District,
    enterprise_scope,
    seed_district,
    share,
)

SHARING = ("E1", "E2", "E3", "E4", "E6")


class Counted:
    """The district's apps with the output provider wrapped to count its calls per enterprise."""

    def __init__(self, apps: dict[str, AppSpec]) -> None:
        self.calls: list[int] = []
        spec = next(s for s in apps.values() if any(m.name == METRIC for m in s.brain_metrics))
        metrics = tuple(
            replace(m, provider=self._wrap(m.provider)) if m.name == METRIC else m
            for m in spec.brain_metrics
        )
        self.apps = {**apps, spec.slug: replace(spec, brain_metrics=metrics)}

    def _wrap(self, provider: Callable[..., Sequence[MetricSample]]) -> Callable[..., object]:
        def counted(session: object, scope: Scope, start: date, end: date) -> object:
            self.calls.append(scope.org_id)
            return provider(session, scope, start, end)

        return counted


def _view(factory: Factory, district: District, counted: Counted) -> IndexTable:
    with session_scope(factory.runtime.session_factory) as s:
        return index_table(s, district.reader(), counted.apps, METRIC, START, END, "all")


def _figures(found: IndexTable) -> list[float | None]:
    cells = [found.table.shown(ALL, column) for column in (W1, W2, TOTAL)]
    return [None if cell is None else cell.numerator for cell in cells]


def _reads(factory: Factory, org_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(BrainRead)
    if org_id is not None:
        stmt = stmt.where(BrainRead.org_id == org_id)
    with session_scope(factory.runtime.session_factory) as s:
        return int(s.scalar(stmt) or 0)


@both_backends
def test_a_second_view_reuses_the_samples_and_still_logs_every_read(factory: Factory) -> None:
    district = seed_district(factory)
    counted = Counted(factory.runtime.apps)
    first = _view(factory, district, counted)
    second = _view(factory, district, counted)
    assert _figures(first) == _figures(second) == [1050, 720, 1770]
    # the provider was asked once per sharing enterprise, on the first view only
    assert sorted(counted.calls) == sorted(district.orgs[n].id for n in SHARING)
    # the table is built once for the same kept samples
    assert second.table is first.table
    # every view is still a read of every sharing enterprise: 2 views × 5 enterprises
    assert _reads(factory) == 10
    with session_scope(factory.runtime.session_factory) as s:
        events = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "brain.data.read")
        )
    assert events == 10


@both_backends
def test_a_revocation_hides_a_kept_enterprise_at_the_next_view(factory: Factory) -> None:
    district = seed_district(factory)
    counted = Counted(factory.runtime.apps)
    assert _figures(_view(factory, district, counted)) == [1050, 720, 1770]
    share(factory, district.orgs["E3"], "output", "none")
    # without E3's kept samples: W1 1 050 − 300 = 750, W2 720 − 330 = 390, 1 140 in all
    assert _figures(_view(factory, district, counted)) == [750, 390, 1140]
    assert len(counted.calls) == 5  # the other four came from what was kept
    assert _reads(factory, district.orgs["E3"].id) == 1


def test_a_disabled_app_hides_a_kept_enterprise_at_the_next_view(factory: Factory) -> None:
    district = seed_district(factory)
    counted = Counted(factory.runtime.apps)
    _view(factory, district, counted)
    e3 = district.orgs["E3"]
    spec = factory.runtime.apps["shopfloor"]
    with session_scope(factory.runtime.session_factory) as s:
        org = s.get(Organisation, e3.id)
        assert org is not None
        set_enabled(s, enterprise_scope(e3), org, spec, False)
    assert _figures(_view(factory, district, counted)) == [750, 390, 1140]
    assert _reads(factory, e3.id) == 1


def test_a_coarser_consent_is_read_anew_at_its_granularity(factory: Factory) -> None:
    district = seed_district(factory)
    counted = Counted(factory.runtime.apps)
    e1 = district.orgs["E1"].id

    def e1_days() -> list[date]:
        with session_scope(factory.runtime.session_factory) as s:
            shared = sharing(s, counted.apps, METRIC)
            series = read_shared(s, district.reader(), shared, START, END, purpose="t", reuse=True)
        return [sample.day for org in series if org.org_id == e1 for sample in org.samples]

    assert e1_days() == [date(2026, 3, 10), date(2026, 3, 17)]  # daily, as produced
    share(factory, district.orgs["E1"], "output", "weekly")
    assert e1_days() == [W1, W2]  # weekly sums dated their Monday: not the kept daily ones
    assert counted.calls.count(e1) == 2
    with session_scope(factory.runtime.session_factory) as s:
        logged = s.scalars(select(BrainRead.granularity).where(BrainRead.org_id == e1)).all()
    assert sorted(logged) == ["daily", "weekly"]


def test_new_figures_show_once_the_kept_samples_are_a_minute_old(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(sample_cache.SAMPLES, "clock", lambda: now[0])
    district = seed_district(factory)
    counted = Counted(factory.runtime.apps)
    assert _figures(_view(factory, district, counted)) == [1050, 720, 1770]
    with session_scope(factory.runtime.session_factory) as s:
        noon = datetime(2026, 3, 18, 12, tzinfo=LOCAL_TZ)
        s.add(LineHour(org_id=district.orgs["E1"].id, line_id=0, hour=noon, output_qty=40))
    now[0] += sample_cache.REUSE_SECONDS - 1
    assert _figures(_view(factory, district, counted)) == [1050, 720, 1770]  # still kept
    now[0] += 2
    # E1's 40 more pieces on 2026-03-18 (W2): 720 + 40 = 760, 1 770 + 40 = 1 810
    assert _figures(_view(factory, district, counted)) == [1050, 760, 1810]
    assert len(counted.calls) == 10  # five enterprises, read twice


class _Engine:
    """A weak-referenceable stand-in for an engine (the cache only keys on it)."""


def test_the_cache_keeps_each_entry_for_its_time_and_per_database() -> None:
    now = [0.0]
    cache = SampleCache(ttl=60, max_entries=2, clock=lambda: now[0])
    reads: list[str] = []

    def read(name: str) -> Callable[[], list[MetricSample]]:
        def reading() -> list[MetricSample]:
            reads.append(name)
            return [MetricSample(date(2026, 3, 9), 1.0)]

        return reading

    one, two = cast(Engine, _Engine()), cast(Engine, _Engine())
    first = cache.get_or_read(one, "a", read("a"))
    assert cache.get_or_read(one, "a", read("a again")) is first
    cache.get_or_read(two, "a", read("a elsewhere"))  # another database: its own entry
    now[0] = 60.0  # expired exactly at its time
    renewed = cache.get_or_read(one, "a", read("a renewed"))
    assert renewed.generation > first.generation
    cache.get_or_read(one, "b", read("b"))
    cache.get_or_read(one, "c", read("c"))  # two entries at most: "a" goes
    cache.get_or_read(one, "a", read("a evicted"))
    assert reads == ["a", "a elsewhere", "a renewed", "b", "c", "a evicted"]


def test_the_memo_makes_a_figure_once_per_key() -> None:
    memo = Memo(max_entries=1)
    made: list[str] = []

    def make(name: str, value: int) -> Callable[[], int]:
        def making() -> int:
            made.append(name)
            return value

        return making

    assert memo.get_or_make("k", make("k", 1)) == 1
    assert memo.get_or_make("k", make("k again", 2)) == 1
    memo.get_or_make("other", make("other", 3))  # one entry at most: "k" goes
    assert memo.get_or_make("k", make("k anew", 4)) == 4
    assert made == ["k", "other", "k anew"]


def test_the_page_from_kept_samples_is_the_page_read_anew(factory: Factory) -> None:
    seed_district(factory)
    client = factory.client("bea")
    params = {"metric": METRIC, "from": "2026-03-09", "to": "2026-03-22", "by": "sector"}

    def page() -> str:
        got = client.get("/apps/brain/indices", params=params)
        assert got.status_code == 200, got.text
        # the form's CSRF token is the only part that may differ between two views
        return re.sub(r'name="csrf_token" value="[^"]*"', "", got.text)

    read_anew = page()
    kept = page()
    sample_cache.SAMPLES.clear()
    sample_cache.FIGURES.clear()
    assert kept == read_anew == page()
    assert "1,770" in kept  # the district's total, as hand-computed in district.py


def test_expired_samples_are_dropped_when_others_are_read() -> None:
    now = [0.0]
    cache = SampleCache(ttl=60, clock=lambda: now[0])
    engine = cast(Engine, _Engine())
    cache.get_or_read(engine, "a", list)
    now[0] = 30.0
    cache.get_or_read(engine, "b", list)
    now[0] = 61.0  # "a" has expired, "b" has not
    cache.get_or_read(engine, "c", list)
    assert list(cache._entries[engine]) == ["b", "c"]
