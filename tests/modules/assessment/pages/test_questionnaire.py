"""The questionnaire in the browser: fill in, save, submit, see the level and what is missing."""

from __future__ import annotations

import copy

from loom.modules.assessment.planner.samples import sample_answers
from loom.testing.factory import Factory
from tests.modules.assessment.pages.helpers import BASE, enterprise, form_of, start, submit, zh


def test_questionnaire_shows_every_text_and_flags_unverified_items(factory: Factory) -> None:
    _org, client = enterprise(factory)
    page = client.get(f"{BASE}/{start(client)}")
    assert page.status_code == 200
    assert "企业网络建设连接情况" in page.text  # B1's question
    assert "企业车间建成工控网络，支持自动化控制应用" in page.text  # one of its options
    assert "实现数字化的生产设备数量为（台）" in page.text  # a rate question's figure
    assert "通过设计软件工具（如CAD、CAE、EDA等）辅助开展产品设计。" in page.text  # S01 level 1
    assert page.text.count('data-testid="constrained"') == 10
    assert zh("unverified") in page.text
    assert zh("No platform data for this item yet.") in page.text


def test_submit_shows_level_one_and_what_level_two_misses(factory: Factory) -> None:
    _org, client = enterprise(factory)
    assessment_id = start(client)
    saved = client.post(f"{BASE}/{assessment_id}", data=form_of(sample_answers(), "save"))
    assert saved.status_code == 200
    assert zh("Draft saved.") in saved.text
    assert 'value="18"' in saved.text  # the figure typed for B2 is kept
    response = submit(client, assessment_id)
    assert response.status_code == 303
    page = client.get(f"{BASE}/{assessment_id}")
    assert page.status_code == 200
    assert zh("Level %(n)s", n=1) in page.text
    level = page.text.split('data-testid="level">', 1)[1].split("<", 1)[0]
    assert level == zh("Level %(n)s", n=1)
    assert 'data-testid="score">30.3<' in page.text
    missing = page.text.split('data-testid="next-missing">', 1)[1].split("</div>", 1)[0]
    assert zh("Level %(n)s still needs:", n=2) in missing
    assert zh("%(n)s points", n="9.7") in missing
    assert zh("%(n)s scenes", n=1) in missing
    assert zh("%(n)s constrained scenes", n=1) in missing
    assert 'id="dimension-chart"' in page.text


def test_bad_submission_lists_every_problem_and_stores_nothing(factory: Factory) -> None:
    _org, client = enterprise(factory)
    assessment_id = start(client)
    q = copy.deepcopy(sample_answers())
    q["answers"]["B1"] = ["A", "B"]  # 无 with another option
    q["answers"]["B2"] = {"production_devices": 120, "digital_devices": -3}
    del q["answers"]["R4"]
    del q["scenes"]["S05"]
    response = submit(client, assessment_id, q)
    assert response.status_code == 422
    errors = response.text.split('data-testid="form-errors"', 1)[1].split("</div>", 1)[0]
    for item in ("B1", "B2", "R4", "S05"):
        assert f'href="#item-{item}"' in errors
    assert zh("the “none” option cannot be ticked with other options") in errors
    assert zh("must not be negative") in errors
    assert zh("not answered (required)") in errors
    assert response.text.count('data-testid="item-error"') == 4
    assert 'value="-3"' in response.text  # what the user typed is still there
    # Nothing was stored: the draft is still empty and still a draft.
    api = client.get(f"/api/v1/assessment/assessments/{assessment_id}").json()
    assert api["status"] == "draft"
    assert api["questionnaire"]["answers"] == {}


def test_members_read_but_cannot_submit(factory: Factory) -> None:
    from loom.kernel.tenancy.models import OrgKind, Role

    org = factory.org("lanxi", OrgKind.ENTERPRISE)
    factory.user("owner", (org, Role.MANAGER))
    factory.user("worker", (org, Role.MEMBER))
    owner, worker = factory.client("owner"), factory.client("worker")
    assessment_id = start(owner)
    page = worker.get(f"{BASE}/{assessment_id}")
    assert page.status_code == 200
    assert 'data-testid="submit"' not in page.text
    assert submit(worker, assessment_id).status_code == 403
    assert worker.get(f"{BASE}/new").status_code == 403
