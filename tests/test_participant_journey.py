"""A participant from Ukraine, from profile to approval, as she and her coordinator live it."""

import io

import pytest

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.participants import services
from tests.conftest import english_client, log_in
from tests.participant_helpers import PDF, make_questionnaire, profile_form

WORDS = {
    "uk": {"question": "Як вам подобається вчитися?", "approved": "схвалено"},
    "lv": {"question": "Kā jums patīk mācīties?", "approved": "apstiprināt"},
}


@pytest.mark.parametrize("locale", ["uk", "lv"])
def test_participant_from_profile_to_approval(app, make_user, locale):
    olena = make_user(Role.PARTICIPANT, display_name="Olena", preferred_locale=locale)
    coordinator_user = make_user(Role.COORDINATOR, display_name="Ilze")
    questionnaire = make_questionnaire(olena.site_id)
    phone = english_client(app)
    phone.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Linux; Android 14) Mobile"
    log_in(phone, olena)

    assert phone.post("/participants/me/profile", data=profile_form()).status_code == 302
    page = phone.get("/participants/me/questionnaire").get_data(as_text=True)
    assert f'<html lang="{locale}"' in page and WORDS[locale]["question"] in page
    choice, scale, free = questionnaire.questions
    phone.post(
        "/participants/me/questionnaire",
        data={
            f"q-{choice.id}": str(choice.options[0].id),
            f"q-{scale.id}": "3",
            f"q-{free.id}": "Хочу працювати кухарем",
            "send": "1",
        },
    )
    phone.post("/participants/me/cv", data={"cv": (io.BytesIO(PDF), "CV Olena.pdf")})
    phone.post("/participants/me/submit")
    profile = services.profile_of(olena)
    assert profile.status == "submitted"

    coordinator = english_client(app)
    log_in(coordinator, coordinator_user)
    reading = coordinator.get(f"/participants/{profile.id}").get_data(as_text=True)
    assert "By doing" in reading and "Хочу працювати кухарем" in reading
    assert "CV Olena.pdf" in reading
    coordinator.post(
        f"/participants/{profile.id}/interview",
        data={
            "interview_notes": "Cook from Kharkiv; A1 Latvian.",
            "support": ["language", "mentoring"],
        },
    )
    coordinator.post(f"/participants/{profile.id}/review/approve")

    db.session.refresh(profile)
    assert profile.status == "approved"
    notice = phone.get("/notifications/").get_data(as_text=True)
    assert WORDS[locale]["approved"] in notice.lower()
