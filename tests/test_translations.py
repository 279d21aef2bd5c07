"""Every user-visible string is properly translated into every language.

The checks run on the real catalogs, and each is shown to catch a bad catalog.
"""

from __future__ import annotations

import re
import shutil

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from marketplace.cli import extract_messages
from marketplace.i18n import LANGUAGES
from tests.conftest import ROOT
from tests.glossary import GLOSSARY, NEVER

TRANSLATED = [code for code in LANGUAGES if code != "en"]
CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
# Strings that are rightly the same in a translation as in English, per language.
SAME_AS_ENGLISH = {"sv": {"Mentor", "Man", "version %(number)s"}}
# Strings for which Ukrainian and Russian rightly coincide (the glossary gives one word for both).
SAME_IN_UKRAINIAN_AND_RUSSIAN = {
    "Mentor",
    "Coordinator",
    "Date",
    "Password",
    "Menu",
    "Tomorrow: %(title)s",
    "Your application",
    "Code",
    "Token",
}


def load_catalog(code: str) -> Catalog:
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {code: load_catalog(code) for code in TRANSLATED}


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> set:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    extract_messages(pot)
    with pot.open("rb") as handle:
        return {message_key(m) for m in read_po(handle) if m.id}


def message_key(message: Message):
    return (message.context, message.id)


def strings_of(message: Message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def english_of(message: Message) -> list[str]:
    return list(message.id) if message.pluralizable else [message.id]


def untranslated_or_fuzzy(catalog: Catalog) -> list[str]:
    return [
        str(m.id)
        for m in catalog
        if m.id and (m.fuzzy or not all(s.strip() for s in strings_of(m)))
    ]


def same_as_english(catalog: Catalog) -> list[str]:
    allowed = SAME_AS_ENGLISH.get(str(catalog.locale), set())
    return [
        str(m.id)
        for m in catalog
        if m.id
        and m.string
        and english_of(m)[0] not in allowed
        and strings_of(m)[0] == english_of(m)[0]
    ]


def without_cyrillic(catalog: Catalog) -> list[str]:
    problems = []
    for m in catalog:
        if not m.id:
            continue
        letters = re.sub(r"%\([a-z_]+\)[sd]|\{\{.*?\}\}|<[^>]+>", "", " ".join(strings_of(m)))
        if re.search("[A-Za-z]", english_of(m)[0]) and not CYRILLIC.search(letters):
            problems.append(str(m.id))
    return problems


def ukrainian_equal_to_russian(uk: Catalog, ru: Catalog) -> list[str]:
    problems = []
    for m in uk:
        if not m.id or english_of(m)[0] in SAME_IN_UKRAINIAN_AND_RUSSIAN:
            continue
        other = ru.get(m.id, context=m.context)
        if other is not None and strings_of(other) == strings_of(m) and m.string:
            problems.append(str(m.id))
    return problems


PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)[sd]")


def format_problems(catalog: Catalog) -> list[str]:
    """Babel's own checks (placeholder types, the language's number of plural forms), and that
    every translation keeps every placeholder, which Babel lets a translation drop."""
    problems = [f"{m.id}: {errors}" for m, errors in catalog.check()]
    for m in catalog:
        if not m.id:
            continue
        expected = set(PLACEHOLDER.findall(english_of(m)[-1]))
        for translation in strings_of(m):
            if translation and set(PLACEHOLDER.findall(translation)) != expected:
                problems.append(f"{m.id}: placeholders {sorted(expected)} in {translation!r}")
    return problems


def glossary_problems(catalog: Catalog, code: str) -> list[str]:
    problems = []
    for m in catalog:
        if not m.id:
            continue
        for english, translation in zip(english_of(m), strings_of(m), strict=False):
            remaining = re.sub(r"%\([a-z_]+\)[sd]", " ", english)
            for pattern, words in GLOSSARY:
                regex = re.compile(rf"\b{pattern}\b", re.IGNORECASE)
                if regex.search(remaining):
                    if not any(stem in translation.lower() for stem in words[code]):
                        problems.append(f"{english!r}: {code} needs one of {words[code]}")
                    remaining = regex.sub(" ", remaining)
    return problems


def borrowed_word_problems(catalog: Catalog, code: str) -> list[str]:
    problems = []
    for m in catalog:
        if not m.id:
            continue
        for english, translation in zip(english_of(m), strings_of(m), strict=False):
            for pattern, other_idea, words in NEVER:
                if not re.search(rf"\b(?:{pattern})\b", english, re.IGNORECASE):
                    continue
                if re.search(rf"\b(?:{other_idea})\b", english, re.IGNORECASE):
                    continue
                used = [stem for stem in words.get(code, ()) if stem in translation.lower()]
                if used:
                    problems.append(f"{english!r}: {code} uses {used} for {pattern!r}")
    return problems


# Forms like "прошёл(ла)" read badly: a sentence that would need both genders is rephrased.
SLASHED_GENDER = re.compile(r"[а-яёіїєґ]\((?:а|ла|ась|лась|ся)\)|[а-яёіїєґ]/(?:а|ла|на)\b", re.I)


def slashed_gender_forms(catalog: Catalog) -> list[str]:
    return [
        str(m.id)
        for m in catalog
        if m.id and any(SLASHED_GENDER.search(s) for s in strings_of(m) if s)
    ]


# The real catalogs --------------------------------------------------------------------------


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_has_every_string_of_the_code_and_templates(catalogs, source_messages, code):
    in_catalog = {message_key(m) for m in catalogs[code] if m.id}
    assert sorted(source_messages - in_catalog, key=str) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_is_fully_translated(catalogs, code):
    assert untranslated_or_fuzzy(catalogs[code]) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_are_not_english(catalogs, code):
    assert same_as_english(catalogs[code]) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_and_plural_forms_match(catalogs, code):
    assert format_problems(catalogs[code]) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_glossary_words_are_used(catalogs, code):
    assert glossary_problems(catalogs[code], code) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_words_reserved_for_another_idea_are_not_borrowed(catalogs, code):
    assert borrowed_word_problems(catalogs[code], code) == []


@pytest.mark.parametrize("code", ["ru", "uk"])
def test_sentences_need_no_slashed_gender_forms(catalogs, code):
    assert slashed_gender_forms(catalogs[code]) == []


@pytest.mark.parametrize("code", ["ru", "uk"])
def test_russian_and_ukrainian_are_written_in_cyrillic(catalogs, code):
    assert without_cyrillic(catalogs[code]) == []


def test_ukrainian_is_not_a_copy_of_russian(catalogs):
    assert ukrainian_equal_to_russian(catalogs["uk"], catalogs["ru"]) == []


# The checks catch what they should ------------------------------------------------------------


def bad_catalog(code: str) -> Catalog:
    catalog = Catalog(locale=code)
    catalog.add("Log in", "")
    catalog.add("Dashboard", "Dashboard")
    catalog.add("Hello, %(name)s", "Привет", flags=["python-format"])
    catalog.add("Your site: %(site)s", "Ваш сайт: %(site)s", flags=["python-format"])
    catalog.add("Fuzzy", "Нечётко", flags=["fuzzy"])
    catalog.add(("%(num)s place", "%(num)s places"), ("%(num)s место",), flags=["python-format"])
    return catalog


def test_checks_catch_untranslated_and_fuzzy_entries():
    assert set(untranslated_or_fuzzy(bad_catalog("ru"))) == {"Log in", "Fuzzy"}


def test_checks_catch_english_left_in_place():
    assert same_as_english(bad_catalog("lv")) == ["Dashboard"]


def test_checks_catch_latin_text_in_russian():
    assert "Dashboard" in without_cyrillic(bad_catalog("ru"))


def test_checks_catch_ukrainian_copied_from_russian():
    assert "Hello, %(name)s" in ukrainian_equal_to_russian(bad_catalog("uk"), bad_catalog("ru"))


def test_checks_catch_lost_placeholders_and_plural_forms():
    problems = " ".join(format_problems(bad_catalog("ru")))
    assert "Hello, %(name)s" in problems
    assert "place" in problems


def test_checks_catch_a_word_that_is_not_the_glossarys():
    assert any("Your site" in p for p in glossary_problems(bad_catalog("ru"), "ru"))


def test_checks_catch_a_string_missing_from_the_catalogs(tmp_path):
    shutil.copytree(ROOT / "marketplace", tmp_path / "marketplace")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copy(ROOT / "babel.cfg", tmp_path)
    (tmp_path / "templates" / "_partials" / "new.html").write_text(
        '{{ _("A brand new sentence nobody translated") }}'
    )
    extract_messages(tmp_path / "messages.pot", root=tmp_path)

    with (tmp_path / "messages.pot").open("rb") as handle:
        extracted = {message_key(m) for m in read_po(handle) if m.id}
    in_catalog = {message_key(m) for m in load_catalog("lv") if m.id}
    assert extracted - in_catalog == {(None, "A brand new sentence nobody translated")}


def test_checks_catch_apply_used_for_log_in():
    catalog = Catalog(locale="lv")
    catalog.add("Please log in to see this page.", "Lūdzu, piesakieties, lai redzētu šo lapu.")
    catalog.add("Log in to apply", "Pieslēdzieties, lai iesniegtu pieteikumu")
    problems = borrowed_word_problems(catalog, "lv")
    assert len(problems) == 1 and "Please log in" in problems[0]
    assert any("Please log in" in p for p in glossary_problems(catalog, "lv"))


def test_checks_catch_slashed_gender_forms():
    catalog = Catalog(locale="ru")
    catalog.add("took part", "участвовал(а) и прошёл(ла)")
    catalog.add("ready", "готов/а")
    catalog.add("Attended", "Пройдено (а также посещено)")
    assert slashed_gender_forms(catalog) == ["took part", "ready"]
