"""Showcase cases: the bureau writes up accepted projects, flags them, and prints them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.db.session import session_scope
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.modules.programme.analytics.helpers import API, PAGES, seed
from tests.modules.programme.targets.helpers import zh

WRITE_UP: dict[str, Any] = {
    "title": "以数据驱动排产的运动服工厂",
    "problem": "订单多、批量小，计划靠手工排，准时交货率低。",
    "solution": "上线计划排产与吊挂扫码，打通订单到工序的数据。",
    "results": "准时交货率和人均产量明显提升。",
    "figures": [
        {"label": "准时交货率", "before": "82.5", "after": "95", "unit": "%"},
        {"label": "在制品天数", "before": "6", "after": "4.5", "unit": "天"},
    ],
}


def audit(factory: Factory, org: OrgRef) -> list[tuple[str, Any]]:
    """Return the showcase audit events of ``org``'s chain: (action, after), oldest first."""
    with session_scope(factory.runtime.session_factory) as session:
        stmt = select(AuditEvent).where(
            AuditEvent.org_id == org.id, AuditEvent.action.startswith("programme.showcase.")
        )
        return [(e.action, e.after) for e in session.scalars(stmt.order_by(AuditEvent.seq))]


@both_backends
def test_write_up_feature_and_take_off_are_audited(factory: Factory) -> None:
    s = seed(factory)
    p1 = s.projects["P1"]
    gallery = s.client.get(f"{API}/showcase").json()
    # the four accepted projects wait for a write-up; nothing is shown yet
    accepted = [s.projects[k] for k in ("P1", "P2", "P3", "P4")]
    assert (gallery["cases"], gallery["drafts"], gallery["candidates"]) == ([], [], accepted)
    saved = s.client.put(f"{API}/showcase/{p1}", json=WRITE_UP)
    assert saved.status_code == 200, saved.text
    case = saved.json()
    assert (case["featured"], case["level_before"], case["level_after"]) == (False, 1, 2)
    # scores are 20 x level + 5: 25 -> 45; the acceptance's input/output ratio is 1.35
    assert (case["score_before"], case["score_after"], case["io_ratio"]) == (
        "25.00",
        "45.00",
        "1.35",
    )
    assert (case["investment_fen"], case["accepted_on"]) == (60_000_000, "2024-12-20")
    on_time, wip = case["figures"]
    # 95 - 82.5 = 12.5, and 12.5 / 82.5 = 15.15…% -> 15.2
    assert (on_time["change"], on_time["change_percent"]) == ("12.5", "15.2")
    # 4.5 - 6 = -1.5, -1.5 / 6 = -25.0%
    assert (wip["change"], wip["change_percent"]) == ("-1.5", "-25.0")
    shown = s.client.post(f"{API}/showcase/{p1}/feature", json={"featured": True}).json()
    assert shown["featured"] is True
    assert shown["featured_on"] is not None
    gallery = s.client.get(f"{API}/showcase").json()
    assert [c["project_id"] for c in gallery["cases"]] == [p1]
    assert p1 not in gallery["candidates"]
    again = s.client.put(f"{API}/showcase/{p1}", json={**WRITE_UP, "results": "交期准了。"})
    assert again.json()["results"] == "交期准了。"
    assert again.json()["featured"] is True
    off = s.client.post(f"{API}/showcase/{p1}/feature", json={"featured": False}).json()
    assert (off["featured"], off["featured_on"]) == (False, None)
    events = audit(factory, s.bureau)
    assert [action for action, _ in events] == [
        "programme.showcase.created",
        "programme.showcase.featured",
        "programme.showcase.updated",
        "programme.showcase.unfeatured",
    ]
    assert events[2][1]["results"] == "交期准了。"


@both_backends
def test_refusals_name_the_field(factory: Factory) -> None:
    s = seed(factory)
    p1, p5 = s.projects["P1"], s.projects["P5"]
    # P5 is still under on-site review
    early = s.client.put(f"{API}/showcase/{p5}", json=WRITE_UP)
    assert early.status_code == 409
    assert early.json()["error"]["message"].startswith("status: only an accepted project")
    # nothing written yet: the flag asks for the three texts
    bare = s.client.post(f"{API}/showcase/{p1}/feature", json={"featured": True})
    assert bare.status_code == 409
    assert "problem, solution, results" in bare.json()["error"]["message"]
    half = s.client.put(f"{API}/showcase/{p1}", json={"problem": "手工排产"})
    assert half.status_code == 200
    flagged = s.client.post(f"{API}/showcase/{p1}/feature", json={"featured": True})
    assert flagged.status_code == 409
    assert flagged.json()["error"]["details"][0]["field"] == "solution"
    figures = [{"label": "准时交货率", "before": "八十", "after": "95"}]
    bad = s.client.put(f"{API}/showcase/{p1}", json={**WRITE_UP, "figures": figures})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "figures[0].before"
    nameless = [{"label": "", "before": "1", "after": "2"}]
    bad = s.client.put(f"{API}/showcase/{p1}", json={**WRITE_UP, "figures": nameless})
    assert bad.json()["error"]["details"][0]["field"] == "figures[0].label"
    extra = [{"label": "x", "before": "1", "after": "2", "colour": "red"}]
    assert (
        s.client.put(f"{API}/showcase/{p1}", json={**WRITE_UP, "figures": extra}).status_code == 422
    )
    assert s.client.get(f"{API}/showcase/{p5}").status_code == 404
    assert s.client.get(f"{API}/showcase/2147483648").status_code == 404
    # only the refused-free write-up of P1 was kept; no flag was set
    assert [a for a, _ in audit(factory, s.bureau)] == ["programme.showcase.created"]


@both_backends
def test_pages_gallery_form_and_printable_case(factory: Factory) -> None:
    s = seed(factory)
    p2 = s.projects["P2"]
    gallery = s.client.get(f"{PAGES}/showcase")
    assert gallery.status_code == 200
    assert zh("No showcase cases yet.") in gallery.text
    assert f'data-testid="candidate" data-id="{p2}"' in gallery.text
    form = s.client.get(f"{PAGES}/showcase/{p2}/edit")
    assert form.status_code == 200
    assert form.text.count('name="figure_label"') == 8
    data = {
        "title": "质量追溯案例",
        "problem": "返修多",
        "solution": "上线质量追溯",
        "results": "返修率下降",
        "figure_label": ["返修率", "", ""],
        "figure_before": ["4", "", ""],
        "figure_after": ["abc", "", ""],
        "figure_unit": ["%", "", ""],
    }
    refused = s.client.post(f"{PAGES}/showcase/{p2}/edit", data=data)
    assert refused.status_code == 422
    assert 'data-field="figures[0].after"' in refused.text
    assert "返修率下降" in refused.text  # what was typed is kept
    data["figure_after"] = ["2.5", "", ""]
    saved = s.client.post(f"{PAGES}/showcase/{p2}/edit", data=data, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, f"{PAGES}/showcase/{p2}")
    case = s.client.get(f"{PAGES}/showcase/{p2}")
    assert case.status_code == 200
    assert "@media print" in case.text
    # the CSP refuses inline handlers: the print button works through loom.js's data-print
    assert 'data-print data-testid="print"' in case.text
    assert "onclick" not in case.text
    assert zh("Typical case of SME digital transformation") in case.text
    # 2.5 - 4 = -1.5, -1.5 / 4 = -37.5%
    assert "-1.5 (-37.5%)" in case.text
    assert zh("Not shown") in case.text
    toggled = s.client.post(
        f"{PAGES}/showcase/{p2}/feature", data={"featured": "1"}, follow_redirects=False
    )
    assert toggled.status_code == 303
    assert zh("Take off the showcase") in s.client.get(f"{PAGES}/showcase/{p2}").text
    assert f'data-testid="case-card" data-id="{p2}"' in s.client.get(f"{PAGES}/showcase").text
    odd = s.client.post(f"{PAGES}/showcase/{p2}/feature", data={"featured": "yes"})
    assert odd.status_code == 422
    # a project still under review has no case page and no form
    p5 = s.projects["P5"]
    assert s.client.get(f"{PAGES}/showcase/{p5}").status_code == 404
    refused = s.client.post(f"{PAGES}/showcase/{p5}/edit", data=data)
    assert refused.status_code == 404
