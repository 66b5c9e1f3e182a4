"""``loom quality aql``: the JSON it prints and exit code 2 on bad input."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner, Result

from loom.apps.quality.cli import cli


def run(*args: str) -> Result:
    root = typer.Typer()  # mounted as in ``loom``: the quality group with its commands
    root.add_typer(cli, name="quality")
    return CliRunner().invoke(root, ["quality", "aql", *args])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # lot 2000, level II -> K; 2-A at K, 2.5: 125, Ac 7, Re 8
        (("--lot-size", "2000", "--level", "II", "--aql", "2.5"), ("K", 125, 7, 8)),
        # 2-B at K, 2.5: 125, Ac 5, Re 6
        (("--lot-size", "2000", "--aql", "2.5", "--inspection", "tightened"), ("K", 125, 5, 6)),
        # 2-C at K, 2.5: 50, Ac 3, Re 4
        (("--lot-size", "2000", "--aql", "2.5", "--inspection", "reduced"), ("K", 50, 3, 4)),
        # lot 10, level II -> B; 2-A at B, 0.65: ↓ to F, 20 > 10 items: all 10 inspected
        (("--lot-size", "10", "--aql", "0.65"), ("B", 10, 0, 1)),
        # lot 500001, level S-1 -> D; 2-A at D, 1.5: 0 1 with 8 items
        (("--lot-size", "500001", "--level", "S-1", "--aql", "1.5"), ("D", 8, 0, 1)),
    ],
)
def test_json_has_exactly_the_four_keys(
    args: tuple[str, ...], expected: tuple[str, int, int, int]
) -> None:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert list(printed) == ["code_letter", "sample_size", "accept", "reject"]
    assert (
        printed["code_letter"],
        printed["sample_size"],
        printed["accept"],
        printed["reject"],
    ) == expected


def test_text_output_says_when_every_item_is_inspected() -> None:
    result = run("--lot-size", "10", "--aql", "0.65")
    assert result.exit_code == 0, result.output
    assert "code letter B, sample 10 (100 % inspection), accept 0, reject 1" in result.stdout
    plain = run("--lot-size", "2000", "--aql", "2.5")
    assert "sample 125, accept 7, reject 8" in plain.stdout
    assert "100 %" not in plain.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--lot-size", "1"), "lot_size must be at least 2, not 1"),
        (("--lot-size", "100", "--level", "IV"), "--level 'IV': must be one of S-1"),
        (("--lot-size", "100", "--aql", "3"), "aql 3 is not a preferred AQL"),
        (("--lot-size", "100", "--aql", "x"), "aql must be a number, not 'x'"),
        (("--lot-size", "100", "--inspection", "strict"), "--inspection 'strict': must be"),
        (("--lot-size", "many"), "Invalid value for '--lot-size'"),
        ((), "Missing option '--lot-size'"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: tuple[str, ...], message: str) -> None:
    result = run(*args, "--json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
