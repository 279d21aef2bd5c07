from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.accounts.roles import Role
from marketplace.db import Base, TimestampMixin, UTCDateTime
from marketplace.sites.models import Site


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user_account"

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

    site: Mapped[Site | None] = relationship()
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:
        return self.active

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
    role: Mapped[Role] = mapped_column(
        sa.Enum(
            Role,
            native_enum=False,
            length=32,
            values_callable=lambda roles: [r.value for r in roles],
            create_constraint=True,
            validate_strings=True,
        )
    )
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="role_grants")
    site: Mapped[Site | None] = relationship(lazy="joined")
