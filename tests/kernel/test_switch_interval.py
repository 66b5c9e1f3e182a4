"""``LOOM_SWITCH_INTERVAL_MS``: the server's thread switch interval, applied only when set."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from loom.kernel.bootstrap import SWITCH_INTERVAL_ENV, tune_switch_interval


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_a_set_value_is_applied_in_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """0.5 ms in the environment is 0.0005 s for the interpreter."""
    monkeypatch.setenv(SWITCH_INTERVAL_ENV, "0.5")
    assert tune_switch_interval() == pytest.approx(0.0005)
    assert sys.getswitchinterval() == pytest.approx(0.0005)


def test_unset_leaves_the_interpreter_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the variable the interval stays whatever it was (here a marked 3 ms)."""
    monkeypatch.delenv(SWITCH_INTERVAL_ENV, raising=False)
    sys.setswitchinterval(0.003)
    assert tune_switch_interval() == pytest.approx(0.003)


@pytest.mark.parametrize("value", ["fast", "0", "1000"])
def test_a_bad_value_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """Not a number, or outside 0.05-100 ms: refused, naming the variable; nothing changed."""
    monkeypatch.setenv(SWITCH_INTERVAL_ENV, value)
    sys.setswitchinterval(0.003)
    with pytest.raises(ValueError, match=SWITCH_INTERVAL_ENV):
        tune_switch_interval()
    assert sys.getswitchinterval() == pytest.approx(0.003)
