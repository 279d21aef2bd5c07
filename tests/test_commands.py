"""Command-line work an operator does."""

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.extensions import db


def test_create_admin_makes_the_first_super_admin(runner, client):
    result = runner.invoke(
        args=["create-admin", "Boss@Example.org", "--name", "Boss"],
        input="long enough words\nlong enough words\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert user.roles == {Role.SUPER_ADMIN}
    login = client.post(
        "/login", data={"email": "boss@example.org", "password": "long enough words"}
    )
    assert login.headers["Location"] == "/dashboard"

    again = runner.invoke(
        args=["create-admin", "boss@example.org"], input="whatever it is\nwhatever it is\n"
    )
    assert "Updated" in again.output
    db.session.refresh(user)
    assert len(user.role_grants) == 1


def test_create_admin_refuses_a_common_password(runner):
    result = runner.invoke(args=["create-admin", "x@example.org"], input="password1\npassword1\n")
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(User).where(User.email == "x@example.org")) is None
