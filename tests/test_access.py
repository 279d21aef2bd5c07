"""Every view declares who may use it; an undeclared view fails a test and is refused."""

from flask import Blueprint

from marketplace.accounts.roles import Role
from marketplace.authz import undeclared_endpoints
from marketplace.extensions import db
from tests.conftest import log_in


def test_every_endpoint_declares_its_access(app):
    assert undeclared_endpoints(app) == []


def test_a_view_without_declaration_is_reported_and_refused(app, client, make_user):
    forgotten = Blueprint("forgotten", __name__)

    @forgotten.get("/forgotten")
    def forgotten_view():
        return "secret"

    app.register_blueprint(forgotten)

    assert undeclared_endpoints(app) == ["forgotten.forgotten_view"]
    log_in(client, make_user(Role.SUPER_ADMIN))
    response = client.get("/forgotten")
    assert response.status_code == 403
    assert b"secret" not in response.data


def test_signed_in_pages_send_visitors_to_login(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_role_pages_refuse_other_roles(signed_in_client):
    client, _user = signed_in_client(Role.PARTICIPANT)
    assert client.get("/audit/").status_code == 403


def test_role_pages_admit_their_roles(signed_in_client):
    client, _user = signed_in_client(Role.COORDINATOR)
    assert client.get("/audit/").status_code == 200


def test_deactivated_users_open_session_stops_working(app, signed_in_client):
    client, user = signed_in_client(Role.PARTICIPANT)
    assert client.get("/dashboard").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/dashboard").status_code == 302
