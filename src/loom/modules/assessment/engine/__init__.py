"""Pure scoring engine for the national SME digital-level index: plain data in, plain data out.

Typical use::

    from loom.modules.assessment.engine import builtin_ruleset, compile_rules, score

    rules = compile_rules(builtin_ruleset())   # once
    result = score(questionnaire, rules)       # many times; raises InvalidQuestionnaire
"""

from loom.modules.assessment.engine.compiled import CompiledRules, compile_rules
from loom.modules.assessment.engine.errors import (
    InvalidQuestionnaire,
    Problem,
    ProblemsError,
    RuleSetError,
)
from loom.modules.assessment.engine.levels import count_scenes, grade
from loom.modules.assessment.engine.outcome import ScoreResult
from loom.modules.assessment.engine.results import (
    Condition,
    LevelCheck,
    SceneCount,
    ScoreDict,
    Shortfall,
)
from loom.modules.assessment.engine.ruleset import (
    Band,
    Dimension,
    Indicator,
    LevelRule,
    LevelRules,
    Option,
    Provenance,
    RateField,
    RateSpec,
    RuleSet,
    Scene,
    SceneGroup,
    SceneLevel,
    SecondLevel,
    builtin_ruleset,
    builtin_ruleset_document,
    builtin_versions,
    load_ruleset,
    read_ruleset_document,
)
from loom.modules.assessment.engine.scoring import (
    Rules,
    compiled,
    default_rules,
    score,
    score_many,
    score_selection,
)

__all__ = [
    "Band",
    "CompiledRules",
    "Condition",
    "Dimension",
    "Indicator",
    "InvalidQuestionnaire",
    "LevelCheck",
    "LevelRule",
    "LevelRules",
    "Option",
    "Problem",
    "ProblemsError",
    "Provenance",
    "RateField",
    "RateSpec",
    "RuleSet",
    "RuleSetError",
    "Rules",
    "Scene",
    "SceneCount",
    "SceneGroup",
    "SceneLevel",
    "ScoreDict",
    "ScoreResult",
    "SecondLevel",
    "Shortfall",
    "builtin_ruleset",
    "builtin_ruleset_document",
    "builtin_versions",
    "compile_rules",
    "compiled",
    "count_scenes",
    "default_rules",
    "grade",
    "load_ruleset",
    "read_ruleset_document",
    "score",
    "score_many",
    "score_selection",
]
