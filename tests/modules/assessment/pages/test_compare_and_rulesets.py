"""Before/after comparison, rule-set pages, a bureau correction and a rescore under it."""

from __future__ import annotations

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from tests.modules.assessment.pages.helpers import (
    BASE,
    enterprise,
    improved_answers,
    submitted,
    zh,
)

V1 = "2024-manufacturing.v1"


def thresholds(level_2_score: str = "45", note: str = "按官方文本更正二级分数线") -> dict[str, str]:
    """Return the correction form: v1's thresholds with level 2's minimum score changed."""
    form = {"note": note}
    for level, (score, scenes, constrained) in enumerate(
        [("20", "6", "3"), (level_2_score, "6", "3"), ("60", "8", "5"), ("80", "10", "6")], start=1
    ):
        form |= {f"min_score.{level}": score, f"min_scenes.{level}": scenes}
        form[f"min_constrained.{level}"] = constrained
    return form


def test_compare_shows_the_change_per_indicator_and_scene(factory: Factory) -> None:
    _org, client = enterprise(factory)
    before = submitted(client, "before")
    after = submitted(client, "after", improved_answers())
    listing = client.get(f"{BASE}/")
    assert 'data-testid="compare-form"' in listing.text
    page = client.get(f"{BASE}/compare", params={"before": before, "after": after})
    assert page.status_code == 200
    assert (
        '<span class="up">+9.70</span>' in page.text.split('data-testid="score-delta"', 1)[1][:80]
    )
    assert f"{zh('Level %(n)s', n=1)} → {zh('Level %(n)s', n=2)}" in page.text
    scenes = page.text.split('data-testid="compare-scenes"', 1)[1]
    s08 = scenes.split("S08", 1)[1].split("</tr>", 1)[0]
    assert '<span class="up">+1</span>' in s08
    indicators = page.text.split('data-testid="compare-indicators"', 1)[1]
    assert '<span class="up">+3.75</span>' in indicators.split("M2", 1)[1].split("</tr>", 1)[0]


def test_rule_set_pages_show_unverified_items(factory: Factory) -> None:
    _org, client = enterprise(factory)
    page = client.get(f"{BASE}/rulesets")
    assert page.status_code == 200
    assert V1 in page.text
    assert zh("shipped with Loom") in page.text
    detail = client.get(f"{BASE}/rulesets/{V1}")
    assert detail.status_code == 200
    assert 'data-testid="unverified-items"' in detail.text
    assert "level_rules" in detail.text  # the thresholds are listed as unverified
    assert 'data-testid="correction-form"' not in detail.text  # enterprises cannot correct
    assert client.post(f"{BASE}/rulesets/{V1}", data=thresholds()).status_code == 403


def test_bureau_correction_publishes_v2_and_rescoring_changes_the_level(factory: Factory) -> None:
    bureau = factory.org("haishu", OrgKind.BUREAU)
    factory.user("jxj", (bureau, Role.ADMIN))
    admin = factory.client("jxj")
    _org, client = enterprise(factory)
    after = submitted(client, "after", improved_answers())
    assert zh("Level %(n)s", n=2) in client.get(f"{BASE}/{after}").text

    form = admin.get(f"{BASE}/rulesets/{V1}")
    assert 'data-testid="correction-form"' in form.text
    refused = admin.post(f"{BASE}/rulesets/{V1}", data=thresholds("lots", note=""))
    assert refused.status_code == 422
    assert zh("Enter a number, 0 or more.") in refused.text
    assert zh("note: say what was corrected and on what authority") in refused.text
    assert "2024-manufacturing.v2" not in admin.get(f"{BASE}/rulesets").text

    published = admin.post(f"{BASE}/rulesets/{V1}", data=thresholds(), follow_redirects=False)
    assert published.status_code == 303
    assert published.headers["location"] == f"{BASE}/rulesets/2024-manufacturing.v2"
    v2 = admin.get(published.headers["location"])
    assert "按官方文本更正二级分数线" in v2.text
    assert '<td class="num">45</td>' in v2.text

    preview = client.get(f"{BASE}/{after}", params={"rescore": "2024-manufacturing.v2"})
    assert preview.status_code == 200
    cell = preview.text.split('data-testid="rescore-level">', 1)[1].split("</td>", 1)[0]
    assert zh("Level %(n)s", n=1) in cell
    # The stored result keeps its own version and level.
    level = preview.text.split('data-testid="level">', 1)[1].split("<", 1)[0]
    assert level == zh("Level %(n)s", n=2)
