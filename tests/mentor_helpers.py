"""Building mentors through the services, as people would."""

from datetime import time, timedelta

from marketplace.languages import CefrLevel
from marketplace.mentors import services
from marketplace.mentors.models import Expertise
from tests.clock import site_today


def make_mentor(
    app,
    user,
    coordinator=None,
    *,
    languages=(("lv", CefrLevel.C1),),
    expertise=(Expertise.KITCHEN,),
    organisation=None,
    max_mentees=2,
    windows=((1, time(9), time(12)),),
    approve=True,
):
    """A mentor profile with weekly windows for the next half year, approved by ``coordinator``."""
    with app.test_request_context():
        profile = services.save_profile(
            user,
            bio="",
            max_mentees=max_mentees,
            expertise=list(expertise),
            languages=list(languages),
            organisation=organisation,
        )
        start = site_today() - timedelta(days=7)
        for weekday, begins, ends in windows:
            services.add_window(
                user, profile, weekday, begins, ends, start, start + timedelta(days=180)
            )
        if approve:
            services.submit(user, profile)
            services.review(coordinator, profile, "approved")
    return profile
