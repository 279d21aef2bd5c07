"""The first super-admin is made from the shell, before anyone can log in to appoint one."""

from __future__ import annotations

import click
from flask import current_app

from marketplace.accounts.models import RoleGrant, User, normalise_email
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.auth.passwords import MAX_LENGTH, MIN_LENGTH, is_common
from marketplace.auth.services import find_user
from marketplace.db import utcnow
from marketplace.extensions import db


def make_super_admin(email: str, name: str, password: str) -> bool:
    """Grant super-admin to EMAIL (creating the account); True if the account is new.

    An existing account keeps its password; a new one needs an acceptable password.
    """
    user = find_user(email)
    created = user is None
    if created:
        if not MIN_LENGTH <= len(password) <= MAX_LENGTH or is_common(password):
            raise click.BadParameter(
                "use 8 to 128 characters and not a common password", param_hint="password"
            )
        user = User(email=normalise_email(email), display_name=name)
        user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
        db.session.add(user)
    user.active = True
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    if not user.has_role(Role.SUPER_ADMIN):
        user.role_grants.append(RoleGrant(role=Role.SUPER_ADMIN, site_id=None))
        db.session.flush()
        audit.record("role.granted", obj=user, summary="super_admin (command line)")
    db.session.commit()
    return created
