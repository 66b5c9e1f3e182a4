"""``loom subsidy rules`` and ``loom subsidy quote``: JSON out, exit 2 naming bad options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from loom.modules.subsidy.cli import cli
from loom.modules.subsidy.engine import builtin_ruleset_document
from loom.testing.plugin import LoomCli

PILOT_FACTS = ("--fact", "listed_as=national-pilot", "--fact", "accepted=true", "--fact", "level=2")
PRODUCT = ("--rule", "excellent-product-award", "--fact", "listed_as=municipal-excellent-product")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_quote_prints_the_quote_as_json() -> None:
    result = run("quote", "--rule", "pilot-project", "--investment", "1500000", *PILOT_FACTS)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["rule"] == "pilot-project"
    assert printed["rules_version"] == "haishu-2024.v1"
    assert printed["investment"] == {"cny": "1500000.00", "fen": 150_000_000}
    # 50% of 1,500,000 = 750,000, capped at 500,000; 5:3:2 = 250,000 / 150,000 / 100,000
    assert printed["amount"] == {"cny": "500000.00", "fen": 50_000_000}
    assert printed["limit_applied"] == "cap"
    assert printed["eligible"] is True
    assert {funder: part["fen"] for funder, part in printed["split"].items()} == {
        "central": 25_000_000,
        "city": 15_000_000,
        "district": 10_000_000,
    }
    assert printed["headroom"]["cap"]["remaining"] == {"cny": "0.00", "fen": 0}
    assert printed["reasons"][0] == "eligible: 3 conditions met"


def test_quote_rounds_the_split_to_the_fen() -> None:
    result = run("quote", "--rule", "pilot-project", "--investment", "666666.66", *PILOT_FACTS)
    printed = json.loads(result.stdout)
    # 333,333.33 CNY split 5:3:2 by largest remainder (see test_split)
    assert printed["amount"]["cny"] == "333333.33"
    assert [part["cny"] for part in printed["split"].values()] == [
        "166666.66",
        "100000.00",
        "66666.67",
    ]


def test_quote_without_the_facts_is_not_eligible() -> None:
    result = run("quote", "--rule", "pilot-project", "--investment", "600000")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert (printed["eligible"], printed["amount"]["fen"], printed["limit_applied"]) == (
        False,
        0,
        None,
    )
    assert printed["reasons"][0] == "not eligible: 3 of 3 conditions not met"


def test_quote_counts_prior_awards_from_a_file(tmp_path: Path) -> None:
    prior = write(
        tmp_path / "prior.json",
        [
            {"provider": "p1", "product": "a", "amount": "100000"},
            {"provider": "p1", "product": "b", "amount": "100000"},
            {"provider": "p1", "product": "c", "amount": "50000"},
            # another rule's award in the same file is not counted
            {"rule": "benchmark-award", "beneficiary": "p1", "amount": "100000"},
        ],
    )
    args = (*PRODUCT, "--provider", "p1", "--product", "d", "--prior", str(prior))
    printed = json.loads(run("quote", *args).stdout)
    # 300,000 per provider - 250,000 already = 50,000
    assert printed["amount"] == {"cny": "50000.00", "fen": 5_000_000}
    assert printed["limit_applied"] == "per_provider_cap"
    assert printed["claimant"] == {"provider": "p1", "product": "d"}
    assert printed["headroom"]["per_provider_cap"]["awarded"]["cny"] == "250000.00"


def test_quote_names_every_bad_option_and_exits_2(tmp_path: Path) -> None:
    result = run(
        "quote",
        "--rule",
        "pilot-project",
        "--investment",
        "1.234",
        "--fact",
        "level=two",
        "--prior",
        str(tmp_path / "missing.json"),
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[:3] == [
        "cannot quote pilot-project:",
        "  --investment: '1.234' has more than 2 decimals; amounts are counted to the fen (0.01)",
        "  --fact level: must be a whole number, got 'two'",
    ]
    assert "missing.json: cannot read" in result.stderr


def test_quote_refuses_what_the_engine_cannot_use(tmp_path: Path) -> None:
    needs_investment = run("quote", "--rule", "pilot-project")
    assert needs_investment.exit_code == 2
    assert "--investment: rule pilot-project pays a share" in needs_investment.stderr
    prior = write(tmp_path / "prior.json", [{"provider": "p1", "product": "a", "amount": "1"}])
    unnamed = run("quote", *PRODUCT, "--prior", str(prior))
    assert unnamed.exit_code == 2
    assert "--provider: rule excellent-product-award caps awards" in unnamed.stderr
    bad_prior = write(tmp_path / "bad.json", [{"provider": "p1", "amount": "-3"}])
    refused = run("quote", *PRODUCT, "--prior", str(bad_prior))
    assert "bad.json[0].amount: '-3' is negative" in refused.stderr
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    broken = run("quote", *PRODUCT, "--prior", str(tmp_path / "broken.json"))
    assert "broken.json: not valid JSON" in broken.stderr


def test_quote_of_an_unknown_rule_lists_the_rules() -> None:
    result = run("quote", "--rule", "pilot", "--investment", "1")
    assert result.exit_code == 2
    assert "has no rule 'pilot'; its rules: pilot-project, municipal-sample-award" in result.stderr


def test_rules_lists_every_rule_id() -> None:
    result = run("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("haishu-2024.v1")
    assert [line.split()[0] for line in lines[1:]] == [
        "pilot-project",
        "municipal-sample-award",
        "district-sector-project",
        "benchmark-award",
        "excellent-contractor-award",
        "enterprise-brain-platform",
        "excellent-product-award",
    ]
    assert "50% of investment, at most 500000.00 CNY" in lines[1]
    assert "central:city:district = 5:3:2" in lines[1]
    assert "per product 100000.00; per provider 300000.00; city" in lines[7]


def test_a_rules_file_replaces_the_shipped_rules(tmp_path: Path) -> None:
    document = builtin_ruleset_document()
    document["rules"][0]["funders"][0]["parts"] = 6  # 6:3:2 instead of 5:3:2
    path = write(tmp_path / "rules.json", document)
    args = ("quote", "--rule", "pilot-project", "--investment", "1100000", *PILOT_FACTS)
    printed = json.loads(run(*args, "--rules-file", str(path)).stdout)
    # 550,000 capped at 500,000; 6:3:2 of 500,000 = 272,727.27…, 136,363.63…, 90,909.09…
    # floors 27,272,727 + 13,636,363 + 9,090,909 = 49,999,999; the fen left goes to city (the
    # remainders are 3/11, 7/11, 1/11 of a fen)
    assert [part["fen"] for part in printed["split"].values()] == [
        27_272_727,
        13_636_364,
        9_090_909,
    ]
    document["rules"][0]["cap_fen"] = "lots"
    bad = run("rules", "--rules-file", str(write(tmp_path / "bad.json", document)))
    assert bad.exit_code == 2
    assert "is invalid:" in bad.stderr
    assert "  rules[0].cap_fen: expected a whole number, got the string 'lots'" in bad.stderr


def test_the_loom_command_mounts_subsidy(loom_cli: LoomCli) -> None:
    listed = loom_cli("subsidy", "rules")
    assert listed.exit_code == 0, listed.output
    assert "excellent-product-award" in listed.output
    quoted = loom_cli(
        "subsidy", "quote", "--rule", "benchmark-award", "--fact", "listed_as=first-batch-benchmark"
    )
    assert quoted.exit_code == 0, quoted.output
    assert json.loads(quoted.output)["split"] == {
        "district": {"parts": 1, "cny": "100000.00", "fen": 10_000_000}
    }
