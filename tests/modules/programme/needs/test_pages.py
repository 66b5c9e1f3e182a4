"""The N+X pages in Chinese and English: survey, forms, scenarios, publishing, versions, diff."""

from __future__ import annotations

import html

from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.testing.factory import Factory
from tests.modules.programme.needs import (
    API,
    PAGES,
    bureau,
    enterprise,
    need_body,
    record,
    zh,
)


def _section(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"', 1)[1]


def test_an_empty_sector_says_what_to_do_in_both_languages(factory: Factory) -> None:
    b = bureau(factory)
    page = b.client.get(PAGES)
    assert page.status_code == 200
    assert f"<h1>{zh('N+X lists')}</h1>" in page.text
    for empty in (
        "No survey need is recorded for this sector yet.",
        "Nothing to classify yet: record the pilots' needs first.",
        "No scenario is defined for this sector yet.",
        "No list of this sector is published yet.",
    ):
        assert html.escape(zh(empty), quote=True) in page.text
    # the sectors of the plan, the current one marked; the stages in the plan's words
    assert 'aria-current="page">运动休闲服装<' in page.text
    assert ">研发设计<" in page.text
    assert ">产业链协同<" in page.text
    b.client.cookies.set(LOCALE_COOKIE, "en")
    english = b.client.get(PAGES, params={"sector": "nev_parts"}).text
    assert "<h1>N+X lists</h1>" in english
    assert 'aria-current="page">NEV parts<' in english
    assert ">Industry-chain collaboration<" in english
    assert "No survey need is recorded for this sector yet." in english


def test_the_need_form_names_every_bad_field_and_keeps_what_was_typed(factory: Factory) -> None:
    b = bureau(factory)
    pilot = enterprise(factory, b.org, 1)
    form = need_body(pilot, "Bundle Scan", problem="", scenario_code="N99") | {"sector": "apparel"}
    refused = b.client.post(f"{PAGES}/survey/new", data=form)
    assert refused.status_code == 422
    text = refused.text
    assert zh("Some fields need correcting: see the messages below.") in text
    assert f'data-testid="error-problem">{zh("must not be empty")}<' in text
    key_error = zh("lower-case letters and digits joined by - or _, e.g. bundle-scan")
    assert f'data-testid="error-need_key">{key_error}<' in text
    assert 'value="Bundle Scan"' in text
    # scenario choices list the sector's scenarios, so N99 is simply not there to choose
    assert 'data-testid="error-scenario_code"' in text
    saved = b.client.post(
        f"{PAGES}/survey/new", data=need_body(pilot) | {"sector": "apparel"}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{PAGES}?sector=apparel#survey"
    again = b.client.post(f"{PAGES}/survey/new", data=need_body(pilot) | {"sector": "apparel"})
    assert again.status_code == 422
    repeated = zh("need_key: this enterprise already reported the need %(key)s", key="bundle-scan")
    assert f'data-testid="error-need_key">{repeated}<' in again.text
    b.client.cookies.set(LOCALE_COOKIE, "en")
    english = b.client.post(f"{PAGES}/survey/new", data=form).text
    assert 'data-testid="error-problem">must not be empty<' in english


def test_edit_and_delete_a_need_from_the_page(factory: Factory) -> None:
    b = bureau(factory)
    need = record(b.client, enterprise(factory, b.org, 1))
    form = b.client.get(f"{PAGES}/survey/{need['id']}/edit")
    assert form.status_code == 200
    assert f"<h1>{zh('Edit survey need')}" in form.text
    changed = need_body(need["enterprise_id"], problem="改为按扎扫码") | {"sector": "apparel"}
    done = b.client.post(f"{PAGES}/survey/{need['id']}/edit", data=changed, follow_redirects=False)
    assert done.status_code == 303
    page = b.client.get(PAGES).text
    assert "改为按扎扫码" in page
    confirm = zh("Delete this survey need? Published lists keep it.")
    assert f'data-confirm="{confirm}"' in page
    gone = b.client.post(f"{PAGES}/survey/{need['id']}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert b.client.get(f"{API}/survey").json()["total"] == 0


def test_the_survey_table_is_searched_and_paged(factory: Factory) -> None:
    b = bureau(factory)
    pilots = [enterprise(factory, b.org, n) for n in range(1, 4)]
    # 27 needs: 9 keys for each of 3 pilots; 25 a page (pages.common.PAGE_SIZE)
    for pilot in pilots:
        for n in range(9):
            record(b.client, pilot, f"need-{n}", problem=f"问题{pilot}-{n}")
    first = b.client.get(PAGES).text
    assert (
        _section(first, "survey-table").split("</table>", 1)[0].count('data-testid="need-row"')
        == 25
    )
    assert zh("%(start)s–%(end)s of %(total)s", start=1, end=25, total=27) in first
    second = b.client.get(PAGES, params={"offset": 25}).text
    assert _section(second, "survey-table").split("</table>", 1)[0].count("need-row") == 2
    found = b.client.get(PAGES, params={"q": f"问题{pilots[1]}-4"}).text
    assert _section(found, "survey-table").split("</table>", 1)[0].count("need-row") == 1
    none = b.client.get(PAGES, params={"stage": "rd_design"}).text
    assert zh("No survey need matches these filters.") in none


def test_scenario_form_and_the_scenario_table(factory: Factory) -> None:
    b = bureau(factory)
    form = b.client.get(f"{PAGES}/scenarios/new", params={"sector": "nev_parts"})
    assert form.status_code == 200
    assert '<option value="nev_parts" selected>' in form.text
    bad = {"code": "N 1", "title": "", "sector": "apparel", "stage": "manufacturing", "s.S05": "7"}
    refused = b.client.post(f"{PAGES}/scenarios/new", data=bad)
    assert refused.status_code == 422
    assert f'data-testid="error-title">{zh("must not be empty")}<' in refused.text
    assert (
        f'data-testid="error-scenes.S05">{zh("a level from 1 to %(top)s", top=4)}<' in refused.text
    )
    good = bad | {"code": "N01", "title": "生产进度透明", "s.S05": "2", "s.S06": "1"}
    saved = b.client.post(f"{PAGES}/scenarios/new", data=good, follow_redirects=False)
    assert saved.status_code == 303
    pilot = enterprise(factory, b.org, 1)
    record(b.client, pilot, scenario_code="N01")
    row = _section(b.client.get(PAGES).text, "scenario-N01").split("</tr>", 1)[0]
    assert "生产进度透明" in row
    assert f'<code title="计划排程">S05</code>·{zh("L%(n)s", n=2)}' in row
    assert zh("none yet") in row  # no product names N01 yet
    scenario_id = b.client.get(f"{API}/scenarios").json()[0]["id"]
    in_use = b.client.post(f"{PAGES}/scenarios/{scenario_id}/delete")
    assert in_use.status_code == 409
    assert (
        zh("%(count)s survey needs point to this scenario: point them elsewhere first", count=1)
        in in_use.text
    )


def test_publish_versions_a_version_and_its_diff(factory: Factory) -> None:
    b = bureau(factory)
    p1, p2 = enterprise(factory, b.org, 1), enterprise(factory, b.org, 2)
    record(b.client, p1)
    home = b.client.get(PAGES).text
    question = zh(
        "Publish a new version of the problem, need and scenario lists of %(sector)s? "
        "Published versions never change.",
        sector="运动休闲服装",
    )
    assert f'data-confirm="{question}"' in home
    first = b.client.post(f"{PAGES}/publish", data={"sector": "apparel"})
    assert first.status_code == 200
    assert zh("Version %(n)s of the three lists is published.", n=1) in first.text
    record(b.client, p2)
    record(b.client, p2, "cad-nesting", need_title="智能排料")
    b.client.post(f"{PAGES}/publish", data={"sector": "apparel"})
    listed = b.client.get(f"{PAGES}/versions", params={"sector": "apparel", "kind": "needs"}).text
    assert _section(listed, "versions-table").count('data-testid="version-row"') == 2
    needs_v2 = b.client.get(f"{API}/lists", params={"kind": "needs"}).json()["items"][0]
    version = b.client.get(f"{PAGES}/versions/{needs_v2['id']}").text
    assert f'{zh("Need list")} <span data-testid="version">v2</span>' in version
    assert zh("Changes since v%(n)s", n=1) in version
    diff = b.client.get(f"{PAGES}/versions/{needs_v2['id']}/diff").text
    assert zh("From v%(old)s to v%(new)s.", old=1, new=2) in diff
    # added: cad-nesting (pilot 2 alone: 1/2, N); changed: bundle-scan went from 1/1 to 2/2
    assert "<code>cad-nesting</code> 智能排料" in _section(diff, "added")
    changed = _section(diff, "changed").split("</table>", 1)[0]
    assert zh("Pilots reporting it") in changed
    assert '<td class="nx-old">海曙第1服饰</td><td>海曙第1服饰、海曙第2服饰</td>' in changed
    b.client.cookies.set(LOCALE_COOKIE, "en")
    english = b.client.get(f"{PAGES}/versions/{needs_v2['id']}/diff").text
    assert "From v1 to v2." in english
    assert "Pilots reporting it" in english
