"""Straight-line Python written out once per compiled rule set: the fast resolver and the grading.

A loop over the indicators pays for dispatching on each one's kind and for reading its tables
from tuples; code written for one rule set has neither cost. ``generate`` builds the source from
the compiled tables, compiles it once and returns the functions with the source, which stays
readable through ``CompiledRules.generated.source`` (docs/decisions/0007).

Safety: the source is made of fixed text, integers and names built here from positions
(``TABLE3``). Every string of the rule set (ids, field names, option letters, the standard)
reaches the code as a value in the namespace it runs in, never as source text, so an edited
rule set cannot change what the code does, only the tables it reads.

The resolver has exactly the semantics of the fast path described in ``fastpath.py``: the
resolved questionnaire, or ``None`` at the first doubt so that the thorough checker runs.
"""

from __future__ import annotations

import hashlib
import linecache
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from types import CodeType, MappingProxyType
from typing import Any, cast

from loom.modules.assessment.engine.compiled import (
    MULTI,
    RATE,
    SINGLE,
    CompiledField,
    CompiledRules,
)
from loom.modules.assessment.engine.fastpath import Resolved, multi_entry, rate_figures

#: scene counts at or above each level 0…max (and one more 0), among constrained scenes too,
#: and the level reached
Standing = tuple[tuple[int, ...], tuple[int, ...], int]
Resolver = Callable[[Any], Resolved | None]
Grader = Callable[[Sequence[int], int], Standing]


@dataclass(frozen=True, slots=True)
class GeneratedCode:
    """The generated functions of one compiled rule set, the source and the names it reads."""

    source: str
    #: the values the source refers to by name (``TABLE3`` …): rule-set data, never code text
    namespace: Mapping[str, object]
    #: ``resolve(questionnaire)``: the fast path, ``Resolved`` or ``None``
    resolve: Resolver
    #: ``standing(scene_levels, total)``: ``count_scenes`` as tuples and the ``grade``
    standing: Grader


def generate(c: CompiledRules) -> GeneratedCode:
    """Write, compile and run the resolver and grading source for ``c``."""
    writer = _Writer(c)
    writer.resolver()
    writer.grader()
    source = "\n".join(writer.lines) + "\n"
    data = MappingProxyType(dict(writer.namespace))
    namespace = writer.namespace
    exec(_compile(source), namespace)  # noqa: S102 - built from integers and fixed text only  # nosec B102
    return GeneratedCode(
        source=source,
        namespace=data,
        resolve=cast(Resolver, namespace["resolve"]),
        standing=cast(Grader, namespace["standing"]),
    )


@lru_cache(maxsize=32)
def _compile(source: str) -> CodeType:
    """Compile once per distinct source: a rule set passed uncompiled is recompiled per call."""
    digest = hashlib.sha256(source.encode()).hexdigest()[:12]
    filename = f"<loom assessment generated {digest}>"
    # tracebacks and debuggers show the generated lines
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    return compile(source, filename, "exec")


def _int(value: int) -> str:
    """Return an integer as source text; nothing else from the rule set is written into code."""
    if type(value) is not int:
        raise TypeError(f"expected an int, got {type(value).__name__}")
    return str(value)


def _tuple(items: Sequence[str]) -> str:
    """Return a tuple display of names: ``()``, ``(a,)``, ``(a, b)``."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _unpacked(targets: Sequence[str], getter: str, argument: str) -> str:
    """Return ``a, b = GETTER(arg)``, minding that an itemgetter of one key returns the value."""
    if len(targets) == 1:
        return f"{targets[0]} = {getter}({argument})"
    return f"{', '.join(targets)} = {getter}({argument})"


def _targets(names: Sequence[str]) -> str:
    """Return assignment targets that unpack a sequence of exactly ``len(names)`` items."""
    return f"{names[0]}," if len(names) == 1 else ", ".join(names)


def _count(*present: str) -> str:
    """Return how many keys a rate answer holds: ``"2"``, or ``"1 + (d1 is not None)"``."""
    fixed = sum(p == "1" for p in present)
    return " + ".join([_int(fixed)] * bool(fixed) + [p for p in present if p != "1"])


def _as_tuple(getter: str, count: int, argument: str) -> str:
    """Return ``GETTER(arg)`` as an expression that is a tuple whatever the number of keys."""
    if count == 0:
        return "()"
    return f"({getter}({argument}),)" if count == 1 else f"{getter}({argument})"


class _Writer:
    """Collects source lines and the namespace they read."""

    def __init__(self, c: CompiledRules) -> None:
        self.c = c
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {}
        #: figure of a rate field kept for a later indicator sharing it: key -> (num, den) names
        self.figures: dict[tuple[str, str], tuple[str, str]] = {}
        self.needed = {
            f.source_key
            for ind in c.indicators
            for f in (ind.numerator, ind.denominator)
            if f is not None and f.source_key is not None
        }

    def bind(self, name: str, value: object) -> str:
        """Put ``value`` in the namespace under a name made here, and return the name."""
        assert name.isascii()
        assert name.isidentifier()
        self.namespace[name] = value
        return name

    def emit(self, depth: int, text: str) -> None:
        """Add one line at an indentation depth."""
        self.lines.append("    " * depth + text)

    def resolvable(self) -> bool:
        """Tell whether the fast path can accept anything (else the thorough path does it all)."""
        c = self.c
        given: set[tuple[str, str]] = set()
        for ind in c.indicators:
            if ind.kind != RATE:
                continue
            fields = (ind.numerator, ind.denominator)
            if not ind.band_at_percent or any(
                f is None or (f.source_key is not None and f.source_key not in given)
                for f in fields
            ):
                return False  # fractional band edges, or sharing what no earlier rate gives
            given.update(f.key for f in fields if f is not None)
        return (
            c.all_indicators_required and c.all_scenes_required and c.uniform_scene_max is not None
        )

    def resolver(self) -> None:
        """Write ``resolve``: the checks of ``fast_resolve``, one indicator after another."""
        c, emit = self.c, self.emit
        emit(0, "def resolve(q):")
        if not self.resolvable():
            emit(1, "return None  # beyond the fast path (see resolvable()): the checker does all")
            return
        standard = self.bind("STANDARD", c.standard)
        emit(1, f'if type(q) is not dict or q.get("standard") != {standard}:')
        emit(2, "return None")
        emit(1, 'answers = q.get("answers")')
        emit(1, 'scenes = q.get("scenes")')
        emit(1, "if type(answers) is not dict or type(scenes) is not dict:")
        emit(2, "return None")
        emit(1, "if len(q) != 3:")
        emit(2, 'ident = q.get("id")')
        emit(2, "if len(q) != 4 or (type(ident) is not str and type(ident) is not int):")
        emit(3, "return None")
        count, scenes = len(c.indicators), len(c.scene_ids)
        emit(1, f"if len(answers) != {_int(count)} or len(scenes) != {_int(scenes)}:")
        emit(2, "return None")
        emit(1, "try:")
        values = [f"v{n}" for n in range(count)]
        if values:
            answers = self.bind("ANSWERS", itemgetter(*c.indicator_ids))
            emit(2, _unpacked(values, answers, "answers"))
        scene_getter = self.bind("SCENES", itemgetter(*c.scene_ids))
        emit(2, f"levels = {_as_tuple(scene_getter, scenes, 'scenes')}")
        emit(1, "except KeyError:")
        emit(2, "return None")
        rates: list[str] = []
        for n, ind in enumerate(c.indicators):
            emit(1, f"# indicators[{_int(n)}]: {('single', 'multi', 'rate')[ind.kind]}")
            if ind.kind == SINGLE:
                self.single(n)
            elif ind.kind == MULTI:
                self.multi(n)
            else:
                self.rate(n)
                rates.append(f"r{n}")
            emit(1, f"p{n}, o{n} = e{n}")
        names = [f"l{n}" for n in range(scenes)]
        emit(1, "# scene levels: exact ints (True == 1 and 1.0 == 1 too), each within 0…max")
        emit(1, f"{_targets(names)} = levels")
        emit(1, "if (")
        for n, name in enumerate(names):
            emit(2, f"{'or ' if n else ''}type({name}) is not int")
        valid = self.bind("LEVELS", frozenset(range(c.max_scene_level + 1)))
        emit(2, f"or not {valid}.issuperset(levels)")
        emit(1, "):")
        emit(2, "return None")
        emit(1, f"options = {_tuple([f'o{n}' for n in range(count)])}")
        emit(1, f"points = {_tuple([f'p{n}' for n in range(count)])}")
        emit(1, f"return options, points, {_tuple(rates)}, levels")

    def single(self, n: int) -> None:
        """One lookup gives the points and the option tuple of a single-answer question."""
        emit, table = self.emit, self.bind(f"TABLE{n}", self.c.plan[n][2])
        emit(1, f"if type(v{n}) is not str:")
        emit(2, "return None")
        emit(1, f"e{n} = {table}.get(v{n})")
        emit(1, f"if e{n} is None:")
        emit(2, "return None")

    def multi(self, n: int) -> None:
        """Ticked options are looked up in the memo of valid lists; a miss is checked in full."""
        emit = self.emit
        memo = self.bind(f"MEMO{n}", self.c.plan[n][3])
        ind = self.bind(f"IND{n}", self.c.indicators[n])
        entry = self.bind("multi_entry", multi_entry)
        emit(1, f"if type(v{n}) is not list:")
        emit(2, "return None")
        emit(1, f"k{n} = tuple(v{n})")
        emit(1, "try:")
        emit(2, f"e{n} = {memo}.get(k{n})")
        emit(1, "except TypeError:  # an unhashable item")
        emit(2, "return None")
        emit(1, f"if e{n} is None:  # not remembered: check it, and remember it if there is room")
        emit(2, f"e{n} = {entry}({ind}, {memo}, k{n})")
        emit(2, f"if e{n} is None:")
        emit(3, "return None")

    def rate(self, n: int) -> None:
        """Convert whole counts (and money as a float beside one) inline, the rest in a helper.

        Whichever branch found the exact rate, the band is then found by one division.
        """
        emit, ind = self.emit, self.c.indicators[n]
        assert ind.numerator is not None
        assert ind.denominator is not None
        fields = (ind.numerator, ind.denominator)
        emit(1, f"if type(v{n}) is not dict:")
        emit(2, "return None")
        for i, field in enumerate(fields):
            emit(1, f"{'nd'[i]}{n} = v{n}.get({self.bind(f'FIELD{n}_{i}', field.id)})")
        kept = [i for i, field in enumerate(fields) if field.key in self.needed]
        top = self.plain_figure(f"n{n}", fields[0], denominator=False)
        bottom = self.plain_figure(f"d{n}", fields[1], denominator=True)
        self.condition("if", [top[0], bottom[0], f"len(v{n}) == {_count(top[1], bottom[1])}"])
        emit(2, f"rn{n}, rd{n} = {top[2]}, {bottom[2]}")
        for i in kept:
            emit(2, f"x{n}_{i}, y{n}_{i} = {(top, bottom)[i][2]}, 1")
        if not fields[0].integer and fields[0].source_key is None:
            self.bind("INF", float("inf"))
            self.bind("DECIMAL", Decimal)
            test = f"type(n{n}) is float and 0 <= n{n} < INF"
            self.condition("elif", [test, bottom[0], f"len(v{n}) == {_count('1', bottom[1])}"])
            emit(2, "# money with decimals, read as written: 0.1 is one tenth (see to_ratio)")
            emit(2, f"a{n}, b{n} = DECIMAL(repr(n{n})).as_integer_ratio()")
            emit(2, f"rn{n}, rd{n} = a{n}, b{n} * {bottom[2]}")
            for i in kept:
                emit(2, f"x{n}_{i}, y{n}_{i} = {(f'a{n}, b{n}', f'{bottom[2]}, 1')[i]}")
        emit(1, "else:")
        # the earlier figures this indicator shares, where rate_figures looks for them
        sharing = [
            f"{self.bind(f'SOURCE{n}_{i}', key)}: ({', '.join(self.figures[key])})"
            for i, key in enumerate(f.source_key for f in fields)
            if key is not None
        ]
        emit(2, f"s{n} = {{{', '.join(sharing)}}}")
        helper, indicator = self.bind("rate_figures", rate_figures), self.bind(f"IND{n}", ind)
        emit(2, f"f{n} = {helper}({indicator}, v{n}, s{n})")
        emit(2, f"if f{n} is None:")
        emit(3, "return None")
        emit(2, f"rn{n}, rd{n} = f{n}")
        for i in kept:
            key = fields[i].key
            emit(2, f"x{n}_{i}, y{n}_{i} = s{n}[{self.bind(f'KEY{n}_{i}', key)}]")
            self.figures[key] = (f"x{n}_{i}", f"y{n}_{i}")
        if not ind.numerator_may_exceed_denominator:
            emit(1, f"if rn{n} > rd{n}:")
            emit(2, "return None")
        at = self.bind(f"AT{n}", self.entries(n, ind.band_at_percent))
        after = self.bind(f"AFTER{n}", self.entries(n, ind.band_after_percent))
        emit(1, "# 100 x rate = whole + remainder / rate_den, exactly")
        emit(1, f"w{n}, m{n} = divmod(100 * rn{n}, rd{n})")
        emit(1, f"if w{n} >= {_int(len(ind.band_at_percent))}:")
        emit(2, "return None")
        emit(1, f"e{n} = ({after} if m{n} else {at})[w{n}]")
        emit(1, f"if e{n} is None:")
        emit(2, "return None")
        emit(1, f"r{n} = ({self.bind(f'ID{n}', ind.id)}, rn{n}, rd{n})")

    def condition(self, keyword: str, tests: Sequence[str]) -> None:
        """Write ``if (`` or ``elif (`` with one test per line, joined by ``and``."""
        self.emit(1, f"{keyword} (")
        for i, test in enumerate(tests):
            self.emit(2, f"{'and ' if i else ''}{test}")
        self.emit(1, "):")

    def plain_figure(
        self, raw: str, field: CompiledField, *, denominator: bool
    ) -> tuple[str, str, str]:
        """Return the test that a figure is a plain whole count, its key count, and its value.

        A shared figure may be left out or repeated, and is plain only if the earlier one was.
        """
        if field.source_key is None:
            return f"type({raw}) is int and {raw} {'>' if denominator else '>='} 0", "1", raw
        x, y = self.figures[field.source_key]
        positive = f" and {x} > 0" if denominator else ""
        test = f"{y} == 1{positive} and ({raw} is None or (type({raw}) is int and {raw} == {x}))"
        return test, f"({raw} is not None)", x

    def entries(self, n: int, letters: tuple[str | None, ...]) -> tuple[object, ...]:
        """Return a band table with each option letter replaced by its (points, options)."""
        table = self.c.plan[n][2]
        return tuple(None if letter is None else table[letter] for letter in letters)

    def grader(self) -> None:
        """Write ``standing``: a histogram of the levels, its sums from the top, the level rules."""
        c, emit = self.c, self.emit
        top = c.max_scene_level
        names = [f"l{n}" for n in range(len(c.scene_ids))]
        emit(0, "")
        emit(0, "")
        emit(0, "def standing(levels, total):")
        emit(1, f"{_targets(names)} = levels")
        # unrolled: cheaper than tuple.count per level or a loop (docs/decisions/0007)
        emit(1, "# scenes at each level 0…max, in all and among constrained scenes")
        emit(1, f"at = [0] * {_int(top + 1)}")
        emit(1, f"constrained_at = [0] * {_int(top + 1)}")
        for name in names:
            emit(1, f"at[{name}] += 1")
        for position in c.constrained_positions:
            emit(1, f"constrained_at[{names[position]}] += 1")
        emit(1, "# at or above each level: summed from the top down")
        for level in range(top, -1, -1):
            above = f" + a{level + 1}" if level < top else ""
            emit(1, f"a{level} = at[{_int(level)}]{above}")
            above = f" + k{level + 1}" if level < top else ""
            emit(1, f"k{level} = constrained_at[{_int(level)}]{above}")
        emit(1, "# the last level rule that holds, as grade() reads them")
        keyword = "if"
        for level, min_score, min_scenes, min_constrained in reversed(c.level_thresholds):
            # no scene reaches a level above the scenes' top one
            scenes, constrained = (f"a{level}", f"k{level}") if level <= top else ("0", "0")
            emit(
                1,
                f"{keyword} total >= {_int(min_score)} and {scenes} >= {_int(min_scenes)} "
                f"and {constrained} >= {_int(min_constrained)}:",
            )
            emit(2, f"reached = {_int(level)}")
            keyword = "elif"
        if keyword == "if":
            emit(1, "reached = 0")
        else:
            emit(1, "else:")
            emit(2, "reached = 0")
        counts = [f"a{level}" for level in range(top + 1)] + ["0"]
        constrained_counts = [f"k{level}" for level in range(top + 1)] + ["0"]
        emit(1, f"return {_tuple(counts)}, {_tuple(constrained_counts)}, reached")
