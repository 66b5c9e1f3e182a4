"""`loom programme kpi`: the same figures as the API, as JSON or a table."""

from __future__ import annotations

import json

from loom.kernel.tenancy.models import OrgKind
from loom.testing.factory import Factory
from loom.testing.plugin import LoomCli, both_backends
from tests.modules.programme.targets.helpers import API, by_id, seed


@both_backends
def test_json_gives_the_same_figures_as_the_api(factory: Factory, loom_cli: LoomCli) -> None:
    s = seed(factory)
    api = s.client.get(f"{API}/kpi", params={"on": "2025-06-30"}).json()
    result = loom_cli("programme", "kpi", "--json", "--on", "2025-06-30")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == api
    assert by_id(printed)["level2-share"]["shown"] == "60.0%"  # 3 of 5, as in test_figures


def test_the_table_names_each_target(factory: Factory, loom_cli: LoomCli) -> None:
    seed(factory)
    result = loom_cli("programme", "kpi", "--bureau", "hs-bureau", "--on", "2025-01-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "海曙区重点细分行业中小企业数字化改造行动方案 (haishu-2024.v1) as of 2025-01-01"
    )
    rows = {line.split()[0]: line.split() for line in lines[2:-1]}
    assert len(rows) == 14
    # actual, (value on the passed deadline), target, deadline, status
    assert rows["batch-1-pilots"][1:] == ["4", "(4)", ">=", "24", "2024-12-31", "missed"]
    assert rows["level2-share"][1:] == ["40.0%", ">=", "90%", "2025-12-31", "at_risk"]


def test_the_bureau_must_be_named_when_there_are_several(
    factory: Factory, loom_cli: LoomCli
) -> None:
    seed(factory)
    factory.org("zz-bureau", OrgKind.BUREAU)
    result = loom_cli("programme", "kpi", "--json")
    assert result.exit_code == 2
    assert "--bureau" in result.stderr
    assert "hs-bureau" in result.stderr
    assert "zz-bureau" in result.stderr
    named = loom_cli("programme", "kpi", "--json", "--bureau", "zz-bureau", "--on", "2024-12-31")
    assert named.exit_code == 0, named.output
    assert by_id(json.loads(named.stdout))["all-pilots"]["ids"] == []


def test_bad_input_is_explained(factory: Factory, loom_cli: LoomCli) -> None:
    s = seed(factory)
    bad_day = loom_cli("programme", "kpi", "--on", "31/12/2024")
    assert bad_day.exit_code == 2
    assert "on: a date written YYYY-MM-DD, got 31/12/2024" in bad_day.stderr
    unknown = loom_cli("programme", "kpi", "--bureau", "nobody")
    assert unknown.exit_code == 2
    assert "nobody" in unknown.stderr
    not_a_bureau = loom_cli("programme", "kpi", "--bureau", s.maker.slug)
    assert not_a_bureau.exit_code == 2
    assert "only a bureau reads the targets dashboard" in not_a_bureau.stderr
