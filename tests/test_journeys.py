"""The whole account lifecycle, as a participant and a coordinator live it, in their language."""

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from tests.conftest import english_client, log_in
from tests.mail_helpers import inbox, link_in

PASSWORD = "sunny harbour bicycle"
NEW_PASSWORD = "quiet forest lantern"
WORDS = {
    "lv": {"confirmed": "apstiprināta", "logged_out_everywhere": "visās ierīcēs"},
    "uk": {"confirmed": "підтверджено", "logged_out_everywhere": "на всіх пристроях"},
}


@pytest.mark.parametrize("locale", ["lv", "uk"])
def test_participant_account_lifecycle(app, make_site, make_user, locale):
    riga = make_site("riga")

    def browser():
        client = english_client(app)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
        return client

    phone, laptop = browser(), browser()
    phone.post(
        "/register",
        data={
            "display_name": "Oksana",
            "email": "oksana@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "role": "participant",
            "site": str(riga.id),
            "consent": "y",
        },
    )
    [confirmation] = inbox("oksana@example.org")
    assert confirmation.locale == locale
    page = phone.get(link_in(confirmation), follow_redirects=True).get_data(as_text=True)
    assert WORDS[locale]["confirmed"] in page

    for device in (phone, laptop):
        response = device.post("/login", data={"email": "oksana@example.org", "password": PASSWORD})
        assert response.headers["Location"] == "/dashboard"
    page = laptop.post("/account/devices/end-all", follow_redirects=True).get_data(as_text=True)
    assert WORDS[locale]["logged_out_everywhere"] in page
    assert phone.get("/dashboard").status_code == 302

    laptop.post("/password/forgot", data={"email": "oksana@example.org"})
    reset = inbox("oksana@example.org")[-1]
    assert reset.locale == locale
    laptop.post(link_in(reset), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    response = laptop.post("/login", data={"email": "oksana@example.org", "password": NEW_PASSWORD})
    assert response.headers["Location"] == "/dashboard"

    coordinator = english_client(app)
    log_in(coordinator, make_user(Role.COORDINATOR, site="riga"))
    oksana = db.session.scalar(sa.select(User).where(User.email == "oksana@example.org"))
    coordinator.post(f"/admin/users/{oksana.id}/roles", data={"grant": f"mentor:{riga.id}"})
    db.session.refresh(oksana)
    assert oksana.roles == {Role.PARTICIPANT, Role.MENTOR}
    coordinator.post(f"/admin/users/{oksana.id}/deactivate")
    assert laptop.get("/dashboard").status_code == 302
