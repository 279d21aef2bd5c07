"""Certificates: the snapshot of what a participant completed, its verification code, and the
public check of a code.

The period runs from the participant's first dated activity to the last one (training attended,
confirmed mentoring session, event attended, placement), never past the day of issue: it is the
time in which the hours beside it were done. The approval of the profile or the day of issue
would stretch it over months in which nothing happened (waiting for a placement, or a
certificate asked for long after the end). Someone with no activity yet gets the days from the
approval of their profile to the day of issue.

A re-issue makes a new certificate. The older one stays valid: it was true on the day it was
issued, and a paper its holder already gave an employer must not turn into a forgery overnight.
Its public page says that a newer one exists, so the employer can ask the holder for it.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.certificates.models import CODE_LENGTH, Certificate
from marketplace.db import utcnow
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile, ProfileStatus
from marketplace.placements.models import MentoringSession, Placement, SessionStatus
from marketplace.plans.models import Measure
from marketplace.plans.services import hours_done
from marketplace.postings.models import PostingKind
from marketplace.sites.clock import today_at
from marketplace.training.models import Enrolment, TrainingSession
from marketplace.workflow.models import StatusChange

# Verification codes ------------------------------------------------------------------------------

# Crockford's base 32: digits and capitals without I, L, O and U, so that no character reads as
# another aloud or on paper. Twelve of them are 60 random bits: far too many to guess, even
# before the rate limit on lookups (certificates/limits.py).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP = 4
# What people type for what they read: the letters Crockford reads as digits, and Cyrillic
# capitals that look like Latin ones (a code typed with a Russian or Ukrainian keyboard layout).
LOOKALIKES = str.maketrans(
    {
        "O": "0", "I": "1", "L": "1",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "0", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "У": "Y",
    }
)  # fmt: skip
# Longer input is not a code, however it is spaced: refused before any work.
LONGEST_TYPED = 40


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def normalised(typed: str) -> str | None:
    """The stored form of a code as a person typed it (any case, with spaces, dashes or
    look-alike letters), or None when it cannot be a code."""
    if len(typed) > LONGEST_TYPED:
        return None
    text = unicodedata.normalize("NFKC", typed).upper().translate(LOOKALIKES)
    code = "".join(character for character in text if character.isalnum())
    if len(code) != CODE_LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def formatted(code: str) -> str:
    """``K7QM2XWP94RT`` as ``K7QM-2XWP-94RT``: easier to read aloud and to copy."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


# The snapshot ------------------------------------------------------------------------------------

TRAINING = [measure for measure in Measure if measure.training_category is not None]


@dataclass(frozen=True)
class PlacementLine:
    organisation: str
    posting: str
    kind: PostingKind
    start: date
    end: date | None  # None: still going on when the certificate was issued


@dataclass(frozen=True)
class Snapshot:
    """What a certificate says, in no language: labels are given when it is shown."""

    holder: str
    site: str
    issued_on: date
    issued_by: str  # empty in a preview
    start: date
    end: date
    minutes: dict[Measure, int]  # only the measures with time
    events_attended: int
    placements: tuple[PlacementLine, ...]

    @property
    def hours(self) -> list[tuple[Measure, float]]:
        """Hours per training category, then workplace mentoring and events, as the plan
        lists them."""
        return [(m, self.minutes[m] / 60) for m in Measure if self.minutes.get(m)]

    @property
    def training_hours(self) -> float:
        return sum(self.minutes.get(measure, 0) for measure in TRAINING) / 60

    @property
    def mentoring_hours(self) -> float:
        return self.minutes.get(Measure.WORKPLACE_MENTORING, 0) / 60

    @property
    def total_hours(self) -> float:
        return sum(self.minutes.values()) / 60

    def to_json(self) -> dict:
        return {
            "format": 1,
            "holder": self.holder,
            "site": self.site,
            "issued_on": self.issued_on.isoformat(),
            "issued_by": self.issued_by,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "minutes": {measure.value: value for measure, value in self.minutes.items()},
            "events_attended": self.events_attended,
            "placements": [
                {
                    "organisation": line.organisation,
                    "posting": line.posting,
                    "kind": line.kind.value,
                    "start": line.start.isoformat(),
                    "end": line.end.isoformat() if line.end else None,
                }
                for line in self.placements
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> Snapshot:
        return cls(
            holder=data["holder"],
            site=data["site"],
            issued_on=date.fromisoformat(data["issued_on"]),
            issued_by=data["issued_by"],
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            minutes={Measure(key): value for key, value in data["minutes"].items()},
            events_attended=data["events_attended"],
            placements=tuple(
                PlacementLine(
                    organisation=line["organisation"],
                    posting=line["posting"],
                    kind=PostingKind(line["kind"]),
                    start=date.fromisoformat(line["start"]),
                    end=date.fromisoformat(line["end"]) if line["end"] else None,
                )
                for line in data["placements"]
            ),
        )


def _placement_end(placement: Placement, today: date) -> date | None:
    end = placement.ended_on or placement.end_date
    return end if end is not None and end <= today else None


def _placements_started(profile: ParticipantProfile, today: date) -> list[Placement]:
    """Placements that had begun by ``today``: one approved for later is not yet done."""
    return list(
        db.session.scalars(
            sa.select(Placement)
            .where(Placement.participant_id == profile.id, Placement.start_date <= today)
            .options(sa.orm.joinedload(Placement.organisation))
            .order_by(Placement.start_date, Placement.id)
        )
    )


def _events_attended(profile: ParticipantProfile) -> list[Event]:
    return list(
        db.session.scalars(
            sa.select(Event)
            .join(Rsvp)
            .where(Rsvp.user_id == profile.user_id, Rsvp.attended.is_(True))
        )
    )


def _activity_days(
    profile: ParticipantProfile, placements: list[Placement], events: list[Event], today: date
) -> list[date]:
    training = (
        sa.select(TrainingSession.held_on)
        .join(Enrolment)
        .where(Enrolment.participant_id == profile.id, Enrolment.attended.is_(True))
    )
    mentoring = (
        sa.select(MentoringSession.held_on)
        .join(Placement)
        .where(
            Placement.participant_id == profile.id,
            MentoringSession.status == SessionStatus.CONFIRMED,
        )
    )
    days = [*db.session.scalars(training), *db.session.scalars(mentoring)]
    days += [event.starts_at.astimezone(event.site.zone).date() for event in events]
    for placement in placements:
        days += [placement.start_date, _placement_end(placement, today) or today]
    return [day for day in days if day <= today]


def _approval_day(profile: ParticipantProfile) -> date:
    approved_at = db.session.scalar(
        sa.select(StatusChange.created_at)
        .where(
            StatusChange.object_type == type(profile).__name__,
            StatusChange.object_id == profile.id,
            StatusChange.to_status == ProfileStatus.APPROVED,
        )
        .order_by(StatusChange.id.desc())
        .limit(1)
    )
    return (approved_at or profile.created_at).astimezone(profile.site.zone).date()


def take_snapshot(profile: ParticipantProfile, issued_by: User | None, now: datetime) -> Snapshot:
    """What the participant has done up to ``now``, from the same figures as their plan's
    progress: training attended per category, confirmed mentoring sessions, events attended."""
    today = today_at(profile.site, now)
    placements = _placements_started(profile, today)
    events = _events_attended(profile)
    days = _activity_days(profile, placements, events, today)
    minutes = {m: round(hours * 60) for m, hours in hours_done(profile).items() if hours > 0}
    return Snapshot(
        holder=profile.user.display_name,
        site=profile.site.name,
        issued_on=today,
        issued_by=issued_by.display_name if issued_by else "",
        start=min(days) if days else min(_approval_day(profile), today),
        end=max(days) if days else today,
        minutes=minutes,
        events_attended=len(events),
        placements=tuple(
            PlacementLine(
                organisation=placement.organisation.name,
                posting=placement.posting.title,
                kind=PostingKind(placement.posting.kind),
                start=placement.start_date,
                end=_placement_end(placement, today),
            )
            for placement in placements
        ),
    )


def preview(profile: ParticipantProfile) -> Snapshot:
    """The certificate as it would be issued now, for the page before it is issued."""
    return take_snapshot(profile, None, utcnow())


def record(actor: User, profile: ParticipantProfile) -> Certificate:
    """A new certificate of what the participant has done until now. The caller checks that
    ``actor`` may issue it, and audits, notifies and commits."""
    now = utcnow()
    certificate = Certificate(
        participant=profile,
        code=new_code(),
        issued_at=now,
        issued_by=actor,
        snapshot=take_snapshot(profile, actor, now).to_json(),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def snapshot_of(certificate: Certificate) -> Snapshot:
    return Snapshot.from_json(certificate.snapshot)


# Queries ------------------------------------------------------------------------------------------


def latest_for(profile: ParticipantProfile) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate)
        .where(Certificate.participant_id == profile.id)
        .order_by(Certificate.id.desc())
        .limit(1)
    )


def find(typed: str) -> Certificate | None:
    """The certificate with the code as a person typed it, or None."""
    code = normalised(typed)
    if code is None:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


def newest_replacing(certificate: Certificate) -> Certificate | None:
    """The latest certificate issued to the same person after this one, if any."""
    return db.session.scalar(
        sa.select(Certificate)
        .where(
            Certificate.participant_id == certificate.participant_id,
            Certificate.id > certificate.id,
        )
        .order_by(Certificate.id.desc())
        .limit(1)
    )
