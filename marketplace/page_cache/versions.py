"""Versions of the data, raised in the same transaction as the change they count.

- ``public``: what public pages show: postings, their languages, organisations and sites.
- ``any``: every change but what is written as people merely browse and no copy shows: a
  session's last-seen time, the read-markers of notifications and message threads, audit
  entries written alone (a failed login, a refused page) and the versions themselves. (A copy
  that came to show one of these would have to count it.)

Changes through the ORM are seen before each flush; bulk INSERT, UPDATE and DELETE statements
run through the session are seen as they run. Plain SQL on a connection is not seen: the site
writes none outside migrations and the benchmark's data loader.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.accounts.models import UserSession
from marketplace.audit.models import AuditEntry
from marketplace.conversations.models import ThreadRead
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.organisations.models import Organisation
from marketplace.page_cache.models import DataVersion
from marketplace.postings.models import Posting, PostingLanguage
from marketplace.sites.models import Site, SiteHoursPlan

PUBLIC, ANY = "public", "any"
SHOWN_ON_PUBLIC_PAGES = (Posting, PostingLanguage, Organisation, Site, SiteHoursPlan)
NOT_COUNTED = frozenset({UserSession, Notification, ThreadRead, DataVersion, AuditEntry})


def current(name: str) -> int:
    """The version, read in the request's transaction if it has one; otherwise on a connection
    of its own. On SQLite every transaction locks out the other workers (db.py): a visitor
    served a copy then holds that lock for this one read, not for the whole request."""
    query = sa.select(DataVersion.version).where(DataVersion.name == name)
    if db.session().in_transaction():
        return db.session.scalar(query) or 0
    with db.engine.connect() as connection:
        return connection.scalar(query) or 0


def _raise(session: Session, classes: set[type]) -> None:
    names = [ANY] if classes - NOT_COUNTED else []
    if any(issubclass(cls, SHOWN_ON_PUBLIC_PAGES) for cls in classes):
        names.append(PUBLIC)
    for name in names:
        raised = session.execute(
            sa.update(DataVersion)
            .where(DataVersion.name == name)
            .values(version=DataVersion.version + 1),
            execution_options={"synchronize_session": False},
        )
        if raised.rowcount == 0:  # the row is missing, e.g. after a test emptied every table
            session.execute(sa.insert(DataVersion).values(name=name, version=1))


def _before_flush(session: Session, _flush_context, _instances) -> None:
    changed = {type(row) for row in (*session.new, *session.dirty, *session.deleted)}
    if changed:
        _raise(session, changed)


def _on_bulk_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _raise(state.session, {mapper.class_ for mapper in state.all_mappers})


def listen() -> None:
    """Watch every session of every app, once per process."""
    if not sa.event.contains(Session, "before_flush", _before_flush):
        sa.event.listen(Session, "before_flush", _before_flush)
        sa.event.listen(Session, "do_orm_execute", _on_bulk_statement)
