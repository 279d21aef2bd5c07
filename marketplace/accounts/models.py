from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.accounts.roles import Role
from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum
from marketplace.search import normalise_for_search
from marketplace.sites.models import Site


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(TimestampMixin, Base):
    __tablename__ = "user_account"
    # Lists of people are in name order: a page of them reads this index from its start.
    __table_args__ = (sa.Index("ix_user_account_display_name", "display_name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(120))
    preferred_locale: Mapped[str | None] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"))
    reminder_emails: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # The person asked for their data to be erased (privacy/erasure.py); a coordinator confirms.
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Name and e-mail, lower-cased and without diacritics, for searching (see search.py).
    search_text: Mapped[str] = mapped_column(sa.String(400), default="", server_default="")

    site: Mapped[Site | None] = relationship()
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # The token of the session this object was loaded for (see auth/sessions.py); Flask-Login
    # stores what get_id() returns in the cookie, so the cookie never holds the user's id.
    session_token = None

    def get_id(self) -> str:
        if not self.session_token:
            raise RuntimeError("Log a user in through marketplace.auth.sessions.start")
        return self.session_token

    # Flask-Login's user interface. Not its UserMixin: that compares users by get_id(), which
    # here is a session token, not an identity.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @validates("display_name", "email")
    def _refresh_search_text(self, key: str, value: str) -> str:
        name = value if key == "display_name" else self.display_name
        email = value if key == "email" else self.email
        self.search_text = normalise_for_search(f"{name or ''} {email or ''}")
        return value

    def set_password(self, password: str, method: str) -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def roles(self) -> set[Role]:
        return {grant.role for grant in self.role_grants}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def sites_for(self, role: Role) -> set[int]:
        """Ids of the sites where this user holds ``role``."""
        return {g.site_id for g in self.role_grants if g.role is role and g.site_id is not None}

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class RoleGrant(TimestampMixin, Base):
    """One role held by one user, at one site (none for super-admins)."""

    __tablename__ = "role_grant"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "role", "site_id"),
        sa.CheckConstraint(
            "(role = 'super_admin' AND site_id IS NULL)"
            " OR (role <> 'super_admin' AND site_id IS NOT NULL)",
            name="site_matches_role",
        ),
        # NULL never equals NULL in a unique constraint, so super-admin grants need their own.
        sa.Index(
            "uq_role_grant_one_super_admin",
            "user_id",
            unique=True,
            sqlite_where=sa.text("role = 'super_admin'"),
            postgresql_where=sa.text("role = 'super_admin'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(string_enum(Role))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="role_grants")
    site: Mapped[Site | None] = relationship(lazy="joined")


class UserSession(Base):
    """One signed-in device. The cookie carries a random token; only its hash is stored, so a
    copy of the database cannot be used to take over a session."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))

    user: Mapped[User] = relationship()


class ConsentRecord(Base):
    """What a person agreed to, which version of the text, and when; withdrawal is kept too."""

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[str] = mapped_column(sa.String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
