"""The fault-point setting of the crash-test server: a typo must not silently disable the fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from loom.testing.faults import DIR_ENV, STALL_ENV, Stall, parse_stall, stall_env


def test_a_stall_names_its_point_and_batch() -> None:
    assert parse_stall("before_commit:31") == Stall("before_commit", 31)
    assert parse_stall(" before_answer:1 ") == Stall("before_answer", 1)
    assert parse_stall("") is None


@pytest.mark.parametrize(
    "value", ["before_comit:3", "before_commit", "before_commit:0", "before_answer:-1", "x:y"]
)
def test_a_malformed_stall_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match=STALL_ENV):
        parse_stall(value)


def test_the_environment_round_trips(tmp_path: Path) -> None:
    env = stall_env(Stall("before_answer", 25), tmp_path)
    assert env == {STALL_ENV: "before_answer:25", DIR_ENV: str(tmp_path)}
    assert parse_stall(env[STALL_ENV]) == Stall("before_answer", 25)
