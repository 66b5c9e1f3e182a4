"""`--dist loadgroup` keeps each xdist_group on one worker: the group is named in the test id."""

from __future__ import annotations

import pytest

from loom.testing.plugin import _name_groups_in_ids


@pytest.mark.xdist_group("probe")
def _grouped() -> None:
    """A test body the items below point at (never collected: leading underscore)."""


def _plain() -> None:
    """The same, without a group."""


def _items(request: pytest.FixtureRequest) -> list[pytest.Item]:
    module = request.node.parent
    return [pytest.Function.from_parent(module, name=n) for n in ("_grouped", "_plain")]


def test_a_worker_names_the_group_in_the_id_under_loadgroup(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _items(request)
    before = [item.nodeid for item in items]
    monkeypatch.setattr(request.config.option, "loadgroup", True, raising=False)
    _name_groups_in_ids(request.config, items)
    # xdist's LoadGroupScheduling sends every id ending in "@probe" to the same worker
    assert [item.nodeid for item in items] == [before[0] + "@probe", before[1]]
    _name_groups_in_ids(request.config, items)  # idempotent: a suffix already there stays one
    assert items[0].nodeid == before[0] + "@probe"


def test_ids_stay_as_they_are_without_loadgroup(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _items(request)
    before = [item.nodeid for item in items]
    monkeypatch.setattr(request.config.option, "loadgroup", False, raising=False)
    _name_groups_in_ids(request.config, items)
    assert [item.nodeid for item in items] == before
