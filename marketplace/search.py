"""Text normalised for search: letter case and diacritics ignored in every script.

SQLite's lower() and LIKE fold ASCII only, so searchable rows keep a normalised copy of their
text, made here in Python, and queries normalise the search words the same way.
"""

from __future__ import annotations

import unicodedata


def normalise_for_search(text: str) -> str:
    """'Kalniņa' → 'kalnina', 'Йосип' → 'иосип', 'ЁЛКА' → 'елка'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def like_pattern(words: str) -> str:
    """A LIKE pattern (escape character '\\') matching the normalised words anywhere."""
    escaped = (
        normalise_for_search(words).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    )
    return f"%{escaped}%"
