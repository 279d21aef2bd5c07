"""Recommendations with reasons, as the people using them see them: each reason shows exactly
when its rule applies (in English and in Latvian), hard rules leave a posting out, employers
invite suggested participants, and mentors for an offer come best fit first."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.mentors import services as mentors
from marketplace.mentors.models import Expertise
from marketplace.notifications.models import Notification
from marketplace.organisations.models import OrganisationMember
from marketplace.participants import services as participants
from marketplace.participants.models import (
    ParticipantInterest,
    ParticipantLanguage,
    RecommendedSupport,
    Support,
    WorkPermit,
)
from marketplace.postings import services as postings
from marketplace.postings.models import PostingStatus
from marketplace.recommendations import services as recommendations
from marketplace.recommendations.models import Invitation
from marketplace.sites import services as sites
from tests.application_helpers import approved_participant, make_world, posting_for
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.employer_helpers import make_organisation, make_posting
from tests.mentor_helpers import make_mentor
from tests.participant_helpers import make_participant

pytestmark = pytest.mark.clock


@pytest.fixture
def world(app, make_user):
    return make_world(app, make_user)


@pytest.fixture
def participant(app, make_user, world):
    """Approved, speaks English C1, no interests or dates yet."""
    return approved_participant(app, make_user, world.coordinator, display_name="Priya")


def reasons_on_home(app, profile, title: str, locale: str = "en") -> list[str]:
    """The reasons the participant's home page gives for the posting called ``title``."""
    profile.user.preferred_locale = locale
    db.session.commit()
    client = english_client(app)
    log_in(client, profile.user)
    page = BeautifulSoup(client.get("/dashboard").get_data(as_text=True), "html.parser")
    section = page.find(id="for-you-heading").find_parent("section")
    for item in section.select("li.list-group-item"):
        if item.find("a").get_text(strip=True) == title:
            return [
                " ".join(reason.get_text(" ", strip=True).split())
                for reason in item.select(".recommendation-reasons li")
            ]
    return []


def recommended_titles(app, profile) -> list[str]:
    client = english_client(app)
    log_in(client, profile.user)
    page = BeautifulSoup(client.get("/postings/?sort=best").get_data(as_text=True), "html.parser")
    return [link.get_text(strip=True) for link in page.select(".list-group-item h2 a")]


def has_reason(reasons: list[str], text: str) -> bool:
    return any(text in reason for reason in reasons)


# Each reason, exactly when its rule applies ----------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "text"),
    [("en", "Kitchen is one of your interests"), ("lv", "Virtuve ir viena no jūsu interesēm")],
)
def test_a_work_area_the_participant_is_interested_in_is_a_reason(
    app, world, participant, locale, text
):
    posting_for(app, world, kind="job", title="Kitchen job", areas=[Expertise.KITCHEN])
    posting_for(app, world, kind="job", title="Cleaning job", areas=[Expertise.HOUSEKEEPING])
    participant.interests = [ParticipantInterest(area=Expertise.KITCHEN)]
    db.session.commit()
    assert has_reason(reasons_on_home(app, participant, "Kitchen job", locale), text)
    assert not has_reason(reasons_on_home(app, participant, "Cleaning job", locale), text)


@pytest.mark.parametrize(
    ("locale", "met", "gap"),
    [
        ("en", "You speak English C1 — required A2", "Needs Latvian B1 — not among your languages"),
        ("lv", "Angļu valoda: jums ir C1, vajag A2", "Latviešu valoda: vajag B1"),
    ],
)
def test_required_languages_are_reasons_when_met_and_gaps_when_not(
    app, world, participant, locale, met, gap
):
    posting_for(app, world, kind="job", title="English job")
    posting_for(app, world, kind="job", title="Latvian job", languages=[("lv", CefrLevel.B1)])
    english = reasons_on_home(app, participant, "English job", locale)
    latvian = reasons_on_home(app, participant, "Latvian job", locale)
    assert has_reason(english, met) and not has_reason(english, gap)
    assert has_reason(latvian, gap) and not has_reason(latvian, met)


def test_a_level_below_the_requirement_names_both_levels(app, world, participant):
    participant.languages.append(ParticipantLanguage(language="lv", level=CefrLevel.A1))
    db.session.commit()
    posting_for(app, world, kind="job", title="Latvian job", languages=[("lv", CefrLevel.A2)])
    reasons = reasons_on_home(app, participant, "Latvian job")
    assert has_reason(reasons, "Needs Latvian A2 — you have A1")


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "A mentor with free places speaks Latvian"),
        ("lv", "Mentors ar brīvām vietām runā latviešu valodā"),
    ],
)
def test_a_mentor_with_free_places_speaking_the_participants_language_is_a_reason(
    app, world, participant, locale, text
):
    posting_for(app, world, kind="mentoring", title="Mentoring slot")
    posting_for(app, world, kind="job", title="Job without mentor")
    assert not has_reason(reasons_on_home(app, participant, "Mentoring slot", locale), text)
    participant.languages.append(ParticipantLanguage(language="lv", level=CefrLevel.A2))
    db.session.commit()
    assert has_reason(reasons_on_home(app, participant, "Mentoring slot", locale), text)
    assert not has_reason(reasons_on_home(app, participant, "Job without mentor", locale), text)
    world.mentor.paused = True  # no longer takes mentees
    db.session.commit()
    assert not has_reason(reasons_on_home(app, participant, "Mentoring slot", locale), text)


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "Your plan includes workplace mentoring"),
        ("lv", "Jūsu plānā ir mentorings darbavietā"),
    ],
)
def test_a_plan_with_mentoring_is_a_reason_for_mentoring_slots(
    app, world, participant, locale, text
):
    posting_for(app, world, kind="mentoring", title="Mentoring slot")
    posting_for(app, world, kind="job", title="A job")
    assert not has_reason(reasons_on_home(app, participant, "Mentoring slot", locale), text)
    participant.support = [RecommendedSupport(kind=Support.MENTORING)]
    db.session.commit()
    assert has_reason(reasons_on_home(app, participant, "Mentoring slot", locale), text)
    assert not has_reason(reasons_on_home(app, participant, "A job", locale), text)


@pytest.mark.parametrize(
    ("locale", "text"),
    [("en", "Starts within your available dates"), ("lv", "Sākas jūsu norādītajos datumos")],
)
def test_a_start_within_the_participants_dates_is_a_reason(app, world, participant, locale, text):
    soon = posting_for(app, world, kind="job", title="Soon")
    posting_for(
        app, world, kind="job", title="Later", start_date=soon.start_date + timedelta(days=60)
    )
    assert not has_reason(reasons_on_home(app, participant, "Soon", locale), text)
    participant.available_from = soon.start_date - timedelta(days=1)
    participant.available_until = soon.start_date + timedelta(days=30)
    db.session.commit()
    assert has_reason(reasons_on_home(app, participant, "Soon", locale), text)
    assert not has_reason(reasons_on_home(app, participant, "Later", locale), text)


@pytest.mark.parametrize(
    ("locale", "text"),
    [("en", "At your programme site"), ("lv", "Jūsu programmas norises vietā")],
)
def test_a_posting_at_the_participants_own_site_says_so(
    app, make_user, world, participant, locale, text
):
    posting_for(app, world, kind="job", title="Here")
    admin = make_user(Role.SUPER_ADMIN)
    partner_owner = make_user(Role.EMPLOYER_STAFF, site="liepaja")
    partner_coordinator = make_user(Role.COORDINATOR, site="liepaja")
    with app.test_request_context():
        sites.set_partnership(admin, participant.site, partner_owner.site, True)
    hotel = make_organisation(app, partner_owner, partner_coordinator, name="Jūras viesnīca")
    make_posting(app, hotel, partner_owner, partner_coordinator, kind="job", title="There")
    assert has_reason(reasons_on_home(app, participant, "Here", locale), text)
    there = reasons_on_home(app, participant, "There", locale)
    assert there and not has_reason(there, text)


@pytest.mark.parametrize(
    ("locale", "text"),
    [("en", "The employer invited you to apply"), ("lv", "Darba devējs aicina jūs pieteikties")],
)
def test_an_invitation_is_the_first_reason(app, world, participant, locale, text):
    posting = posting_for(app, world, kind="job", title="Invited job")
    posting_for(app, world, kind="job", title="Other job")
    with app.test_request_context():
        participants.save_matching_preferences(participant.user, participant, True, None, None)
        recommendations.invite(world.owner, posting, participant)
    assert reasons_on_home(app, participant, "Invited job", locale)[0].endswith(text)
    assert not has_reason(reasons_on_home(app, participant, "Other job", locale), text)


# Order and hard rules ----------------------------------------------------------------------


def test_the_best_fit_comes_first_and_the_list_offers_best_for_me(app, world, participant):
    posting_for(app, world, kind="job", title="Cleaning job", areas=[Expertise.HOUSEKEEPING])
    posting_for(app, world, kind="job", title="Kitchen job", areas=[Expertise.KITCHEN])
    participant.interests = [ParticipantInterest(area=Expertise.KITCHEN)]
    db.session.commit()
    assert recommended_titles(app, participant)[:2] == ["Kitchen job", "Cleaning job"]


def test_hard_rules_leave_postings_out(app, make_user, world, participant):
    posting_for(app, world, kind="job", title="Open job")
    applied = posting_for(app, world, kind="job", title="Applied job")
    posting_for(app, world, kind="job", title="Needs a permit", work_permit_required=True)
    closed = posting_for(app, world, kind="job", title="Closed job")
    posting_for(app, world, kind="job", title="Draft job", status=PostingStatus.DRAFT)
    participant.work_permit = WorkPermit.NONE
    db.session.commit()
    with app.test_request_context():
        applications.apply(participant.user, participant, applied, "Please.")
        postings.close_by_owner(world.owner, closed)
    other_site_owner = make_user(Role.EMPLOYER_STAFF, site="linkoping")
    other_coordinator = make_user(Role.COORDINATOR, site="linkoping")
    hotel = make_organisation(app, other_site_owner, other_coordinator, name="Hotell")
    make_posting(app, hotel, other_site_owner, other_coordinator, kind="job", title="Elsewhere")
    assert recommended_titles(app, participant) == ["Open job"]


def test_a_participant_not_yet_approved_is_told_why_nothing_is_suggested(app, make_user, world):
    posting_for(app, world, kind="job", title="Open job")
    user = make_user(Role.PARTICIPANT)
    profile = make_participant(app, user, submit=True)
    client = english_client(app)
    log_in(client, profile.user)
    text = client.get("/dashboard").get_data(as_text=True)
    assert "Postings are suggested for you once a coordinator has approved your profile." in text


# Employers: suggested participants and invitations ---------------------------------------------


def opt_in(app, profile, suggest=True):
    with app.test_request_context():
        participants.save_matching_preferences(profile.user, profile, suggest, None, None)


def test_employers_see_only_participants_who_asked_to_be_suggested_without_their_name(
    app, make_user, world
):
    posting = posting_for(app, world, kind="job", title="Kitchen job", areas=[Expertise.KITCHEN])
    keen = approved_participant(app, make_user, world.coordinator, display_name="Keen Person")
    keen.interests = [ParticipantInterest(area=Expertise.KITCHEN)]
    quiet = approved_participant(app, make_user, world.coordinator, display_name="Quiet Person")
    db.session.commit()
    opt_in(app, keen)
    client = english_client(app)
    log_in(client, world.owner)
    page = client.get(f"/postings/{posting.id}/suggestions").get_data(as_text=True)
    assert f"Participant {keen.id}" in page
    assert "Interested in Kitchen" in page
    assert "Keen Person" not in page and f"Participant {quiet.id}" not in page
    coordinator = english_client(app)
    log_in(coordinator, world.coordinator)
    assert "Keen Person" in coordinator.get(f"/postings/{posting.id}/suggestions").get_data(
        as_text=True
    )
    opt_in(app, keen, suggest=False)
    assert f"Participant {keen.id}" not in client.get(
        f"/postings/{posting.id}/suggestions"
    ).get_data(as_text=True)


def test_an_employer_invites_a_suggested_participant_once_and_they_are_told(app, make_user, world):
    posting = posting_for(app, world, kind="job", title="Kitchen job")
    profile = approved_participant(app, make_user, world.coordinator)
    profile.user.preferred_locale = "ru"  # told in their own language
    opt_in(app, profile)
    client = english_client(app)
    log_in(client, world.owner)
    url = f"/postings/{posting.id}/suggestions/{profile.id}/invite"
    answer = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Invitation sent" in answer and "Invited" in answer
    told = db.session.scalars(
        sa.select(Notification.text).where(Notification.user_id == profile.user_id)
    ).all()
    assert any("приглашает вас подать заявку: Kitchen job" in text for text in told)
    again = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "already invited" in again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1


def test_a_participant_who_applied_is_no_longer_suggested_or_invitable(app, make_user, world):
    posting = posting_for(app, world, kind="job", title="Kitchen job")
    profile = approved_participant(app, make_user, world.coordinator)
    opt_in(app, profile)
    with app.test_request_context():
        applications.apply(profile.user, profile, posting, "Please.")
    client = english_client(app)
    log_in(client, world.owner)
    answer = client.post(
        f"/postings/{posting.id}/suggestions/{profile.id}/invite", follow_redirects=True
    ).get_data(as_text=True)
    assert "cannot be invited" in answer
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_matching_preferences_refuse_an_end_before_the_start(app, participant):
    client = english_client(app)
    log_in(client, participant.user)
    client.get("/participants/me")
    today = site_today()
    answer = client.post(
        "/participants/me/matching",
        data={
            "csrf_token": "",
            "available_from": (today + timedelta(days=10)).isoformat(),
            "available_until": today.isoformat(),
            "suggest_me": "y",
        },
    )
    assert answer.status_code == 400
    assert "The end date cannot be before the start date." in answer.get_data(as_text=True)
    db.session.refresh(participant)
    assert participant.available_from is None
    assert participants.active_consent(participant.user, participants.SUGGESTION_CONSENT) is None


# Mentors for an offer ---------------------------------------------------------------------------


def test_mentors_for_an_offer_come_best_fit_first_with_reasons(app, make_user, world):
    other_user = make_user(Role.EMPLOYER_STAFF, Role.MENTOR, display_name="Anna")
    world.organisation.members.append(OrganisationMember(user=other_user, approved=True))
    db.session.commit()
    anna = make_mentor(
        app,
        other_user,
        world.coordinator,
        organisation=world.organisation,
        languages=[("en", CefrLevel.C2)],
        expertise=[Expertise.FRONT_OFFICE],
    )
    with app.test_request_context():
        mentors.confirm_organisation(world.owner, anna)
    posting = posting_for(
        app, world, kind="mentoring", title="Reception", areas=[Expertise.FRONT_OFFICE]
    )
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Please.")
        applications.shortlist(world.owner, application)
    client = english_client(app)
    log_in(client, world.owner)
    page = BeautifulSoup(
        client.get(f"/applications/{application.id}").get_data(as_text=True), "html.parser"
    )
    options = [option.get_text(strip=True) for option in page.select("#mentor option")]
    assert options[0].startswith("Anna") and options[1].startswith("Jānis")
    fits = page.select(".mentor-fits li")
    first = fits[0].get_text(" ", strip=True)
    assert "Speaks English, as the participant does" in first
    assert "Knows Front office and reception" in first
