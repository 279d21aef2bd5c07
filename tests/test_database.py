"""The schema comes from migrations alone, and the database enforces what it should."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.exc import IntegrityError

from marketplace import create_app
from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from tests.conftest import POSTGRES_URL, base_config


def test_migrations_match_the_models(runner):
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(bool(POSTGRES_URL), reason="the PostgreSQL run migrates its own database")
def test_upgrade_builds_an_empty_sqlite_database(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'fresh.sqlite'}"))
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"user_account", "role_grant", "site", "audit_entry", "outbox_message"} <= tables


def test_email_is_unique_whatever_the_letter_case(app, make_user):
    make_user(email="Same@Example.org".lower())
    db.session.add(User(email="same@example.org", display_name="B", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_foreign_keys_are_enforced(app):
    db.session.add(RoleGrant(user_id=999_999, role=Role.MENTOR, site_id=999_999))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_only_valid_roles_are_stored(app, make_user):
    user = make_user()
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.text(
                "INSERT INTO role_grant (user_id, role, site_id, created_at) "
                "VALUES (:u, 'wizard', :s, CURRENT_TIMESTAMP)"
            ),
            {"u": user.id, "s": user.site_id},
        )
        db.session.commit()


def test_instants_come_back_aware_and_in_utc(app, make_user):
    user = make_user()
    user.last_login_at = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert db.session.get(User, user.id).last_login_at.tzinfo is not None
