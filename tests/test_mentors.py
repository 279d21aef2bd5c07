"""Mentor profiles: review, organisation link, availability, time zones and capacity."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.mentors import services
from marketplace.mentors.models import AvailabilityWindow, MentorProfile
from marketplace.workflow.models import StatusChange
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.employer_helpers import employer_world
from tests.mentor_helpers import make_mentor

pytestmark = pytest.mark.clock

RIGA, STOCKHOLM = ZoneInfo("Europe/Riga"), ZoneInfo("Europe/Stockholm")
PROFILE_FORM = {
    "expertise": ["front_office", "service"],
    "organisation": "0",
    "max_mentees": "2",
    "bio": "Reception for 12 years.",
    "languages-0-language": "lv",
    "languages-0-level": "native",
    "languages-1-language": "ru",
    "languages-1-level": "B2",
    "languages-2-language": "",
    "languages-3-language": "",
}


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def next_weekday(weekday: int, after: date) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def window_form(weekday=1, start="09:00", end="12:00", first=None, last=None) -> dict:
    first = first or site_today()
    last = last or first + timedelta(days=90)
    return {
        "weekday": str(weekday),
        "start_time": start,
        "end_time": end,
        "valid_from": first.isoformat(),
        "valid_until": last.isoformat(),
    }


def test_hotel_employee_becomes_an_approved_mentor(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    employee = make_user(Role.EMPLOYER_STAFF, display_name="Jānis")
    mentor = client_for(app, employee)

    mentor.post("/mentors/me/profile", data={**PROFILE_FORM, "organisation": str(organisation.id)})
    profile = db.session.scalar(sa.select(MentorProfile))
    assert profile.status == "draft" and not profile.organisation_confirmed
    assert [e.area for e in profile.expertise] and len(profile.languages) == 2

    owner_client = client_for(app, owner)
    assert "Jānis" in owner_client.get(f"/organisations/{organisation.id}/manage").get_data(
        as_text=True
    )
    owner_client.post(f"/mentors/{profile.id}/confirm-organisation")
    mentor.post("/mentors/me/submit")
    client_for(app, coordinator).post(f"/mentors/{profile.id}/review/approve")

    db.session.refresh(profile)
    assert profile.organisation_confirmed and profile.status == "approved"
    assert Role.MENTOR in profile.user.roles
    changes = db.session.scalars(
        sa.select(StatusChange.to_status).where(StatusChange.object_type == "MentorProfile")
    ).all()
    assert changes == ["draft", "submitted", "approved"]


def test_changes_requested_need_a_comment_and_editing_an_approved_profile_reviews_it_again(
    app, make_user
):
    coordinator = make_user(Role.COORDINATOR)
    user = make_user(Role.MENTOR)
    profile = make_mentor(app, user, coordinator)
    mentor = client_for(app, user)
    mentor.post("/mentors/me/profile", data={**PROFILE_FORM, "max_mentees": "3"})
    db.session.refresh(profile)
    assert profile.status == "submitted"

    reviewer = client_for(app, coordinator)
    page = reviewer.post(
        f"/mentors/{profile.id}/review/request-changes", data={"comment": ""}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Please write a comment" in page
    reviewer.post(f"/mentors/{profile.id}/review/request-changes", data={"comment": "Add a bio."})
    db.session.refresh(profile)
    assert profile.status == "changes_requested"
    assert "Add a bio." in mentor.get("/mentors/me").get_data(as_text=True)


def test_profile_form_explains_bad_input(app, make_user):
    mentor = client_for(app, make_user(Role.MENTOR))
    page = mentor.post(
        "/mentors/me/profile",
        data={
            **PROFILE_FORM,
            "expertise": [],
            "max_mentees": "11",
            "languages-0-language": "",
            "languages-1-language": "",
        },
    ).get_data(as_text=True)
    assert "Please choose at least one area." in page
    assert "from 1 to 10" in page
    assert "at least one language" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MentorProfile)) == 0


def test_windows_must_not_overlap_and_the_message_names_the_conflict(app, make_user):
    user = make_user(Role.MENTOR)
    make_mentor(app, user, approve=False, windows=())
    mentor = client_for(app, user)
    assert mentor.post("/mentors/me/windows", data=window_form()).status_code == 302
    assert mentor.post("/mentors/me/windows", data=window_form(weekday=3)).status_code == 302

    clash = mentor.post("/mentors/me/windows", data=window_form(start="11:00", end="13:00"))
    page = clash.get_data(as_text=True)
    assert clash.status_code == 400
    assert "This overlaps your window Tuesday 09:00" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AvailabilityWindow)) == 2

    touching = mentor.post("/mentors/me/windows", data=window_form(start="12:00", end="13:00"))
    assert touching.status_code == 302  # ends when the other starts: no overlap


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": "12:00", "end": "09:00"}, "The end must be later than the start."),
        ({"first": date(2027, 6, 1), "last": date(2027, 5, 1)}, "cannot be before the first week"),
        ({"start": "25:99"}, "Please enter a time"),
        ({"weekday": 9}, "Please choose one of the options."),
    ],
)
def test_malformed_windows_are_explained(app, make_user, changes, message):
    user = make_user(Role.MENTOR)
    make_mentor(app, user, approve=False, windows=())
    page = client_for(app, user).post("/mentors/me/windows", data=window_form(**changes))
    assert message in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AvailabilityWindow)) == 0


def test_holidays_remove_the_windows_of_those_days_from_the_week(app, make_user):
    user = make_user(Role.MENTOR)
    profile = make_mentor(app, user, approve=False)
    tuesday = next_weekday(1, site_today())
    monday = tuesday - timedelta(days=1)
    assert len(services.week_slots(profile, monday, RIGA)) == 1

    client_for(app, user).post(
        "/mentors/me/away",
        data={
            "starts_on": tuesday.isoformat(),
            "ends_on": tuesday.isoformat(),
            "note": "Holiday",
        },
    )
    db.session.refresh(profile)
    assert services.week_slots(profile, monday, RIGA) == []
    page = (
        client_for(app, user).get(f"/mentors/me?week={monday.isoformat()}").get_data(as_text=True)
    )
    assert "no time for meetings" in page


def test_a_riga_window_keeps_its_local_time_across_daylight_saving(app, make_user):
    profile_window = AvailabilityWindow(
        weekday=1,
        start_time=time(9),
        end_time=time(12),
        valid_from=date(2027, 1, 1),
        valid_until=date(2027, 12, 31),
    )
    winter, summer = date(2027, 1, 12), date(2027, 7, 13)  # Tuesdays on either side of DST
    for day in (winter, summer):
        assert services.occurs_on(profile_window, day, [])
    assert services.in_zone(winter, time(9), RIGA, RIGA).hour == 9
    assert services.in_zone(summer, time(9), RIGA, RIGA).hour == 9
    assert services.in_zone(winter, time(9), RIGA, ZoneInfo("UTC")).hour == 7
    assert services.in_zone(summer, time(9), RIGA, ZoneInfo("UTC")).hour == 6
    # A coordinator in Linköping sees 08:00 all year: both zones change on the same night.
    assert services.in_zone(winter, time(9), RIGA, STOCKHOLM).hour == 8
    assert services.in_zone(summer, time(9), RIGA, STOCKHOLM).hour == 8
    # On the night of the change (28 March 2027) the offsets differ for an hour only.
    change_night = services.in_zone(date(2027, 3, 28), time(3, 30), RIGA, ZoneInfo("UTC"))
    assert change_night.utcoffset() == timedelta(0)


def test_next_free_time_skips_days_away(app, make_user):
    user = make_user(Role.MENTOR)
    profile = make_mentor(app, user, approve=False)
    # Midnight at the site; the first Tuesday from then on (today, if it is a Tuesday).
    today = site_today()
    now = datetime.combine(today, time(0), tzinfo=RIGA)
    first = today + timedelta(days=(1 - today.weekday()) % 7)
    assert services.next_slot(profile, RIGA, now=now).day == first
    with app.test_request_context():
        services.add_unavailability(user, profile, first, first, "")
    assert services.next_slot(profile, RIGA, now=now).day == first + timedelta(days=7)


def test_capacity_is_guarded_by_the_database(app, make_user):
    profile = make_mentor(app, make_user(Role.MENTOR), approve=False, max_mentees=1)
    assert profile.free_places == 1
    profile.active_mentees = 2
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_pause_and_resume(app, make_user):
    user = make_user(Role.MENTOR)
    profile = make_mentor(app, user, make_user(Role.COORDINATOR))
    mentor = client_for(app, user)
    mentor.post("/mentors/me/pause")
    db.session.refresh(profile)
    assert profile.paused
    found = services.search({profile.site_id}, services.MentorFilters(free_only=True))
    assert db.session.scalars(found).all() == []
    mentor.post("/mentors/me/resume")
    db.session.refresh(profile)
    assert not profile.paused


def test_who_may_see_a_mentor_profile(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    profile = make_mentor(app, make_user(Role.MENTOR), coordinator)
    assert client_for(app, coordinator).get(f"/mentors/{profile.id}").status_code == 200
    assert (
        client_for(app, make_user(Role.EMPLOYER_STAFF)).get(f"/mentors/{profile.id}").status_code
        == 200
    )
    assert (
        client_for(app, make_user(Role.PARTICIPANT)).get(f"/mentors/{profile.id}").status_code
        == 404
    )
    other_site = make_user(Role.COORDINATOR, site="linkoping")
    assert client_for(app, other_site).get(f"/mentors/{profile.id}").status_code == 404


def test_mentors_touch_only_their_own_availability(app, make_user):
    owner = make_user(Role.MENTOR)
    profile = make_mentor(app, owner, approve=False)
    someone = make_user(Role.MENTOR)
    make_mentor(app, someone, approve=False, windows=())
    client = client_for(app, someone)
    assert client.post(f"/mentors/me/windows/{profile.windows[0].id}/delete").status_code == 404
    db.session.refresh(profile)
    assert len(profile.windows) == 1


def test_mentor_journey_from_profile_to_being_found(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    mentor = client_for(app, make_user(Role.EMPLOYER_STAFF, display_name="Jānis"))
    mentor.post("/mentors/me/profile", data={**PROFILE_FORM, "organisation": str(organisation.id)})
    profile = db.session.scalar(sa.select(MentorProfile))
    client_for(app, owner).post(f"/mentors/{profile.id}/confirm-organisation")
    mentor.post("/mentors/me/submit")
    reviewer = client_for(app, coordinator)
    reviewer.post(f"/mentors/{profile.id}/review/approve")

    mentor.post("/mentors/me/windows", data=window_form(weekday=1))
    mentor.post("/mentors/me/windows", data=window_form(weekday=3, start="14:00", end="17:00"))
    holiday = next_weekday(1, site_today()) + timedelta(days=14)
    mentor.post(
        "/mentors/me/away",
        data={"starts_on": holiday.isoformat(), "ends_on": holiday.isoformat(), "note": ""},
    )
    db.session.refresh(profile)
    assert len(profile.windows) == 2 and len(profile.unavailable) == 1

    page = reviewer.get("/mentors/?language=ru&min_level=B1&free_only=y").get_data(as_text=True)
    assert ">Jānis</a>" in page
    assert "room for 2 more" in page
