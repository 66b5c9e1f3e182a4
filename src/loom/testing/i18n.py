"""Catalogue checks an app's tests reuse: the msgids its templates and code pass to ``_()``."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

#: calls whose first literal argument is a msgid: marked texts and raised domain errors
MSGID_CALLS = frozenset(
    {"msgid", "gettext", "NotFound", "Conflict", "ValidationFailed", "PermissionDenied"}
)


def template_msgids(templates: Path, pattern: str = "**.html") -> set[str]:
    """Return every literal msgid of ``_()``/``ngettext()`` calls in a folder's templates.

    ``pattern`` narrows the files (``"needs_*.html"``) when a module keeps one catalogue per part.
    """
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(templates),
        method_map=[(pattern, "jinja2.ext:babel_extract")],
        options_map={pattern: {"trim_blocks": "true", "lstrip_blocks": "true"}},
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def _literals(tree: ast.AST, calls: frozenset[str]) -> Iterator[str]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        first = node.args[0]
        if name in calls and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value


def code_msgids(sources: Iterable[Path], calls: Iterable[str] = MSGID_CALLS) -> set[str]:
    """Return msgid() markers, gettext() literals and raised messages of Python sources."""
    found: set[str] = set()
    for source in sources:
        paths = source.rglob("*.py") if source.is_dir() else [source]
        for path in paths:
            found.update(_literals(ast.parse(path.read_text(encoding="utf-8")), frozenset(calls)))
    return found


PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> list[tuple[str, str]]:
    """Return the %-style placeholders of ``text`` (name, conversion), sorted."""
    return sorted((name or "", conv) for name, conv in PLACEHOLDER.findall(text))


def placeholder_mismatches(catalog: Catalog) -> list[str]:
    """Return the msgids whose translation in ``catalog`` changes their %-placeholders."""
    return [
        str(message.id)
        for message in catalog
        if isinstance(message.id, str)
        and isinstance(message.string, str)
        and message.string
        and placeholders(message.string) != placeholders(message.id)
    ]
