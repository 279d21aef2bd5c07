"""Languages people speak and postings ask for, with CEFR levels.

Language names come from Babel's locale data, so they appear in the reader's language without
entries in our catalogs.
"""

from __future__ import annotations

import enum
import unicodedata

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

# Languages of the programme's people: the local languages, English, and those of the
# participants' countries of origin (DESIGN.md).
SPOKEN_LANGUAGES = [
    "lv",
    "sv",
    "en",
    "ru",
    "uk",
    "be",
    "uz",
    "hi",
    "si",
    "ta",
    "de",
    "fr",
    "es",
    "ar",
    "fa",
]


class CefrLevel(enum.StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"
    NATIVE = "native"

    @property
    def label(self):
        return _l("native speaker") if self is CefrLevel.NATIVE else self.value

    @property
    def rank(self) -> int:
        return list(CefrLevel).index(self)


def language_name(code: str) -> str:
    """The language's name in the reader's language, e.g. 'latviešu' → 'Latvian' in English."""
    name = Locale.parse(code).get_display_name(get_locale()) or code
    return name[:1].upper() + name[1:]


# Babel's two-letter territories that are no country a person comes from: groupings, test
# locales, "unknown region", and the codes ISO 3166-1 only reserves (islands counted elsewhere).
NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)
COUNTRY_CODES: tuple[str, ...] = tuple(
    sorted(
        code
        for code in Locale.parse("en").territories
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )
)

# Letters a language sorts apart from the letter they are written on (Babel has no collator):
# each maps to the letter it follows and its place after it. Other accents are ignored.
SEPARATE_LETTERS: dict[str, dict[str, tuple[str, int]]] = {
    "lv": {
        "č": ("c", 1), "ģ": ("g", 1), "ķ": ("k", 1), "ļ": ("l", 1), "ņ": ("n", 1),
        "š": ("s", 1), "ž": ("z", 1),
    },
    "sv": {"å": ("z", 1), "ä": ("z", 2), "æ": ("z", 2), "ö": ("z", 3), "ø": ("z", 3)},
    "ru": {"й": ("и", 1)},
    "uk": {"ґ": ("г", 1), "є": ("е", 1), "і": ("и", 1), "ї": ("и", 2), "й": ("и", 3)},
}  # fmt: skip


def collation_key(text: str, language: str) -> tuple:
    """A key that sorts ``text`` in ``language``'s alphabetical order, ignoring case."""
    separate = SEPARATE_LETTERS.get(language, {})
    letters = []
    for char in unicodedata.normalize("NFC", text.casefold()):
        if char in separate:
            letters.append(separate[char])
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        letters.append((base, 0))
    return (tuple(letters), text)


def country_name(code: str) -> str:
    """A country's name in the reader's language, from Babel's data."""
    return Locale.parse(str(get_locale())).territories.get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """Real countries (and Kosovo), named and sorted in the reader's language."""
    locale = Locale.parse(str(get_locale()))
    return sorted(
        ((code, locale.territories.get(code, code)) for code in COUNTRY_CODES),
        key=lambda item: collation_key(item[1], locale.language),
    )


def language_choices() -> list[tuple[str, str]]:
    return sorted(((code, language_name(code)) for code in SPOKEN_LANGUAGES), key=lambda c: c[1])
