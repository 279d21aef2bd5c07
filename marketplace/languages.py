"""Languages people speak and postings ask for, with CEFR levels.

Language names come from Babel's locale data, so they appear in the reader's language without
entries in our catalogs.
"""

from __future__ import annotations

import enum

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


def country_name(code: str) -> str:
    """A country's name in the reader's language, from Babel's data."""
    return Locale.parse(str(get_locale())).territories.get(code, code)


def language_choices() -> list[tuple[str, str]]:
    return sorted(((code, language_name(code)) for code in SPOKEN_LANGUAGES), key=lambda c: c[1])
