"""`loom assess score` and `loom assess plan` through the real `loom` command."""

from __future__ import annotations

import json
from pathlib import Path

from loom.modules.assessment.planner.samples import sample_answers, sample_catalogue_document
from loom.testing.plugin import LoomCli


def test_loom_assess_score_and_plan(loom_cli: LoomCli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(sample_answers(), ensure_ascii=False), encoding="utf-8")
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps(sample_catalogue_document(), default=float), encoding="utf-8")
    scored = loom_cli("assess", "score", "--input", str(answers))
    assert scored.exit_code == 0, scored.output
    result = json.loads(scored.output)
    assert (result["score"], result["level"]) == (30.3, 1)
    planned = loom_cli(
        "assess",
        "plan",
        "--input",
        str(answers),
        "--catalogue",
        str(catalogue),
        "--target-level",
        "2",
    )
    assert planned.exit_code == 0, planned.output
    plan = json.loads(planned.output)
    assert plan["reachable"] is True
    assert plan["after"]["level"] >= 2
