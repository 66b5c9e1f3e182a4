"""The demo district: a small seed for the browser tests and the full district of ``loom demo``."""

from loom.demo.accounts import DEMO_PASSWORD, DISTRICT_LOGINS, LOGINS, ORGANISATIONS, DemoLogin
from loom.demo.district import Outcome, seed_district
from loom.demo.small import seed_demo

__all__ = [
    "DEMO_PASSWORD",
    "DISTRICT_LOGINS",
    "LOGINS",
    "ORGANISATIONS",
    "DemoLogin",
    "Outcome",
    "seed_demo",
    "seed_district",
]
