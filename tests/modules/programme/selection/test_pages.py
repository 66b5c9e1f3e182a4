"""Selection pages in Chinese and English: lists, forms, sheets, ranking, choice, exports."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from fastapi.testclient import TestClient

from loom.testing.factory import Factory
from tests.modules.programme.selection import (
    PAGES,
    PRINCIPLES,
    apply,
    district,
    publish_plan,
    register,
    scored_application,
    sheet,
    zh,
)

PILOTS = f"{PAGES}/pilots"
BIDS = f"{PAGES}/contractors"


def english(client: TestClient) -> TestClient:
    """Switch a client to English pages."""
    client.cookies.set("loom_lang", "en")
    return client


def sheet_form(expert: str, *scores: Any) -> dict[str, str]:
    """Return the sheet form as a browser posts it."""
    form = {f"score_{p}": str(s) for p, s in zip(PRINCIPLES, scores, strict=True)}
    return {"expert": expert, **form}


def rows_of(content: bytes) -> list[list[Any]]:
    """Return the first sheet of a workbook as rows of values."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_empty_lists_say_what_to_do_in_both_languages(factory: Factory) -> None:
    d = district(factory)
    page = d.bureau_client.get(PILOTS)
    assert f"<h1>{zh('Pilot applications')}</h1>" in page.text
    empty = "No pilot applications yet. Record one for an enterprise of the registry."
    assert zh(empty) in page.text
    assert 'data-testid="new-application"' in page.text
    assert english(d.bureau_client).get(PILOTS).text.count(empty) == 1
    firm = d.firm_client.get(PILOTS)
    assert 'data-testid="new-application"' not in firm.text
    nothing = "Your organisation has no pilot application. The bureau records applications for "
    assert zh(nothing + "enterprises of its registry.") in firm.text
    bids = d.alpha_client.get(BIDS)
    assert zh("You have not applied to be a general contractor yet.") in bids.text
    assert 'data-testid="apply"' in bids.text
    assert "Contractors apply from their own accounts." in english(d.bureau_client).get(BIDS).text


def test_recording_an_application_through_the_form(factory: Factory) -> None:
    d = district(factory)
    entry = register(factory, d.bureau, 1, name="宁波甲服饰有限公司", org=d.firm)
    register(factory, d.bureau, 2, name="宁波乙电器有限公司", sector="home_appliances")
    register(factory, d.bureau, 3, name="宁波丙其他有限公司", sector="other")
    form = d.bureau_client.get(f"{PILOTS}/new")
    assert "宁波甲服饰有限公司" in form.text
    assert "宁波乙电器有限公司" in form.text
    assert "宁波丙其他有限公司" not in form.text  # outside the plan's sectors
    assert "宁波乙电器" not in d.bureau_client.get(f"{PILOTS}/new", params={"q": "甲"}).text
    missing = d.bureau_client.post(f"{PILOTS}/new", data={"enterprise_id": "", "statement": "想改"})
    assert missing.status_code == 422
    assert zh("Choose an enterprise of the registry.") in missing.text
    assert ">想改</textarea>" in missing.text
    made = d.bureau_client.post(
        f"{PILOTS}/new",
        data={"enterprise_id": str(entry), "statement": "吊挂系统"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    detail = d.bureau_client.get(made.headers["location"])
    assert "宁波甲服饰有限公司" in detail.text
    assert "吊挂系统" in detail.text
    assert zh("No expert has scored this application yet.") in detail.text
    assert "宁波甲服饰有限公司" not in d.bureau_client.get(f"{PILOTS}/new").text
    # the enterprise sees its application, without the bureau's forms
    own = d.firm_client.get(made.headers["location"])
    assert own.status_code == 200
    assert 'data-testid="sheet-form"' not in own.text
    kept = "The experts' sheets are kept by the bureau; you see the decision here once it is made."
    assert zh(kept) in own.text
    listed = d.bureau_client.get(PILOTS, params={"q": "甲服饰"})
    assert listed.text.count('data-testid="application-row"') == 1
    filtered = d.bureau_client.get(PILOTS, params={"status": "selected"})
    assert zh("No application matches these filters.") in filtered.text


def test_sheets_through_the_form_with_the_breakdown_and_weights(factory: Factory) -> None:
    d = district(factory)
    publish_plan(factory, d.bureau, pilot={"leader_will": 30, "replicable": 10})
    app_id = apply(d.bureau_client, register(factory, d.bureau, 1))["id"]
    url = f"{PILOTS}/{app_id}"
    bad = d.bureau_client.post(f"{url}/sheets", data=sheet_form("", 101, 70, "x", 90, ""))
    assert bad.status_code == 422
    text = bad.text
    name_hint = zh("Enter the expert's name (up to 100 characters).")
    assert f'data-testid="error-expert">{name_hint}<' in text
    hint = zh("A whole number from 0 to %(max)s.", max=100)
    for field in ("leader_will", "management_base", "replicable"):
        assert f'data-testid="error-scores.{field}">{hint}<' in text
    assert 'data-testid="error-scores.stable_operations"' not in text
    assert 'value="101"' in text  # what was typed is kept
    # 甲 73, 乙 79, 丙 71.6 under the weights 30/20/20/20/10 (see test_pilot_scores); mean 74.53
    for expert, scores in (
        ("专家甲", (80, 70, 60, 90, 50)),
        ("专家乙", (90, 80, 70, 60, 100)),
        ("专家丙", (70, 65, 75, 85, 56)),
    ):
        saved = d.bureau_client.post(
            f"{url}/sheets", data=sheet_form(expert, *scores), follow_redirects=False
        )
        assert saved.status_code == 303
    page = d.bureau_client.get(url)
    assert 'data-testid="total">74.53<' in page.text
    weighted = page.text.split('data-testid="weighted-row"', 1)[1].split("</tr>", 1)[0]
    assert all(f">{v}<" in weighted for v in ("73.00", "79.00", "71.60"))
    weights = page.text.split('data-testid="weights"', 1)[1].split("</table>", 1)[0]
    assert "一把手改造意愿强" in weights
    assert ">30 *<" in weights
    assert ">10 *<" in weights
    assert "Strong will of the top manager" in english(d.bureau_client).get(url).text
    # "Edit" fills the form with the expert's sheet; removing asks first
    edit = d.bureau_client.get(url, params={"expert": "专家乙"})
    assert 'value="专家乙"' in edit.text
    assert 'name="score_replicable" type="number"' in edit.text
    assert 'value="100"' in edit.text
    assert (
        "data-confirm=" in edit.text.split('data-testid="remove-sheet"', 1)[0].rsplit("<form", 1)[1]
    )


def test_decisions_and_refusals_on_the_application_page(factory: Factory) -> None:
    d = district(factory)
    app_id = scored_application(d.bureau_client, factory, d.bureau, 1, 60)
    url = f"{PILOTS}/{app_id}"
    blank = d.bureau_client.post(f"{url}/not-selected", data={"reason": ""})
    assert blank.status_code == 422
    assert zh("Give the reason (up to 1,000 characters).") in blank.text
    done = d.bureau_client.post(
        f"{url}/not-selected", data={"reason": "基础薄弱"}, follow_redirects=False
    )
    assert done.status_code == 303
    page = d.bureau_client.get(url)
    assert 'data-testid="decision-note">基础薄弱<' in page.text
    assert zh("Not selected") in page.text
    late = d.bureau_client.post(f"{url}/sheets", data=sheet_form("专家乙", 1, 1, 1, 1, 1))
    assert late.status_code == 409
    message = zh(
        "status: sheets are entered while the application is submitted; this one is %(status)s",
        status=zh("Not selected"),
    )
    assert message in late.text
    assert d.bureau_client.post(f"{url}/reopen", follow_redirects=False).status_code == 303
    assert 'data-testid="sheet-form"' in d.bureau_client.get(url).text


def test_ranking_selection_and_the_quota_refusal_on_the_page(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    best = scored_application(c, factory, d.bureau, 1, 90, sector="home_appliances", org=d.firm)
    next_ = scored_application(c, factory, d.bureau, 2, 80, sector="home_appliances")
    unscored = apply(c, register(factory, d.bureau, 3))["id"]
    page = c.get(f"{PILOTS}/ranking")
    assert f"<h1>{zh('Pilot ranking')}</h1>" in page.text
    assert page.text.count('data-testid="rank-row"') == 3
    home = page.text.split('data-testid="sector-home_appliances"', 1)[1].split("</section>", 1)[0]
    assert home.index("宁波第1服饰有限公司") < home.index("宁波第2服饰有限公司")
    assert f'value="{unscored}"' not in page.text  # an unscored application cannot be ticked
    assert zh("Not scored yet") in page.text
    # the one home-appliance place of batch-1: ticking both is quota + 1
    refused = c.post(
        f"{PILOTS}/ranking/select",
        data={"batch": "batch-1", "application_id": [str(best), str(next_)]},
    )
    assert refused.status_code == 409
    expected = zh(
        "batch: %(batch)s has %(quota)s places for %(sector)s and %(taken)s are selected; "
        "selecting %(asked)s more would exceed the quota",
        batch="第一批",
        quota=1,
        sector=zh("Home appliances"),
        taken=0,
        asked=2,
    )
    assert f'data-testid="refused">{expected}<' in refused.text
    assert refused.text.count("checked") == 2  # the ticks are kept
    both = {"batch": "batch-1", "application_id": [str(best), str(next_)]}
    english_refusal = english(c).post(f"{PILOTS}/ranking/select", data=both)
    assert "batch-1 has 1 places for Home appliances and 0 are selected" in english_refusal.text
    c.cookies.set("loom_lang", "zh_CN")
    chosen = c.post(
        f"{PILOTS}/ranking/select",
        data={"batch": "batch-1", "application_id": [str(best)]},
        follow_redirects=False,
    )
    assert chosen.headers["location"].endswith("/pilots/ranking?selected=1")
    after = c.get(chosen.headers["location"])
    assert 'data-testid="selected"' in after.text
    places = after.text.split('data-testid="places-batch-1-home_appliances"', 1)[1].split("</tr>")[
        0
    ]
    cells = '<td class="num">1</td><td class="num">1</td><td class="num"><strong>0</strong></td>'
    assert cells in places  # quota 1, selected 1, places left 0
    # the selected pilot's page points to the projects list, where its project is opened
    detail = c.get(f"{PILOTS}/{best}")
    assert 'href="/apps/programme/projects"' in detail.text
    nothing = c.post(f"{PILOTS}/ranking/select", data={"batch": "batch-1"})
    assert nothing.status_code == 422
    assert zh("Tick at least one submitted, scored application.") in nothing.text


def test_the_ranking_export_lists_scores_and_weights(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    app_id = apply(c, register(factory, d.bureau, 1))["id"]
    sheet(c, app_id, "专家甲", 80, 70, 60, 90, 50)  # equal weights: 350 x 20 / 100 = 70
    sheet(c, app_id, "专家乙", 90, 80, 70, 60, 100)  # 80; mean 75
    apply(c, register(factory, d.bureau, 2, sector="nev_parts"))
    export = c.get(f"{PILOTS}/ranking.xlsx")
    assert export.status_code == 200
    assert export.headers["content-disposition"].startswith('attachment; filename="pilot-ranking-')
    rows = rows_of(export.content)
    head = rows[0]
    assert head[:3] == [zh("Sector"), zh("Rank in sector"), zh("Overall rank")]
    assert head[9:14] == [
        "一把手改造意愿强",
        "企业生产经营稳定",
        "经营管理基础好",
        "具备数字化改造基础",
        "样本易学易复制",
    ]
    first = dict(zip(head, rows[1], strict=True))
    assert (first[zh("Enterprise")], first[zh("Rank in sector")], first[zh("Experts")]) == (
        "宁波第1服饰有限公司",
        1,
        2,
    )
    assert first[zh("Weighted score")] == 75
    assert first["一把手改造意愿强"] == 85  # (80 + 90) / 2
    second = dict(zip(head, rows[2], strict=True))
    assert second[zh("Ranked below the one before")] == zh("not scored yet")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert [r[1] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)] == ["20"] * 5


def test_contractor_pages_apply_score_choose_and_show_conflicts(factory: Factory) -> None:
    d = district(factory)
    form = d.alpha_client.get(f"{BIDS}/apply")
    assert f'<option value="{d.bureau.id}" >海曙区经信局</option>' in form.text
    # the partners offered are the other contractors: beta, not alpha itself
    assert form.text.count('name="member_org_id"') == 1
    assert f'name="member_org_id" value="{d.beta.id}"' in form.text
    bad = d.alpha_client.post(f"{BIDS}/apply", data={"bureau_org_id": "", "sector": "apparel"})
    assert bad.status_code == 422
    assert zh("Choose the bureau whose programme you apply to.") in bad.text
    made = d.alpha_client.post(
        f"{BIDS}/apply",
        data={
            "bureau_org_id": str(d.bureau.id),
            "sector": "apparel",
            "member_org_id": [str(d.beta.id)],
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    bid_url = made.headers["location"]
    own = d.alpha_client.get(bid_url)
    assert 'data-testid="members">衣联软件<' in own.text
    assert 'data-testid="withdraw-form"' in own.text
    kept = "The evaluators' sheets are kept by the bureau; you see the decision here once it is "
    assert zh(kept + "made.") in own.text
    # beta is a member of alpha's consortium and bids alone as well: a conflict
    alone = d.beta_client.post(
        f"{BIDS}/apply",
        data={"bureau_org_id": str(d.bureau.id), "sector": "apparel"},
        follow_redirects=False,
    )
    c = d.bureau_client
    for url in (bid_url, alone.headers["location"]):
        for group in ("experts", "associations", "pilot_enterprises"):
            scores = {
                f"score_{k}": "80"
                for k in (
                    "technology_products",
                    "sector_experience",
                    "service_staff",
                    "ecosystem_resources",
                )
            }
            saved = c.post(
                f"{url}/sheets",
                data={"group": group, "evaluator": "评委", **scores},
                follow_redirects=False,
            )
            assert saved.status_code == 303
    page = c.get(bid_url)
    assert 'data-testid="total">80.00<' in page.text
    refused = c.post(f"{bid_url}/choose", data={"note": ""})
    assert refused.status_code == 422
    conflict = zh(
        "%(org)s takes part in competing applications in this sector: %(bids)s.",
        org="衣联软件",
        bids=f"{bid_url.rsplit('/', 1)[1]}, {alone.headers['location'].rsplit('/', 1)[1]}",
    )
    assert conflict in refused.text
    ranking = c.get(f"{BIDS}/ranking")
    assert conflict in ranking.text
    assert zh("No general contractor chosen yet.") in ranking.text
    assert (
        c.post(
            f"{alone.headers['location']}/decline",
            data={"reason": "联合体成员"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert c.post(f"{bid_url}/choose", data={"note": ""}, follow_redirects=False).status_code == 303
    ranking = c.get(f"{BIDS}/ranking")
    assert zh("General contractor: %(name)s", name="甬科数智") in ranking.text
    export = c.get(f"{BIDS}/ranking.xlsx")
    rows = rows_of(export.content)
    assert rows[0][:2] == [zh("Sector"), zh("Rank in sector")]
    assert rows[1][3:6] == ["甬科数智", "衣联软件", zh("Chosen")]
    assert "General-contractor ranking" in english(c).get(f"{BIDS}/ranking").text


def test_the_lists_page_and_search(factory: Factory) -> None:
    d = district(factory)
    for n in range(1, 27):
        apply(d.bureau_client, register(factory, d.bureau, n))
    first = d.bureau_client.get(PILOTS)
    # 26 applications, 25 a page (pages.common.PAGE_SIZE), newest first
    assert first.text.count('data-testid="application-row"') == 25
    assert zh("%(start)s–%(end)s of %(total)s", start=1, end=25, total=26) in first.text
    assert "offset=25" in first.text
    second = d.bureau_client.get(PILOTS, params={"offset": 25})
    assert second.text.count('data-testid="application-row"') == 1
    assert "宁波第1服饰有限公司" in second.text
    found = d.bureau_client.get(PILOTS, params={"q": "第13服饰"})
    assert found.text.count('data-testid="application-row"') == 1
    for client in (d.alpha_client, d.beta_client):
        client.post(f"{BIDS}/apply", data={"bureau_org_id": str(d.bureau.id), "sector": "apparel"})
    bids = d.bureau_client.get(BIDS, params={"q": "衣联"})
    assert bids.text.count('data-testid="bid-row"') == 1
    assert "衣联软件" in bids.text
    assert d.bureau_client.get(BIDS).text.count('data-testid="bid-row"') == 2
    assert d.alpha_client.get(BIDS).text.count('data-testid="bid-row"') == 1
