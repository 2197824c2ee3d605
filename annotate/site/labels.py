"""The words the guide prints itself, in the language a page is built in.

A catalog per language (`locales/<code>.json`) maps each English text to its translation; a
text it lacks stays English, and a test lists every text of the templates and the library that
a catalog lacks. Jinja's own `i18n` extension (`_("...")` in templates) reads the same catalog.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from annotate.errors import Problem

if TYPE_CHECKING:
    import jinja2

LOCALES_DIR = Path(__file__).parent / "locales"
"""One catalog per language but English, `<code>.json`."""


class Gettext(Protocol):
    """`_("text")`, or `_("text %(name)s", name=value)`."""

    def __call__(self, text: str, /, **values: object) -> str: ...


@cache
def catalog(language: str, /) -> dict[str, str]:
    """The translations of `language` (empty for English, or a language without a catalog)."""
    path = LOCALES_DIR / f"{language}.json"
    if language == "en" or not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


_MARKUP = re.compile(r"<[^>]*>|%\([a-z_]+\)[sd]")


def catalog_problems(language: str, /) -> list[Problem]:
    """What is wrong with the catalog of `language`: templates print its texts as HTML, so a
    translation carries exactly its English text's tags and fields, nothing more."""
    path = LOCALES_DIR / f"{language}.json"
    if language == "en" or not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        return [
            Problem(
                file=path,
                line=getattr(error, "lineno", 1),
                message=f"not valid JSON: {error}",
                fix="restore it from git",
            )
        ]
    if not isinstance(data, dict):
        return [
            Problem(file=path, line=1, message="not an object of texts", fix="restore it from git")
        ]
    lines = path.read_text(encoding="utf-8").split("\n")
    problems = []
    for english, translated in data.items():
        if not isinstance(translated, str) or sorted(_MARKUP.findall(str(english))) != sorted(
            _MARKUP.findall(translated)
        ):
            line = next(
                (
                    i
                    for i, text in enumerate(lines, 1)
                    if json.dumps(english, ensure_ascii=False) in text
                ),
                1,
            )
            problems.append(
                Problem(
                    file=path,
                    line=line,
                    message=f"the translation of {english!r} has other tags or fields than the English",
                    fix="keep exactly the English text's `<tags>` and `%(fields)s`, and only those",
                )
            )
    return problems


def gettext(language: str, /) -> Gettext:
    """The translating function of `language`."""
    texts = catalog(language)

    def translate(text: str, /, **values: object) -> str:
        translated = texts.get(text, text)
        return translated % values if values else translated

    return translate


def install(env: jinja2.Environment, language: str, /) -> None:
    """Give the templates of `env` `_()` (and `gettext`) in `language`."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    translate = gettext(language)

    def ngettext(singular: str, plural: str, n: int, /) -> str:
        # Jinja fills in `%(num)s` and the other values itself.
        return translate(singular if n == 1 else plural)

    env.install_gettext_callables(translate, ngettext, newstyle=True)  # type: ignore[attr-defined]


_FIELD = re.compile(r"%\((\w+)\)([sd])")


@cache
def _pattern(form: str, /) -> tuple[re.Pattern[str], frozenset[str]]:
    """A pattern matching what `form` spells, and the names of its number fields."""
    pattern, numbers, cursor = "", set(), 0
    for field in _FIELD.finditer(form):
        name, kind = field.groups()
        pattern += re.escape(form[cursor : field.start()])
        pattern += rf"(?P<{name}>\d+)" if kind == "d" else f"(?P<{name}>.+?)"
        if kind == "d":
            numbers.add(name)
        cursor = field.end()
    return re.compile(pattern + re.escape(form[cursor:])), frozenset(numbers)


def translate_form(text: str, forms: tuple[str, ...], _: Gettext, /) -> str:
    """`text` in the language of `_` when one of `forms` (English texts with `%(name)s` fields,
    `%(name)d` for a number) spells it, each text field translated the same way; else `text`
    as it is."""
    for form in forms:
        pattern, numbers = _pattern(form)
        found = pattern.fullmatch(text)
        if found:
            values: dict[str, object] = {
                k: int(v) if k in numbers else translate_form(v, forms, _)
                for k, v in found.groupdict().items()
            }
            return _(form, **values)
    return text
