"""Search by words: letter case and diacritics ignored in every script, through an index.

SQLite's lower() and LIKE fold ASCII only, so searchable rows keep a normalised copy of their
text, made here in Python, and queries normalise the search words the same way. A B-tree index
cannot find words inside that text; ``text_matches`` asks the index made for it on each database.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa

from marketplace.extensions import db


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


# Each searchable table's index (migration 8e1f4a5b2c73): a trigram GIN index on PostgreSQL,
# which serves LIKE itself; on SQLite an FTS5 trigram table named after it, asked with MATCH.
SQLITE_SEARCH_INDEX = "{table}_search"
TRIGRAM = 3  # shorter words have no trigram: the index cannot find them
COMMON = 2000  # words in at least this many rows are searched without the SQLite index


def text_matches(model, words: str) -> sa.ColumnElement[bool]:
    """SQL condition: ``model``'s normalised ``search_text`` contains ``words`` (normalised), by
    way of the table's search index where the words are long enough to use it."""
    pattern = like_pattern(words)
    normalised = normalise_for_search(words)
    if db.engine.dialect.name != "sqlite" or len(normalised) < TRIGRAM:
        return model.search_text.like(pattern, escape="\\")
    index = sa.table(
        SQLITE_SEARCH_INDEX.format(table=model.__tablename__),
        sa.column("rowid"),
        sa.column("search_text"),
    )
    phrase = '"' + normalised.replace('"', '""') + '"'  # one phrase: the words side by side
    matching = sa.select(index.c.rowid).where(index.c.search_text.op("MATCH")(phrase))
    # SQLite's planner cannot tell how many rows a MATCH finds, and always starts from them. For
    # words in thousands of rows, reading the table in the page's order finds a page sooner.
    found = db.session.scalar(
        sa.select(sa.func.count()).select_from(matching.limit(COMMON).subquery())
    )
    if found >= COMMON:
        return model.search_text.like(pattern, escape="\\")
    return model.id.in_(matching)
