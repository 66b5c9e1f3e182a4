"""Pure subsidy engine for the programme's funding rules: plain data in, plain data out.

Typical use::

    from loom.modules.subsidy.engine import builtin_ruleset, parse_cny, quote

    rules = builtin_ruleset()                     # the latest shipped rule set
    result = quote(
        rules.rule("pilot-project"),
        parse_cny("1500000", "investment"),
        {"listed_as": {"national-pilot"}, "accepted": True, "level": 2},
        prior_awards=(),
    )
    result.amount_fen, result.limit_applied       # 50000000, "cap"
"""

from loom.modules.subsidy.engine.awards import (
    Claimant,
    PriorAward,
    check_prior_awards,
    read_prior_awards,
)
from loom.modules.subsidy.engine.document import parse_json
from loom.modules.subsidy.engine.errors import InvalidInput, Problem, RuleSetError, SubsidyError
from loom.modules.subsidy.engine.facts import Facts, FactValue, parse_fact_assignments
from loom.modules.subsidy.engine.model import (
    LIMITS,
    SCHEMA_VERSION,
    Condition,
    Designation,
    FactSpec,
    Framework,
    Funder,
    FunderPart,
    Limit,
    Rule,
    RuleSet,
    Source,
)
from loom.modules.subsidy.engine.money import FEN_PER_CNY, format_cny, money, parse_cny
from loom.modules.subsidy.engine.quote import quote
from loom.modules.subsidy.engine.results import ConditionResult, FunderAmount, Headroom, Quote
from loom.modules.subsidy.engine.ruleset import (
    builtin_ruleset,
    builtin_ruleset_document,
    builtin_versions,
    load_ruleset,
    read_ruleset_document,
)
from loom.modules.subsidy.engine.split import split_fen

__all__ = [
    "FEN_PER_CNY",
    "LIMITS",
    "SCHEMA_VERSION",
    "Claimant",
    "Condition",
    "ConditionResult",
    "Designation",
    "FactSpec",
    "FactValue",
    "Facts",
    "Framework",
    "Funder",
    "FunderAmount",
    "FunderPart",
    "Headroom",
    "InvalidInput",
    "Limit",
    "PriorAward",
    "Problem",
    "Quote",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "Source",
    "SubsidyError",
    "builtin_ruleset",
    "builtin_ruleset_document",
    "builtin_versions",
    "check_prior_awards",
    "format_cny",
    "load_ruleset",
    "money",
    "parse_cny",
    "parse_fact_assignments",
    "parse_json",
    "quote",
    "read_prior_awards",
    "read_ruleset_document",
    "split_fen",
]
