"""Message catalogs: every text in both languages, consistent, and every key used exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.texts import Catalog, CatalogError, Html
from handlers.registry import features

ROOT = Path(__file__).parent.parent
KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
# File names look like keys ("charter.yaml"); no catalog key ends like a file name.
FILE_SUFFIXES = (".yaml", ".sql", ".py", ".ics")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_both_languages_use_the_same_placeholders(catalog: Catalog) -> None:
    for key in catalog.keys():
        placeholders = catalog.placeholders(key)
        assert placeholders["vi"] == placeholders["en"], key


def test_parameters_are_escaped_but_html_fragments_are_not(catalog: Catalog) -> None:
    text = catalog.get("start.welcome", "vi", name="<script>&", association=Html("<i>x</i>"))
    assert "&lt;script&gt;&amp;" in text
    assert "<i>x</i>" in text


def test_language_falls_back_to_the_default(catalog: Catalog) -> None:
    assert catalog.language("en-GB") == "en"
    assert catalog.language("fr") == "vi"
    assert catalog.language(None) == "vi"


def test_every_command_has_a_description_in_both_languages(catalog: Catalog) -> None:
    for feature in features():
        for spec in getattr(feature, "COMMANDS", []):
            assert catalog.raw(f"cmd.{spec.name}", "vi")
            assert catalog.raw(f"cmd.{spec.name}", "en")


def test_every_key_the_code_names_exists(catalog: Catalog) -> None:
    namespaces = {key.split(".")[0] for key in catalog.keys()}
    missing = []
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and KEY.match(node.value)
                and not node.value.endswith(FILE_SUFFIXES)
                and node.value.split(".")[0] in namespaces
                and node.value not in set(catalog.keys())
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert not missing, missing


def test_a_text_missing_one_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("greeting:\n  vi: Chào\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="greeting"):
        Catalog.load(tmp_path)


def test_a_key_defined_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("k.x:\n  vi: a\n  en: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("k.x:\n  vi: b\n  en: b\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="twice"):
        Catalog.load(tmp_path)
