"""``plan`` on a fresh Typer app with the planner's ``register`` applied."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from loom.modules.assessment.planner import sample_answers, sample_catalogue_document
from loom.modules.assessment.planner.cli_plan import register


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Keep ``plan`` a sub-command, as under ``loom assess``."""

    register(app)
    return app


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(sample_answers()), encoding="utf-8")
    catalogue = tmp_path / "catalogue.json"
    document = sample_catalogue_document()
    catalogue.write_text(json.dumps(document, default=str, ensure_ascii=False), encoding="utf-8")
    return answers, catalogue


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(_app(), ["plan", *map(str, args)])


def output(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_plan_prints_the_cheapest_plan_with_its_proof(files: tuple[Path, Path]) -> None:
    answers, catalogue = files
    plan = output(run("--input", answers, "--catalogue", catalogue))
    # the sample enterprise (30.3 points, 5 scenes at 2, 2 constrained) needs 9.7 points,
    # one scene and one constrained scene: the cheapest way is 145,000 CNY of security,
    # management and Loom's maintenance app (S08 1 -> 2, constrained)
    assert plan["reachable"] is True
    assert plan["target_level"] == 2
    assert plan["before"]["level"] == 1
    assert plan["after"]["level"] == 2
    assert plan["cost"] == {"investment_cny": 145_000, "subsidy_counted": False}
    assert {o["id"] for o in plan["options"]} == {
        "data-backup", "cloud-migration", "loom-maintenance", "consult-roadmap", "talent-training"
    }  # fmt: skip
    assert plan["solver"]["status"] == "OPTIMAL"
    assert plan["solver"]["proved"] is True
    assert all(o["why"] for o in plan["options"])
    assert "within_budget" not in plan


def test_subsidy_and_budget(files: tuple[Path, Path]) -> None:
    answers, catalogue = files
    plan = output(
        run("--input", answers, "--catalogue", catalogue, "--subsidy", "--budget", "100000")
    )
    assert plan["cost"]["subsidy_cny"] == 72_500
    assert plan["cost"]["net_cny"] == 72_500
    within = plan["within_budget"]
    assert within["budget_cny"] == 100_000
    assert within["limits"] == "net cost after subsidy"
    assert within["level"] == 2
    assert within["plan"]["cost"]["net_cny"] <= 100_000


def test_an_unreachable_target_exits_0_with_the_explanation(files: tuple[Path, Path]) -> None:
    answers, catalogue = files
    plan = output(run("--input", answers, "--catalogue", catalogue, "--target-level", "4"))
    assert plan["reachable"] is False
    assert plan["solver"]["status"] == "INFEASIBLE"
    assert plan["unreachable"]["reason"] == "catalogue"
    assert plan["unreachable"]["message"].startswith("level 4 cannot be reached")


def test_every_input_problem_is_listed_with_exit_2(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    bad_answers = sample_answers()
    bad_answers["answers"]["B9"] = "A"
    bad_answers["scenes"]["S01"] = 7
    answers.write_text(json.dumps(bad_answers), encoding="utf-8")
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(
        json.dumps({"options": [{"id": "x", "cost": -5, "weeks": 1, "scenes": {"S99": 2}}]}),
        encoding="utf-8",
    )
    result = run(
        "--input", answers, "--catalogue", catalogue, "--target-level", "7", "--budget", "lots"
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "cannot plan (6 problems):"
    assert "  --budget lots: expected an amount in CNY such as 300000" in lines
    assert "  --target-level 7: the rule set's levels are [1, 2, 3, 4]" in lines
    assert any("answers.B9: unknown indicator" in line for line in lines)
    assert any("scenes.S01: level 7 is outside 0–4" in line for line in lines)
    assert any("options[0].cost: cost -5 is negative" in line for line in lines)
    assert any("options[0].scenes.S99: unknown scene" in line for line in lines)


def test_unreadable_files_and_unknown_rules_exit_2(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    answers, catalogue = files
    missing = tmp_path / "missing.json"
    result = run("--input", missing, "--catalogue", missing)
    assert result.exit_code == 2
    assert result.stderr.count("cannot read") == 2
    result = run("--input", answers, "--catalogue", catalogue, "--rules", "v99")
    assert result.exit_code == 2
    assert "--rules v99" in result.stderr


def test_rules_can_be_named_by_version(files: tuple[Path, Path]) -> None:
    answers, catalogue = files
    plan = output(
        run("--input", answers, "--catalogue", catalogue, "--rules", "2024-manufacturing.v1")
    )
    assert plan["rules_version"] == "2024-manufacturing.v1"


def test_registering_the_command_does_not_load_the_solver() -> None:
    # OR-Tools takes most of a second to import; every other `loom` command would pay for it
    code = (
        "import sys, typer\n"
        "from loom.modules.assessment.planner.cli_plan import register\n"
        "register(typer.Typer())\n"
        "assert not any(m.startswith('ortools') for m in sys.modules), 'ortools loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
