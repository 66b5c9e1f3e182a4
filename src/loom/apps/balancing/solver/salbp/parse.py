"""Read SALBP instances: Scholl's ``.IN2`` files and Otto et al.'s ``.alb`` files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loom.apps.balancing.solver.salbp.instance import Instance, InstanceError

DOS_EOF = "\x1a"


class ParseError(ValueError):
    """Raise for a malformed instance file; the message names the line."""


@dataclass(frozen=True)
class Parsed:
    """An instance and, for ``.alb`` files that carry one, its cycle time."""

    instance: Instance
    cycle_time: int | None = None


def read(path: Path) -> Parsed:
    """Read an instance file, telling ``.alb`` from ``.IN2`` by its first non-blank line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror or exc}") from None
    # Latin-1 maps every byte to a character, so German notes (ä, ö as 0xE4, 0xF6) never fail.
    text = data.decode("latin-1")
    name = path.stem
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("<"):
        return parse_alb(text, name)
    return Parsed(parse_in2(text, name))


def _int(token: str, lineno: int, what: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise ParseError(f"line {lineno}: expected {what}, found {token!r}") from None


def _pair(line: str, lineno: int) -> tuple[int, int]:
    parts = line.replace(" ", "").split(",")
    if len(parts) != 2:
        raise ParseError(f"line {lineno}: expected a precedence pair 'i,j', found {line!r}")
    return (
        _int(parts[0], lineno, "a task number"),
        _int(parts[1], lineno, "a task number"),
    )


def _instance(times: list[int], pairs: list[tuple[int, int]], name: str) -> Instance:
    try:
        return Instance(tuple(times), tuple(pairs), name)
    except InstanceError as exc:
        raise ParseError(str(exc)) from None


def parse_in2(text: str, name: str = "") -> Instance:
    """Parse Scholl's format: n, n task times, pairs ``i,j``, then the ``-1,-1`` end mark.

    Anything after the end mark (notes, deleted arcs, a DOS end byte) is ignored.
    """
    lines = [(no, line.strip()) for no, line in enumerate(text.splitlines(), start=1)]
    content = iter((no, line) for no, line in lines if line and line != DOS_EOF)
    try:
        lineno, line = next(content)
    except StopIteration:
        raise ParseError("the file is empty") from None
    n = _int(line, lineno, "the number of tasks")
    if n <= 0:
        raise ParseError(f"line {lineno}: the number of tasks must be positive, found {n}")
    times: list[int] = []
    for _ in range(n):
        try:
            lineno, line = next(content)
        except StopIteration:
            raise ParseError(f"the file ends after {len(times)} of {n} task times") from None
        times.append(_int(line, lineno, f"the time of task {len(times) + 1}"))
    pairs: list[tuple[int, int]] = []
    for lineno, line in content:
        pair = _pair(line, lineno)
        if pair == (-1, -1):
            return _instance(times, pairs, name)
        pairs.append(pair)
    raise ParseError("the file ends without the '-1,-1' end mark of the precedence list")


def parse_alb(text: str, name: str = "") -> Parsed:
    """Parse the ``.alb`` format: ``<number of tasks>``, ``<cycle time>``, ``<task times>``, …."""
    sections: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] | None = None
    ended = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line == DOS_EOF:
            continue
        if line.startswith("<") and line.endswith(">"):
            tag = line[1:-1].strip().lower()
            if tag == "end":
                ended = True
                break
            current = sections.setdefault(tag, [])
            continue
        if current is None:
            raise ParseError(f"line {lineno}: expected a section tag like <number of tasks>")
        current.append((lineno, line))
    if not ended:
        raise ParseError("the file ends without the <end> tag")
    for tag in ("number of tasks", "task times"):
        if tag not in sections:
            raise ParseError(f"the file has no <{tag}> section")
    count = sections["number of tasks"]
    if len(count) != 1:
        raise ParseError("the <number of tasks> section must hold exactly one number")
    n = _int(count[0][1], count[0][0], "the number of tasks")
    if n <= 0:
        raise ParseError(f"line {count[0][0]}: the number of tasks must be positive, found {n}")
    cycle_time = None
    if sections.get("cycle time"):
        lineno, line = sections["cycle time"][0]
        cycle_time = _int(line, lineno, "the cycle time")
    times: list[int | None] = [None] * n
    for lineno, line in sections["task times"]:
        parts = line.split()
        if len(parts) != 2:
            raise ParseError(f"line {lineno}: expected 'task time', found {line!r}")
        task = _int(parts[0], lineno, "a task number")
        if not 1 <= task <= n:
            raise ParseError(f"line {lineno}: task {task} is outside 1..{n}")
        if times[task - 1] is not None:
            raise ParseError(f"line {lineno}: task {task} has a second time")
        times[task - 1] = _int(parts[1], lineno, f"the time of task {task}")
    missing = [i + 1 for i, t in enumerate(times) if t is None]
    if missing:
        raise ParseError(f"the <task times> section lacks tasks {missing[:10]}")
    pairs = [_pair(line, lineno) for lineno, line in sections.get("precedence relations", [])]
    known = [t for t in times if t is not None]
    return Parsed(_instance(known, pairs, name), cycle_time)
