"""Message catalogs: every text a user sees, keyed, in Vietnamese and English.

Catalog files are ``bot/texts/<feature>.yaml``, each a mapping ``key: {vi: ..., en: ...}``.
Texts are HTML (Telegram's subset) and use ``{name}`` placeholders; parameters are
HTML-escaped when formatted unless wrapped in :class:`Html`; a
:class:`~bot.texts.formats.PerLanguage` parameter is rendered in the text's language.
How texts are written (register, dates, names): docs/voice.md.
"""

from __future__ import annotations

import html
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.config import LANGUAGES
from bot.texts.formats import PerLanguage

CATALOG_DIR = Path(__file__).parent


class Html(str):
    """A string that is already safe HTML and must not be escaped again."""

    __slots__ = ()


def escape(value: object) -> str:
    """HTML-escape a value for Telegram unless it is already :class:`Html`."""
    if isinstance(value, Html):
        return value
    return html.escape(str(value), quote=False)


class CatalogError(Exception):
    """A catalog file is malformed or a text is missing in one language."""


class Catalog:
    """Looks up and formats texts by key and language."""

    def __init__(self, texts: dict[str, dict[str, str]], default_language: str = "vi") -> None:
        self._texts = texts
        self.default_language = default_language

    @classmethod
    def load(cls, directory: Path = CATALOG_DIR, default_language: str = "vi") -> Catalog:
        """Read every ``*.yaml`` catalog in a folder; a key may be defined once only."""
        texts: dict[str, dict[str, str]] = {}
        for path in sorted(directory.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if not isinstance(data, dict):
                raise CatalogError(f"{path.name}: must be a mapping of keys to texts")
            for key, entry in data.items():
                if key in texts:
                    raise CatalogError(f"{path.name}: key {key!r} is defined twice")
                if not isinstance(entry, dict) or set(entry) != set(LANGUAGES):
                    raise CatalogError(f"{path.name}: {key!r} needs exactly vi and en texts")
                texts[key] = {lang: str(entry[lang]).rstrip("\n") for lang in LANGUAGES}
        return cls(texts, default_language)

    def keys(self) -> Iterable[str]:
        """All keys in the catalog."""
        return self._texts.keys()

    def language(self, lang: str | None) -> str:
        """The supported language closest to ``lang`` (a Telegram language code or ours)."""
        if lang:
            short = lang.split("-")[0].lower()
            if short in LANGUAGES:
                return short
        return self.default_language

    def raw(self, key: str, lang: str | None) -> str:
        """The unformatted text of ``key``."""
        try:
            return self._texts[key][self.language(lang)]
        except KeyError:
            raise KeyError(f"no text {key!r} in the catalog") from None

    def get(self, key: str, lang: str | None, /, **params: Any) -> Html:
        """The text of ``key`` in ``lang`` with its placeholders filled in, escaped."""
        text = self.raw(key, lang)
        if not params:
            return Html(text)
        lang = self.language(lang)
        return Html(text.format_map({
            name: escape(value.render(lang) if isinstance(value, PerLanguage) else value)
            for name, value in params.items()
        }))

    def placeholders(self, key: str) -> dict[str, set[str]]:
        """The placeholder names of each language's text (for consistency checks)."""
        return {
            lang: {name for _, name, _, _ in string.Formatter().parse(text) if name}
            for lang, text in self._texts[key].items()
        }
