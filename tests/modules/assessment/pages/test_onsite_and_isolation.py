"""On-site assessments by an assessor, tenant isolation of every page, and evidence files."""

from __future__ import annotations

from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.assessment.planner.samples import sample_answers
from loom.testing.factory import Factory
from tests.modules.assessment.pages.helpers import (
    BASE,
    enterprise,
    form_of,
    start,
    submit,
    submitted,
    zh,
)

PDF = b"%PDF-1.4 evidence of a shop-floor network\n"


def test_assessor_records_an_onsite_assessment_the_enterprise_reads(factory: Factory) -> None:
    org, enterprise_client = enterprise(factory, "yongfeng", "owner")
    kepu = factory.org("kepu", OrgKind.ASSESSOR, name="科普评测中心")
    factory.user("expert", (kepu, Role.MANAGER))
    expert = factory.client("expert")

    new = expert.get(f"{BASE}/new")
    assert f'<option value="{org.id}"' in new.text
    refused = expert.post(f"{BASE}/new", data={"phase": "before", "assessed_on": "2026-03-02"})
    assert refused.status_code == 422
    assert zh("enterprise: choose the enterprise assessed") in refused.text
    assessment_id = start(expert, title="现场评测", enterprise=str(org.id))
    assert submit(expert, assessment_id).status_code == 303
    assert zh("Level %(n)s", n=1) in expert.get(f"{BASE}/{assessment_id}").text

    listing = enterprise_client.get(f"{BASE}/")
    assert "现场评测" in listing.text
    assert zh("on-site") in listing.text
    page = enterprise_client.get(f"{BASE}/{assessment_id}")
    assert page.status_code == 200
    assert "科普评测中心" in page.text
    assert 'data-testid="submit"' not in page.text
    changed = enterprise_client.post(f"{BASE}/{assessment_id}", data=form_of(sample_answers()))
    assert changed.status_code == 403


def test_enterprise_sees_an_onsite_draft_read_only(factory: Factory) -> None:
    org, enterprise_client = enterprise(factory, "yongfeng", "owner")
    kepu = factory.org("kepu", OrgKind.ASSESSOR)
    factory.user("expert", (kepu, Role.MANAGER))
    assessment_id = start(factory.client("expert"), enterprise=str(org.id))
    page = enterprise_client.get(f"{BASE}/{assessment_id}")
    assert page.status_code == 200
    read_only = (
        "This draft is read-only for you: only its author organisation's managers can change it."
    )
    assert zh(read_only) in page.text
    assert 'data-testid="save"' not in page.text
    files = {"file": ("x.pdf", PDF, "application/pdf")}
    upload = enterprise_client.post(
        f"{BASE}/{assessment_id}/evidence", data={"item": "B1"}, files=files
    )
    assert upload.status_code == 403


def test_another_enterprise_gets_404_everywhere(factory: Factory) -> None:
    _org, client = enterprise(factory)
    _other, stranger = enterprise(factory, "rival", "spy")
    done = submitted(client)
    draft = start(client)
    upload = client.post(
        f"{BASE}/{draft}/evidence",
        data={"item": "B1"},
        files={"file": ("network.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert upload.status_code == 303
    evidence_id = int(
        client.get(f"{BASE}/{draft}")
        .text.split("/apps/assessment/evidence/", 1)[1]
        .split('"', 1)[0]
    )
    for path in (
        f"{BASE}/{done}",
        f"{BASE}/{done}/plan",
        f"{BASE}/{done}/plan.xlsx",
        f"{BASE}/{done}/report",
        f"{BASE}/{done}.xlsx",
        f"{BASE}/compare?before={done}&after={done}",
        f"{BASE}/evidence/{evidence_id}",
    ):
        assert stranger.get(path).status_code == 404, path
    for path in (
        f"{BASE}/{draft}",
        f"{BASE}/{draft}/delete",
        f"{BASE}/evidence/{evidence_id}/delete",
    ):
        assert stranger.post(path, data=form_of(sample_answers())).status_code == 404, path
    files = {"file": ("x.pdf", PDF, "application/pdf")}
    assert (
        stranger.post(f"{BASE}/{draft}/evidence", data={"item": "B1"}, files=files).status_code
        == 404
    )
    assert stranger.get(f"{BASE}/").text.count("/apps/assessment/" + str(done)) == 0


def test_evidence_upload_download_and_removal(factory: Factory) -> None:
    _org, client = enterprise(factory)
    draft = start(client)
    response = client.post(
        f"{BASE}/{draft}/evidence",
        data={"item": "S06"},
        files={"file": ("扫码记录.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("#item-S06")
    page = client.get(f"{BASE}/{draft}")
    panel = page.text.split('data-testid="evidence-S06"', 1)[1].split("</div>", 1)[0]
    assert "扫码记录.pdf" in panel
    evidence_id = int(panel.split("/apps/assessment/evidence/", 1)[1].split('"', 1)[0])
    download = client.get(f"{BASE}/evidence/{evidence_id}")
    assert download.status_code == 200
    assert download.content == PDF
    refused = client.post(
        f"{BASE}/{draft}/evidence",
        data={"item": "S06"},
        files={"file": ("run.exe", b"MZ", "application/x-msdownload")},
    )
    assert refused.status_code == 422
    assert zh("file: PDF, image, text, CSV, Excel or Word only") in refused.text
    removed = client.post(f"{BASE}/evidence/{evidence_id}/delete", follow_redirects=False)
    assert removed.status_code == 303
    assert client.get(f"{BASE}/evidence/{evidence_id}").status_code == 404
    files = {"file": ("late.pdf", PDF, "application/pdf")}
    late = client.post(f"{BASE}/{submitted(client)}/evidence", data={"item": "B1"}, files=files)
    assert late.status_code == 409
