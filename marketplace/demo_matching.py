"""The demo's matching round: in Riga, open for ranking over the hotel's published postings with
free places, with four more participants shortlisted there and most ranks given, so that the
coordinator can run it, read the draft with its explanations and publish it straight away.

As ranked, the engine gives the reception mentoring slot (one place, Jānis's share) to Yana,
the hotel's first choice; the trial shifts to Ravi and Aziz (who gave no numbers, so his
applications count in the order he made them); Tharushi is left without a pair, the
trial shifts and the reception both filled with applicants they ranked higher, and the cook's
job has not shortlisted her."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import ConsentRecord, RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.auth.services import PRIVACY_NOTICE_VERSION
from marketplace.db import utcnow
from marketplace.demo_history import history
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.matching import mentor_shares, ranking, rounds
from marketplace.matching.models import MatchingRound
from marketplace.mentors.models import Expertise, MentorProfile
from marketplace.participants.models import (
    Gender,
    ParticipantInterest,
    ParticipantLanguage,
    ParticipantProfile,
    RecommendedSupport,
    Support,
    WorkPermit,
)
from marketplace.participants.services import (
    FUNDER_CONSENT,
    PROCESSING_CONSENT,
    WORKFLOW,
    give_consent,
)
from marketplace.postings.models import Posting
from marketplace.workflow.services import transition

RECEPTION = "Mentorings viesnīcas recepcijā"
TRIAL_SHIFTS = "Пробні зміни на рецепції готелю"
COOK = "Повар в ресторане отеля"

# (e-mail, name, language, birth date, gender, country, languages, local level, interests)
NEWCOMERS = [
    ("ravi@example.org", "Ravi Menon", "en", date(2000, 3, 15), Gender.MALE, "IN",
     [("en", CefrLevel.C1), ("ml", CefrLevel.NATIVE)], CefrLevel.A1, [Expertise.FRONT_OFFICE]),
    ("tharushi@example.org", "Tharushi Silva", "en", date(2001, 8, 2), Gender.FEMALE, "LK",
     [("en", CefrLevel.B2), ("si", CefrLevel.NATIVE)], CefrLevel.A2, [Expertise.SERVICE]),
    ("yana@example.org", "Yana Melnyk", "uk", date(1999, 12, 10), Gender.FEMALE, "UA",
     [("uk", CefrLevel.NATIVE), ("ru", CefrLevel.C1), ("en", CefrLevel.B1)], CefrLevel.A2,
     [Expertise.FRONT_OFFICE]),
    ("aziz@example.org", "Aziz Rakhimov", "ru", date(2002, 5, 27), Gender.MALE, "UZ",
     [("uz", CefrLevel.NATIVE), ("ru", CefrLevel.C1), ("en", CefrLevel.B1)], CefrLevel.A1,
     [Expertise.KITCHEN]),
]  # fmt: skip

# Who applied where, in the order they applied; the postings that shortlisted them.
APPLIED = {
    "ravi@example.org": [RECEPTION, TRIAL_SHIFTS],
    "tharushi@example.org": [TRIAL_SHIFTS, RECEPTION, COOK],
    "yana@example.org": [RECEPTION, TRIAL_SHIFTS],
    "aziz@example.org": [TRIAL_SHIFTS, COOK],
}
NOT_SHORTLISTED = {("tharushi@example.org", COOK)}
# The participants' numbers (Aziz gave none) and the hotel's, first choice first.
CHOICES = {
    "ravi@example.org": [RECEPTION, TRIAL_SHIFTS],
    "tharushi@example.org": [TRIAL_SHIFTS, RECEPTION],
    "yana@example.org": [RECEPTION, TRIAL_SHIFTS],
}
RANKINGS = {
    RECEPTION: ["yana@example.org", "ravi@example.org", "tharushi@example.org"],
    TRIAL_SHIFTS: ["ravi@example.org", "aziz@example.org", "tharushi@example.org",
                   "yana@example.org"],
}  # fmt: skip


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _newcomer(email, name, locale, birth, gender, country, languages, local, interests, site):
    """An approved participant, made as the demo's others are (demo_participants)."""
    password_hash = _user("priya@example.org").password_hash  # every demo account's password
    user = User(
        email=email, display_name=name, site=site, preferred_locale=locale,
        password_hash=password_hash, email_confirmed_at=utcnow(),
    )  # fmt: skip
    user.role_grants.append(RoleGrant(role=Role.PARTICIPANT, site=site))
    db.session.add(user)
    db.session.add(
        ConsentRecord(
            user=user, kind="privacy_notice", version=PRIVACY_NOTICE_VERSION, given_at=utcnow()
        )
    )
    profile = ParticipantProfile(
        user=user, site_id=site.id, date_of_birth=birth, gender=gender,
        country_of_origin=country, local_language_level=local,
        work_permit=WorkPermit.HAS_PERMIT, work_permit_expires_on=date(2028, 12, 31),
        education="Secondary school; hospitality courses.", status=None,
        work_experience="A season in a guest house.",
        languages=[ParticipantLanguage(language=c, level=lv) for c, lv in languages],
        interests=[ParticipantInterest(area=area) for area in interests],
        support=[RecommendedSupport(kind=Support.LANGUAGE),
                 RecommendedSupport(kind=Support.MENTORING)],
        interview_notes="Ready for work at a hotel; local language to practise.",
    )  # fmt: skip
    db.session.add(profile)
    for status in ("draft", "submitted", "approved"):
        transition(profile, status, allowed=WORKFLOW.edges, actor=user, site_id=site.id)
    give_consent(user, PROCESSING_CONSENT)
    give_consent(user, FUNDER_CONSENT)
    return profile


def load_matching() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(MatchingRound)):
        return
    postings = {
        posting.title: posting
        for posting in db.session.scalars(
            sa.select(Posting).where(Posting.title.in_([RECEPTION, TRIAL_SHIFTS, COOK]))
        )
    }
    site = postings[RECEPTION].site
    owner = _user("hotel.riga@example.org")
    coordinator = _user("coordinator.riga@example.org")
    people = {row[0]: _newcomer(*row, site=site) for row in NEWCOMERS}
    db.session.commit()
    applied: dict[tuple[str, str], int] = {}
    for days_ago, (email, titles) in enumerate(APPLIED.items(), start=6):
        profile = people[email]
        for title in titles:
            application = applications.apply(
                profile.user, profile, postings[title], "I would like to work at this hotel."
            )
            if (email, title) not in NOT_SHORTLISTED:
                applications.shortlist(owner, application)
            # They applied about a week ago; the hotel shortlisted them two days later.
            application.created_at = utcnow() - timedelta(days=days_ago)
            history(application, application.created_at)
            applied[email, title] = application.id
    round_ = rounds.create(coordinator, site, "Spring placements")
    chosen = {posting.id for posting in postings.values()}
    rounds.choose_postings(coordinator, round_, chosen, chosen)
    by_posting = {rp.posting_id: rp for rp in round_.postings}
    reception = by_posting[postings[RECEPTION].id]
    mentor = db.session.scalar(
        sa.select(MentorProfile).join(User).where(User.email == "mentor.riga@example.org")
    )
    mentor_shares.save_shares(coordinator, round_, {(reception.id, mentor.id): 1})
    for email, titles in CHOICES.items():
        ranks = {applied[email, title]: number for number, title in enumerate(titles, start=1)}
        ranking.save_choices(people[email].user, round_, people[email], ranks)
    for title, emails in RANKINGS.items():
        ranks = {applied[email, title]: number for number, email in enumerate(emails, start=1)}
        ranking.save_ranking(owner, by_posting[postings[title].id], ranks)
