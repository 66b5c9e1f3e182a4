"""The Content-Security-Policy: sent on every page, and no template needs an exception to it."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from loom.kernel.plugins.spec import AppSpec
from loom.kernel.web.middleware import CSP
from loom.testing.factory import Factory

KERNEL_TEMPLATES = Path(__file__).parents[3] / "src" / "loom" / "kernel" / "web" / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_pages_and_api_send_a_policy_that_allows_only_this_site_to_run_scripts(
    factory: Factory, anon: TestClient
) -> None:
    for path in ("/login", "/api/v1/openapi.json", "/no-such-page"):
        policy = anon.get(path).headers["content-security-policy"]
        assert policy == CSP
    directives = _directives(CSP)
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_no_template_has_an_inline_script_handler_or_javascript_url(
    loom_apps: list[AppSpec],
) -> None:
    folders = [KERNEL_TEMPLATES, *(a.templates_dir for a in loom_apps if a.templates_dir)]
    offences: list[str] = []
    checked = 0
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            checked += 1
            text = path.read_text(encoding="utf-8")
            for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
                offences += [f"{path}: {m.group(0)!r}" for m in pattern.finditer(text)]
    # the kernel and a dozen apps ship well over a hundred templates between them
    assert checked > 100
    assert offences == []


def test_app_static_scripts_are_served_from_this_site(anon: TestClient) -> None:
    gantt = anon.get("/static/apps/scheduling/scheduling.js")
    assert gantt.status_code == 200
    assert "plan-gantt" in gantt.text
    questionnaire = anon.get("/static/apps/assessment/questionnaire.js")
    assert questionnaire.status_code == 200
    assert "dataset.exclusive" in questionnaire.text
    assert anon.get("/static/apps/scheduling/no-such.js").status_code == 404
