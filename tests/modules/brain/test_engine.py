"""The brain's pure engine: k-anonymous tables, weekly cells, the level distribution."""

from __future__ import annotations

from datetime import date

from loom.kernel.plugins.spec import MetricSample
from loom.modules.brain.engine import indices as ix
from loom.modules.brain.engine.kanon import ALL, TOTAL, Contribution, build


def _c(org: int, row: str, column: str, value: float) -> Contribution:
    return Contribution(org, row, column, value)


def test_a_cell_of_fewer_than_three_enterprises_is_hidden() -> None:
    table = build(
        [_c(1, "A", "w1", 10), _c(2, "A", "w1", 20), _c(3, "A", "w1", 30), _c(1, "A", "w2", 5)],
        ["A"],
        ["w1", "w2"],
    )
    # w2 has one enterprise: hidden. The row total (65, three enterprises) would give it
    # away as 65 − 60, so w1 (60, three enterprises) is hidden as well: the total then
    # reveals only w1 + w2, built from three enterprises
    assert table.is_suppressed("A", "w2")
    assert table.is_suppressed("A", "w1")
    assert table.shown("A", "w1") is None
    total = table.shown("A", TOTAL)
    assert total is not None
    assert total.numerator == 65


def test_a_margin_never_reveals_a_hidden_cell_by_subtraction() -> None:
    # rows A (enterprises 1, 2, 3, 4) and B (5, 6) in one column; the column total is shown
    contributions = [_c(n, "A", "w1", 10 * n) for n in (1, 2, 3, 4)]
    contributions += [_c(n, "B", "w1", 100) for n in (5, 6)]
    table = build(contributions, ["A", "B"], ["w1"])
    # B is primary (two enterprises); A − its four enterprises would reveal B as total − A,
    # so A is hidden too: the total then reveals A + B, six enterprises
    assert table.is_suppressed("B", "w1")
    assert table.is_suppressed("A", "w1")
    total = table.shown(ALL, "w1")
    assert total is not None
    assert total.numerator == 100 + 200
    assert table.shown(ALL, TOTAL) is not None


def test_two_hidden_cells_of_the_same_two_enterprises_do_not_protect_each_other() -> None:
    # B and C are built from the same enterprises 5 and 6: the total minus A would reveal
    # B + C, still a figure of two enterprises, so A (the smallest shown cell) goes as well
    contributions = [_c(n, "A", "w1", 1) for n in (1, 2, 3)]
    contributions += [_c(n, "D", "w1", 1) for n in (7, 8, 9, 10)]
    contributions += [_c(n, row, "w1", 1) for n in (5, 6) for row in ("B", "C")]
    table = build(contributions, ["A", "B", "C", "D"], ["w1"])
    assert {r for r in "ABCD" if table.is_suppressed(r, "w1")} == {"A", "B", "C"}
    assert table.shown("D", "w1") is not None


def test_a_margin_of_a_lone_hidden_cell_is_hidden_itself() -> None:
    table = build([_c(1, "A", "w1", 7), _c(2, "A", "w1", 8)], ["A"], ["w1"])
    for key in (("A", "w1"), ("A", TOTAL), (ALL, "w1"), (ALL, TOTAL)):
        assert table.is_suppressed(*key)
        assert table.shown(*key) is None


def test_empty_cells_are_neither_shown_nor_hidden() -> None:
    table = build([_c(n, "A", "w1", 1) for n in (1, 2, 3)], ["A", "B"], ["w1", "w2"])
    assert table.shown("B", "w1") is None
    assert not table.is_suppressed("B", "w1")
    assert table.shown("A", "w2") is None
    assert not table.is_suppressed("A", "w2")


def test_without_column_totals_overlapping_rows_are_judged_alone() -> None:
    # enterprises 1-3 offer the same minutes under "shirt" and "*": rows overlap, so their
    # all-rows line is never shown and a small row hides nothing else
    contributions = [_c(n, "shirt", "w1", 100) for n in (1, 2, 3)]
    contributions += [_c(n, "*", "w1", 100) for n in (1, 2)]
    table = build(contributions, ["shirt", "*"], ["w1"], column_totals=False)
    assert table.shown("shirt", "w1") is not None
    assert table.is_suppressed("*", "w1")
    assert table.shown(ALL, "w1") is None


def test_weekly_cells_sum_days_into_iso_weeks() -> None:
    shared = [
        ix.Shared(
            1,
            "A",
            [MetricSample(date(2026, 3, 9), 3, 100), MetricSample(date(2026, 3, 15), 1, 100)],
        ),
        ix.Shared(2, "A", [MetricSample(date(2026, 3, 9), 4, 200)]),  # a weekly sample
        ix.Shared(3, "A", [MetricSample(date(2026, 3, 10), 2, 100)]),
    ]
    weeks = ix.weeks_between(date(2026, 3, 11), date(2026, 3, 16))
    assert weeks == [date(2026, 3, 9), date(2026, 3, 16)]
    table = ix.weekly_table(shared, ["A"], weeks)
    # week of 03-09: (3 + 1 + 4 + 2) defects in (100 + 100 + 200 + 100) pieces = 2 %
    cell = table.shown("A", date(2026, 3, 9))
    assert cell is not None
    assert ix.value(cell, ratio=True, scale=100) == 2.0
    assert ix.value(cell, ratio=False, scale=1) == 10.0
    # nobody in the week of 03-16: empty, not hidden; the total is week one's
    assert table.shown("A", date(2026, 3, 16)) is None
    assert not table.is_suppressed("A", date(2026, 3, 16))
    assert ix.value(table.shown("A", TOTAL), ratio=True, scale=100) == 2.0


def test_the_level_distribution_counts_each_latest_level() -> None:
    shared = [
        ix.Shared(1, "A", [MetricSample(date(2025, 1, 1), 1), MetricSample(date(2026, 1, 1), 2)]),
        ix.Shared(2, "A", [MetricSample(date(2025, 6, 1), 2)]),
        ix.Shared(3, "A", [MetricSample(date(2025, 6, 1), 3, 2)]),  # a week of 1 and 2: 1
        ix.Shared(4, "A", [MetricSample(date(2025, 6, 1), 2)]),
        ix.Shared(5, "B", []),
    ]
    assert ix.latest_level(shared[0].samples) == 2
    assert ix.latest_level(shared[2].samples) == 1
    assert ix.latest_level([]) is None
    table = ix.level_table(shared, ["A", "B"])
    # A: level 2 × 3 (enterprises 1, 2, 4) shown; level 1 × 1 (enterprise 3) hidden, and so
    # is level 2 since the total (four) would give it away
    assert table.is_suppressed("A", 1)
    assert table.is_suppressed("A", 2)
    total = table.shown("A", TOTAL)
    assert total is not None
    assert total.numerator == 4
    assert ix.mean_level(table, "A") is None  # a mean would reveal the hidden split
    assert table.shown("B", TOTAL) is None


def test_the_mean_level_of_a_row_with_every_cell_shown() -> None:
    shared = [
        ix.Shared(n, "A", [MetricSample(date(2025, 1, 1), 2 if n < 4 else 3)]) for n in range(1, 7)
    ]
    table = ix.level_table(shared, ["A"])
    # three at level 2 and three at level 3: (3 × 2 + 3 × 3) / 6 = 2.5
    assert ix.mean_level(table, "A") == 2.5
