"""``loom schedule sequence``: JSON output and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from click.testing import Result
from typer.testing import CliRunner

from loom.apps.scheduling.cli import cli
from loom.apps.scheduling.solver.wt import read_instance, total_weighted_tardiness

WT40 = Path(__file__).parents[3] / "data" / "wt40.txt"

# Two instances of 3 jobs (p, w, d). Instance 2: (2, 1, 2), (4, 3, 4), (1, 5, 1).
# Its optimum by hand: 3 1 2 completes at 1, 3, 7 -> 0 + 1x1 + 3x3 = 10; 3 2 1 completes at
# 1, 5, 7 -> 0 + 3x1 + 1x5 = 8, the least of the six orders (1 2 3: 0+6+30, 1 3 2: 0+10+9,
# 2 1 3: 0+4+30, 2 3 1: 0+20+5).
SMALL = "5 5 5 1 1 1 9 9 9\n2 4 1 1 3 5 2 4 1\n"


def run(*args: str | Path) -> Result:
    root = typer.Typer()  # mounted as in ``loom``: the schedule group with its commands
    root.add_typer(cli, name="schedule")
    return CliRunner().invoke(root, ["schedule", "sequence", *map(str, args)])


def test_json_has_exactly_the_three_keys(tmp_path: Path) -> None:
    path = tmp_path / "wt3.txt"
    path.write_text(SMALL)
    result = run(path, "--instance", "2", "--json", "--seed", "4", "--time-limit", "5")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert set(printed) == {"sequence", "total_weighted_tardiness", "seconds"}
    assert printed["sequence"] == [3, 2, 1]  # 1-based job numbers
    assert printed["total_weighted_tardiness"] == 8
    assert isinstance(printed["seconds"], float)


def test_wt40_instance_prints_a_priced_permutation() -> None:
    result = run(WT40, "--instance", "3", "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert sorted(printed["sequence"]) == list(range(1, 41))
    jobs = read_instance(WT40, 3)
    order = [number - 1 for number in printed["sequence"]]
    assert printed["total_weighted_tardiness"] == total_weighted_tardiness(jobs, order)
    assert printed["total_weighted_tardiness"] == 1225  # wt40-optima.csv, instance 3


def test_text_output_without_json(tmp_path: Path) -> None:
    path = tmp_path / "wt3.txt"
    path.write_text(SMALL)
    result = run(path, "--instance", "2")
    assert result.exit_code == 0, result.output
    assert "total weighted tardiness 8" in result.stdout
    assert "sequence: 3 2 1" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--instance", "3"), "instance 3 is out of range: the file holds instances 1 to 2"),
        (("--instance", "0"), "instance 0 is out of range"),
        (("--instance", "1", "--jobs", "4"), "18 numbers is not a whole number"),
        (("--instance", "1", "--jobs", "0"), "--jobs 0: must be at least 1"),
        (("--instance", "1", "--time-limit", "0"), "--time-limit 0.0: must be positive"),
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    path = tmp_path / "wt3.txt"
    path.write_text(SMALL)
    result = run(path, *args, "--json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("wt3.txt", "5 5 5 1 1 one 9 9 9\n", "line 1: 'one' is not an integer"),
        ("wt3.txt", None, "cannot read"),
        ("orders.txt", SMALL, "cannot tell the number of jobs"),
    ],
)
def test_bad_files_exit_2(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = run(path, "--instance", "1", "--json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert str(path) in result.stderr
