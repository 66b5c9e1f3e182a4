"""On-site assessments by assessors, evidence files, and plans through the API."""

from __future__ import annotations

from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.assessment.engine import score
from loom.modules.assessment.planner import Baseline, plan_to_level, sample_catalogue
from loom.modules.assessment.planner.samples import sample_answers
from loom.modules.assessment.planner.subsidy import SubsidyRule
from loom.testing.factory import Factory
from tests.modules.assessment.api.helpers import API, answer_and_submit, enterprise, start


def _assessor(factory: Factory, slug: str = "kepu") -> object:
    org = factory.org(slug, OrgKind.ASSESSOR)
    factory.user(f"{slug}-lead", (org, Role.MANAGER))
    return factory.client(f"{slug}-lead")


def test_assessor_records_onsite_assessment_the_enterprise_can_read(factory: Factory) -> None:
    org, firm = enterprise(factory)
    assessor = _assessor(factory)
    made = assessor.post(
        f"{API}/onsite",
        json={
            "phase": "after",
            "assessed_on": "2026-11-25",  # type: ignore[attr-defined]
            "enterprise_org_id": org.id,
            "title": "验收评估",
        },
    )
    assert made.status_code == 201, made.text
    onsite = made.json()
    assert (onsite["kind"], onsite["org_id"]) == ("onsite", org.id)
    done = answer_and_submit(assessor, onsite["id"])  # type: ignore[arg-type]
    assert done["level"] == 1
    seen = firm.get(f"{API}/assessments/{onsite['id']}")
    assert seen.status_code == 200
    assert seen.json()["kind"] == "onsite"
    # The enterprise reads it but may not change the assessor's record.
    q = sample_answers()
    refused = firm.put(
        f"{API}/assessments/{onsite['id']}/answers",
        json={"answers": q["answers"], "scenes": q["scenes"]},
    )
    assert refused.status_code in (403, 409)
    # Another assessor organisation sees nothing of it.
    other = _assessor(factory, "other")
    assert other.get(f"{API}/assessments/{onsite['id']}").status_code == 404  # type: ignore[attr-defined]
    assert other.get(f"{API}/assessments").json()["total"] == 0  # type: ignore[attr-defined]


def test_enterprises_cannot_open_onsite_assessments(factory: Factory) -> None:
    org, firm = enterprise(factory)
    refused = firm.post(
        f"{API}/onsite",
        json={"phase": "after", "assessed_on": "2026-11-25", "enterprise_org_id": org.id},
    )
    assert refused.status_code == 403


def test_evidence_upload_download_and_isolation(factory: Factory) -> None:
    _org, firm = enterprise(factory)
    _other, stranger = enterprise(factory, "rival", "rival-boss")
    a = start(firm)
    pdf = b"%PDF-1.4 minimal evidence"
    up = firm.post(
        f"{API}/assessments/{a['id']}/evidence",
        data={"item": "B2"},
        files={"file": ("设备台账.pdf", pdf, "application/pdf")},
    )
    assert up.status_code == 201, up.text
    ev = up.json()
    assert (ev["item_id"], ev["size"], ev["filename"]) == ("B2", len(pdf), "设备台账.pdf")
    got = firm.get(f"{API}/evidence/{ev['id']}")
    assert got.content == pdf
    assert stranger.get(f"{API}/evidence/{ev['id']}").status_code == 404
    assert stranger.delete(f"{API}/evidence/{ev['id']}").status_code == 404
    bad_item = firm.post(
        f"{API}/assessments/{a['id']}/evidence",
        data={"item": "X9"},
        files={"file": ("a.pdf", pdf, "application/pdf")},
    )
    assert bad_item.status_code == 422
    assert bad_item.json()["error"]["details"][0]["field"] == "item"
    exe = firm.post(
        f"{API}/assessments/{a['id']}/evidence",
        data={"item": "B2"},
        files={"file": ("a.exe", b"MZ", "application/x-msdownload")},
    )
    assert exe.status_code == 422
    assert len(firm.get(f"{API}/assessments/{a['id']}/evidence").json()) == 1
    assert firm.delete(f"{API}/evidence/{ev['id']}").status_code == 204
    assert firm.get(f"{API}/assessments/{a['id']}/evidence").json() == []


def test_plan_matches_the_planner_run_directly(factory: Factory) -> None:
    _org, firm = enterprise(factory)
    a = start(firm)
    answer_and_submit(firm, a["id"])
    response = firm.post(f"{API}/assessments/{a['id']}/plan", json={"target_level": 2})
    assert response.status_code == 200, response.text
    report = response.json()
    # The same plan computed directly with the planner on the same answers and catalogue.
    result = score(sample_answers())
    direct = plan_to_level(
        Baseline.from_result(result), sample_catalogue(result.rules), 2, subsidy=SubsidyRule()
    )
    assert report["target"]["reachable"] is True
    assert report["current"] == {"score": 30.3, "level": 1}
    chosen = sorted(o["id"] for o in report["target"]["options"])
    assert chosen == sorted(u.id for u in direct.chosen)
    assert report["target"]["cost"]["investment_cny"] == direct.cost_fen / 100


def test_plan_rejects_a_level_the_rules_do_not_have(factory: Factory) -> None:
    _org, firm = enterprise(factory)
    a = start(firm)
    answer_and_submit(firm, a["id"])
    refused = firm.post(f"{API}/assessments/{a['id']}/plan", json={"target_level": 9})
    assert refused.status_code == 422


def test_only_authors_change_answers_and_evidence(factory: Factory) -> None:
    org, firm = enterprise(factory)
    factory.user("worker", (org, Role.MEMBER))
    worker = factory.client("worker")
    a = start(firm)
    q = sample_answers()
    body = {"answers": q["answers"], "scenes": q["scenes"]}
    # Members read but do not answer (the route needs assessment.answers.write).
    assert worker.put(f"{API}/assessments/{a['id']}/answers", json=body).status_code == 403
    assert worker.post(f"{API}/assessments/{a['id']}/submit").status_code == 403
    pdf = ("a.pdf", b"%PDF-1.4", "application/pdf")
    assert (
        worker.post(
            f"{API}/assessments/{a['id']}/evidence", data={"item": "B1"}, files={"file": pdf}
        ).status_code
        == 403
    )
    # The enterprise cannot attach files to an assessor's on-site record.
    assessor = _assessor(factory)
    onsite = assessor.post(
        f"{API}/onsite",
        json={
            "phase": "after",
            "assessed_on": "2026-11-25",  # type: ignore[attr-defined]
            "enterprise_org_id": org.id,
        },
    ).json()
    refused = firm.post(
        f"{API}/assessments/{onsite['id']}/evidence", data={"item": "B1"}, files={"file": pdf}
    )
    assert refused.status_code == 403
    # Nobody attaches to a submitted assessment.
    answer_and_submit(firm, a["id"])
    late = firm.post(
        f"{API}/assessments/{a['id']}/evidence", data={"item": "B1"}, files={"file": pdf}
    )
    assert late.status_code == 409
