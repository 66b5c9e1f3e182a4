"""Browser-test helpers: pages that report Content-Security-Policy violations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page

#: CSP violations seen since the last check, as Chromium logged them
_violations: list[str] = []


def open_page(context: BrowserContext) -> Page:
    """Open a page whose console is watched for scripts or styles the CSP refused."""
    page = context.new_page()

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            _violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    return page


def take_violations() -> list[str]:
    """Return and forget the CSP violations seen so far."""
    seen = list(_violations)
    _violations.clear()
    return seen
