"""``loom balance salbp``: the JSON it prints and the exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner, Result

from loom.apps.balancing.cli import cli
from loom.apps.balancing.solver.salbp import check
from loom.apps.balancing.solver.salbp.parse import parse_in2
from tests.apps.balancing.solver.salbp_data import JAESCHKE
from tests.apps.balancing.solver.test_salbp_parse import ALB


def run(*args: str | Path) -> Result:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """Mount ``balance`` as ``loom`` does."""

    root.add_typer(cli, name="balance")
    return CliRunner().invoke(root, ["balance", "salbp", *map(str, args)])


def test_json_has_exactly_the_documented_keys(tmp_path: Path) -> None:
    path = tmp_path / "JAESCHKE.IN2"
    path.write_bytes(JAESCHKE.encode("latin-1"))
    result = run(path, "--cycle-time", "10", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"stations", "lower_bound", "optimal", "assignment", "seconds"}
    assert (out["stations"], out["lower_bound"], out["optimal"]) == (4, 4, True)  # known optimum
    assert sorted(t for station in out["assignment"] for t in station) == list(range(1, 10))
    assert check(parse_in2(JAESCHKE), 10, out["assignment"]) == []
    assert isinstance(out["seconds"], float)


def test_summary_without_json(tmp_path: Path) -> None:
    path = tmp_path / "JAESCHKE.IN2"
    path.write_bytes(JAESCHKE.encode("latin-1"))
    result = run(path, "--cycle-time", "18")
    assert result.exit_code == 0, result.output
    assert "9 tasks, cycle time 18: 3 stations (optimal)" in result.stdout
    assert result.stdout.count("station ") == 3


def test_an_alb_file_brings_its_own_cycle_time(tmp_path: Path) -> None:
    path = tmp_path / "small.alb"
    path.write_text(ALB, encoding="latin-1")
    result = run(path, "--json")
    assert result.exit_code == 0, result.output
    # times 4 3 6 2 5 (sum 20) at c = 10: two full stations, {1, 3} and {2, 4, 5}
    out = json.loads(result.stdout)
    assert out["stations"] == 2
    assert out["assignment"] == [[1, 3], [2, 4, 5]]


def test_bad_inputs_exit_2_naming_the_problem(tmp_path: Path) -> None:
    good = tmp_path / "JAESCHKE.IN2"
    good.write_bytes(JAESCHKE.encode("latin-1"))
    broken = tmp_path / "broken.IN2"
    broken.write_text("3\n4\nx\n", encoding="latin-1")
    cases = [
        ((broken, "--cycle-time", "10"), "line 3: expected the time of task 2"),
        ((tmp_path / "absent.IN2", "--cycle-time", "10"), "cannot read the file"),
        ((good,), "--cycle-time is required"),
        ((good, "--cycle-time", "5"), "task 9 takes 6, longer than the cycle time 5"),
        ((good, "--cycle-time", "0"), "must be positive"),
        ((good, "--cycle-time", "10", "--time-limit", "0"), "--time-limit must be positive"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr
        assert "Traceback" not in result.output
