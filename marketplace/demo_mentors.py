"""Demo mentor profiles with weekly times and a holiday, at both sites."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.mentors.models import (
    AvailabilityWindow,
    Expertise,
    MentorExpertise,
    MentorLanguage,
    MentorProfile,
    Unavailability,
)
from marketplace.mentors.services import WORKFLOW
from marketplace.organisations.models import Organisation
from marketplace.sites.clock import today_at
from marketplace.workflow.services import transition

# (e-mail, organisation or None, areas, languages, weekly (weekday, from, until), max mentees)
MENTORS = [
    ("mentor.riga@example.org", "Viesnīca Baltā Pērle", [Expertise.FRONT_OFFICE, Expertise.SERVICE],
     [("lv", CefrLevel.NATIVE), ("ru", CefrLevel.C1), ("en", CefrLevel.B2)],
     [(1, time(9), time(12)), (3, time(14), time(17))], 3),
    ("mentor.linkoping@example.org", None, [Expertise.KITCHEN, Expertise.ENTREPRENEURSHIP],
     [("sv", CefrLevel.NATIVE), ("en", CefrLevel.C1)],
     [(0, time(13), time(16))], 2),
]  # fmt: skip


# The demo's mentors have met their mentees for weeks already (see demo_placements).
MENTORING_SINCE = timedelta(days=120)


def load_mentors() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(MentorProfile)):
        return
    for email, organisation_name, areas, languages, weekly, max_mentees in MENTORS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        today = today_at(user.site)
        organisation = db.session.scalar(
            sa.select(Organisation).where(Organisation.name == organisation_name)
        )
        profile = MentorProfile(
            user=user, site_id=user.site_id, organisation=organisation,
            organisation_confirmed=organisation is not None, max_mentees=max_mentees,
            bio="Twenty years in Riga's and Linköping's hotels. I like to explain things slowly.",
            expertise=[MentorExpertise(area=area) for area in areas],
            languages=[MentorLanguage(language=c, level=level) for c, level in languages],
            windows=[
                AvailabilityWindow(weekday=day, start_time=start, end_time=end,
                                   valid_from=today - MENTORING_SINCE,
                                   valid_until=today + timedelta(days=180))
                for day, start, end in weekly
            ],
            unavailable=[Unavailability(starts_on=today + timedelta(days=40),
                                        ends_on=today + timedelta(days=50), note="Holiday")],
            status=None,
        )  # fmt: skip
        db.session.add(profile)
        for status in ("draft", "submitted", "approved"):
            transition(profile, status, allowed=WORKFLOW.edges, actor=user, site_id=user.site_id)
    db.session.commit()
