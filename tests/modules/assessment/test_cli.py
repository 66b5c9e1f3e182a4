"""``loom assess score`` and ``score-batch``, driven through the module's own Typer app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from loom.modules.assessment.cli import cli
from loom.modules.assessment.engine import builtin_ruleset_document
from tests.modules.assessment import full_marks, with_answers, zero_questionnaire
from tests.modules.assessment.test_scoring import GARMENT_FACTORY


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_score_prints_the_result_json(tmp_path: Path) -> None:
    result = run("score", "--input", str(write(tmp_path / "answers.json", GARMENT_FACTORY)))
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["score"] == 49.85  # see test_scoring for the hand computation
    assert printed["level"] == 2
    assert printed["rules_version"] == "2024-manufacturing.v1"
    for key in ("dimension_scores", "indicator_points", "scene_counts", "unmet", "levels"):
        assert key in printed


def test_score_reads_json_decimals_exactly(tmp_path: Path) -> None:
    # JSON 0.1 parsed as a float would make 0.1/1 = 10.000000000000002% and land in band B
    path = tmp_path / "answers.json"
    text = json.dumps(zero_questionnaire()).replace(
        '"digital_investment": 0, "revenue": 1000', '"digital_investment": 0.1, "revenue": 1'
    )
    path.write_text(text, encoding="utf-8")
    printed = json.loads(run("score", "--input", str(path)).stdout)
    assert printed["indicator_options"]["M4"] == ["A"]


def test_score_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    bad = with_answers(zero_questionnaire(), B5="Z", B1=["A", "C"])
    del bad["scenes"]["S03"]
    result = run("score", "--input", str(write(tmp_path / "bad.json", bad)))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "cannot be scored (3 problems)" in result.stderr
    for path in ("answers.B1:", "answers.B5:", "scenes.S03:"):
        assert path in result.stderr


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('{"standard": "2024-manufacturing", "standard": "x"}', "appears twice"),
        ('{"answers": {"B2": {"digital_devices": NaN}}}', "NaN"),
    ],
)
def test_score_refuses_broken_json(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    result = run("score", "--input", str(path))
    assert result.exit_code == 2
    assert fragment in result.stderr


def test_score_with_missing_file_or_unknown_rules(tmp_path: Path) -> None:
    missing = run("score", "--input", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
    good = str(write(tmp_path / "answers.json", GARMENT_FACTORY))
    unknown = run("score", "--input", good, "--rules", "v42")
    assert unknown.exit_code == 2
    assert "2024-manufacturing.v1" in unknown.stderr  # names what is available


def test_score_with_builtin_version_and_with_rule_file(tmp_path: Path) -> None:
    answers = str(write(tmp_path / "answers.json", GARMENT_FACTORY))
    assert json.loads(run("score", "-i", answers, "--rules", "v1").stdout)["level"] == 2

    document = builtin_ruleset_document()
    document.update(id="2024-manufacturing.v2", version=2, supersedes="2024-manufacturing.v1")
    document["level_rules"]["levels"][1]["min_score"] = 50  # 49.85 no longer reaches level 2
    rules = tmp_path / "corrected.json"
    rules.write_text(json.dumps(document, default=float, ensure_ascii=False), encoding="utf-8")
    printed = json.loads(run("score", "-i", answers, "--rules", str(rules)).stdout)
    assert (printed["level"], printed["rules_version"]) == (1, "2024-manufacturing.v2")
    assert printed["unmet"]["2"] == {"points_short": 0.15}  # 50 - 49.85, exactly


def test_score_with_an_invalid_rule_file_lists_its_problems(tmp_path: Path) -> None:
    document = builtin_ruleset_document()
    del document["title"]
    document["level_rules"]["levels"][0]["min_score"] = -1
    rules = tmp_path / "broken-rules.json"
    rules.write_text(json.dumps(document, default=float, ensure_ascii=False), encoding="utf-8")
    answers = str(write(tmp_path / "answers.json", GARMENT_FACTORY))
    result = run("score", "-i", answers, "--rules", str(rules))
    assert result.exit_code == 2
    assert "title: missing" in result.stderr
    assert "level_rules.levels[level-1].min_score" in result.stderr


def batch_lines(tmp_path: Path) -> Path:
    lines = [
        json.dumps(GARMENT_FACTORY, ensure_ascii=False),  # line 1: level 2
        json.dumps(with_answers(zero_questionnaire(), B5="Z") | {"id": "bad-one"}),  # line 2
        "",  # line 3: blank, skipped
        "{truncated",  # line 4: not JSON
        json.dumps(full_marks()),  # line 5: 100 points, level 4
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_score_batch_keeps_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    result = run("score-batch", "--input", str(batch_lines(tmp_path)))
    assert result.exit_code == 1  # some lines could not be scored
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 4, 5]
    assert (records[0]["id"], records[0]["level"], records[0]["score"]) == (
        "ningbo-apparel-007",
        2,
        49.85,
    )
    assert records[1]["error"] == "invalid_questionnaire"
    assert records[1]["id"] == "bad-one"
    assert [p["path"] for p in records[1]["problems"]] == ["answers.B5"]
    assert records[2]["error"] == "invalid_json"
    assert (records[3]["level"], records[3]["score"]) == (4, 100.0)
    assert "scored 2 of 4 questionnaires with 2024-manufacturing.v1" in result.stderr
    assert "2 could not be scored (lines 2, 4)" in result.stderr


def test_score_batch_writes_to_a_file(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps(GARMENT_FACTORY) + "\n" + json.dumps(zero_questionnaire()) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.jsonl"
    result = run("score-batch", "-i", str(good), "--output", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    levels = [json.loads(line)["level"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert levels == [2, 0]
    assert "scored 2 of 2 questionnaires" in result.stderr


def test_dash_reads_standard_input() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["score", "--input", "-"], input=json.dumps(GARMENT_FACTORY))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["level"] == 2
