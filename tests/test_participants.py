"""Participants: the age rule, profile, consent, CV, questionnaire, review and who sees what."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import ConsentRecord
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.participants import services
from marketplace.participants.models import ParticipantProfile
from marketplace.questionnaires import services as questionnaires
from marketplace.questionnaires.models import Response
from marketplace.sites.clock import today_at
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.participant_helpers import PDF, make_participant, make_questionnaire, profile_form

pytestmark = pytest.mark.clock


def client_for(app, user, locale="en"):
    client = english_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    log_in(client, user)
    return client


@pytest.mark.parametrize(
    ("birth", "on", "eligible"),
    [
        (date(2008, 3, 10), date(2026, 3, 10), True),  # 18th birthday
        (date(2008, 3, 11), date(2026, 3, 10), False),  # one day short of 18
        (date(1995, 3, 11), date(2026, 3, 10), True),  # the last day of being 30
        (date(1995, 3, 10), date(2026, 3, 10), False),  # 31st birthday
        (date(2008, 2, 29), date(2026, 2, 28), False),  # leap-day birthday: 18 on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), True),
    ],
)
def test_age_rule_edges(make_site, birth, on, eligible):
    riga = make_site("riga")
    assert (services.eligibility_problem(birth, riga, on) is None) is eligible


def test_age_is_counted_on_the_sites_own_date(make_site):
    riga = make_site("riga")
    # 22:30 UTC on 9 March is already 10 March in Riga: the 18th birthday has come there.
    late_evening = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)
    assert today_at(riga, late_evening) == date(2026, 3, 10)
    assert (
        services.eligibility_problem(date(2008, 3, 10), riga, today_at(riga, late_evening)) is None
    )


def test_age_bounds_are_site_settings(make_site):
    riga = make_site("riga", max_participant_age=35)
    assert services.eligibility_problem(date(1994, 1, 1), riga, date(2026, 6, 1)) is None


def test_too_young_person_is_told_kindly_and_nothing_is_saved(app, make_user):
    client = client_for(app, make_user(Role.PARTICIPANT))
    young = (site_today() - timedelta(days=16 * 365)).isoformat()  # about sixteen
    page = client.post("/participants/me/profile", data=profile_form(date_of_birth=young))
    assert "The programme is for people aged 18 to 30" in page.get_data(as_text=True)
    assert "College of cooking, Kharkiv" in page.get_data(as_text=True)  # input kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ParticipantProfile)) == 0


def test_profile_records_consent_and_the_optional_one_can_be_withdrawn(app, make_user):
    user = make_user(Role.PARTICIPANT)
    client = client_for(app, user)
    assert "only support you with your consent" in client.post(
        "/participants/me/profile", data=profile_form(consent_processing="")
    ).get_data(as_text=True)

    client.post("/participants/me/profile", data=profile_form(consent_funder="y"))
    kinds = db.session.scalars(
        sa.select(ConsentRecord.kind).where(ConsentRecord.user_id == user.id)
    )
    assert set(kinds) == {"data_processing", "funder_sharing"}

    client.post("/participants/me/consent/funder/withdraw")
    record = db.session.scalar(
        sa.select(ConsentRecord).where(ConsentRecord.kind == "funder_sharing")
    )
    assert record.withdrawn_at is not None
    assert services.active_consent(user, "data_processing") is not None


def test_profile_form_explains_bad_input(app, make_user):
    client = client_for(app, make_user(Role.PARTICIPANT))
    bad = profile_form(country_of_origin="", work_permit_expires_on="", date_of_birth="not a date")
    bad.update({"languages-0-language": "", "languages-1-language": ""})
    page = client.post("/participants/me/profile", data=bad).get_data(as_text=True)
    assert "Please choose your country of origin." in page
    assert "at least one language" in page
    assert "until when your work permit is valid" in page
    assert "Please enter a date" in page


def test_cv_is_checked_stored_privately_and_served_as_a_download(app, make_user, make_site):
    user = make_user(Role.PARTICIPANT)
    make_participant(app, user)
    client = client_for(app, user)

    fake = client.post(
        "/participants/me/cv",
        data={"cv": (io.BytesIO(b"MZ not a pdf"), "cv.pdf")},
        follow_redirects=True,
    )
    assert "This file is not a PDF" in fake.get_data(as_text=True)

    client.post("/participants/me/cv", data={"cv": (io.BytesIO(PDF), "Olena CV.pdf")})
    profile = services.profile_of(user)
    db.session.refresh(profile)
    assert profile.cv_original_name == "Olena CV.pdf"
    assert profile.cv_stored_name != "Olena CV.pdf" and profile.cv_stored_name.endswith(".pdf")

    download = client.get("/participants/me/cv")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Type"] == "application/pdf"

    coordinator = client_for(app, make_user(Role.COORDINATOR))
    assert coordinator.get(f"/participants/{profile.id}/cv").data == PDF
    elsewhere = client_for(app, make_user(Role.COORDINATOR, site="linkoping"))
    assert elsewhere.get(f"/participants/{profile.id}/cv").status_code == 404
    employer = client_for(app, make_user(Role.EMPLOYER_STAFF))
    assert employer.get(f"/participants/{profile.id}/cv").status_code == 404


def test_too_large_cv_is_refused(app, make_user):
    user = make_user(Role.PARTICIPANT)
    make_participant(app, user)
    app.config["CV_MAX_BYTES"] = 100
    page = (
        client_for(app, user)
        .post(
            "/participants/me/cv",
            data={"cv": (io.BytesIO(PDF + b" " * 200), "cv.pdf")},
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert "larger than" in page
    db.session.refresh(services.profile_of(user))
    assert services.profile_of(user).cv_stored_name is None


def test_questionnaire_saves_progress_then_checks_required_answers(app, make_user):
    user = make_user(Role.PARTICIPANT)
    profile = make_participant(app, user)
    questionnaire = make_questionnaire(profile.site_id)
    choice, scale, free = questionnaire.questions
    client = client_for(app, user, "uk")

    page = client.get("/participants/me/questionnaire").get_data(as_text=True)
    assert "Як вам подобається вчитися?" in page and "На практиці" in page

    client.post("/participants/me/questionnaire", data={f"q-{free.id}": "Cooking", "save": "1"})
    response = questionnaires.response_for(profile.id, questionnaire)
    assert response.submitted_at is None and response.answer_to(free) == "Cooking"

    incomplete = client.post(
        "/participants/me/questionnaire",
        data={f"q-{choice.id}": str(choice.options[0].id), "send": "1"},
    )
    assert incomplete.status_code == 400
    db.session.refresh(response)
    assert response.submitted_at is None
    assert response.answer_to(choice) == str(choice.options[0].id)

    client.post(
        "/participants/me/questionnaire",
        data={
            f"q-{choice.id}": str(choice.options[0].id),
            f"q-{scale.id}": "4",
            "send": "1",
            f"q-{free.id}": "Cooking",
        },
    )
    db.session.refresh(response)
    assert response.submitted_at is not None and response.answer_to(scale) == "4"


def test_answers_keep_their_meaning_after_the_questionnaire_changes(app, make_user):
    user = make_user(Role.PARTICIPANT)
    profile = make_participant(app, user)
    first = make_questionnaire(profile.site_id)
    choice = first.questions[0]
    questionnaires.save_answers(
        profile.id, first, {choice.id: [str(choice.options[1].id)]}, submit=False
    )

    coordinator = client_for(app, make_user(Role.COORDINATOR))
    coordinator.post(f"/questionnaires/{profile.site_id}/questions/{choice.id}/remove")
    second = questionnaires.current(profile.site_id)
    assert second.version == first.version + 1
    assert len(second.questions) == len(first.questions) - 1

    response = db.session.scalar(sa.select(Response))
    assert response.questionnaire_id == first.id
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert questionnaires.readable_answer(choice, response.answer_to(choice)) == "By reading"


def test_coordinator_adds_a_question_in_every_language(app, make_user):
    coordinator_user = make_user(Role.COORDINATOR)
    coordinator = client_for(app, coordinator_user)
    site_id = coordinator_user.site_id
    form = {
        "kind": "single_choice",
        "required": "y",
        **{
            f"text_{c}": text
            for c, text in {"en": "Q", "lv": "J", "sv": "F", "ru": "В", "uk": "П"}.items()
        },
        "options_en": "Yes\nNo",
        "options_lv": "Jā\nNē",
        "options_sv": "Ja\nNej",
        "options_ru": "Да\nНет",
        "options_uk": "Так",
    }
    page = coordinator.post(f"/questionnaires/{site_id}", data=form).get_data(as_text=True)
    assert "same number of lines in every language" in page
    coordinator.post(f"/questionnaires/{site_id}", data={**form, "options_uk": "Так\nНі"})
    question = questionnaires.current(site_id).questions[0]
    assert [o.label("uk") for o in question.options] == ["Так", "Ні"]


def test_interview_notes_support_and_approval(app, make_user):
    user = make_user(Role.PARTICIPANT)
    profile = make_participant(app, user, submit=True)
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    coordinator.post(
        f"/participants/{profile.id}/interview",
        data={
            "interview_notes": "Strong motivation; needs Latvian first.",
            "support": ["language", "mentoring"],
        },
    )
    page = coordinator.post(
        f"/participants/{profile.id}/review/request-changes",
        data={"comment": ""},
        follow_redirects=True,
    )
    assert "Please write a comment" in page.get_data(as_text=True)
    coordinator.post(f"/participants/{profile.id}/review/approve")
    db.session.refresh(profile)
    assert profile.status == "approved"
    assert {s.kind for s in profile.support} == {"language", "mentoring"}
    own_page = client_for(app, user).get("/participants/me").get_data(as_text=True)
    assert "needs Latvian first" not in own_page


def test_participants_and_coordinators_see_only_what_they_may(app, make_user):
    profile = make_participant(app, make_user(Role.PARTICIPANT, site="riga"))
    other = client_for(app, make_user(Role.PARTICIPANT))
    assert other.get(f"/participants/{profile.id}").status_code == 403
    elsewhere = client_for(app, make_user(Role.COORDINATOR, site="linkoping"))
    assert elsewhere.get(f"/participants/{profile.id}").status_code == 404
    assert "Test Person" not in elsewhere.get("/participants/").get_data(as_text=True)
    employer = client_for(app, make_user(Role.EMPLOYER_STAFF))
    assert employer.get(f"/participants/{profile.id}").status_code == 403


def test_dashboard_tells_a_participant_what_to_do_next(app, make_user):
    user = make_user(Role.PARTICIPANT)
    client = client_for(app, user)
    assert "Complete your profile." in client.get("/dashboard").get_data(as_text=True)
    profile = make_participant(app, user)
    make_questionnaire(profile.site_id)
    assert "Fill in the questionnaire." in client.get("/dashboard").get_data(as_text=True)
