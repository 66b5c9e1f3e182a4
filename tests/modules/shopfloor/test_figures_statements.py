"""The line dashboard and the order board in fewer statements: same figures, same tenant walls.

Figures are those of ``figures_seed`` (worked out by hand there), plus a second style here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import pytest
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.errors import NotFound
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operation, RoutingStep, Style
from loom.modules.shopfloor.models import OpCount, ProductionOrder
from loom.modules.shopfloor.pages.orders_board import board
from loom.modules.shopfloor.service import figures_line
from loom.modules.shopfloor.service import orders as svc
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from loom.testing.statements import selects_during
from tests.modules.shopfloor.figures_seed import DAY, PAGES, Seeded, seed_figures

T = TypeVar("T")


def _scope(s: Seeded) -> Scope:
    return system_scope(s.org.id, s.org.kind, "test")


@contextmanager
def _session(factory: Factory) -> Iterator[Session]:
    # no scope bound: the statements' own organisation filter is the only wall under test
    with session_scope(factory.runtime.session_factory) as db:
        yield db


def _counted(factory: Factory, action: Callable[[], T]) -> tuple[T, list[str]]:
    return selects_during(factory.runtime.engine, action)


def _second_style(factory: Factory, s: Seeded) -> None:
    """Add ST-2 (OP-010 then OP-020, its final operation) and PO-4 of 40 pieces, no line.

    PO-4's counts: OP-020 12 on L01 and 3 on L02 (finished 15), and OP-040 7, an operation of
    ST-1's routing only: a board that took ST-1's final operation would show 7.
    """
    ids = s.ids
    with _session(factory) as db:
        style = Style(code="ST-2", name="女士衬衫", colours=["白"], sizes=["M"], org_id=s.org.id)
        db.add(style)
        db.flush()
        ids["ST-2"] = style.id
        for seq, (op, before) in enumerate((("OP-010", []), ("OP-020", ["OP-010"])), start=1):
            preds = [ids[b] for b in before]
            step = RoutingStep(style_id=style.id, operation_id=ids[op], seq=seq, predecessors=preds)
            step.org_id = s.org.id
            db.add(step)
        order = ProductionOrder(number="PO-4", style_id=style.id, line_id=None, total_qty=40)
        order.due_date, order.status, order.org_id = date(2026, 4, 1), "sewing", s.org.id
        order.quantities = {"白": {"M": 40}}
        db.add(order)
        db.flush()
        ids["PO-4"] = order.id
        for op, line, qty in (("OP-020", "L01", 12), ("OP-020", "L02", 3), ("OP-040", "L01", 7)):
            db.add(
                OpCount(
                    org_id=s.org.id,
                    order_id=order.id,
                    operation_id=ids[op],
                    line_id=ids[line],
                    done_qty=qty,
                )
            )


def _orders(factory: Factory, s: Seeded) -> list[ProductionOrder]:
    with _session(factory) as db:
        page = svc.search(db, _scope(s), limit=25)
        db.expunge_all()
        return list(page.items)


@both_backends
def test_the_board_reads_each_order_s_own_final_operation_in_one_statement(
    factory: Factory,
) -> None:
    s = seed_figures(factory)
    _second_style(factory, s)
    other = seed_figures(factory, slug="other-garments", user="olga")
    mine, theirs = _orders(factory, s), _orders(factory, other)
    with _session(factory) as db:
        rows, sql = _counted(factory, lambda: board(db, _scope(s), [*mine, *theirs]))
        # the old way, statement by statement: the same finished pieces
        finished = svc.finished(db, _scope(s), mine)
    assert len(sql) == 1
    got = {r.order.number: (r.style, r.line, r.finished, r.percent) for r in rows[: len(mine)]}
    # figures_seed: PO-1 20 done at OP-040 of 100 (20.0 %); PO-2 and PO-3 none at OP-040;
    # PO-4: 12 + 3 at OP-020 of 40 = 37.5 % (its OP-040 count is not its final operation)
    assert got == {
        "PO-1": ("ST-1", "L01", 20, 20.0),
        "PO-2": ("ST-1", "L01", 0, 0.0),
        "PO-3": ("ST-1", "L02", 0, 0.0),
        "PO-4": ("ST-2", "", 15, 37.5),
    }
    assert {o.number: finished[o.id] for o in mine} == {n: v[2] for n, v in got.items()}
    # another enterprise's orders handed in by mistake get none of their figures
    assert [(r.style, r.line, r.finished) for r in rows[len(mine) :]] == [("", "", 0)] * 3
    assert [r.order.number for r in rows[len(mine) :]] == ["PO-1", "PO-2", "PO-3"]


@both_backends
def test_the_board_page_shows_the_second_style_and_a_new_count_at_once(factory: Factory) -> None:
    s = seed_figures(factory)
    _second_style(factory, s)
    page = s.client.get(f"{PAGES}/orders").text
    assert '<td class="num">15</td>' in page  # PO-4's finished pieces
    assert "37.5%" in page
    with _session(factory) as db:
        db.query(OpCount).filter_by(
            order_id=s.ids["PO-4"], operation_id=s.ids["OP-020"], line_id=s.ids["L01"]
        ).update({"done_qty": 22})
    # 22 + 3 = 25 of 40 = 62.5 %: nothing kept between views
    page = s.client.get(f"{PAGES}/orders").text
    assert '<td class="num">25</td>' in page
    assert "62.5%" in page


@both_backends
def test_the_line_s_day_reuses_the_picker_s_line_and_names_the_top_operators(
    factory: Factory,
) -> None:
    s = seed_figures(factory)
    scope = _scope(s)
    with _session(factory) as db:
        plain, sql = _counted(factory, lambda: figures_line.line_day(db, scope, s.ids["L01"], DAY))
        picked = next(x for x in figures_line.lines(db, scope) if x.id == s.ids["L01"])
        reused, fewer = _counted(
            factory, lambda: figures_line.line_day(db, scope, s.ids["L01"], DAY, line=picked)
        )
        # a line that is not the one asked for is not trusted: the asked line is read
        other = figures_line.line_day(db, scope, s.ids["L02"], DAY, line=picked)
        assert other.line.code == "L02"
    assert len(fewer) == len(sql) - 1
    assert not [q for q in fewer if re.search(r"FROM masterdata_line\b", q)]
    assert [q for q in sql if re.search(r"FROM masterdata_line\b", q)]  # control
    for day in (plain, reused):
        assert day.line.code == "L01"
        # figures_seed: W1 115 min over 3 h, W2 60 min over 2 h; names from the operator rows
        assert [(t.code, t.name, t.earned_e4, t.hours) for t in day.top] == [
            ("W1", "王芳", 1_150_000, 3),
            ("W2", "李娜", 600_000, 2),
        ]
        # figures_seed: WIP on L01 (PO-1 + PO-3) is 20 / 25 / 45 / 5
        assert [(w.code, w.name, w.wip) for w in day.wip] == [
            ("OP-010", "合肩", 20),
            ("OP-020", "上领", 25),
            ("OP-030", "上袖", 45),
            ("OP-040", "终检", 5),
        ]


@both_backends
def test_another_enterprise_s_line_stays_unknown(factory: Factory) -> None:
    s = seed_figures(factory)
    other = seed_figures(factory, slug="other-garments", user="olga")
    with _session(factory) as db:
        # B's own picker holds only B's lines, and A's line id is not found under B's scope
        assert {x.id for x in figures_line.lines(db, _scope(other))} == {
            other.ids["L01"],
            other.ids["L02"],
        }
        with pytest.raises(NotFound):
            figures_line.line_day(db, _scope(other), s.ids["L01"], DAY)
        # B's WIP names B's operations only, though both enterprises use the same codes
        day = figures_line.line_day(db, _scope(other), other.ids["L01"], DAY)
        ops = {o.id for o in db.query(Operation).filter(Operation.org_id == other.org.id)}
        assert {w.operation_id for w in day.wip} <= ops
        assert [w.wip for w in day.wip] == [20, 25, 45, 5]


@both_backends
def test_a_page_that_ends_early_needs_no_count(factory: Factory) -> None:
    s = seed_figures(factory)
    scope = _scope(s)

    def search(**kw: Any) -> tuple[int, int, int]:
        with _session(factory) as db:
            page, sql = _counted(factory, lambda: svc.search(db, scope, **kw))
            return page.total, len(page.items), sum("count(" in q.lower() for q in sql)

    # three orders: (total, items, count statements)
    assert search(limit=25) == (3, 3, 0)  # ends inside the page
    assert search(limit=2) == (3, 2, 1)  # a full page: more may follow, so count
    assert search(limit=2, offset=2) == (3, 1, 0)
    assert search(limit=2, offset=4) == (3, 0, 1)  # past the end: the total is still known
    assert search(limit=3) == (3, 3, 1)
    assert search(q="no such order") == (0, 0, 0)
    assert search(status="done") == (1, 1, 0)
