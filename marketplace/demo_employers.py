"""Demo organisations and postings in every state, so each screen has something to show."""

from __future__ import annotations

import zlib
from datetime import timedelta

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.mentors.models import Expertise
from marketplace.organisations.models import MemberRole, Organisation, OrganisationMember, Sector
from marketplace.organisations.services import WORKFLOW as ORGANISATION_WORKFLOW
from marketplace.postings.models import (
    ClosedReason,
    Posting,
    PostingArea,
    PostingKind,
    PostingLanguage,
)
from marketplace.postings.services import WORKFLOW as POSTING_WORKFLOW
from marketplace.search import normalise_for_search
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site
from marketplace.workflow.services import transition

# Steps a coordinator takes; the others are the employer's.
COORDINATOR_STEPS = {"approved", "rejected", "suspended", "published", "changes_requested"}
COORDINATORS = {"riga": "coordinator.riga@example.org",
                "linkoping": "coordinator.linkoping@example.org"}  # fmt: skip

# (name, site, city, sector, owner e-mail, other staff, path of statuses, reason)
ORGANISATIONS = [
    ("Viesnīca Baltā Pērle", "riga", "Rīga", Sector.HOTEL, "hotel.riga@example.org",
     ["mentor.riga@example.org"], ["pending", "approved"], ""),
    ("Restorāns Daugava", "riga", "Rīga", Sector.RESTAURANT, "mentor.riga@example.org",
     [], ["pending"], ""),
    ("Hotell Stångån", "linkoping", "Linköping", Sector.HOTEL, "hotel.linkoping@example.org",
     [], ["pending", "approved"], ""),
    ("Kafé Gamla Linköping", "linkoping", "Linköping", Sector.RESTAURANT,
     "hotel.linkoping@example.org", [], ["pending", "rejected"],
     "The registration number does not match the business register."),
]  # fmt: skip

# (organisation, kind, title, content language, hours, seats, languages, statuses, comment).
# Each posting is written in its content language; the ones with one seat host the placements
# of demo_placements (their dates move into the past there, once the placement is approved).
POSTINGS = [
    ("Viesnīca Baltā Pērle", PostingKind.MENTORING, "Mentorings viesnīcas recepcijā", "lv", 10, 3,
     [("lv", CefrLevel.A2), ("en", CefrLevel.B1)], ["draft", "submitted", "published"], ""),
    ("Viesnīca Baltā Pērle", PostingKind.JOB, "Повар в ресторане отеля", "ru", 40, 1,
     [("ru", CefrLevel.B1), ("lv", CefrLevel.A1)], ["draft", "submitted", "published"], ""),
    ("Viesnīca Baltā Pērle", PostingKind.INTERNSHIP, "Housekeeping internship", "en", 30, 2,
     [("en", CefrLevel.A2)], ["draft", "submitted", "changes_requested"],
     "Please say which weeks the internship runs."),
    ("Viesnīca Baltā Pērle", PostingKind.JOB, "Bārmenis vakara maiņā", "lv", 25, 1,
     [("lv", CefrLevel.B1)], ["draft"], ""),
    ("Viesnīca Baltā Pērle", PostingKind.JOB, "Пробні зміни на рецепції готелю", "uk", 20, 2,
     [("en", CefrLevel.B1), ("lv", CefrLevel.A1)], ["draft", "submitted", "published"], ""),
    ("Viesnīca Baltā Pērle", PostingKind.MENTORING, "Mentorings viesnīcas restorānā", "lv", 8, 1,
     [("lv", CefrLevel.A1), ("ru", CefrLevel.B1)], ["draft", "submitted", "published"], ""),
    ("Viesnīca Baltā Pērle", PostingKind.INTERNSHIP, "Restaurant service internship", "en", 30, 1,
     [("en", CefrLevel.B1)], ["draft", "submitted", "published"], ""),
    ("Hotell Stångån", PostingKind.INTERNSHIP, "Praktik i hotellets kök", "sv", 30, 2,
     [("sv", CefrLevel.A2)], ["draft", "submitted", "published"], ""),
    ("Hotell Stångån", PostingKind.MENTORING, "Mentorskap i receptionen", "sv", 8, 2,
     [("sv", CefrLevel.A1), ("en", CefrLevel.B1)], ["draft", "submitted"], ""),
    ("Hotell Stångån", PostingKind.JOB, "Frukostvärd", "sv", 20, 1,
     [("sv", CefrLevel.B1)], ["draft", "submitted", "rejected"],
     "Please describe the working hours and the pay."),
    ("Hotell Stångån", PostingKind.JOB, "Servitör till sommarsäsongen", "sv", 35, 2,
     [("sv", CefrLevel.A2)], ["draft", "submitted", "published", "closed"], ""),
    ("Hotell Stångån", PostingKind.MENTORING, "Mentorskap på hotellets städavdelning", "sv", 8, 1,
     [("sv", CefrLevel.A1), ("en", CefrLevel.B1)], ["draft", "submitted", "published"], ""),
    ("Hotell Stångån", PostingKind.JOB, "Night receptionist (English-speaking)", "en", 20, 1,
     [("en", CefrLevel.B2), ("sv", CefrLevel.A2)], ["draft", "submitted", "published"], ""),
]  # fmt: skip

# The work areas each posting's employer chose (matching compares them with interests).
AREAS = {
    "Mentorings viesnīcas recepcijā": [Expertise.FRONT_OFFICE],
    "Повар в ресторане отеля": [Expertise.KITCHEN],
    "Housekeeping internship": [Expertise.HOUSEKEEPING],
    "Bārmenis vakara maiņā": [Expertise.SERVICE],
    "Пробні зміни на рецепції готелю": [Expertise.FRONT_OFFICE],
    "Mentorings viesnīcas restorānā": [Expertise.SERVICE, Expertise.KITCHEN],
    "Restaurant service internship": [Expertise.SERVICE],
    "Praktik i hotellets kök": [Expertise.KITCHEN],
    "Mentorskap i receptionen": [Expertise.FRONT_OFFICE],
    "Frukostvärd": [Expertise.SERVICE],
    "Servitör till sommarsäsongen": [Expertise.SERVICE],
    "Mentorskap på hotellets städavdelning": [Expertise.HOUSEKEEPING],
    "Night receptionist (English-speaking)": [Expertise.FRONT_OFFICE],
}

DESCRIPTIONS = {
    "en": "You learn the daily work in a busy hotel with an experienced colleague at your side. "
    "We explain everything slowly and show it first. Work clothes and lunch are included.",
    "lv": "Jūs apgūstat ikdienas darbu rosīgā viesnīcā kopā ar pieredzējušu kolēģi. "
    "Mēs visu izskaidrojam lēnām un vispirms parādām. Darba apģērbs un pusdienas ir iekļautas.",
    "sv": "Du lär dig det dagliga arbetet på ett livligt hotell med en erfaren kollega vid din "
    "sida. Vi förklarar allt i lugn takt och visar först. Arbetskläder och lunch ingår.",
    "ru": "Вы осваиваете повседневную работу в оживлённом отеле рядом с опытным коллегой. "
    "Мы всё спокойно объясняем и сначала показываем. Рабочая одежда и обед предоставляются.",
    "uk": "Ви опановуєте щоденну роботу в жвавому готелі поруч із досвідченим колегою. "
    "Ми все спокійно пояснюємо й спершу показуємо. Робочий одяг і обід надаються.",
}


def load_employers() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)):
        return
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    sites = {s.slug: s for s in db.session.scalars(sa.select(Site))}
    organisations = {}
    for name, site, city, sector, owner, staff, path, reason in ORGANISATIONS:
        organisation = Organisation(
            name=name, sector=sector, registration_number=f"40{zlib.crc32(name.encode()):09d}"[:11],
            address="Brīvības iela 1" if site == "riga" else "Storgatan 1", city=city,
            site=sites[site], contact_name=users[owner].display_name, contact_email=owner,
            status=None,
        )  # fmt: skip
        organisation.members.append(
            OrganisationMember(user=users[owner], role=MemberRole.OWNER, approved=True)
        )
        for email in staff:
            organisation.members.append(OrganisationMember(user=users[email], approved=True))
        db.session.add(organisation)
        for status in path:
            actor = users[COORDINATORS[site] if status in COORDINATOR_STEPS else owner]
            transition(
                organisation,
                status,
                allowed=ORGANISATION_WORKFLOW.edges,
                actor=actor,
                site_id=organisation.site_id,
                reason=reason if status == "rejected" else "",
            )
        organisation.status_reason, organisation.status_changed_at = reason, utcnow()
        organisations[name] = organisation

    for number, (org, kind, title, locale, hours, seats, languages, path, comment) in enumerate(
        POSTINGS
    ):
        organisation = organisations[org]
        description = f"{title}.\n\n{DESCRIPTIONS[locale]}"
        today = today_at(organisation.site)
        posting = Posting(
            organisation=organisation, site_id=organisation.site_id, city=organisation.city,
            kind=kind, title=title, description=description, content_locale=locale,
            location=organisation.address, start_date=today + timedelta(days=30 + 7 * number),
            end_date=today + timedelta(days=120 + 7 * number), hours_per_week=hours, seats=seats,
            application_deadline=today + timedelta(days=20 + number), status=None,
            languages=[PostingLanguage(language=c, min_level=level) for c, level in languages],
            areas=[PostingArea(area=area) for area in AREAS[title]],
            search_text=normalise_for_search(f"{title} {description} {organisation.name}"),
        )  # fmt: skip
        db.session.add(posting)
        owner = organisation.members[0].user
        coordinator = users[COORDINATORS[organisation.site.slug]]
        for status in path:
            actor = coordinator if status in COORDINATOR_STEPS else owner
            transition(
                posting,
                status,
                allowed=POSTING_WORKFLOW.edges,
                actor=actor,
                site_id=posting.site_id,
                reason=comment if status in {"rejected", "changes_requested"} else "",
            )
            if status == "published":
                posting.published_at = utcnow() - timedelta(days=len(POSTINGS) - number)
            if status == "closed":
                posting.closed_reason = ClosedReason.BY_OWNER
        posting.review_comment = comment
    db.session.commit()
