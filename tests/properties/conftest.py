"""The Hypothesis profile of the property tests: deterministic, no deadline, few examples.

``derandomize=True`` makes every run draw the same examples, so CI is reproducible and a
failure seen once is seen again; no example database is written. The profile is registered,
not loaded: each test names it as the parent of its ``@settings`` with its own
``max_examples`` (engines with a database or a solver behind them get fewer), so other
Hypothesis users in the same run (the schemathesis fuzz tests) keep their own defaults.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

PROFILE = "loom-properties"

settings.register_profile(
    PROFILE,
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=50,
    print_blob=True,
    # examples are built from a few fixed tables, which Hypothesis would call "too slow" on a
    # loaded CI machine; the wall-time budget is kept by max_examples instead
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
