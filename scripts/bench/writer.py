"""Writing the planned programme (scripts/bench/programme.py), table by table, in batches.

Derived columns come from the site's own code: search text from the models' validators
(``User``, ``Organisation``) and ``postings.services._search_text``, offer columns from
``applications.services._store_terms``, questionnaire answers from ``questionnaires.services
._clean``, training and event titles from ``demo_delivery._titles``. Counters (places filled,
mentees, enrolled, attending) are the numbers of the rows they count. Each status change is
written as ``workflow.services.transition`` writes it: a ``StatusChange`` and an audit entry.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from marketplace.accounts.models import ConsentRecord, RoleGrant, User, normalise_email
from marketplace.accounts.roles import Role
from marketplace.applications.models import Application
from marketplace.applications.services import _store_terms
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import SUMMARY_LIMIT
from marketplace.auth.services import PRIVACY_NOTICE_VERSION
from marketplace.demo_delivery import _titles
from marketplace.events.models import Event, EventKind, Rsvp
from marketplace.events.services import GUESTS
from marketplace.mentors.models import (
    AvailabilityWindow,
    MentorExpertise,
    MentorLanguage,
    MentorProfile,
    Unavailability,
)
from marketplace.organisations.models import Organisation, OrganisationMember
from marketplace.participants.models import (
    ParticipantInterest,
    ParticipantLanguage,
    ParticipantProfile,
    RecommendedSupport,
)
from marketplace.participants.services import (
    CONSENT_VERSION,
    FUNDER_CONSENT,
    PROCESSING_CONSENT,
    SUGGESTION_CONSENT,
)
from marketplace.placements.models import MentoringSession, Placement, PlacementStatus
from marketplace.placements.models import SessionStatus as Session
from marketplace.postings.models import Posting, PostingArea, PostingKind, PostingLanguage
from marketplace.questionnaires.models import SCALE, Answer, QuestionKind, Response
from marketplace.questionnaires.services import _clean
from marketplace.sites.models import TrainingCategory
from marketplace.training.models import Enrolment, TrainingSession
from marketplace.workflow.models import StatusChange

from . import texts
from .loader import Buffered, Loader
from .programme import DAY, HOUR, Planner, SiteInfo, Step, at

FREE_TEXT_ANSWERS = [
    "Work in a kitchen.",
    "Work at a hotel reception.",
    "Open my own café.",
    "Speak the language well and have a steady job.",
    "",
]


class Writer:
    def __init__(self, planner: Planner, loader: Loader, password_hash: str, questionnaires: dict):
        self.plan = planner
        self.loader = loader
        self.rng = random.Random(planner.rng.random())
        self.now = planner.now
        self.password_hash = password_hash
        self.questionnaires = questionnaires  # site id → the current Questionnaire (ORM)
        self.history = Buffered(loader, StatusChange.__table__, "status_change")
        self.audit = Buffered(loader, AuditEntry.__table__, "audit_entry")
        self.representatives: dict[str, int] = {}

    def id(self, model) -> int:
        return self.loader.next_id(model.__table__)

    def write(self) -> None:
        self.users()
        self.organisations()
        self.participants()
        self.mentors()
        self.postings()
        self.applications()
        self.placements()
        self.sessions()
        self.training()
        self.events()
        self.history.finish()
        self.audit.finish()

    # History, as ``transition`` records it --------------------------------------------------

    def record(
        self,
        object_type: str,
        object_id: int,
        steps: list[Step],
        site_id: int,
        current: str | None = None,
    ) -> None:
        for step in steps:
            reason = step.reason.strip()
            self.history.add(
                {
                    "object_type": object_type,
                    "object_id": object_id,
                    "from_status": current,
                    "to_status": step.status,
                    "reason": reason,
                    "actor_id": step.actor_id,
                    "created_at": step.at,
                }
            )
            summary = f"{current or '—'} → {step.status}" + (f": {reason}" if reason else "")
            self.audit_entry(
                f"{object_type.lower()}.{step.status}",
                step.actor_id,
                object_type,
                object_id,
                site_id,
                summary,
                step.at,
            )
            current = step.status

    def audit_entry(
        self,
        action: str,
        actor_id: int | None,
        object_type: str | None,
        object_id: int | None,
        site_id: int | None,
        summary: str,
        moment: datetime,
    ) -> None:
        self.audit.add(
            {
                "created_at": moment,
                "actor_id": actor_id,
                "site_id": site_id,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "summary": summary[:SUMMARY_LIMIT],
                "ip_address": None,
            }
        )

    # People -------------------------------------------------------------------------------------

    def users(self) -> None:
        people = self.plan.people
        scratch = User()  # never saved: its validators make the search text, as for any user

        def rows():
            for person in people:
                scratch.display_name = person.name
                scratch.email = normalise_email(person.email)
                yield {
                    "id": person.id,
                    "email": scratch.email,
                    "password_hash": self.password_hash,
                    "display_name": person.name,
                    "preferred_locale": person.locale,
                    "active": True,
                    "email_confirmed_at": person.confirmed,
                    "last_login_at": person.last_login,
                    "site_id": person.site.id,
                    "reminder_emails": person.reminders,
                    "search_text": scratch.search_text,
                    "created_at": person.created,
                }

        self.loader.insert(User.__table__, rows())

        # Audit entries and the rest name the accounts, so they follow once all are written.
        def grants():
            for person in people:
                if person.registered_as is not None:
                    self.audit_entry(
                        "account.registered",
                        person.id,
                        "User",
                        person.id,
                        person.site.id,
                        person.registered_as.value,
                        person.created,
                    )
                for role, site_id, granted in person.roles:
                    yield {
                        "id": self.id(RoleGrant),
                        "user_id": person.id,
                        "role": role.value,
                        "site_id": site_id,
                        "created_at": granted,
                    }

        self.loader.insert(RoleGrant.__table__, grants())
        profiles = {p.person.id: p for p in self.plan.participants}

        def consents():
            for person in people:
                yield self.consent(person, "privacy_notice", PRIVACY_NOTICE_VERSION, person.created)
                profile = profiles.get(person.id)
                if profile is None:
                    continue
                kinds = [PROCESSING_CONSENT] + ([FUNDER_CONSENT] if profile.funder_consent else [])
                kinds += [SUGGESTION_CONSENT] if profile.suggest_me else []
                for kind in kinds:
                    row = self.consent(person, kind, CONSENT_VERSION, profile.created)
                    self.audit_entry(
                        "consent.given",
                        person.id,
                        "User",
                        person.id,
                        person.site.id,
                        kind,
                        profile.created,
                    )
                    if kind == FUNDER_CONSENT and self.rng.random() < 0.1:
                        row["withdrawn_at"] = self.plan.between(profile.created, self.now)
                        self.audit_entry(
                            "consent.withdrawn",
                            person.id,
                            "User",
                            person.id,
                            person.site.id,
                            kind,
                            row["withdrawn_at"],
                        )
                    yield row

        self.loader.insert(ConsentRecord.__table__, consents())

    def consent(self, person, kind: str, version: str, given: datetime) -> dict:
        return {
            "id": self.id(ConsentRecord),
            "user_id": person.id,
            "kind": kind,
            "version": version,
            "given_at": given,
            "withdrawn_at": None,
        }

    # Employers ------------------------------------------------------------------------------------

    def organisations(self) -> None:
        organisations = self.plan.organisations
        scratch = Organisation()  # never saved: its validators make the search text

        def rows():
            for organisation in organisations:
                scratch.name, scratch.city = organisation.name, organisation.city
                last = organisation.steps[-1]
                yield {
                    "id": organisation.id,
                    "name": organisation.name,
                    "registration_number": organisation.registration_number,
                    "sector": organisation.sector.value,
                    "address": organisation.address,
                    "city": organisation.city,
                    "site_id": organisation.site.id,
                    "contact_name": organisation.owner.name,
                    "contact_email": normalise_email(organisation.owner.email),
                    "contact_phone": organisation.phone,
                    "description": "",
                    "status": last.status,
                    "status_reason": last.reason.strip(),
                    "status_changed_at": last.at,
                    "search_text": scratch.search_text,
                    "created_at": organisation.steps[0].at,
                }
                self.record(
                    "Organisation", organisation.id, organisation.steps, organisation.site.id
                )

        self.loader.insert(Organisation.__table__, rows())

        def members():
            for organisation in organisations:
                for person, role, approved, joined in organisation.members:
                    yield {
                        "id": self.id(OrganisationMember),
                        "organisation_id": organisation.id,
                        "user_id": person.id,
                        "role": role,
                        "approved": approved,
                        "created_at": joined,
                    }

        self.loader.insert(OrganisationMember.__table__, members())

    # Participants ---------------------------------------------------------------------------------

    def participants(self) -> None:
        participants = self.plan.participants

        def rows():
            for p in participants:
                yield {
                    "id": p.id,
                    "user_id": p.person.id,
                    "site_id": p.site.id,
                    "date_of_birth": p.date_of_birth,
                    "gender": p.gender.value if p.gender else None,
                    "country_of_origin": p.country_of_origin,
                    "local_language_level": p.local_language_level.value
                    if p.local_language_level
                    else None,
                    "education": p.education,
                    "work_experience": p.work_experience,
                    "work_permit": p.work_permit.value,
                    "work_permit_expires_on": p.work_permit_expires_on,
                    "available_from": p.available_from,
                    "available_until": p.available_until,
                    "heard_from": p.heard_from.value if p.heard_from else None,
                    "cv_stored_name": None,
                    "cv_original_name": None,
                    "cv_uploaded_at": None,
                    "status": p.status,
                    "review_comment": p.review_comment,
                    "interview_notes": p.interview_notes,
                    "updated_at": p.steps[-1].at,
                    "created_at": p.created,
                }
                self.record("ParticipantProfile", p.id, p.steps, p.site.id)

        self.loader.insert(ParticipantProfile.__table__, rows())
        self.loader.insert(
            ParticipantLanguage.__table__,
            (
                {
                    "id": self.id(ParticipantLanguage),
                    "profile_id": p.id,
                    "language": language,
                    "level": level.value,
                }
                for p in participants
                for language, level in p.languages
            ),
        )
        self.loader.insert(
            ParticipantInterest.__table__,
            (
                {"id": self.id(ParticipantInterest), "profile_id": p.id, "area": area.value}
                for p in participants
                for area in p.interests
            ),
        )
        self.loader.insert(
            RecommendedSupport.__table__,
            (
                {"id": self.id(RecommendedSupport), "profile_id": p.id, "kind": kind.value}
                for p in participants
                for kind in p.support
            ),
        )
        self.answers(participants)

    def answers(self, participants) -> None:
        """Each participant who sent the profile filled the site's questionnaire (``submit``
        asks for it); some who have not sent it yet saved part of it."""
        choices = {}
        for site_id, questionnaire in self.questionnaires.items():
            per_question = []
            for question in questionnaire.questions:
                if question.kind == QuestionKind.FREE_TEXT:
                    raw = [[text] for text in FREE_TEXT_ANSWERS]
                elif question.kind == QuestionKind.SCALE:
                    raw = [[str(n)] for n in SCALE]
                elif question.kind == QuestionKind.SINGLE_CHOICE:
                    raw = [[str(option.id)] for option in question.options]
                else:
                    ids = [str(option.id) for option in question.options]
                    raw = [ids[:1], ids[1:3], [ids[0], ids[-1]], ids[-1:]]
                per_question.append((question, [_clean(question, values) for values in raw]))
            choices[site_id] = (questionnaire.id, per_question)
        responses = [p for p in participants if p.questionnaire]
        ids = {p.id: self.id(Response) for p in responses}

        def response_rows():
            for p in responses:
                submitted = p.answered_at if p.questionnaire == "submitted" else None
                yield {
                    "id": ids[p.id],
                    "profile_id": p.id,
                    "questionnaire_id": choices[p.site.id][0],
                    "submitted_at": submitted,
                    "updated_at": p.answered_at,
                }

        self.loader.insert(Response.__table__, response_rows())

        def answer_rows():
            for p in responses:
                questions = choices[p.site.id][1]
                if p.questionnaire == "started":
                    questions = questions[: self.rng.randint(1, len(questions))]
                for question, values in questions:
                    yield {
                        "id": self.id(Answer),
                        "response_id": ids[p.id],
                        "question_id": question.id,
                        "value": self.rng.choice(values),
                    }

        self.loader.insert(Answer.__table__, answer_rows())

    # Mentors ----------------------------------------------------------------------------------

    def mentors(self) -> None:
        mentors = self.plan.mentors

        def rows():
            for m in mentors:
                yield {
                    "id": m.id,
                    "user_id": m.person.id,
                    "site_id": m.site.id,
                    "organisation_id": m.organisation.id if m.organisation else None,
                    "organisation_confirmed": m.confirmed,
                    "bio": m.bio,
                    "max_mentees": m.max_mentees,
                    "active_mentees": m.active,
                    "paused": m.paused,
                    "status": m.status,
                    "review_comment": m.review_comment,
                    "updated_at": m.steps[-1].at,
                    "created_at": m.created,
                }
                self.record("MentorProfile", m.id, m.steps, m.site.id)
                granted = [
                    when
                    for role, site_id, when in m.person.roles
                    if role is Role.MENTOR and when == m.approved
                ]
                if granted:
                    self.audit_entry(
                        "role.granted",
                        m.steps[-1].actor_id,
                        "User",
                        m.person.id,
                        m.site.id,
                        "mentor",
                        m.approved,
                    )

        self.loader.insert(MentorProfile.__table__, rows())
        self.loader.insert(
            MentorExpertise.__table__,
            (
                {"id": self.id(MentorExpertise), "profile_id": m.id, "area": area.value}
                for m in mentors
                for area in m.areas
            ),
        )
        self.loader.insert(
            MentorLanguage.__table__,
            (
                {
                    "id": self.id(MentorLanguage),
                    "profile_id": m.id,
                    "language": language,
                    "level": level.value,
                }
                for m in mentors
                for language, level in m.languages
            ),
        )
        self.loader.insert(
            AvailabilityWindow.__table__,
            (
                {
                    "id": self.id(AvailabilityWindow),
                    "profile_id": m.id,
                    "weekday": weekday,
                    "start_time": start,
                    "end_time": end,
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                }
                for m in mentors
                for weekday, start, end, valid_from, valid_until in m.windows
            ),
        )
        self.loader.insert(
            Unavailability.__table__,
            (
                {
                    "id": self.id(Unavailability),
                    "profile_id": m.id,
                    "starts_on": starts,
                    "ends_on": ends,
                    "note": note,
                }
                for m in mentors
                for starts, ends, note in m.away
            ),
        )

    # Postings and applications ----------------------------------------------------------------

    def postings(self) -> None:
        postings = self.plan.postings
        last_approval: dict[int, datetime] = {}
        for placement in self.plan.placements:
            posting_id = placement.application.posting.id
            last_approval[posting_id] = max(
                placement.approved_at, last_approval.get(posting_id, placement.approved_at)
            )

        def rows():
            for p in postings:
                yield {
                    "id": p.id,
                    "organisation_id": p.organisation.id,
                    "site_id": p.site.id,
                    "kind": p.kind.value,
                    "title": p.title,
                    "description": p.description,
                    "content_locale": p.content_locale,
                    "location": p.location,
                    "city": p.city,
                    "start_date": p.start_date,
                    "end_date": p.end_date,
                    "hours_per_week": p.hours_per_week,
                    "seats": p.seats,
                    "filled_seats": p.filled_seats,
                    "work_permit_required": p.work_permit_required,
                    "application_deadline": p.application_deadline,
                    "status": p.status,
                    "review_comment": p.review_comment,
                    "published_at": p.published_at,
                    "closed_reason": p.closed_reason.value if p.closed_reason else None,
                    "created_by_id": p.created_by.id,
                    # Taking a place updates the row, so its time is the latest of the two.
                    "updated_at": max(p.steps[-1].at, last_approval.get(p.id, p.steps[-1].at)),
                    "search_text": p.search_text,
                    "created_at": p.steps[0].at,
                }
                self.record("Posting", p.id, p.steps, p.site.id)

        self.loader.insert(Posting.__table__, rows())
        self.loader.insert(
            PostingArea.__table__,
            (
                {"id": self.id(PostingArea), "posting_id": p.id, "area": p.area.value}
                for p in postings
            ),
        )
        self.loader.insert(
            PostingLanguage.__table__,
            (
                {
                    "id": self.id(PostingLanguage),
                    "posting_id": p.id,
                    "language": language,
                    "min_level": level.value,
                }
                for p in postings
                for language, level in p.languages
            ),
        )

    def applications(self) -> None:
        applications = sorted(self.plan.applications, key=lambda a: a.id)

        def rows():
            for a in applications:
                offer = SimpleNamespace(
                    offer_start_date=None,
                    offer_end_date=None,
                    offer_hours_per_week=None,
                    offer_place="",
                    offer_contact="",
                    offer_message="",
                    offer_answer_by=None,
                )
                if a.terms is not None:
                    _store_terms(offer, a.terms)
                yield {
                    "id": a.id,
                    "participant_id": a.participant.id,
                    "posting_id": a.posting.id,
                    "motivation": a.motivation.strip(),
                    "status": a.status,
                    "decline_reason": a.decline_reason.value if a.decline_reason else None,
                    "decline_note": a.decline_note.strip()[:1000],
                    "mentor_id": a.mentor.id if a.mentor else None,
                    "mentor_response": a.mentor_response.value if a.mentor_response else None,
                    "mentor_decline_reason": a.mentor_decline_reason.value
                    if a.mentor_decline_reason
                    else None,
                    "coordinator_comment": "",
                    **vars(offer),
                    "updated_at": a.steps[-1].at,
                    "created_at": a.steps[0].at,
                }
                self.record("Application", a.id, a.steps, a.posting.site.id)

        self.loader.insert(Application.__table__, rows())

    def placements(self) -> None:
        placements = sorted(self.plan.placements, key=lambda p: p.id)

        def rows():
            for p in placements:
                application, posting = p.application, p.application.posting
                yield {
                    "id": p.id,
                    "application_id": application.id,
                    "participant_id": application.participant.id,
                    "posting_id": posting.id,
                    "organisation_id": posting.organisation.id,
                    "mentor_id": p.mentor.id if p.mentor else None,
                    "site_id": posting.site.id,
                    "planned_hours": p.planned_hours,
                    "start_date": application.terms.start_date,
                    "end_date": application.terms.end_date,
                    "status": p.status,
                    "ended_on": p.ended_on,
                    "end_reason": p.end_reason.strip(),
                    "outcome": p.outcome.value if p.outcome else None,
                    "outcome_date": p.outcome_date,
                    "job_offer_accepted": p.job_offer_accepted,
                    "created_at": p.approved_at,
                }
                self.record("Placement", p.id, p.steps, posting.site.id, PlacementStatus.ACTIVE)
                if p.outcome is not None:
                    day = p.outcome_date or p.ended_on
                    moment = min(max(at(posting.site.orm, day, 11), p.steps[-1].at), self.now)
                    self.audit_entry(
                        "placement.outcome",
                        p.outcome_by.id,
                        "Placement",
                        p.id,
                        posting.site.id,
                        p.outcome.value,
                        moment,
                    )

        self.loader.insert(Placement.__table__, rows())

    def sessions(self) -> None:
        """Weekly mentoring sessions on the mentor's weekday, from the start of each mentoring
        placement to its end (or today), logged that evening; older ones answered."""
        rng = self.rng

        def rows():
            for p in sorted(self.plan.placements, key=lambda p: p.id):
                if p.mentor is None:
                    continue
                site = p.application.posting.site
                start = p.application.terms.start_date
                last = min(
                    p.ended_on or site.today, p.application.terms.end_date or site.today, site.today
                )
                weekday = p.mentor.windows[0][0]
                day = start + timedelta(days=(weekday - start.weekday()) % 7)
                number = 0
                while day <= last:
                    if rng.random() < 0.88:
                        number += 1
                        yield self.session(p, site, day, number)
                    day += timedelta(days=7)

        self.loader.insert(MentoringSession.__table__, rows())

    def session(self, placement, site: SiteInfo, day: date, number: int) -> dict:
        rng = self.rng
        minutes = rng.choice([45, 60, 60, 90, 90, 120])
        logged = min(at(site.orm, day, 18) + timedelta(minutes=rng.randrange(180)), self.now)
        age = (site.today - day).days
        status = Session.LOGGED
        if age > 2 and rng.random() < (0.55 if age < 10 else 0.97):
            status = Session.DISPUTED if rng.random() < 0.03 else Session.CONFIRMED
        answered = None
        if status != Session.LOGGED:
            answered = min(logged + timedelta(hours=rng.randint(2, 96)), self.now)
        session_id = self.id(MentoringSession)
        mentor, participant = placement.mentor.person, placement.application.participant.person
        self.audit_entry(
            "session.logged",
            mentor.id,
            "MentoringSession",
            session_id,
            site.id,
            f"{minutes} min",
            logged,
        )
        if answered is not None:
            self.audit_entry(
                f"session.{status}",
                participant.id,
                "MentoringSession",
                session_id,
                site.id,
                "",
                answered,
            )
        return {
            "id": session_id,
            "placement_id": placement.id,
            "held_on": day,
            "minutes": minutes,
            "topic": texts.TOPICS[(number - 1) % len(texts.TOPICS)],
            "notes": "",
            "logged_by_id": mentor.id,
            "status": status,
            "dispute_note": rng.choice(texts.DISPUTE_NOTES) if status == Session.DISPUTED else "",
            "answered_at": answered,
            "created_at": logged,
        }

    # Training and events ------------------------------------------------------------------------

    def training(self) -> None:
        """Group training in every category of each site's plan, about a fifth still to
        come; the places filled by approved participants of the site, attendance taken."""
        plan, rng = self.plan, self.rng
        shares = plan.site_shares(plan.counts["training_sessions"])
        sessions, enrolments = [], []
        best = (-1, 0)
        for site in plan.sites:
            categories = {p.category: p.planned_hours for p in site.orm.hours_plan} or {
                category: 1 for category in TrainingCategory
            }
            by_category = {}
            for category, titles, minutes, trainer in texts.TRAINING_TITLES[site.country]:
                by_category.setdefault(category, []).append((titles, minutes, trainer))
            courses = texts.COURSE_TITLES[site.country]
            for _ in range(shares[site.orm.slug]):
                category = plan.pick(categories)
                if category == TrainingCategory.LOCAL_LANGUAGE and rng.random() < 0.7:
                    pattern, minutes, trainer = rng.choice(courses)
                    titles = tuple(title.format(n=rng.randint(1, 40)) for title in pattern)
                else:
                    options = by_category.get(category) or [
                        option for values in by_category.values() for option in values
                    ]
                    titles, minutes, trainer = rng.choice(options)
                held_on = site.today + timedelta(days=rng.randint(-700, 30))
                capacity = rng.choice([10, 12, 12, 15, 20, 25]) if rng.random() < 0.95 else 40
                session_id = self.id(TrainingSession)
                come = self.enrol(site, held_on, capacity)
                past = held_on <= site.today
                for participant in come:
                    attended = past and rng.random() < 0.8
                    enrolments.append(
                        {
                            "id": self.id(Enrolment),
                            "session_id": session_id,
                            "participant_id": participant.id,
                            "attended": attended,
                        }
                    )
                coordinator = plan.coordinator(site)
                created = at(site.orm, held_on - timedelta(days=14), 10)
                sessions.append(
                    {
                        "id": session_id,
                        "site_id": site.id,
                        "category": category.value,
                        **_titles(site.orm, titles),
                        "held_on": held_on,
                        "starts_at": rng.choice([time(10), time(14), time(17, 30)]),
                        "minutes": minutes,
                        "trainer": trainer,
                        "capacity": capacity,
                        "enrolled": len(come),
                        "created_at": min(created, self.now),
                    }
                )
                title = sessions[-1]["title"]
                self.audit_entry(
                    "training.created",
                    coordinator.id,
                    "TrainingSession",
                    session_id,
                    site.id,
                    title,
                    min(created, self.now),
                )
                if past:
                    present = (
                        sum(1 for row in enrolments[-len(come) :] if row["attended"]) if come else 0
                    )
                    self.audit_entry(
                        "training.attendance",
                        coordinator.id,
                        "TrainingSession",
                        session_id,
                        site.id,
                        str(present),
                        min(at(site.orm, held_on, 19), self.now),
                    )
                if site.orm.slug == "riga" and past and (len(come), -session_id) > best:
                    best = (len(come), -session_id)
        self.representatives["training_session_id"] = -best[1]
        self.loader.insert(TrainingSession.__table__, sessions)
        self.loader.insert(Enrolment.__table__, enrolments)

    def enrol(self, site: SiteInfo, held_on: date, capacity: int) -> list:
        """Approved participants of the site (approved before the session), within its places."""
        rng = self.rng
        count = bisect.bisect_right(site.pool_keys, at(site.orm, held_on, 0).timestamp())
        if count == 0:
            return []
        share = rng.uniform(0.6, 1.0) if held_on <= site.today else rng.uniform(0.3, 0.9)
        wanted = min(count, max(1, round(capacity * share)), capacity)
        recent = site.pool[max(0, count - 400) : count]  # people who joined lately come most
        return rng.sample(recent, min(wanted, len(recent)))

    def events(self) -> None:
        """Seminars, conferences, excursions and meetings with employers at each site, about a
        fifth still to come; people of the site (participants, mentors, employers' staff)
        signed up while each was ahead, attendance taken afterwards."""
        plan, rng = self.plan, self.rng
        for site in plan.sites:
            guests = [
                person
                for person in plan.people
                if any(role in GUESTS and site_id == site.id for role, site_id, _ in person.roles)
            ]
            guests.sort(key=lambda person: person.created)
            site.guests = guests
        shares = plan.site_shares(plan.counts["events"])
        events, rsvps = [], []
        best = (False, -1, 0)
        for site in plan.sites:
            keys = [person.created.timestamp() for person in site.guests]
            for _ in range(shares[site.orm.slug]):
                kind, titles, description, _venue = rng.choice(texts.EVENT_TEMPLATES[site.country])
                if rng.random() < 0.3:
                    kind = rng.choice(list(EventKind))
                day = site.today + timedelta(days=rng.randint(-700, 60))
                starts = at(site.orm, day, rng.choice([10, 13, 15, 17]))
                capacity = rng.choice([20, 30, 40, 60, 100, 150])
                count = bisect.bisect_right(keys, (starts - DAY).timestamp())
                pool = site.guests[max(0, count - 2000) : count]
                come = rng.sample(pool, min(len(pool), round(capacity * rng.uniform(0.3, 1.0))))
                event_id = self.id(Event)
                past = starts < self.now
                for person in come:
                    rsvps.append(
                        {
                            "id": self.id(Rsvp),
                            "event_id": event_id,
                            "user_id": person.id,
                            "attended": past and rng.random() < 0.75,
                        }
                    )
                coordinator = plan.coordinator(site)
                created = min(starts - timedelta(days=30), self.now)
                street = rng.choice(texts.STREETS[site.country])
                events.append(
                    {
                        "id": event_id,
                        "site_id": site.id,
                        "kind": kind.value,
                        **_titles(site.orm, titles),
                        "description": description,
                        "venue": f"{street} {rng.randint(1, 60)}, {site.orm.name}",
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=rng.choice([2, 3, 6])),
                        "capacity": capacity,
                        "attending": len(come),
                        "created_at": created,
                    }
                )
                self.audit_entry(
                    "event.created",
                    coordinator.id,
                    "Event",
                    event_id,
                    site.id,
                    events[-1]["title"],
                    created,
                )
                if past:
                    present = sum(1 for row in rsvps[len(rsvps) - len(come) :] if row["attended"])
                    self.audit_entry(
                        "event.attendance",
                        coordinator.id,
                        "Event",
                        event_id,
                        site.id,
                        str(present),
                        min(starts + 3 * HOUR, self.now),
                    )
                if site.orm.slug == "riga" and (not past, len(come), -event_id) > best:
                    best = (not past, len(come), -event_id)
        self.representatives["event_id"] = -best[2]
        self.loader.insert(Event.__table__, events)
        self.loader.insert(Rsvp.__table__, rsvps)


def representative_posting(planner: Planner) -> int:
    """A published posting of Riga open for applications, with a middling number of them."""
    riga = planner.by_slug["riga"]
    open_ones = [
        p
        for p in planner.postings
        if p.site is riga
        and p.status == "published"
        and p is not planner.busy_posting
        and p.kind != PostingKind.MENTORING
    ] or [p for p in planner.postings if p.status == "published"]
    open_ones.sort(key=lambda p: (p.applications, p.id))
    return open_ones[len(open_ones) // 2].id
