"""Seeded, realistic planning problems for benchmarks and tests (garment factory shapes)."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, timedelta

from loom.apps.scheduling.solver.model import Calendar, LearningCurve, Line, Order, Problem

# category: (SAM range in minutes per piece, code prefix)
CATEGORIES: dict[str, tuple[tuple[float, float], str]] = {
    "shirts": ((12.0, 25.0), "SH"),
    "trousers": ((15.0, 30.0), "TR"),
    "jackets": ((35.0, 60.0), "JK"),
    "knit tops": ((8.0, 15.0), "KT"),
    "dresses": ((20.0, 45.0), "DR"),
}
START = date(2026, 9, 7)  # a Monday; the plan spans China's National Day week
NATIONAL_DAY = frozenset(date(2026, 10, 1) + timedelta(days=n) for n in range(7))
MIN_QUANTITY, MAX_QUANTITY = 300, 5_000


def generate(
    seed: int,
    *,
    orders: int = 200,
    lines: int = 12,
    weeks: int = 8,
    load: float = 1.0,
    start: date = START,
) -> Problem:
    """Return a problem of ``orders`` orders on ``lines`` lines over ``weeks`` weeks.

    Lines sew 1-3 of five categories, with 20-45 operators at 70-95 % efficiency, six days
    of 480 minutes, the National Day holidays, overtime evenings and a few Sunday shifts.
    Each category has 5-20 styles (popular styles recur); SAM 8-60 minutes; 300-5,000
    pieces, scaled so that the work is ``load`` times the lines' nominal capacity over the
    ``weeks``; releases spread over the first two thirds; due dates a little after the
    order could finish on an average capable line; weights 1-5.
    """
    rng = random.Random(seed)
    names = list(CATEGORIES)
    horizon_days = weeks * 7 + 6 * 7  # late orders may run six weeks past the plan
    styles: dict[str, list[tuple[str, int]]] = {}
    for category in names:
        (low, high), prefix = CATEGORIES[category]
        count = rng.randint(5, 20)
        styles[category] = [
            (f"{prefix}-{n + 1:02d}", round(rng.uniform(low, high) * 10_000)) for n in range(count)
        ]
    line_list = [_line(rng, n, names, styles, start, horizon_days) for n in range(lines)]
    capacity = dict.fromkeys(names, 0.0)  # nominal standard minutes, shared by capable lines
    for line in line_list:
        minutes = sum(line.calendar.minutes_on(start + timedelta(days=d)) for d in range(weeks * 7))
        nominal = minutes * line.operators * line.efficiency_pct / 100
        for category in line.categories:
            capacity[category] += nominal / len(line.categories)
    shares = [capacity[c] for c in names]
    order_list: list[Order] = []
    for n in range(orders):
        category = rng.choices(names, weights=shares)[0]
        catalogue = styles[category]
        # popular styles recur: Zipf-like weights 1, 1/2, 1/3 …
        style, sam_e4 = rng.choices(
            catalogue, weights=[1 / (k + 1) for k in range(len(catalogue))]
        )[0]
        quantity = round(math.exp(rng.uniform(math.log(MIN_QUANTITY), math.log(MAX_QUANTITY))))
        order_list.append(
            Order(
                id=n + 1,
                code=f"PO-{seed}-{n + 1:03d}",
                style=style,
                category=category,
                quantity=quantity,
                sam_e4=sam_e4,
                due=start,
                release=start,
                weight=rng.randint(1, 5),
            )
        )
    order_list = _scale(order_list, load * sum(capacity.values()))
    order_list = [_dates(rng, o, line_list, start, weeks) for o in order_list]
    return Problem(
        orders=tuple(order_list),
        lines=tuple(line_list),
        start=start,
        learning=LearningCurve((60, 75, 90)),
        changeover_minutes=60,
        horizon_days=horizon_days,
    )


def _line(
    rng: random.Random,
    n: int,
    names: list[str],
    styles: dict[str, list[tuple[str, int]]],
    start: date,
    horizon_days: int,
) -> Line:
    primary = names[n % len(names)]  # every category gets at least two of twelve lines
    extra = rng.sample([c for c in names if c != primary], rng.choice((0, 1, 1, 2)))
    categories = frozenset([primary, *extra])
    overtime: dict[date, int] = {}
    for offset in range(horizon_days):
        day = start + timedelta(days=offset)
        if day in NATIONAL_DAY:
            continue
        if day.weekday() < 5 and rng.random() < 0.15:
            overtime[day] = rng.choice((60, 90, 120))
        elif day.weekday() == 6 and rng.random() < 0.1:
            overtime[day] = 480  # a Sunday shift
    current = rng.choice(styles[primary])[0] if rng.random() < 0.7 else None
    return Line(
        id=n + 1,
        code=f"L{n + 1:02d}",
        categories=categories,
        operators=rng.randint(20, 45),
        efficiency_pct=rng.randint(70, 95),
        calendar=Calendar(holidays=NATIONAL_DAY, overtime=overtime),
        current_style=current,
    )


def _scale(orders: list[Order], target: float) -> list[Order]:
    """Scale quantities (within 300-5,000) so that the standard minutes approach ``target``."""
    for _ in range(8):
        work = sum(o.quantity * o.sam_e4 / 10_000 for o in orders)
        factor = target / work
        if abs(factor - 1) < 0.005:
            break
        orders = [
            replace(o, quantity=min(MAX_QUANTITY, max(MIN_QUANTITY, round(o.quantity * factor))))
            for o in orders
        ]
    return orders


def _dates(rng: random.Random, order: Order, lines: list[Line], start: date, weeks: int) -> Order:
    capable = [line for line in lines if order.category in line.categories]
    per_day = sum(line.operators * 480 * line.efficiency_pct / 100 for line in capable)
    days = order.quantity * order.sam_e4 / 10_000 / (per_day / len(capable))
    release = start + timedelta(days=rng.randint(0, weeks * 7 * 2 // 3))
    # a day for cutting, the sewing days with weekends, then a few days' margin at most
    lead = 1 + math.ceil(days * 7 / 6) + rng.randint(2, 12)
    return replace(order, release=release, due=release + timedelta(days=lead))
