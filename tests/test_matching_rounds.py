"""Matching rounds: who may run them, how people rank, what the draft explains, how locking and
removing change the next run, and how publishing turns pairs into offers within places and
mentors' shares, once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.applications.models import Application, ApplicationStatus
from marketplace.extensions import db
from marketplace.matching import (
    draft_review,
    drafts,
    mentor_shares,
    publishing,
    ranking,
    rounds,
)
from marketplace.matching.models import (
    MatchingRound,
    PairOutcome,
    RoundEntry,
    RoundPair,
    RoundStatus,
    UnmatchedParticipant,
)
from marketplace.notifications.models import Notification
from marketplace.organisations.models import OrganisationMember
from marketplace.problems import NotAllowed, Problem, WrongStatus
from tests.application_helpers import (
    World,
    approved_participant,
    make_world,
    posting_for,
)
from tests.conftest import base_config, english_client, log_in
from tests.employer_helpers import make_organisation, make_posting
from tests.test_query_counts import counted_statements

PER_PAGE = 5


@pytest.fixture
def app_config(database_url):
    return {**base_config(database_url), "PER_PAGE": PER_PAGE}


@dataclass
class Scene:
    world: World
    job: object  # a job with one place
    mentoring: object  # a mentoring slot with two places
    round: MatchingRound


def scene(app, make_user, *, job_seats=1, mentoring_seats=2, mentor_places=2) -> Scene:
    """A hotel with a job and a mentoring slot in a new round of its site (Riga)."""
    world = make_world(app, make_user, mentor_places=mentor_places)
    # Notifications in English, for the tests to read (the site's own language is Latvian).
    world.owner.preferred_locale = world.mentor.user.preferred_locale = "en"
    job = posting_for(app, world, kind="job", seats=job_seats, title="Cook")
    mentoring = posting_for(app, world, seats=mentoring_seats, title="Reception mentoring")
    with app.test_request_context():
        round_ = rounds.create(world.coordinator, world.coordinator.site, "Spring")
        rounds.choose_postings(
            world.coordinator, round_, {job.id, mentoring.id}, {job.id, mentoring.id}
        )
    return Scene(world, job, mentoring, round_)


def applicant(app, make_user, world, name, *postings, shortlist=True):
    """An approved participant who applied to ``postings`` (in this order), shortlisted."""
    profile = approved_participant(
        app, make_user, world.coordinator, display_name=name, preferred_locale="en"
    )
    with app.test_request_context():
        for posting in postings:
            application = applications.apply(profile.user, profile, posting, "Motivated.")
            if shortlist:
                applications.shortlist(world.owner, application)
    return profile


def application_of(profile, posting) -> Application:
    return db.session.scalar(
        sa.select(Application).where(
            Application.participant_id == profile.id,
            Application.posting_id == posting.id,
        )
    )


def rank_choices(app, round_, profile, *postings):
    """The participant numbers ``postings`` 1, 2, …"""
    with app.test_request_context():
        ranking.save_choices(
            profile.user,
            round_,
            profile,
            {application_of(profile, p).id: n for n, p in enumerate(postings, 1)},
        )


def rank_applicants(app, scene_, posting, *profiles):
    round_posting = next(rp for rp in scene_.round.postings if rp.posting_id == posting.id)
    with app.test_request_context():
        ranking.save_ranking(
            scene_.world.owner,
            round_posting,
            {application_of(p, posting).id: n for n, p in enumerate(profiles, 1)},
        )


def share(app, scene_, places: int):
    """The hotel's mentor gives ``places`` to the mentoring slot."""
    round_posting = next(rp for rp in scene_.round.postings if rp.posting_id == scene_.mentoring.id)
    with app.test_request_context():
        mentor_shares.save_shares(
            scene_.world.coordinator,
            scene_.round,
            {(round_posting.id, scene_.world.mentor.id): places},
        )


def run(app, scene_, actor=None):
    with app.test_request_context():
        return drafts.run(actor or scene_.world.coordinator, scene_.round)


def pairs(round_) -> dict[str, str]:
    """Participant's name → posting's title, of the pairs not removed."""
    return {
        pair.application.participant.user.display_name: pair.application.posting.title
        for pair in db.session.scalars(
            sa.select(RoundPair).where(
                RoundPair.round_id == round_.id, RoundPair.removed.is_(False)
            )
        )
    }


def pair_of(round_, profile) -> RoundPair:
    return db.session.scalar(
        sa.select(RoundPair)
        .join(Application)
        .where(RoundPair.round_id == round_.id, Application.participant_id == profile.id)
    )


def signed_in(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def page_text(response) -> str:
    return " ".join(
        BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text().split()
    )


# Who may do what ----------------------------------------------------------------------------------


def test_only_the_sites_coordinators_and_the_super_admin_see_and_run_a_round(app, make_user):
    s = scene(app, make_user)
    path = f"/matching/{s.round.id}"
    other_site = signed_in(app, make_user(Role.COORDINATOR, site="linkoping"))
    assert other_site.get(path).status_code == 404
    assert other_site.post(f"{path}/run").status_code == 404
    assert other_site.get(f"{path}/publish").status_code == 404
    assert "Spring" not in other_site.get("/matching/").get_data(as_text=True)
    for role in (Role.PARTICIPANT, Role.EMPLOYER_STAFF, Role.MENTOR):
        assert signed_in(app, make_user(role)).get(path).status_code == 403
    assert signed_in(app, s.world.owner).post(f"{path}/run").status_code == 403
    assert signed_in(app, make_user(Role.SUPER_ADMIN)).get(path).status_code == 200
    coordinator = signed_in(app, s.world.coordinator)
    assert "Spring" in coordinator.get("/matching/").get_data(as_text=True)
    assert coordinator.post(f"{path}/run").status_code == 302
    assert db.session.get(MatchingRound, s.round.id).status == RoundStatus.DRAFT


def test_another_sites_coordinator_cannot_take_a_step_through_the_services(app, make_user):
    s = scene(app, make_user)
    stranger = make_user(Role.COORDINATOR, site="linkoping")
    with app.test_request_context(), pytest.raises(NotAllowed):
        drafts.run(stranger, s.round)


def test_a_coordinator_creates_a_round_and_chooses_postings_by_searching(app, make_user):
    world = make_world(app, make_user)
    cook = posting_for(app, world, kind="job", title="Cook in the kitchen")
    posting_for(app, world, kind="job", title="Night porter")
    elsewhere_staff = make_user(Role.EMPLOYER_STAFF, site="linkoping")
    elsewhere_coordinator = make_user(Role.COORDINATOR, site="linkoping")
    hotel = make_organisation(app, elsewhere_staff, elsewhere_coordinator, name="Stångån")
    make_posting(app, hotel, elsewhere_staff, elsewhere_coordinator, title="Cook in Sweden")
    client = signed_in(app, world.coordinator)

    assert "No matching round yet." in client.get("/matching/").get_data(as_text=True)
    response = client.post(
        "/matching/new", data={"name": "Spring", "site": world.coordinator.site_id}
    )
    round_ = db.session.scalar(sa.select(MatchingRound))
    assert response.headers["Location"].endswith(f"/matching/{round_.id}/postings")
    found = client.get(f"/matching/{round_.id}/postings?q=cook").get_data(as_text=True)
    assert "Cook in the kitchen" in found
    assert "Night porter" not in found and "Cook in Sweden" not in found
    client.post(
        f"/matching/{round_.id}/postings?q=cook",
        data={"shown": [cook.id], "chosen": [cook.id]},
    )
    assert rounds.chosen_posting_ids(round_) == {cook.id}


def test_a_full_or_another_sites_posting_cannot_join_a_round(app, make_user):
    s = scene(app, make_user)
    linkoping_staff = make_user(Role.EMPLOYER_STAFF, site="linkoping")
    linkoping_coordinator = make_user(Role.COORDINATOR, site="linkoping")
    hotel = make_organisation(app, linkoping_staff, linkoping_coordinator, name="Stångån")
    elsewhere = make_posting(app, hotel, linkoping_staff, linkoping_coordinator)
    with app.test_request_context(), pytest.raises(Problem):
        rounds.choose_postings(s.world.coordinator, s.round, {elsewhere.id}, {elsewhere.id})
    db.session.rollback()
    assert rounds.chosen_posting_ids(s.round) == {s.job.id, s.mentoring.id}


# Ranking ------------------------------------------------------------------------------------------


def test_participants_rank_only_their_own_applications(app, make_user):
    s = scene(app, make_user)
    anna = applicant(app, make_user, s.world, "Anna", s.job, s.mentoring)
    boris = applicant(app, make_user, s.world, "Boris", s.job)
    client = signed_in(app, anna.user)
    path = f"/matching/{s.round.id}/my-choices"
    first, second = application_of(anna, s.job), application_of(anna, s.mentoring)

    page = client.get(path).get_data(as_text=True)
    assert "Cook" in page and "Reception mentoring" in page
    client.post(path, data={f"rank-{first.id}": "2", f"rank-{second.id}": "1"})
    choices = ranking.choices_of(s.round, anna)
    assert [(a.posting.title, rank) for a, rank in choices] == [
        ("Reception mentoring", 1),
        ("Cook", 2),
    ]
    # Boris is in no choice of Anna's, and Anna in none of his: the page is not theirs.
    borises = application_of(boris, s.job)
    client.post(path, data={f"rank-{borises.id}": "1"})
    assert (
        db.session.scalar(sa.select(RoundEntry).where(RoundEntry.application_id == borises.id))
        is None
    )
    with app.test_request_context(), pytest.raises(NotAllowed):
        ranking.save_choices(anna.user, s.round, anna, {borises.id: 1})
    stranger = approved_participant(app, make_user, s.world.coordinator)
    assert signed_in(app, stranger.user).get(path).status_code == 404


def test_a_number_out_of_range_is_refused_next_to_its_field(app, make_user):
    s = scene(app, make_user)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    field = f"rank-{application_of(anna, s.job).id}"
    response = signed_in(app, anna.user).post(
        f"/matching/{s.round.id}/my-choices", data={field: "0"}
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Please use numbers from 1 to 99." in soup.find(id=f"{field}-error").get_text()


def test_staff_rank_only_the_shortlisted_applicants_of_their_own_postings(app, make_user):
    s = scene(app, make_user)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    applicant(app, make_user, s.world, "Waiting", s.job, shortlist=False)
    round_posting = next(rp for rp in s.round.postings if rp.posting_id == s.job.id)
    path = f"/matching/postings/{round_posting.id}/rank"

    page = signed_in(app, s.world.owner).get(path).get_data(as_text=True)
    assert "Anna" in page and "Waiting" not in page
    other_staff = make_user(Role.EMPLOYER_STAFF)
    make_organisation(app, other_staff, s.world.coordinator, name="Other hotel")
    assert signed_in(app, other_staff).get(path).status_code == 404
    signed_in(app, s.world.owner).post(path, data={f"rank-{application_of(anna, s.job).id}": "1"})
    assert ranking.posting_ranks(s.round, [application_of(anna, s.job)]) == {
        application_of(anna, s.job).id: 1
    }


def test_equal_or_missing_numbers_are_ordered_by_earlier_application(app, make_user):
    s = scene(app, make_user, job_seats=3)
    first = applicant(app, make_user, s.world, "First", s.job)
    second = applicant(app, make_user, s.world, "Second", s.job)
    third = applicant(app, make_user, s.world, "Third", s.job)
    # The staff number only the last to apply; the other two tie (no number) by application.
    rank_applicants(app, s, s.job, third)
    inputs = drafts.gather(s.round)
    assert inputs.rankings[s.job.id] == [third.id, first.id, second.id]


# The draft ----------------------------------------------------------------------------------------


def test_the_draft_says_who_goes_where_and_why_the_others_have_no_pair(app, make_user):
    s = scene(app, make_user)
    share(app, s, 1)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    boris = applicant(app, make_user, s.world, "Boris", s.job, s.mentoring)
    applicant(app, make_user, s.world, "Chen", s.job, shortlist=False)
    rank_applicants(app, s, s.job, anna, boris)
    rank_choices(app, s.round, boris, s.job, s.mentoring)
    run(app, s)

    assert pairs(s.round) == {"Anna": "Cook", "Boris": "Reception mentoring"}
    assert pair_of(s.round, boris).mentor_id == s.world.mentor.id
    text = page_text(signed_in(app, s.world.coordinator).get(f"/matching/{s.round.id}"))
    assert "3 participants, 2 with a pair, 1 without." in text
    assert "Chen" in text
    assert "Cook: did not rank this applicant (not on its shortlist)" in text


def test_a_participant_whose_postings_filled_with_others_is_told_so(app, make_user):
    s = scene(app, make_user)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    boris = applicant(app, make_user, s.world, "Boris", s.job)
    rank_applicants(app, s, s.job, anna, boris)
    run(app, s)
    reasons = db.session.scalar(
        sa.select(UnmatchedParticipant).where(UnmatchedParticipant.participant_id == boris.id)
    )
    assert [line for line in draft_review.explain(reasons, {s.job.id: "Cook"}, set())] == [
        "Cook: every place went to applicants it ranked higher"
    ]


def test_a_locked_pair_is_kept_and_a_removed_pair_is_not_proposed_again(app, make_user):
    s = scene(app, make_user, job_seats=1)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    boris = applicant(app, make_user, s.world, "Boris", s.job)
    rank_applicants(app, s, s.job, anna, boris)
    run(app, s)
    assert pairs(s.round) == {"Anna": "Cook"}
    client = signed_in(app, s.world.coordinator)

    client.post(f"/matching/pairs/{pair_of(s.round, anna).id}/remove")
    client.post(f"/matching/{s.round.id}/run")
    assert pairs(s.round) == {"Boris": "Cook"}
    text = page_text(client.get(f"/matching/{s.round.id}"))
    assert "Cook: you removed this pair" in text

    client.post(f"/matching/pairs/{pair_of(s.round, boris).id}/lock")
    client.post(f"/matching/pairs/{pair_of(s.round, anna).id}/restore")
    client.post(f"/matching/{s.round.id}/run")
    # Anna is the staff's first choice again, but Boris's locked pair kept the only place.
    assert pairs(s.round) == {"Boris": "Cook"}
    assert pair_of(s.round, boris).locked


def test_mentor_shares_bound_a_mentoring_slots_places(app, make_user):
    s = scene(app, make_user, mentoring_seats=2, mentor_places=2)
    people = [applicant(app, make_user, s.world, name, s.mentoring) for name in ("A", "B")]
    rank_applicants(app, s, s.mentoring, *people)
    run(app, s)
    assert pairs(s.round) == {}  # no mentor's places given, no mentoring slot filled
    with app.test_request_context():
        rounds.reopen(s.world.coordinator, s.round)
    share(app, s, 1)
    run(app, s)
    assert pairs(s.round) == {"A": "Reception mentoring"}


def test_the_share_form_refuses_more_places_than_the_mentor_has(app, make_user):
    s = scene(app, make_user, mentor_places=1)
    client = signed_in(app, s.world.coordinator)
    cells = mentor_shares.share_cells(s.round)
    assert [cell.mentor.id for cell in cells] == [s.world.mentor.id]
    field = f"share-{cells[0].round_posting.id}-{s.world.mentor.id}"
    response = client.post(f"/matching/{s.round.id}/shares", data={field: "2"})
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "has 1 free place; the shares add up to 2." in soup.find(id=f"{field}-error").get_text()
    assert soup.find(id=field)["value"] == "2"
    client.post(f"/matching/{s.round.id}/shares", data={field: "1"})
    assert [share.places for share in s.round.postings[1].shares] == [1]


# Publishing ---------------------------------------------------------------------------------------


def test_publishing_makes_offers_and_tells_everyone(app, make_user):
    s = scene(app, make_user)
    share(app, s, 1)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    boris = applicant(app, make_user, s.world, "Boris", s.mentoring)
    chen = applicant(app, make_user, s.world, "Chen", s.job)
    rank_applicants(app, s, s.job, anna, chen)
    run(app, s)
    client = signed_in(app, s.world.coordinator)
    path = f"/matching/{s.round.id}/publish"

    confirm = page_text(client.get(path))
    assert "2 pairs become offers" in confirm
    assert client.post(path).status_code == 200  # without "confirmed": the question again
    assert db.session.get(MatchingRound, s.round.id).status == RoundStatus.DRAFT
    client.post(path, data={"confirmed": "yes"})

    db.session.expire_all()
    assert db.session.get(MatchingRound, s.round.id).status == RoundStatus.PUBLISHED
    assert application_of(anna, s.job).status == ApplicationStatus.OFFERED
    offered = application_of(boris, s.mentoring)
    assert offered.status == ApplicationStatus.OFFERED and offered.mentor_id == s.world.mentor.id
    assert application_of(chen, s.job).status == ApplicationStatus.SHORTLISTED

    def told(user, words):
        return db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.text.contains(words)
            )
        )

    assert told(anna.user, "You have an offer for Cook")
    assert told(s.world.mentor.user, "You are asked to mentor")
    assert told(chen.user, "no place was found for you")
    assert told(s.world.owner, "The matching round made 1 offer for Cook.")
    assert all(
        pair.outcome == PairOutcome.OFFERED
        for pair in db.session.scalars(sa.select(RoundPair).where(RoundPair.round_id == s.round.id))
    )


def test_publishing_sends_no_offer_beyond_the_places_left_and_says_why(app, make_user):
    s = scene(app, make_user, job_seats=2)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    boris = applicant(app, make_user, s.world, "Boris", s.job)
    rank_applicants(app, s, s.job, anna, boris)
    run(app, s)
    assert pairs(s.round) == {"Anna": "Cook", "Boris": "Cook"}
    # Since the run, the hotel offered the place to someone else directly.
    late = applicant(app, make_user, s.world, "Direct", s.job)
    with app.test_request_context():
        applications.offer(s.world.owner, application_of(late, s.job), None)

    response = signed_in(app, s.world.coordinator).post(
        f"/matching/{s.round.id}/publish",
        data={"confirmed": "yes"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Not offered: Boris at Cook: No open place is left at this posting." in page_text(
        response
    )
    assert application_of(anna, s.job).status == ApplicationStatus.OFFERED
    assert application_of(boris, s.job).status == ApplicationStatus.SHORTLISTED
    assert pair_of(s.round, boris).outcome == PairOutcome.NOT_OFFERED
    assert db.session.scalar(
        sa.select(Notification.id).where(
            Notification.user_id == boris.user_id,
            Notification.text.contains("no place was found for you"),
        )
    )


def test_publishing_names_no_mentor_beyond_the_mentors_free_places(app, make_user):
    s = scene(app, make_user, mentoring_seats=2, mentor_places=2)
    share(app, s, 2)
    people = [applicant(app, make_user, s.world, name, s.mentoring) for name in ("A", "B")]
    rank_applicants(app, s, s.mentoring, *people)
    run(app, s)
    # The mentor takes a mentee elsewhere in the meantime: one place left.
    other = posting_for(app, s.world, title="Kitchen mentoring")
    mentee = applicant(app, make_user, s.world, "Elsewhere", other)
    with app.test_request_context():
        applications.offer(s.world.owner, application_of(mentee, other), s.world.mentor)
        report = publishing.publish(s.world.coordinator, s.round)
    assert report.offered == 1
    assert application_of(people[1], s.mentoring).status == ApplicationStatus.SHORTLISTED
    assert pair_of(s.round, people[1]).outcome_note == "The mentor has no free place left."


def test_a_round_is_published_once(app, make_user):
    s = scene(app, make_user)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    run(app, s)
    client = signed_in(app, s.world.coordinator)
    client.post(f"/matching/{s.round.id}/publish", data={"confirmed": "yes"})
    again = client.post(
        f"/matching/{s.round.id}/publish",
        data={"confirmed": "yes"},
        follow_redirects=True,
    )
    assert "This is not possible in the current status." in page_text(again)
    offers = db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == anna.user_id,
            Notification.text.contains("You have an offer"),
        )
    )
    assert offers == 1


def test_the_database_refuses_a_publish_that_another_already_made(app, make_user):
    """Two coordinators read the round in draft at the same instant; the second's write finds
    the row changed (its version moved on) and publishes nothing."""
    s = scene(app, make_user)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    run(app, s)
    round_ = db.session.get(MatchingRound, s.round.id)
    assert round_.status == RoundStatus.DRAFT
    db.session.execute(
        sa.text("UPDATE matching_round SET status = 'published', version = version + 1")
    )  # the other coordinator, behind this session's back
    with app.test_request_context(), pytest.raises(WrongStatus):
        publishing.publish(s.world.coordinator, round_)
    db.session.rollback()
    assert application_of(anna, s.job).status == ApplicationStatus.SHORTLISTED


# From the shell -----------------------------------------------------------------------------------


def test_the_command_runs_a_round_and_a_dry_run_writes_nothing(app, make_user, runner):
    s = scene(app, make_user)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    applicant(app, make_user, s.world, "Boris", s.job)
    rank_applicants(app, s, s.job, anna)
    db.session.commit()

    dry = runner.invoke(args=["matching", "run", "--site", "riga", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 participants, 2 postings, 1 matched, 1 unmatched" in dry.output
    assert "nothing saved" in dry.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(RoundPair.id))) == 0
    assert db.session.get(MatchingRound, s.round.id).status == RoundStatus.OPEN

    real = runner.invoke(args=["matching", "run", "--site", "riga", "--round", str(s.round.id)])
    assert real.exit_code == 0, real.output
    db.session.expire_all()
    assert pairs(s.round) == {"Anna": "Cook"}
    assert db.session.get(MatchingRound, s.round.id).status == RoundStatus.DRAFT
    assert "Matching rounds" in runner.invoke(args=["matching", "--help"]).output
    unknown = runner.invoke(args=["matching", "run", "--site", "nowhere"])
    assert unknown.exit_code != 0 and "No site nowhere" in unknown.output


# Pages --------------------------------------------------------------------------------------------


def test_the_draft_page_reads_its_pairs_in_a_fixed_number_of_statements(app, make_user):
    s = scene(app, make_user, job_seats=30)
    client = signed_in(app, s.world.coordinator)
    path = f"/matching/{s.round.id}"

    def with_applicants(count):
        for number in range(count):
            applicant(app, make_user, s.world, f"Person {number}", s.job)
        with app.test_request_context():
            drafts.run(s.world.coordinator, db.session.get(MatchingRound, s.round.id))
        client.get(path)  # warm any copy
        with counted_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200
        return statements

    few = with_applicants(2)
    many = with_applicants(PER_PAGE + 2)
    assert len(many) == len(few), "\n".join(many)


def test_the_ranking_pages_are_paged(app, make_user):
    s = scene(app, make_user, job_seats=1)
    for number in range(PER_PAGE + 1):
        applicant(app, make_user, s.world, f"Person {number}", s.job)
    round_posting = next(rp for rp in s.round.postings if rp.posting_id == s.job.id)
    client = signed_in(app, s.world.owner)
    second = client.get(f"/matching/postings/{round_posting.id}/rank?page=2")
    assert "Page 2 of 2" in page_text(second)


def test_to_do_lists_ask_people_to_rank_and_the_coordinator_to_publish(app, make_user):
    s = scene(app, make_user)
    anna = applicant(app, make_user, s.world, "Anna", s.job)
    dashboard = page_text(signed_in(app, anna.user).get("/dashboard"))
    assert "Rank your choices for the matching round Spring" in dashboard
    staff = page_text(signed_in(app, s.world.owner).get("/dashboard"))
    assert "Rank your applicants for Cook" in staff
    rank_choices(app, s.round, anna, s.job)
    rank_applicants(app, s, s.job, anna)
    assert "Rank your choices" not in page_text(signed_in(app, anna.user).get("/dashboard"))
    run(app, s)
    coordinator = page_text(signed_in(app, s.world.coordinator).get("/dashboard"))
    assert "1 matching round waits for you to publish it" in coordinator


def test_a_member_who_left_the_hotel_may_not_rank_its_applicants(app, make_user):
    s = scene(app, make_user)
    applicant(app, make_user, s.world, "Anna", s.job)
    member = db.session.scalar(
        sa.select(OrganisationMember).where(OrganisationMember.user_id == s.world.mentor.user_id)
    )
    db.session.delete(member)
    db.session.commit()
    round_posting = next(rp for rp in s.round.postings if rp.posting_id == s.job.id)
    response = signed_in(app, s.world.mentor.user).get(
        f"/matching/postings/{round_posting.id}/rank"
    )
    assert response.status_code == 404
