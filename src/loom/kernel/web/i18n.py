"""Translation catalogues (gettext .po files read with Babel); zh-CN by default, English too."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel.messages.pofile import read_po
from fastapi import Request

LOCALES = ("zh_CN", "en")
LOCALE_COOKIE = "loom_lang"
LOCALE_NAMES = {"zh_CN": "中文", "en": "English"}


class Catalogues:
    """Merged message catalogues of the kernel and every loaded app."""

    def __init__(self, directories: Iterable[Path]) -> None:
        self._messages: dict[str, dict[str, str]] = {locale: {} for locale in LOCALES}
        for directory in directories:
            self.load(directory)

    def load(self, directory: Path) -> None:
        """Read every ``<directory>/<locale>/LC_MESSAGES/*.po`` for every locale present.

        A large module may keep one catalogue per part (``messages.po``, ``projects.po`` …),
        read in name order.
        """
        for locale in LOCALES:
            for po in sorted((directory / locale / "LC_MESSAGES").glob("*.po")):
                self._read(po, locale)

    def _read(self, po: Path, locale: str) -> None:
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if (
                isinstance(message.id, str)
                and isinstance(message.string, str)
                and message.id
                and message.string
                and not message.fuzzy
            ):
                self._messages[locale][message.id] = message.string

    def gettext(self, locale: str, message: str) -> str:
        """Translate ``message`` (an English msgid); fall back to the msgid itself."""
        return self._messages.get(locale, {}).get(message, message)

    def messages(self, locale: str) -> dict[str, str]:
        """Return the translations of ``locale`` by msgid (empty for an unknown locale)."""
        return self._messages.get(locale, {})

    def known(self, locale: str) -> set[str]:
        """Return the msgids translated for ``locale``."""
        return set(self._messages.get(locale, {}))


def request_locale(request: Request, default: str) -> str:
    """Pick the locale from the language cookie, else the configured default."""
    chosen = request.cookies.get(LOCALE_COOKIE, "")
    return chosen if chosen in LOCALES else default
