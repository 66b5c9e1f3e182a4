"""The shipped rule set encodes 四(四)10-14, and bad rule sets are refused naming each path."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from loom.kernel.errors import ValidationFailed
from loom.modules.subsidy.engine import (
    RuleSetError,
    builtin_ruleset,
    builtin_ruleset_document,
    builtin_versions,
    load_ruleset,
)
from tests.modules.subsidy import WAN

SEED = (
    Path(__file__).resolve().parents[2] / "data" / "haishu-action-plan-2024.txt"
)  # tests/data/README.md

# what the plan says, rule by rule: clause, kind, share, cap per award, cumulative caps, funders
EXPECTED: dict[
    str, tuple[str, str, Fraction | None, int, dict[str, int], list[tuple[str, int]]]
] = {
    "pilot-project": (
        "四(四)11",
        "share-of-investment",
        Fraction(1, 2),  # 不超过实际投入总额的50%
        50 * WAN,  # 最高50万元
        {"per_beneficiary_cap": 50 * WAN},
        [("central", 5), ("city", 3), ("district", 2)],  # 原则上中央、市、区支持比例为5:3:2
    ),
    "municipal-sample-award": (
        "四(四)11",
        "one-off-award",
        None,
        20 * WAN,  # 由市级财政给予最高20万元的一次性奖励
        {"per_beneficiary_cap": 20 * WAN},
        [("city", 1)],
    ),
    "district-sector-project": (
        "四(四)11",
        "share-of-investment",
        Fraction(1, 2),
        50 * WAN,  # 由区级财政按照不超过实际投入总额的50%、最高50万元给予补助
        {"per_beneficiary_cap": 50 * WAN},
        [("district", 1)],
    ),
    "benchmark-award": (
        "四(四)11",
        "one-off-award",
        None,
        10 * WAN,  # 由区级财政给予最高10万元的一次性奖励
        {"per_beneficiary_cap": 10 * WAN},
        [("district", 1)],
    ),
    "excellent-contractor-award": (
        "四(四)12",
        "one-off-award",
        None,
        100 * WAN,  # 由中央财政资金给予最高100万元的一次性奖励
        {"per_beneficiary_cap": 100 * WAN},
        [("central", 1)],
    ),
    "enterprise-brain-platform": (
        "四(四)13",
        "share-of-investment",
        Fraction(3, 10),  # 由中央财政资金按照不超过实际投入总额的30%
        1000 * WAN,  # 最高1000万元
        {"per_beneficiary_cap": 1000 * WAN},
        [("central", 1)],
    ),
    "excellent-product-award": (
        "四(四)14",
        "one-off-award",
        None,
        10 * WAN,  # 由市级财政给予最高10万元一次性奖励
        {"per_product_cap": 10 * WAN, "per_provider_cap": 30 * WAN},  # 每个服务商不超过30万元
        [("city", 1)],
    ),
}


def test_the_shipped_rule_set_is_versioned() -> None:
    assert builtin_versions() == ["haishu-2024.v1"]
    rules = builtin_ruleset()
    assert (rules.id, rules.programme, rules.version) == ("haishu-2024.v1", "haishu-2024", 1)
    assert rules.source.doc_no == "海经信〔2024〕10号"
    assert builtin_ruleset("v1") is rules
    assert builtin_ruleset("haishu-2024.v1") is rules
    with pytest.raises(LookupError, match=r"shipped: haishu-2024\.v1"):
        builtin_ruleset("v9")


def test_item_10_names_the_three_funders() -> None:
    framework = builtin_ruleset().framework
    assert framework.clause == "四(四)10"
    assert [funder.id for funder in framework.funders] == ["central", "city", "district"]


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_every_rule_of_items_11_to_14_is_encoded(rule_id: str) -> None:
    clause, kind, share, cap, cumulative, funders = EXPECTED[rule_id]
    rule = builtin_ruleset().rule(rule_id)
    assert (rule.clause, rule.kind, rule.share, rule.cap_fen) == (clause, kind, share, cap)
    assert {name: fen for name, fen in rule.caps().items() if name != "cap"} == cumulative
    assert [(part.funder.id, part.parts) for part in rule.funders] == funders
    assert rule.eligibility, "every rule says who is eligible"


def test_no_rule_is_missing_or_extra() -> None:
    assert [rule.id for rule in builtin_ruleset().rules] == list(EXPECTED)


def test_only_the_vague_parts_are_unverified() -> None:
    rules = builtin_ruleset()
    # 原则上 5:3:2 is the only split the plan hedges
    assert [r.id for r in rules.rules if not r.split_verified] == ["pilot-project"]
    assert {r.id for r in rules.rules if not r.verified} == {
        "pilot-project",  # the split, and 符合条件 read as accepted at level 2 or above
        "district-sector-project",  # cap per project read as per enterprise
        "enterprise-brain-platform",  # cap per platform read as per enterprise
    }
    for rule in rules.rules:
        if not rule.verified:
            assert rule.notes, f"{rule.id} must explain what is unverified"


def test_pilot_eligibility_is_accepted_at_level_2_or_above() -> None:
    conditions = builtin_ruleset().rule("pilot-project").eligibility
    assert [(c.fact, c.op, c.value) for c in conditions] == [
        ("listed_as", "includes", "national-pilot"),
        ("accepted", "is", True),
        ("level", "at_least", 2),
    ]


def test_titles_and_condition_texts_quote_the_plan() -> None:
    plan = SEED.read_text(encoding="utf-8")
    rules = builtin_ruleset()
    assert rules.framework.text in plan
    for rule in rules.rules:
        assert rule.title in plan, rule.id
        for condition in rule.eligibility:
            assert condition.text in plan, (rule.id, condition.fact)


Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[str | int], value: Any) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: list[str | int]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (_set(["schema"], 2), "schema", "reads subsidy rule-set schema 1"),
        (_set(["id"], "haishu-2024.v2"), "id", "must be 'haishu-2024.v1'"),
        (_set(["rules", 0, "share"], 0.5), "rules[0].share", 'as text such as "0.5"'),
        (_set(["rules", 0, "share"], "1.5"), "rules[0].share", "at most 1"),
        (_set(["rules", 0, "share"], "1/0"), "rules[0].share", "divides by zero"),
        (_delete(["rules", 0, "share"]), "rules[0].share", "missing"),
        (_set(["rules", 1, "share"], "0.5"), "rules[1].share", "not a share"),
        (_set(["rules", 0, "cap_fen"], "500000"), "rules[0].cap_fen", "whole number"),
        (_set(["rules", 0, "cap_fen"], 5e7), "rules[0].cap_fen", "whole number"),
        (_set(["rules", 0, "cap_fen"], 0), "rules[0].cap_fen", "at least 1"),
        (_set(["rules", 0, "funders", 1, "parts"], 0), "rules[0].funders[1].parts", "at least 1"),
        (_set(["rules", 0, "funders", 1, "parts"], True), "rules[0].funders[1].parts", "whole"),
        (
            _set(["rules", 0, "funders", 0, "funder"], "province"),
            "rules[0].funders[0].funder",
            "unknown funder 'province'",
        ),
        (
            _set(["rules", 0, "funders", 1, "funder"], "central"),
            "rules[0].funders[1].funder",
            "listed twice",
        ),
        (_set(["rules", 0, "kind"], "grant"), "rules[0].kind", "expected one of"),
        (_set(["rules", 0, "beneficiary"], "bank"), "rules[0].beneficiary", "expected one of"),
        (_set(["rules", 1, "id"], "pilot-project"), "rules[1].id", "used twice"),
        (_set(["rules", 1, "id"], "Pilot Project"), "rules[1].id", "not a valid id"),
        (_set(["rules", 0, "verified"], True), "rules[0].verified", "cannot be true"),
        (
            _set(["rules", 6, "per_provider_cap_fen"], 3 * WAN),
            "rules[6].per_provider_cap_fen",
            "below cap_fen",
        ),
        (_delete(["rules", 6, "per_provider_cap_fen"]), "rules[6].per_provider_cap_fen", "missing"),
        (_set(["rules", 0, "colour"], "red"), "rules[0].colour", "unknown key"),
        (_delete(["rules", 0, "clause"]), "rules[0].clause", "missing"),
        (_set(["rules", 0, "title"], ""), "rules[0].title", "non-empty string"),
        (
            _set(["rules", 0, "eligibility", 2, "at_least"], "2"),
            "rules[0].eligibility[2].at_least",
            "whole number",
        ),
        (
            _set(["rules", 0, "eligibility", 0, "includes"], "national"),
            "rules[0].eligibility[0].includes",
            "declared designation",
        ),
        (
            _set(["rules", 0, "eligibility", 1, "fact"], "level"),
            "rules[0].eligibility[1].is",
            "is of type integer",
        ),
        (
            _set(["rules", 0, "eligibility", 1, "fact"], "size"),
            "rules[0].eligibility[1].fact",
            "unknown fact 'size'",
        ),
        (
            _delete(["rules", 0, "eligibility", 1, "is"]),
            "rules[0].eligibility[1]",
            "needs exactly one of",
        ),
        (_set(["rules", 0, "eligibility"], []), "rules[0].eligibility", "non-empty list"),
        (_set(["rules"], {}), "rules", "non-empty list"),
        (_set(["framework", "funders", 2, "id"], "city"), "framework.funders[2].id", "twice"),
        (_set(["facts", 1, "type"], "date"), "facts[1].type", "expected one of"),
        (_set(["published"], "8 May 2024"), "published", "a date like"),
    ],
)
def test_bad_rule_sets_are_refused_naming_the_path(
    mutate: Mutation, path: str, fragment: str
) -> None:
    document = builtin_ruleset_document()
    mutate(document)
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(document)
    problems = {problem.path: problem.message for problem in caught.value.problems}
    assert path in problems, caught.value.problems
    assert fragment in problems[path]


def test_every_problem_is_listed_at_once() -> None:
    document = builtin_ruleset_document()
    document["rules"][0]["share"] = "2"
    document["rules"][3]["cap_fen"] = -1
    document["rules"][5]["funders"][0]["funder"] = "province"
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(document)
    assert [p.path for p in caught.value.problems] == [
        "rules[0].share",
        "rules[3].cap_fen",
        "rules[5].funders[0].funder",
    ]
    # a ValidationFailed: the web layer answers 422 pointing at the first path
    assert isinstance(caught.value, ValidationFailed)
    assert caught.value.field == "rules[0].share"
    assert "invalid subsidy rule set: rules[0].share:" in caught.value.message


def test_shares_may_be_fractions() -> None:
    document = builtin_ruleset_document()
    document["rules"][5]["share"] = "1/3"
    assert load_ruleset(document).rule("enterprise-brain-platform").share == Fraction(1, 3)


def test_a_corrected_copy_loads_from_a_file(tmp_path: Path) -> None:
    document = builtin_ruleset_document()
    corrected = copy.deepcopy(document)
    corrected["version"], corrected["id"], corrected["supersedes"] = 2, "haishu-2024.v2", "v1"
    corrected["rules"][0]["funders"][0]["parts"] = 6  # a year in which the split is 6:2:2
    corrected["rules"][0]["funders"][1]["parts"] = 2
    path = tmp_path / "haishu-2024.v2.json"
    path.write_text(json.dumps(corrected, ensure_ascii=False), encoding="utf-8")
    rules = load_ruleset(path)
    assert rules.id == "haishu-2024.v2"
    assert [p.parts for p in rules.rule("pilot-project").funders] == [6, 2, 2]
    assert document["version"] == 1, "each call returns a fresh copy"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('{"schema": 1, "schema": 1}', "appears twice"),
        ('{"schema": NaN}', "NaN"),
        ("[]", "must be a JSON object"),
    ],
)
def test_broken_json_is_refused(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(path)
    assert caught.value.problems[0].path == "$"
    assert fragment in caught.value.problems[0].message
