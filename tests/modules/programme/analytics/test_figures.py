"""The analytics arithmetic on plain data, against figures worked out by hand."""

from __future__ import annotations

from fractions import Fraction

from loom.modules.programme.service.analytics_figures import (
    Pilot,
    by_contractor,
    by_scenario,
    distribution,
    level_groups,
    per_100k,
    total_effect,
)

CNY = 100


def pilot(
    n: int,
    before: int | None,
    after: int | None,
    awarded: int,
    *,
    contractor: int | None = 7,
    paid: int = 0,
    batch: str = "batch-1",
    sector: str = "apparel",
    scenarios: tuple[tuple[str, str], ...] = (),
) -> Pilot:
    return Pilot(
        project_id=n,
        title=f"P{n}",
        enterprise=f"E{n}",
        sector=sector,
        batch=batch,
        status="accepted",
        contractor_org_id=contractor,
        scenarios=scenarios,
        before=before,
        after=after,
        awarded_fen=awarded * CNY,
        paid_fen=paid * CNY,
    )


def test_the_briefs_example_half_a_level_per_100k() -> None:
    # contractor A: levels +1, +2, 0 for 200k, 300k, 100k -> 3 levels / 600,000 CNY
    # = 3 x 100,000 / 600,000 = 0.5 per 100,000 CNY
    pilots = [pilot(1, 1, 2, 200_000), pilot(2, 1, 3, 300_000), pilot(3, 2, 2, 100_000)]
    [a] = by_contractor(pilots)
    assert a.key == ("contractor", "7")
    assert (a.projects, a.measured, a.levels_gained, a.awarded_fen) == (3, 3, 3, 60_000_000)
    assert a.per_100k_awarded == Fraction(1, 2)
    assert a.per_100k_paid is None  # nothing paid yet: no ratio rather than a division by 0


def test_unassessed_projects_stay_out_of_the_ratio_but_their_money_is_shown() -> None:
    # +2 for 400k, and a project with no after level that got 150k
    pilots = [pilot(1, 0, 2, 400_000, paid=100_000), pilot(2, 1, None, 150_000)]
    [b] = by_contractor(pilots)
    assert (b.projects, b.measured, b.levels_gained) == (2, 1, 2)
    assert b.awarded_fen == 400_000 * CNY
    assert b.unmeasured_awarded_fen == 150_000 * CNY
    assert b.per_100k_awarded == Fraction(1, 2)  # 2 x 100k / 400k
    assert b.per_100k_paid == Fraction(2)  # 2 x 100k / 100k


def test_a_level_lost_counts_against_the_contractor() -> None:
    # +2 then -1: 1 level net for 200k -> 0.5
    effect = total_effect([pilot(1, 1, 3, 100_000), pilot(2, 3, 2, 100_000)])
    assert effect.levels_gained == 1
    assert effect.per_100k_awarded == Fraction(1, 2)


def test_per_100k_is_exact() -> None:
    # 5 levels for 700,000 CNY = 5/7 of a level per 100,000 (0.714…)
    assert per_100k(5, 700_000 * CNY) == Fraction(5, 7)
    assert per_100k(3, 0) is None


def test_distribution_counts_only_pilots_with_both_levels() -> None:
    pilots = [pilot(1, 1, 2, 0), pilot(2, 1, 3, 0), pilot(3, 2, 2, 0), pilot(4, 0, 2, 0)]
    pilots.append(pilot(5, 1, None, 0))
    d = distribution(pilots)
    assert d.before == {0: 1, 1: 2, 2: 1, 3: 0, 4: 0}
    assert d.after == {0: 0, 1: 0, 2: 3, 3: 1, 4: 0}
    # P1 +1, P2 +2, P4 +2 gained; P3 stayed; P5 is not measured
    assert (d.measured, d.improved, d.share_improved) == (4, 3, Fraction(3, 4))
    assert distribution([]).share_improved is None


def test_groups_by_batch_and_sector_with_subtotals() -> None:
    pilots = [
        pilot(1, 1, 2, 0, batch="batch-1"),
        pilot(2, 1, 3, 0, batch="batch-1"),
        pilot(3, 2, 2, 0, batch="batch-2"),
        pilot(4, 0, 2, 0, batch="batch-2", sector="nev_parts"),
    ]
    groups = {(g.batch, g.sector): g for g in level_groups(pilots)}
    assert list(groups) == [
        ("batch-1", "apparel"),
        ("batch-1", ""),
        ("batch-2", "apparel"),
        ("batch-2", "nev_parts"),
        ("batch-2", ""),
        ("", "apparel"),
        ("", "nev_parts"),
        ("", ""),
    ]
    b1 = groups[("batch-1", "apparel")]
    # before 1 and 1, after 2 and 3: mean 1 -> 5/2, both improved, 3 levels
    assert (b1.pilots, b1.improved, b1.levels_gained) == (2, 2, 3)
    assert (b1.mean_before, b1.mean_after) == (Fraction(1), Fraction(5, 2))
    apparel = groups[("", "apparel")]
    # P1, P2, P3: before 1, 1, 2 (mean 4/3), after 2, 3, 2 (mean 7/3); P3 did not gain
    assert (apparel.mean_before, apparel.mean_after) == (Fraction(4, 3), Fraction(7, 3))
    assert apparel.share_improved == Fraction(2, 3)
    assert groups[("", "")].levels_gained == 1 + 2 + 0 + 2


def test_a_project_counts_under_each_of_its_scenarios() -> None:
    pilots = [
        pilot(1, 1, 2, 200_000, scenarios=(("N", "SC-01"),)),
        pilot(2, 1, 3, 300_000, scenarios=(("N", "SC-01"), ("X", "SC-09"))),
        pilot(3, 1, 1, 100_000),
    ]
    rows = {e.key: e for e in by_scenario(pilots)}
    assert list(rows) == [("N", "SC-01"), ("X", "SC-09"), ("", "")]  # "none" comes last
    # SC-01: +1 and +2 for 500k -> 3 x 100k / 500k = 3/5
    assert rows[("N", "SC-01")].per_100k_awarded == Fraction(3, 5)
    # SC-09: +2 for 300k -> 2/3
    assert rows[("X", "SC-09")].per_100k_awarded == Fraction(2, 3)
    assert rows[("", "")].levels_gained == 0
