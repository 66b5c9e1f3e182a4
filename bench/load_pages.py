"""Who browses what in the load scenario: one user class per demo role and the pages it opens.

Kept apart from the locustfile (``bench.load_users``), because importing locust patches the
standard library with gevent: the orchestrator and the tests read this list without it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    """A demo login's role: its weight among the simulated users and the pages it browses."""

    name: str
    usernames: tuple[str, ...]  # logins of this role (the full district has two factory owners)
    weight: int
    pages: tuple[str, ...]


LINE_DASHBOARD = "/apps/shopfloor/lines"
ORDER_BOARD = "/apps/shopfloor/orders"

ROLES = (
    Role(
        "bureau",
        ("bureau",),
        2,
        (
            "/",
            "/apps/programme/",
            "/apps/programme/projects",
            "/apps/programme/analytics",
            "/apps/brain/indices",
            "/apps/brain/capacity",
            "/apps/subsidy/",
        ),
    ),
    Role(
        "factory owner",
        ("factory", "factory2"),
        3,
        (
            LINE_DASHBOARD,
            ORDER_BOARD,
            "/apps/shopfloor/pay",
            "/apps/brain/sharing",
            "/apps/equipment/oee",
            "/apps/energy/dashboard",
            "/apps/quality/aql",
        ),
    ),
    Role(
        "planner",
        ("planner",),
        2,
        (ORDER_BOARD, LINE_DASHBOARD, "/apps/scheduling/plans", "/apps/balancing/plans"),
    ),
    Role("operator", ("operator",), 2, (LINE_DASHBOARD, ORDER_BOARD)),
    Role(
        "contractor",
        ("contractor",),
        1,
        ("/apps/programme/projects", "/apps/programme/products/mine", "/apps/programme/showcase"),
    ),
    Role("assessor", ("assessor",), 1, ("/apps/assessment/", "/apps/programme/projects")),
)


def every_page() -> list[str]:
    """Return every page some role browses, each once, in a stable order."""
    return sorted({page for role in ROLES for page in role.pages})
