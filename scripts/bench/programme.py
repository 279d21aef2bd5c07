"""The plan of a synthetic programme: its people, employers, postings, applications and
placements, decided in memory before anything is written (scripts/bench/writer.py writes it).

Every rule the site enforces is followed as the site would follow it, and where the site
computes something the site's own function computes it here too: each status history follows
the entity's workflow table (``WORKFLOW.edges``), ages pass ``eligibility_problem`` on the
site's date, work permits ``_permit_covers``, offers take the terms ``proposed_terms`` gives
and the answer-by day ``default_answer_by`` gives, placements ``_planned_hours``. A posting
has at most as many placements as places and closes (applications waiting expire) when the
last one is taken; a participant has at most the site's number of open applications and one
application per posting; a mentor never has more mentees at once than their maximum, at any
moment (approved before the offer, with a weekly time during the posting's dates); people
apply, sign up and mentor only at their own site (or a partner site, for applications).
Dates count back from each site's today.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from marketplace.accounts.roles import Role
from marketplace.applications.models import (
    OPEN_STATUSES,
    DeclineReason,
    MentorDeclineReason,
    MentorResponse,
)
from marketplace.applications.services import WORKFLOW as APPLICATION_WORKFLOW
from marketplace.applications.services import (
    OfferTerms,
    _permit_covers,
    _planned_hours,
    default_answer_by,
    proposed_terms,
)
from marketplace.demo_employers import DESCRIPTIONS
from marketplace.demo_history import at as local_at
from marketplace.languages import CefrLevel
from marketplace.mentors.models import Expertise
from marketplace.mentors.services import WORKFLOW as MENTOR_WORKFLOW
from marketplace.organisations.models import OrganisationStatus, Sector
from marketplace.organisations.services import WORKFLOW as ORGANISATION_WORKFLOW
from marketplace.participants.models import Gender, HeardFrom, Support, WorkPermit
from marketplace.participants.services import WORKFLOW as PARTICIPANT_WORKFLOW
from marketplace.participants.services import eligibility_problem
from marketplace.placements.models import Outcome, PlacementStatus
from marketplace.placements.services import WORKFLOW as PLACEMENT_WORKFLOW
from marketplace.postings.models import ClosedReason, PostingKind
from marketplace.postings.services import WORKFLOW as POSTING_WORKFLOW
from marketplace.postings.services import _search_text as posting_search_text
from marketplace.search import normalise_for_search
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site

from . import texts

A1, A2, B1, B2, C1, C2, NATIVE = list(CefrLevel)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def at(site: Site, day: date, hour: int = 10) -> datetime:
    """The instant of a wall-clock hour on a day at the site (the demo's ``at``), in UTC: adding
    durations to an instant in the site's zone would count in wall-clock time and slip an hour
    across a daylight-saving change."""
    return local_at(site, day, hour).astimezone(UTC)


# The workflow table each history follows, by the object type its StatusChange rows name.
WORKFLOWS = {
    "Organisation": ORGANISATION_WORKFLOW,
    "MentorProfile": MENTOR_WORKFLOW,
    "ParticipantProfile": PARTICIPANT_WORKFLOW,
    "Posting": POSTING_WORKFLOW,
    "Application": APPLICATION_WORKFLOW,
    "Placement": PLACEMENT_WORKFLOW,
}
EDGES = {object_type: workflow.edges for object_type, workflow in WORKFLOWS.items()}

# The numbers at scale 1.0 (the issue's): each is multiplied by --scale.
AT_SCALE_ONE = {
    "participants": 100_000,
    "organisations": 5_000,
    "postings": 20_000,
    "mentors": 3_000,
    "applications": 200_000,
    "placements": 10_000,
    "training_sessions": 6_000,
    "events": 800,
    "coordinators": 12,
}

MOTIVATIONS = [
    "I worked at a hotel desk at home and want to learn how it is done here.",
    "I love cooking and want to work in a kitchen here.",
    "I served in a café for two years and would like to work in a restaurant.",
    "I want to practise the language at work and learn the job from a colleague.",
    "Я работала в гостинице и хочу продолжить работу в этой сфере.",
    "Я хочу працювати на кухні та вивчати мову на роботі.",
    "I am reliable and I learn fast; I can work evenings and weekends.",
]


@dataclass(eq=False, slots=True)
class Step:
    status: str
    actor_id: int | None
    at: datetime
    reason: str = ""


@dataclass(eq=False, slots=True)
class SiteInfo:
    orm: Site
    country: str
    today: date
    coordinators: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    partner_since: datetime | None = None
    pool_keys: list = field(default_factory=list)  # approval instants (timestamps), sorted
    pool: list = field(default_factory=list)  # approved participants in that order
    mentors: list = field(default_factory=list)  # approved mentor profiles
    guests: list = field(default_factory=list)  # people who may sign up for its events

    @property
    def id(self) -> int:
        return self.orm.id


@dataclass(eq=False, slots=True)
class Person:
    id: int
    name: str
    email: str
    site: SiteInfo
    locale: str
    created: datetime
    roles: list  # (Role, site id or None, granted at)
    confirmed: datetime | None
    last_login: datetime | None
    registered_as: Role | None = None  # registered through the site (audited), or made by staff
    reminders: bool = True


@dataclass(eq=False, slots=True)
class Organisation:
    id: int
    site: SiteInfo
    name: str
    sector: Sector
    city: str
    address: str
    registration_number: str
    phone: str
    owner: Person
    members: list  # (Person, role, approved, joined)
    steps: list
    approved: datetime | None
    weight: float = 0.0

    @property
    def status(self) -> str:
        return self.steps[-1].status

    def staff(self) -> list[Person]:
        return [person for person, _role, approved, _joined in self.members if approved]


@dataclass(eq=False, slots=True)
class Mentor:
    id: int
    person: Person
    site: SiteInfo
    organisation: Organisation | None
    confirmed: bool
    steps: list
    created: datetime
    approved: datetime | None
    max_mentees: int
    paused: bool
    areas: list
    languages: list
    windows: list  # (weekday, start, end, valid from, valid until)
    away: list  # (starts on, ends on, note)
    bio: str
    review_comment: str = ""
    busy: list = field(default_factory=list)  # (from, until or None): a mentee's placement
    active: int = 0

    @property
    def status(self) -> str:
        return self.steps[-1].status

    def covers(self, start: date, end: date | None) -> bool:
        """A weekly time during the posting's dates (what ``mentor_choices`` asks)."""
        end = end or start
        return any(window[3] <= end and window[4] >= start for window in self.windows)

    def has_room(self, start: datetime, until: datetime | None) -> bool:
        """Fewer mentees than the maximum at every moment of [start, until)."""
        overlapping = sum(
            1
            for other_start, other_until in self.busy
            if (until is None or other_start < until)
            and (other_until is None or start < other_until)
        )
        return overlapping < self.max_mentees


@dataclass(eq=False, slots=True)
class Participant:
    id: int
    person: Person
    site: SiteInfo
    steps: list
    created: datetime
    approved: datetime | None
    date_of_birth: date
    gender: Gender | None
    country_of_origin: str
    languages: list
    local_language_level: CefrLevel | None
    interests: list
    support: list
    work_permit: WorkPermit
    work_permit_expires_on: date | None
    heard_from: HeardFrom | None
    education: str
    work_experience: str
    interview_notes: str
    review_comment: str
    questionnaire: str  # "submitted", "started" or "" (none)
    answered_at: datetime | None
    funder_consent: bool
    # Asked to be suggested to employers, and the dates they can take a place (matching).
    suggest_me: bool = False
    available_from: date | None = None
    available_until: date | None = None
    open_count: int = 0
    placed: bool = False
    applications: int = 0

    @property
    def status(self) -> str:
        return self.steps[-1].status


@dataclass(eq=False, slots=True)
class Posting:
    id: int
    organisation: Organisation
    site: SiteInfo
    kind: PostingKind
    area: Expertise
    title: str
    description: str
    content_locale: str
    seats: int
    hours_per_week: int
    work_permit_required: bool
    languages: list
    start_date: date
    end_date: date | None
    application_deadline: date | None
    steps: list
    published_at: datetime | None
    closed_reason: ClosedReason | None
    closed_at: datetime | None
    created_by: Person
    review_comment: str
    search_text: str = ""
    placements_planned: int = 0
    weight: float = 0.0
    applications: int = 0
    filled_seats: int = 0
    offers_open: int = 0
    applicants: set = field(default_factory=set)  # participant ids
    closes: datetime | None = None  # when it closed, or now
    apply_until: datetime | None = None  # the last moment to apply

    @property
    def status(self) -> str:
        return self.steps[-1].status

    # What the offer's terms read from a posting (``proposed_terms``, ``place_of``).
    @property
    def location(self) -> str:
        return self.organisation.address

    @property
    def city(self) -> str:
        return self.organisation.city


@dataclass(eq=False, slots=True)
class Application:
    id: int
    participant: Participant
    posting: Posting
    steps: list
    motivation: str
    decline_reason: DeclineReason | None = None
    decline_note: str = ""
    mentor: Mentor | None = None
    mentor_response: MentorResponse | None = None
    mentor_decline_reason: MentorDeclineReason | None = None
    terms: OfferTerms | None = None

    @property
    def status(self) -> str:
        return self.steps[-1].status


@dataclass(eq=False, slots=True)
class Placement:
    id: int
    application: Application
    mentor: Mentor | None
    approved_at: datetime
    status: str
    ended_on: date | None
    end_reason: str
    steps: list  # placement's own changes after it began (completed, ended early)
    outcome: Outcome | None = None
    outcome_date: date | None = None
    job_offer_accepted: bool | None = None
    outcome_by: Person | None = None

    @property
    def planned_hours(self) -> int:
        terms = self.application.terms
        return _planned_hours(terms.start_date, terms.end_date, terms.hours_per_week)


def allocate(total: int, weights: dict, minimum: int = 0) -> dict:
    """``total`` split in proportion to ``weights`` (largest remainders), each at least
    ``minimum`` when there is enough to go round."""
    whole = sum(weights.values())
    exact = {key: total * weight / whole for key, weight in weights.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = total - sum(shares.values())
    for key in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[:left]:
        shares[key] += 1
    if total >= minimum * len(weights):
        for key in shares:
            while shares[key] < minimum:
                donor = max(shares, key=shares.get)
                shares[donor] -= 1
                shares[key] += 1
    return shares


def ascii_slug(text: str) -> str:
    """'Jānis Bērziņš' → 'janis-berzins', for e-mail addresses."""
    folded = normalise_for_search(text)
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in folded).strip("-")


class Planner:
    """Decides the whole programme in memory, in the order things happen: coordinators,
    employers, mentors, participants, postings, then applications and the placements they
    become. ``ids`` hands out each table's next id, so rows can name each other before any is
    written."""

    def __init__(
        self,
        sites: list[SiteInfo],
        super_admin: Person,
        scale: float,
        seed: int,
        now: datetime,
        ids: Callable[[str], int],
    ):
        self.rng = random.Random(seed)
        self.sites = sites
        self.by_slug = {site.orm.slug: site for site in sites}
        self.super_admin = super_admin
        self.now = now
        self.ids = ids
        self.counts = {key: max(1, round(value * scale)) for key, value in AT_SCALE_ONE.items()}
        self.people: list[Person] = []
        self.organisations: list[Organisation] = []
        self.mentors: list[Mentor] = []
        self.participants: list[Participant] = []
        self.postings: list[Posting] = []
        self.applications: list[Application] = []
        self.placements: list[Placement] = []
        self.bench_organisation: Organisation | None = None
        self.busy_posting: Posting | None = None
        self._terms: dict = {}

    # Small helpers -----------------------------------------------------------------------------

    def pick(self, weighted: dict):
        """One of the keys, as likely as its weight (``random.choices`` for one, but quicker)."""
        left = self.rng.random() * sum(weighted.values())
        for key, weight in weighted.items():
            left -= weight
            if left < 0:
                return key
        return key

    def instant(self, site: SiteInfo, day: date, first_hour: int = 8, last_hour: int = 18):
        """A moment of a working day at the site, never after now."""
        hour = self.rng.randint(first_hour, last_hour)
        moment = at(site.orm, day, hour) + timedelta(minutes=self.rng.randrange(60))
        return min(moment, self.now)

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def times(self, first: datetime, last: datetime, count: int) -> list[datetime]:
        """``count`` moments from ``first`` to ``last``, in order, both ends included."""
        if count == 1:
            return [last]
        inner = sorted(self.rng.random() for _ in range(count - 2))
        return [first, *(first + (last - first) * x for x in inner), last]

    def local_day(self, site: SiteInfo, moment: datetime) -> date:
        return today_at(site.orm, moment)

    def path(self, object_type: str, steps: list[Step], start: str | None = None) -> list[Step]:
        """The steps from ``start``, checked against the entity's workflow table: every change
        is an edge the site itself allows, in order of time."""
        edges = EDGES[object_type]
        current = start
        for step in steps:
            if step.status not in edges.get(current, set()):
                raise AssertionError(f"{object_type}: {current} → {step.status} is not allowed")
            current = step.status
        for earlier, later in itertools.pairwise(steps):
            if later.at < earlier.at:
                later.at = earlier.at
        return steps

    def coordinator(self, site: SiteInfo) -> Person:
        return self.rng.choice(site.coordinators)

    # People ------------------------------------------------------------------------------------

    def name_of(self, country: str, gender: Gender | None, local: bool = False):
        """(display name, Latin name for the e-mail address)."""
        given_pool = (texts.LOCAL_GIVEN_NAMES if local else texts.GIVEN_NAMES)[country]
        family_pool = (texts.LOCAL_FAMILY_NAMES if local else texts.FAMILY_NAMES)[country]
        woman = gender == Gender.FEMALE or (gender != Gender.MALE and self.rng.random() < 0.5)
        given = self.rng.choice(given_pool[1 if woman else 0])
        given = given if isinstance(given, tuple) else (given, None)
        family = self.rng.choice(family_pool)[1 if woman else 0]
        latin = f"{given[0]} {family[0]}"
        if given[1] and family[1] and self.rng.random() < 0.15:
            return f"{given[1]} {family[1]}", latin
        return latin, latin

    def person(
        self,
        site: SiteInfo,
        name: tuple[str, str],
        locale: str,
        created: datetime,
        roles: list,
        registered_as: Role | None,
        confirmed: bool = True,
    ) -> Person:
        number = self.ids("user_account")
        display, latin = name
        email = (
            f"{ascii_slug(latin).replace('-', '.')}.{number}@{self.rng.choice(texts.EMAIL_DOMAINS)}"
        )
        confirmed_at = last_login = None
        if confirmed:
            confirmed_at = min(created + timedelta(minutes=self.rng.randint(2, 600)), self.now)
            if self.rng.random() < 0.85:
                last_login = self.between(max(confirmed_at, self.now - 60 * DAY), self.now)
        person = Person(
            id=number,
            name=display,
            email=email,
            site=site,
            locale=locale,
            created=created,
            roles=roles,
            confirmed=confirmed_at,
            last_login=last_login,
            registered_as=registered_as,
            reminders=self.rng.random() > 0.05,
        )
        self.people.append(person)
        return person

    def staff_person(self, site: SiteInfo, created: datetime, role: Role, registered: bool):
        locale = site.orm.default_locale if self.rng.random() < 0.75 else "en"
        name = self.name_of(site.country, None, local=True)
        return self.person(
            site, name, locale, created, [(role, site.id, created)], role if registered else None
        )

    def site_shares(self, total: int, minimum: int = 1) -> dict[str, int]:
        """``total`` shared among the sites by their size (texts.SITE_WEIGHTS)."""
        weights = {site.orm.slug: texts.SITE_WEIGHTS.get(site.orm.slug, 0.1) for site in self.sites}
        return allocate(total, weights, minimum)

    def days_ago(self, site: SiteInfo, low: int, high: int) -> date:
        return site.today - timedelta(days=self.rng.randint(low, max(low, high)))

    # The plan ----------------------------------------------------------------------------------

    def plan(self) -> None:
        self.plan_coordinators()
        self.plan_organisations()
        self.plan_mentors()
        self.plan_participants()
        self.plan_postings()
        self.plan_applications()

    def plan_coordinators(self) -> None:
        shares = self.site_shares(max(self.counts["coordinators"], 2 * len(self.sites)), 2)
        for site in self.sites:
            for number in range(shares[site.orm.slug]):
                created = self.instant(site, self.days_ago(site, 700, 730))
                coordinator = self.staff_person(site, created, Role.COORDINATOR, False)
                if site.orm.slug == "riga" and number == 0:
                    coordinator.email = "bench-coordinator@example.org"
                site.coordinators.append(coordinator)
        # One coordinator of each site with a partner also coordinates the partner (so the
        # applications across the two sites have someone answerable for both).
        for site in self.sites:
            for partner in site.partners:
                both = site.coordinators[-1]
                if all(grant[1] != partner.id for grant in both.roles):
                    both.roles.append((Role.COORDINATOR, partner.id, both.created))
                    partner.coordinators.append(both)

    def plan_organisations(self) -> None:
        shares = self.site_shares(self.counts["organisations"])
        for site in self.sites:
            for number in range(shares[site.orm.slug]):
                bench = site.orm.slug == "riga" and number == 0
                self.organisations.append(self.organisation(site, bench))
        approved = [o for o in self.organisations if o.approved is not None]
        for organisation in approved:
            organisation.weight = self.rng.lognormvariate(0, 1.0)
        if self.bench_organisation is not None:
            self.bench_organisation.weight = 1.5 * max(o.weight for o in approved)

    def organisation(self, site: SiteInfo, bench: bool) -> Organisation:
        rng = self.rng
        sector = (
            Sector.HOTEL
            if bench
            else self.pick(
                {
                    Sector.HOTEL: 40,
                    Sector.RESTAURANT: 30,
                    Sector.CATERING: 10,
                    Sector.HOTEL_SCHOOL: 5,
                    Sector.OTHER: 15,
                }
            )
        )
        fate = (
            "approved"
            if bench
            else self.pick(
                {
                    "approved": 80,
                    "pending": 5,
                    "rejected": 4,
                    "resubmitted": 1,
                    "suspended": 4,
                    "reinstated": 6,
                }
            )
        )
        recent = fate in {"pending", "resubmitted"}
        registered_on = self.days_ago(site, 2, 40) if recent else self.days_ago(site, 60, 720)
        registered = self.instant(site, registered_on)
        owner = self.staff_person(site, registered - DAY, Role.EMPLOYER_STAFF, True)
        if bench:
            owner.email = "bench-employer@example.org"
        coordinator = self.coordinator(site).id
        reason = rng.choice(texts.REVIEW_COMMENTS)
        moments = self.times(registered, min(registered + 40 * DAY, self.now), 4)
        paths = {
            "approved": [("pending", owner.id, ""), ("approved", coordinator, "")],
            "pending": [("pending", owner.id, "")],
            "rejected": [("pending", owner.id, ""), ("rejected", coordinator, reason)],
            "resubmitted": [
                ("pending", owner.id, ""),
                ("rejected", coordinator, reason),
                ("pending", owner.id, ""),
            ],
            "suspended": [
                ("pending", owner.id, ""),
                ("approved", coordinator, ""),
                ("suspended", coordinator, "Complaints about working conditions."),
            ],
            "reinstated": [
                ("pending", owner.id, ""),
                ("approved", coordinator, ""),
                ("suspended", coordinator, "The registration has lapsed."),
                ("approved", coordinator, ""),
            ],
        }
        steps = [
            Step(status, actor, moment, why)
            for (status, actor, why), moment in zip(paths[fate], moments, strict=False)
        ]
        approved = next((s.at for s in steps if s.status == "approved"), None)
        words = texts.ORGANISATION_WORDS[site.country]
        pattern = rng.choice(texts.ORGANISATION_KINDS[site.country][sector.value])
        city = rng.choice(texts.CITIES.get(site.orm.slug, [site.orm.name]))
        name = pattern.format(w=rng.choice(words))
        branch = rng.choice(texts.BRANCHES)
        if branch:
            name = f"{name} {branch}"
        if site.country == "LV":
            registration = f"40{rng.randrange(10**9):09d}"
            phone = f"+371 2{rng.randrange(10**7):07d}"
        else:
            registration = f"55{rng.randrange(10**4):04d}-{rng.randrange(10**4):04d}"
            digits = f"{rng.randrange(10**7):07d}"
            phone = f"+46 70 {digits[:3]} {digits[3:5]} {digits[5:]}"
        organisation = Organisation(
            id=self.ids("organisation"),
            site=site,
            name=name,
            sector=sector,
            city=city,
            address=f"{rng.choice(texts.STREETS[site.country])} {rng.randint(1, 120)}",
            registration_number=registration,
            phone=phone,
            owner=owner,
            members=[(owner, "owner", True, registered)],
            steps=self.path("Organisation", steps),
            approved=approved,
        )
        if approved is not None:
            extra = 3 if bench else self.pick({0: 35, 1: 35, 2: 20, 3: 10})
            for _ in range(extra):
                joined = self.between(approved, self.now)
                colleague = self.staff_person(site, joined - HOUR, Role.EMPLOYER_STAFF, True)
                organisation.members.append((colleague, "staff", rng.random() < 0.9, joined))
        if bench:
            self.bench_organisation = organisation
        return organisation

    def plan_mentors(self) -> None:
        shares = self.site_shares(self.counts["mentors"])
        for site in self.sites:
            # Most mentors work for an employer of the site (the benchmark's employer account
            # stays an employer only); the others are independent.
            staff = [
                (person, organisation)
                for organisation in self.organisations
                if organisation.site is site and organisation.approved is not None
                for person in organisation.staff()
                if not person.email.startswith("bench-")
            ]
            self.rng.shuffle(staff)
            for _ in range(shares[site.orm.slug]):
                from_staff = staff and self.rng.random() < 0.7
                mentor = self.mentor(site, *(staff.pop() if from_staff else (None, None)))
                self.mentors.append(mentor)
                if mentor.approved is not None:
                    site.mentors.append(mentor)

    def mentor(self, site: SiteInfo, person: Person | None, organisation) -> Mentor:
        rng = self.rng
        fate = self.pick(
            {"approved": 80, "submitted": 7, "draft": 5, "changes_requested": 5, "rejected": 3}
        )
        recent = fate in {"submitted", "draft", "changes_requested"}
        # Most mentors came in the programme's first months; a few join still.
        started_on = site.today - timedelta(days=730 - int(700 * self.rng.random() ** 2.5))
        if recent:
            started_on = self.days_ago(site, 3, 40)
        started = self.instant(site, started_on)
        if person is None:
            person = self.staff_person(site, started - HOUR, Role.MENTOR, True)
        started = max(started, person.created + HOUR)
        coordinator = self.coordinator(site).id
        comment = (
            rng.choice(texts.REVIEW_COMMENTS) if fate in {"changes_requested", "rejected"} else ""
        )
        statuses = {"draft": ["draft"], "submitted": ["draft", "submitted"]}.get(
            fate, ["draft", "submitted", fate]
        )
        moments = self.times(started, min(started + 20 * DAY, self.now), len(statuses))
        steps = [
            Step(
                status,
                coordinator if number == 2 else person.id,
                moment,
                comment if number == 2 else "",
            )
            for number, (status, moment) in enumerate(zip(statuses, moments, strict=True))
        ]
        approved = steps[-1].at if fate == "approved" else None
        if approved is not None and all(role is not Role.MENTOR for role, *_ in person.roles):
            person.roles.append((Role.MENTOR, site.id, approved))
        local = site.orm.local_locale
        languages = [(local, NATIVE if rng.random() < 0.88 else C1)]
        if local == "lv" and rng.random() < 0.5:
            languages.append(("ru", rng.choice([B2, C1, NATIVE])))
        if rng.random() < 0.75:
            languages.append(("en", rng.choice([B1, B2, C1])))
        if local == "sv" and rng.random() < 0.1:
            languages.append(("ar", NATIVE))
        valid_from = self.local_day(site, approved or started)
        windows = []
        for weekday in sorted(rng.sample(range(6), rng.choice([1, 1, 2, 2, 3]))):
            start = rng.randint(8, 16)
            windows.append(
                (
                    weekday,
                    time(start),
                    time(start + rng.randint(2, 4)),
                    valid_from,
                    site.today + timedelta(days=rng.randint(90, 365)),
                )
            )
        away = []
        if rng.random() < 0.2:
            first = site.today + timedelta(days=rng.randint(5, 100))
            away.append((first, first + timedelta(days=rng.randint(4, 13)), "Holiday"))
        return Mentor(
            id=self.ids("mentor_profile"),
            person=person,
            site=site,
            organisation=organisation,
            confirmed=organisation is not None and rng.random() < 0.9,
            steps=self.path("MentorProfile", steps),
            created=started,
            approved=approved,
            max_mentees=self.pick({1: 20, 2: 35, 3: 25, 4: 10, 5: 10}),
            paused=rng.random() < 0.06,
            areas=rng.sample(list(Expertise), rng.randint(1, 3)),
            languages=languages,
            windows=windows,
            away=away,
            bio=rng.choice(texts.BIOS),
            review_comment=comment,
        )

    def plan_participants(self) -> None:
        shares = self.site_shares(self.counts["participants"])
        countries = dict(texts.COUNTRIES)
        for site in self.sites:
            for _ in range(shares[site.orm.slug]):
                self.participant(site, self.pick(countries))
        for site in self.sites:
            approved = sorted(
                (p for p in self.participants if p.site is site and p.approved is not None),
                key=lambda p: p.approved,
            )
            site.pool = approved
            site.pool_keys = [p.approved.timestamp() for p in approved]

    def participant(self, site: SiteInfo, country: str) -> None:
        rng = self.rng
        fate = self.pick(
            {
                "approved": 73,
                "no_profile": 4,
                "draft": 8,
                "submitted": 7,
                "changes_requested": 5,
                "rejected": 3,
            }
        )
        reach = {
            "approved": (25, 720),
            "no_profile": (0, 30),
            "draft": (1, 60),
            "submitted": (3, 45),
            "changes_requested": (5, 90),
            "rejected": (10, 400),
        }
        low, high = reach[fate]
        days = low + int((high - low) * rng.random() ** 1.4)  # more people joined lately
        registered_on = site.today - timedelta(days=days)
        registered = self.instant(site, registered_on, 7, 22)
        gender = self.pick(
            {
                Gender.FEMALE: 48,
                Gender.MALE: 45,
                Gender.OTHER: 1,
                Gender.PREFER_NOT_TO_SAY: 3,
                None: 3,
            }
        )
        locale = {"RU": "ru", "BY": "ru", "UZ": "ru", "UA": self.pick({"uk": 7, "ru": 3})}.get(
            country, "en"
        )
        if rng.random() < 0.15:
            locale = site.orm.default_locale
        confirmed = fate != "no_profile" or rng.random() < 0.6
        person = self.person(
            site,
            self.name_of(country, gender),
            locale,
            registered,
            [(Role.PARTICIPANT, site.id, registered)],
            Role.PARTICIPANT,
            confirmed,
        )
        if fate == "no_profile":
            return
        # 18 on the day they registered, at most 30 today: eligible all along.
        youngest = registered_on.replace(year=registered_on.year - 18)
        oldest = site.today.replace(year=site.today.year - 31) + DAY
        birth = oldest + timedelta(days=rng.randrange(max((youngest - oldest).days, 1)))
        for day in (registered_on, site.today):
            problem = eligibility_problem(birth, site.orm, on=day)
            if problem:
                raise AssertionError(f"bench participant born {birth}: {problem}")
        started = min(registered + timedelta(hours=rng.randint(1, 72)), self.now)
        statuses = {"draft": ["draft"], "submitted": ["draft", "submitted"]}.get(
            fate, ["draft", "submitted", fate]
        )
        coordinator = self.coordinator(site).id
        comment = (
            rng.choice(texts.REVIEW_COMMENTS) if fate in {"changes_requested", "rejected"} else ""
        )
        moments = self.times(
            started, min(started + timedelta(days=rng.randint(4, 25)), self.now), len(statuses)
        )
        steps = [
            Step(
                status,
                coordinator if number == 2 else person.id,
                moment,
                comment if number == 2 else "",
            )
            for number, (status, moment) in enumerate(zip(statuses, moments, strict=True))
        ]
        spoken = []
        for language, levels, chance in texts.SPOKEN[country]:
            if rng.random() < chance and all(language != code for code, _level in spoken):
                spoken.append((language, rng.choice(levels)))
        permit = self.pick(
            {
                WorkPermit.HAS_PERMIT: 55,
                WorkPermit.NOT_NEEDED: 15,
                WorkPermit.APPLIED: 20,
                WorkPermit.NONE: 10,
            }
        )
        expires = None
        if permit == WorkPermit.HAS_PERMIT:
            expires = site.today + timedelta(days=rng.randint(-20, 900))
        reviewed = fate in {"approved", "changes_requested", "rejected"}
        support = []
        if fate == "approved":
            support = [
                kind
                for kind, chance in (
                    (Support.LANGUAGE, 0.8),
                    (Support.MENTORING, 0.7),
                    (Support.CAREER_SUPPORT, 0.4),
                    (Support.NON_FORMAL_EDUCATION, 0.3),
                )
                if rng.random() < chance
            ] or [Support.MENTORING]
        questionnaire = "submitted" if len(steps) > 1 else ("started" if rng.random() < 0.5 else "")
        answered_at = None
        if questionnaire:
            answered_at = (
                steps[1].at - timedelta(minutes=rng.randint(5, 600))
                if len(steps) > 1
                else self.between(started, self.now)
            )
            answered_at = max(answered_at, started)
        self.participants.append(
            Participant(
                id=self.ids("participant_profile"),
                person=person,
                site=site,
                steps=self.path("ParticipantProfile", steps),
                created=started,
                approved=steps[-1].at if fate == "approved" else None,
                date_of_birth=birth,
                gender=gender,
                country_of_origin=country,
                languages=spoken,
                local_language_level=self.pick({A1: 30, A2: 30, B1: 20, B2: 10, None: 10}),
                interests=rng.sample(list(Expertise), rng.randint(1, 3)),
                support=support,
                work_permit=permit,
                work_permit_expires_on=expires,
                heard_from=self.pick({h: 1 for h in HeardFrom} | {None: 1}),
                education=rng.choice(texts.EDUCATION),
                work_experience=rng.choice(texts.WORK_EXPERIENCE),
                interview_notes=rng.choice(texts.INTERVIEW_NOTES) if reviewed else "",
                review_comment=comment,
                questionnaire=questionnaire,
                answered_at=answered_at,
                funder_consent=rng.random() < 0.4,
                **self.matching_preferences(site, fate == "approved"),
            )
        )

    def matching_preferences(self, site, approved: bool) -> dict:
        """About a third of approved participants ask to be suggested; most give dates."""
        rng = self.rng
        if not approved or rng.random() >= 0.35:
            return {}
        start = site.today + timedelta(days=rng.randint(-30, 60))
        return {
            "suggest_me": True,
            "available_from": start if rng.random() < 0.8 else None,
            "available_until": start + timedelta(days=rng.randint(90, 400))
            if rng.random() < 0.6
            else None,
        }

    # Postings ------------------------------------------------------------------------------------

    def plan_postings(self) -> None:
        employers = [o for o in self.organisations if o.approved is not None]
        chosen = self.rng.choices(
            employers, weights=[o.weight for o in employers], k=self.counts["postings"]
        )
        chosen.sort(key=lambda organisation: organisation.id)
        for number, organisation in enumerate(chosen):
            first_of_bench = organisation is self.bench_organisation and (
                number == 0 or chosen[number - 1] is not organisation
            )
            self.postings.append(self.posting(organisation, first_of_bench))

    def posting(self, organisation: Organisation, busy: bool) -> Posting:
        rng = self.rng
        site = organisation.site
        kind = self.pick(
            {PostingKind.MENTORING: 40, PostingKind.JOB: 35, PostingKind.INTERNSHIP: 25}
        )
        area = self.pick(
            {
                Expertise.FRONT_OFFICE: 22,
                Expertise.HOUSEKEEPING: 20,
                Expertise.KITCHEN: 25,
                Expertise.SERVICE: 22,
                Expertise.MANAGEMENT: 6,
                Expertise.ENTREPRENEURSHIP: 5,
            }
        )
        local = site.orm.local_locale
        locale = self.pick({local: 50, "en": 27, "ru": 17, "uk": 6})
        if busy:
            kind, locale = PostingKind.JOB, "en"
        fate = self.pick(
            {
                "published": 42,
                "closed": 33,
                "draft": 7,
                "submitted": 7,
                "changes_requested": 5,
                "rejected": 6,
            }
        )
        if organisation.status == OrganisationStatus.SUSPENDED and fate in {
            "published",
            "submitted",
        }:
            fate = "closed"
        earliest = self.local_day(site, organisation.approved) + 2 * DAY
        if earliest > site.today:
            fate = "draft"  # approved only a day ago: its first posting is still a draft
        if busy:
            fate = "published"
        staff = organisation.staff()
        author = organisation.owner if rng.random() < 0.6 else rng.choice(staff)
        reason = None
        if fate == "closed":
            reason = self.pick(
                {ClosedReason.FILLED: 35, ClosedReason.DEADLINE: 45, ClosedReason.BY_OWNER: 20}
            )
            if earliest > site.today - timedelta(days=20):
                fate, reason = "published", None
        if fate in {"published", "closed"}:
            if fate == "published":
                published_on = min(max(earliest, self.days_ago(site, 1, 40)), site.today)
            else:
                published_on = earliest + timedelta(
                    days=rng.randrange(max((site.today - timedelta(days=20) - earliest).days, 1))
                )
            deadline = published_on + timedelta(days=rng.randint(14, 45))
            if fate == "published":
                deadline = max(deadline, site.today + DAY)
            elif reason == ClosedReason.DEADLINE:
                deadline = min(deadline, site.today - DAY)
            if fate == "published" and rng.random() < 0.05:
                deadline = None
            start = (deadline or max(site.today, published_on + 20 * DAY)) + timedelta(
                days=rng.randint(7, 30)
            )
        else:
            published_on = None
            start = site.today + timedelta(days=rng.randint(20, 90))
            deadline = start - timedelta(days=rng.randint(7, 19))
        end = {
            PostingKind.MENTORING: start + timedelta(days=rng.randint(42, 120)),
            PostingKind.INTERNSHIP: start + timedelta(days=rng.randint(28, 120)),
            PostingKind.JOB: None
            if rng.random() < 0.4
            else start + timedelta(days=rng.randint(90, 365)),
        }[kind]
        coordinator = self.coordinator(site).id
        comment = rng.choice(texts.REVIEW_COMMENTS)
        if published_on is not None:
            published = self.instant(site, published_on, 8, 17)
            created = max(
                published - timedelta(days=rng.randint(2, 10)), organisation.approved + HOUR
            )
            statuses = [("draft", author.id, ""), ("submitted", author.id, "")]
            if rng.random() < 0.1:
                statuses += [
                    ("changes_requested", coordinator, comment),
                    ("submitted", author.id, ""),
                ]
            statuses.append(("published", coordinator, ""))
            moments = self.times(created, published, len(statuses))
        else:
            created = self.instant(site, max(earliest, self.days_ago(site, 0, 60)))
            statuses = {
                "draft": [("draft", author.id, "")],
                "submitted": [("draft", author.id, ""), ("submitted", author.id, "")],
            }.get(
                fate,
                [
                    ("draft", author.id, ""),
                    ("submitted", author.id, ""),
                    (fate, coordinator, comment),
                ],
            )
            moments = self.times(created, min(created + 8 * DAY, self.now), len(statuses))
            published = None
        steps = [
            Step(status, actor, moment, why)
            for (status, actor, why), moment in zip(statuses, moments, strict=True)
        ]
        job = texts.AREA_JOBS[area][texts.TITLE_LANGUAGES.index(locale)]
        if kind == PostingKind.MENTORING and locale == "en":
            job = job.lower()
        title = texts.KIND_PATTERNS[kind.value][locale].format(job=job)
        if kind == PostingKind.JOB:
            title += rng.choice(texts.JOB_SUFFIXES[locale])
        description = f"{title}.\n\n{DESCRIPTIONS[locale]}"
        required = []
        if rng.random() < 0.7:
            required.append((local, rng.choice([A1, A2, A2, B1])))
        if rng.random() < 0.5 or locale == "en":
            required.append(("en", rng.choice([A2, B1, B1, B2])))
        if locale in {"ru", "uk"} and rng.random() < 0.7:
            required.append((locale, rng.choice([B1, B2])))
        seats = {
            PostingKind.MENTORING: self.pick({1: 50, 2: 30, 3: 20}),
            PostingKind.JOB: self.pick({1: 55, 2: 25, 3: 10, 5: 10}),
            PostingKind.INTERNSHIP: self.pick({1: 40, 2: 40, 4: 20}),
        }[kind]
        hours = {
            PostingKind.MENTORING: rng.randint(4, 12),
            PostingKind.JOB: rng.choice([20, 25, 30, 35, 40]),
            PostingKind.INTERNSHIP: rng.choice([20, 30, 40]),
        }[kind]
        posting = Posting(
            id=self.ids("posting"),
            organisation=organisation,
            site=site,
            kind=kind,
            area=area,
            title=title,
            description=description,
            content_locale=locale,
            seats=5 if busy else seats,
            hours_per_week=hours,
            work_permit_required=kind == PostingKind.JOB and not busy and rng.random() < 0.6,
            languages=list(dict(required).items()),
            start_date=start,
            end_date=end,
            application_deadline=deadline,
            steps=steps,
            published_at=published,
            closed_reason=reason,
            closed_at=None,
            created_by=author,
            review_comment=comment if fate in {"changes_requested", "rejected"} else "",
        )
        # The search text exactly as the site makes it (postings.services._search_text).
        posting.search_text = posting_search_text(
            SimpleNamespace(
                title=title,
                description=description,
                organisation=SimpleNamespace(name=organisation.name),
            )
        )
        if published is not None:
            age = max((self.now - published).days, 1)
            # A few postings draw many applicants, most a handful; new ones fewer so far.
            posting.weight = min(self.rng.paretovariate(1.5), 40) * min(age, 30) / 30
        if busy:
            self.busy_posting = posting
        return posting

    # Applications and placements -------------------------------------------------------------

    def plan_applications(self) -> None:
        ever_published = [p for p in self.postings if p.published_at is not None]
        self.plan_placement_counts(ever_published)
        if self.busy_posting is not None:
            # The busy posting: the most applicants of all, about 1,500 at scale 1.
            others = [p.weight for p in ever_published if p is not self.busy_posting]
            self.busy_posting.weight = max(2 * max(others, default=1), 0.0075 * sum(others))
        # Each placement began as an application; the others are shared out by popularity.
        others = self.counts["applications"] - sum(p.placements_planned for p in ever_published)
        shares = allocate(max(others, 0), {p.id: p.weight or 0.01 for p in ever_published})
        for posting in sorted(ever_published, key=lambda p: p.published_at):
            self.applications_for(posting, posting.placements_planned + shares[posting.id])
        # Some postings found fewer applicants than their share (few people approved in time):
        # the others take up the rest, the popular ones more often.
        missing = self.counts["applications"] - len(self.applications)
        if missing > 0 and ever_published:
            weights = [p.weight or 0.01 for p in ever_published]
            for posting in self.rng.choices(ever_published, weights=weights, k=3 * missing):
                missing -= self.more_applications(posting, 1, attempts=4)
                if missing <= 0:
                    break
        busy = self.busy_posting
        if busy is not None:
            most = max(p.applications for p in ever_published if p is not busy)
            self.more_applications(busy, most + 1 - busy.applications, attempts=20 * most)

    def plan_placement_counts(self, postings: list[Posting]) -> None:
        """How many places each posting fills: all of them when it closed full, otherwise
        fewer than it has (a posting whose last place is taken closes)."""
        target = self.counts["placements"]
        mentoring_sites = {m.site.id for m in self.mentors if m.approved is not None}
        filled = [p for p in postings if p.closed_reason == ClosedReason.FILLED]
        self.rng.shuffle(filled)
        while filled and sum(p.seats for p in filled) > 0.6 * target:
            self.demote(filled.pop())
        for posting in filled:
            if posting.kind == PostingKind.MENTORING and posting.site.id not in mentoring_sites:
                self.demote(posting)
            else:
                posting.placements_planned = posting.seats
        # The other places are filled here and there, more often in postings that have
        # closed (a posting still taking applications has mostly just begun).
        places = sorted(
            (
                (
                    self.rng.random() * (0.3 if posting.closed_reason is None else 1.0),
                    posting.id,
                    posting,
                )
                for posting in postings
                if posting.closed_reason != ClosedReason.FILLED
                and posting is not self.busy_posting
                and (posting.kind != PostingKind.MENTORING or posting.site.id in mentoring_sites)
                for _ in range(posting.seats - 1)
            ),
            reverse=True,
        )
        left = target - sum(p.placements_planned for p in postings)
        for _priority, _id, posting in places[: max(left, 0)]:
            posting.placements_planned += 1

    def demote(self, posting: Posting) -> None:
        """A posting planned to close full that will not: it closed at its deadline, or its
        owner closed it."""
        site = posting.site
        if posting.application_deadline and posting.application_deadline < site.today:
            posting.closed_reason = ClosedReason.DEADLINE
        else:
            posting.closed_reason = ClosedReason.BY_OWNER
        posting.placements_planned = min(posting.placements_planned, posting.seats - 1)

    def window_end(self, posting: Posting) -> datetime:
        """Until when people applied: now, or when the posting closed."""
        site = posting.site
        if posting.closed_reason == ClosedReason.DEADLINE:
            closing = at(site.orm, posting.application_deadline + DAY, 0)
            posting.closed_at = min(closing + timedelta(minutes=self.rng.randrange(60)), self.now)
        elif posting.closed_reason == ClosedReason.BY_OWNER:
            last = min(posting.application_deadline or site.today, site.today)
            posting.closed_at = self.between(posting.published_at + DAY, self.instant(site, last))
        elif posting.closed_reason == ClosedReason.FILLED:
            start = at(site.orm, posting.start_date, 8)
            posting.closed_at = self.between(posting.published_at + 5 * DAY, min(start, self.now))
        return posting.closed_at or self.now

    def applications_for(self, posting: Posting, wanted: int) -> None:
        site = posting.site
        closes = posting.closes = self.window_end(posting)
        # Applications are made while the posting is open: up to its deadline's last minute.
        until = closes
        if posting.application_deadline is not None:
            until = min(until, at(site.orm, posting.application_deadline + DAY, 0) - HOUR / 60)
        posting.apply_until = until
        placed = 0
        for number in range(posting.placements_planned):
            last = posting.closed_reason == ClosedReason.FILLED and number == 0
            if self.placement(posting, closes, until, posting.applicants, last) is not None:
                placed += 1
        if posting.closed_reason == ClosedReason.FILLED and placed < posting.seats:
            # Not every place found its person: the owner closed it at that moment instead.
            posting.closed_reason = ClosedReason.BY_OWNER
        posting.filled_seats = placed
        if posting.closed_reason is not None:
            closer = None
            if posting.closed_reason == ClosedReason.BY_OWNER:
                closer = posting.organisation.owner.id
            posting.steps.append(
                Step("closed", closer, posting.closed_at, posting.closed_reason.value)
            )
        self.path("Posting", posting.steps)
        self.more_applications(posting, wanted - placed, attempts=3 * wanted + 20)

    def more_applications(self, posting: Posting, wanted: int, attempts: int) -> int:
        """Up to ``wanted`` more applications to the posting; how many were made."""
        partners = [p for p in posting.site.partners if p.partner_since is not None]
        made = 0
        while made < wanted and attempts > 0:
            attempts -= 1
            home = posting.site
            if partners and self.rng.random() < 0.05:
                home = self.rng.choice(partners)
            participant = self.applicant(posting, home, posting.apply_until, posting.applicants)
            if participant is not None and self.application(
                posting, participant, posting.closes, posting.apply_until
            ):
                posting.applicants.add(participant.id)
                made += 1
        return made

    def applicant(self, posting: Posting, home: SiteInfo, until: datetime, taken: set[int]):
        """A participant approved before ``until`` at ``home`` who may apply to the posting."""
        count = bisect.bisect_right(home.pool_keys, (until - DAY).timestamp())
        if count == 0:
            return None
        participant = home.pool[self.rng.randrange(count)]
        if participant.id in taken:
            return None
        if posting.work_permit_required and not _permit_covers(participant, posting.start_date):
            return None
        return participant

    def terms(self, posting: Posting, offerer: Person, offered_at: datetime) -> OfferTerms:
        """The terms the offer form proposes (``proposed_terms``), answered by the day
        ``default_answer_by`` gives on the day of the offer."""
        key = (posting.id, offerer.id)
        if key not in self._terms:
            application = SimpleNamespace(
                has_offer_terms=False,
                posting=SimpleNamespace(
                    site=posting.site.orm,
                    start_date=posting.start_date,
                    end_date=posting.end_date,
                    hours_per_week=posting.hours_per_week,
                    location=posting.location,
                    city=posting.city,
                ),
            )
            actor = SimpleNamespace(display_name=offerer.name, email=offerer.email)
            self._terms[key] = proposed_terms(actor, application)
        terms = self._terms[key]
        offer_day = self.local_day(posting.site, offered_at)
        return replace(terms, answer_by=default_answer_by(terms.start_date, offer_day))

    def offerer(self, posting: Posting, mentor: Mentor | None) -> Person:
        """The employer's staff offer; a coordinator when the mentor is not one of theirs."""
        own = mentor is None or (mentor.organisation is posting.organisation and mentor.confirmed)
        if own and self.rng.random() < 0.9:
            return self.rng.choice(posting.organisation.staff())
        return self.coordinator(posting.site)

    def choose_mentor(
        self,
        posting: Posting,
        offered_at: datetime,
        busy_from=None,
        busy_until=None,
        free_now: bool = False,
    ) -> Mentor | None:
        """An approved mentor of the site with a weekly time during the posting, approved
        before the offer; for a placement, one with room for the whole of it."""
        site_mentors = posting.site.mentors
        if not site_mentors:
            return None
        own = [m for m in site_mentors if m.organisation is posting.organisation and m.confirmed]
        candidates = own + [self.rng.choice(site_mentors) for _ in range(25)]
        for mentor in candidates:
            if mentor.approved > offered_at or not mentor.covers(
                posting.start_date, posting.end_date
            ):
                continue
            if free_now and (mentor.paused or mentor.active >= mentor.max_mentees):
                continue
            if busy_from is not None and not mentor.has_room(busy_from, busy_until):
                continue
            return mentor
        return None

    def placement(
        self, posting: Posting, closes: datetime, until: datetime, taken: set[int], last: bool
    ) -> Placement | None:
        """One of the posting's places, filled: an application through every step to approval,
        and the placement it became. ``last`` takes the final place, at the moment it closed."""
        site = posting.site
        latest = min(closes, at(site.orm, posting.start_date, 8), self.now)
        for _attempt in range(20):
            participant = self.applicant(posting, site, min(until, latest - DAY), taken)
            if participant is None or participant.placed:
                continue
            lower = max(posting.published_at, participant.approved + HOUR)
            if min(until, latest) - lower < 2 * DAY:
                continue
            applied_at = self.between(lower, min(until, latest - DAY))
            approved_at = latest if last else self.between(applied_at + DAY, latest)
            moments = self.times(applied_at, approved_at, 5)
            status, ended_on, reason, ended = self.placement_fate(posting)
            mentor = None
            if posting.kind == PostingKind.MENTORING:
                busy_until = None if ended_on is None else at(site.orm, ended_on, 17)
                mentor = self.choose_mentor(posting, moments[2], approved_at, busy_until)
                if mentor is None:
                    continue
                mentor.busy.append((approved_at, busy_until))
                if status == PlacementStatus.ACTIVE:
                    mentor.active += 1
            application = self.new_application(
                posting,
                participant,
                ["submitted", "shortlisted", "offered", "accepted", "approved"],
                moments,
                mentor,
                MentorResponse.ACCEPTED,
            )
            placement = Placement(
                id=self.ids("placement"),
                application=application,
                mentor=mentor,
                approved_at=approved_at,
                status=status,
                ended_on=ended_on,
                end_reason=reason,
                steps=[],
            )
            if ended:
                manager = self.rng.choice(posting.organisation.staff() + site.coordinators)
                ended_at = min(max(at(site.orm, ended_on, 17), approved_at), self.now)
                placement.steps = [Step(status, manager.id, ended_at, reason)]
                self.path("Placement", placement.steps, start=PlacementStatus.ACTIVE)
                self.outcome(placement, manager)
            participant.placed = True
            taken.add(participant.id)
            self.placements.append(placement)
            return placement
        return None

    def placement_fate(self, posting: Posting):
        """(status, ended on, reason for ending early, whether it has ended)."""
        rng, today = self.rng, posting.site.today
        start, end = posting.start_date, posting.end_date
        if end is not None and end < today:
            if rng.random() < 0.88:
                return (
                    PlacementStatus.COMPLETED,
                    min(end + timedelta(days=rng.randint(0, 5)), today),
                    "",
                    True,
                )
            span = max((end - start).days - 7, 1)
            ended = start + timedelta(days=7 + rng.randrange(span))
            return PlacementStatus.ENDED_EARLY, ended, rng.choice(texts.END_REASONS), True
        if start + timedelta(days=7) <= today and rng.random() < 0.08:
            ended = start + timedelta(days=7 + rng.randrange((today - start).days - 6))
            return PlacementStatus.ENDED_EARLY, ended, rng.choice(texts.END_REASONS), True
        return PlacementStatus.ACTIVE, None, "", False

    def outcome(self, placement: Placement, manager: Person) -> None:
        rng, today = self.rng, placement.application.posting.site.today
        if placement.status == PlacementStatus.COMPLETED:
            outcome = self.pick(
                {
                    Outcome.JOB_OFFER: 28,
                    Outcome.HIRED: 15,
                    Outcome.FURTHER_STUDY: 10,
                    Outcome.NONE: 17,
                    None: 30,
                }
            )
        else:
            outcome = self.pick({Outcome.NONE: 30, None: 70})
        if outcome is None:
            return
        placement.outcome, placement.outcome_by = outcome, manager
        if outcome in {Outcome.JOB_OFFER, Outcome.HIRED, Outcome.FURTHER_STUDY}:
            placement.outcome_date = min(
                placement.ended_on + timedelta(days=rng.randint(0, 45)), today
            )
        if outcome == Outcome.JOB_OFFER:
            placement.job_offer_accepted = rng.random() < 0.6

    def application(
        self, posting: Posting, participant: Participant, closes: datetime, until: datetime
    ) -> bool:
        """One more application to the posting, in a status its state allows: waiting, being
        answered or answered while it is open; answered or expired once it has closed."""
        lower = max(posting.published_at, participant.approved + HOUR)
        if participant.site is not posting.site:
            lower = max(lower, posting.site.partner_since or self.now)
        if until - lower < 2 * HOUR:
            return False
        if posting.closed_reason is None:
            free = posting.seats - posting.filled_seats - posting.offers_open
            fate = self.pick(
                {
                    "submitted": 46,
                    "shortlisted": 18,
                    "offered": 4,
                    "accepted": 2,
                    "declined": 15,
                    "withdrawn": 12,
                    "offer_declined": 3,
                }
            )
            if fate in {"offered", "accepted"} and free <= 0:
                fate = "shortlisted"
        else:
            fate = self.pick({"expired": 42, "declined": 36, "withdrawn": 14, "offer_declined": 8})
        limit = participant.site.orm.max_open_applications
        if fate in OPEN_STATUSES and participant.open_count >= limit:
            fate = "withdrawn"
        earlier = {
            "declined": {
                ("submitted",): 6,
                ("submitted", "shortlisted"): 3,
                ("submitted", "shortlisted", "offered"): 1,
            },
            "withdrawn": {
                ("submitted",): 6,
                ("submitted", "shortlisted"): 3,
                ("submitted", "shortlisted", "offered"): 1,
            },
            "expired": {("submitted",): 7, ("submitted", "shortlisted"): 3},
        }
        statuses = {
            "submitted": ["submitted"],
            "shortlisted": ["submitted", "shortlisted"],
            "offered": ["submitted", "shortlisted", "offered"],
            "accepted": ["submitted", "shortlisted", "offered", "accepted"],
            "offer_declined": ["submitted", "shortlisted", "offered", "offer_declined"],
        }.get(fate) or [*self.pick(earlier[fate]), fate]
        applied_at = self.between(lower, until - HOUR)
        finished_at = closes if fate == "expired" else self.between(applied_at, closes)
        moments = self.times(applied_at, finished_at, len(statuses))
        mentor = response = None
        if posting.kind == PostingKind.MENTORING and "offered" in statuses:
            offered = statuses.index("offered")
            mentor = self.choose_mentor(posting, moments[offered], free_now=fate in OPEN_STATUSES)
            if mentor is None:
                # No mentor to name, so no offer: still on the shortlist, or answered there.
                statuses = statuses[:offered]
                if fate in {"declined", "withdrawn", "offer_declined"}:
                    statuses.append("withdrawn" if fate == "offer_declined" else fate)
                moments = self.times(applied_at, finished_at, len(statuses))
            else:
                response = self.pick(
                    {
                        "offered": {
                            MentorResponse.PENDING: 5,
                            MentorResponse.ACCEPTED: 4,
                            MentorResponse.DECLINED: 1,
                        },
                        "accepted": {MentorResponse.PENDING: 3, MentorResponse.ACCEPTED: 7},
                    }.get(fate, {MentorResponse.PENDING: 4, MentorResponse.ACCEPTED: 6})
                )
        application = self.new_application(
            posting, participant, statuses, moments, mentor, response
        )
        if application.status in {"offered", "accepted"}:
            posting.offers_open += 1
        if application.status == "declined":
            application.decline_reason = self.pick({reason: 1 for reason in DeclineReason})
            application.decline_note = self.rng.choice(texts.DECLINE_NOTES)
            application.steps[-1].reason = application.decline_reason.value
        return True

    def new_application(
        self,
        posting: Posting,
        participant: Participant,
        statuses: list[str],
        moments: list[datetime],
        mentor: Mentor | None,
        response: MentorResponse | None,
    ) -> Application:
        offerer = self.offerer(posting, mentor) if "offered" in statuses else None
        reviewer = offerer or self.rng.choice(posting.organisation.staff())
        actors = {
            "submitted": participant.person,
            "accepted": participant.person,
            "withdrawn": participant.person,
            "offer_declined": participant.person,
            "shortlisted": reviewer,
            "offered": offerer,
            "declined": reviewer,
            "approved": self.coordinator(posting.site),
            "expired": None,
        }
        steps = [
            Step(status, actors[status].id if actors[status] else None, moment)
            for status, moment in zip(statuses, moments, strict=True)
        ]
        application = Application(
            id=self.ids("application"),
            participant=participant,
            posting=posting,
            steps=self.path("Application", steps),
            motivation=self.rng.choice(MOTIVATIONS),
        )
        if offerer is not None:
            application.terms = self.terms(posting, offerer, steps[statuses.index("offered")].at)
            if posting.kind == PostingKind.MENTORING:
                application.mentor, application.mentor_response = mentor, response
                if response == MentorResponse.DECLINED:
                    application.mentor_decline_reason = self.pick(
                        {reason: 1 for reason in MentorDeclineReason}
                    )
        if application.status in OPEN_STATUSES:
            participant.open_count += 1
        participant.applications += 1
        posting.applications += 1
        self.applications.append(application)
        return application

    # The accounts the web benchmark logs in with ------------------------------------------------

    def choose_bench_people(self) -> dict:
        """A participant of Riga with applications (and a running mentoring placement, if one
        has), a mentoring placement that has run a while, its mentor; they get the benchmark's
        e-mail addresses."""
        riga = self.by_slug["riga"]
        weeks_ago = riga.today - timedelta(days=14)

        def rank(placement: Placement):
            posting = placement.application.posting
            return (
                posting.site is riga,
                placement.status == PlacementStatus.ACTIVE,
                posting.start_date < weeks_ago,
                -posting.start_date.toordinal(),  # the longest running: the most sessions
                -placement.id,
            )

        mentoring = [p for p in self.placements if p.mentor is not None]
        running = {
            p.application.participant.id: p for p in mentoring if rank(p)[:3] == (True, True, True)
        }
        participant = max(
            [p for p in riga.pool if p.applications] or riga.pool,
            key=lambda p: (p.id in running, min(p.applications, 8), p.open_count, -p.id),
        )
        placement = running.get(participant.id) or max(mentoring, key=rank, default=None)
        if placement is not None:
            mentor = placement.mentor
        else:
            mentor = max(
                self.mentors, key=lambda m: (m.site is riga, m.approved is not None, m.active)
            )
        participant.person.email = "bench-participant@example.org"
        mentor.person.email = "bench-mentor@example.org"
        return {"participant": participant, "mentor": mentor, "placement": placement}
