"""Who may use every route, exercised: every route, every kind of visitor, every method, against
real objects that belong to somebody (tests/access_world.py), with CSRF protection on.

ACCESS declares once per route and method who gets through. Everyone else signed in is
refused (403, or 404 where even the object's existence is private); visitors without a live
session (anonymous, deactivated) are sent to log in. A route without a row fails the test, so
every new route must say who may use it. The same run checks that a refused request writes
nothing but its audit entry (a signed-in person refused with 403 is recorded as
"access.refused") and that no GET changes anything beyond the read-markers declared in
GET_WRITES.
"""

from __future__ import annotations

import pytest

from marketplace.authz import EXEMPT_ENDPOINTS, access_rule_for
from marketplace.extensions import limiter
from tests.access_requests import (
    audit_entries_after,
    client_as,
    forget_audit_entries_after,
    latest_audit_entry,
    outcome,
    path_for,
    request,
    restore,
    snapshot,
    tables_written,
)
from tests.access_world import VISITORS, build
from tests.conftest import base_config

ANYONE = frozenset(VISITORS)
SIGNED_IN = ANYONE - {"anonymous", "deactivated"}
PARTICIPANTS = frozenset({"participant", "other_participant"})
# The hotel that posted: its owner, and its mentor, who works there.
HOTEL = frozenset({"staff", "mentor"})
EMPLOYERS = HOTEL | {"other_staff"}
# The coordinator of the object's site and the super-admin.
SITE_COORDINATION = frozenset({"coordinator", "super_admin"})
# Pages every coordinator has, each showing only their own site's records.
COORDINATORS = SITE_COORDINATION | {"other_coordinator"}
# Everyone with a part in the application or placement.
PLACEMENT_PEOPLE = frozenset({"participant"}) | HOTEL | SITE_COORDINATION
# The participant, the mentor of their active placement and their site's coordination.
PLAN_PEOPLE = frozenset({"participant", "mentor"}) | SITE_COORDINATION


def only(*visitors: str) -> frozenset[str]:
    return frozenset(visitors)


ACCESS: dict[str, dict[str, frozenset[str]]] = {
    # Account: each person's own settings, devices and calendar link.
    "account.change_email": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "account.change_password": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "account.confirm_new_email": {"GET": ANYONE},  # the signed link is the credential
    "account.devices": {"GET": SIGNED_IN},
    "account.end_all_devices": {"POST": SIGNED_IN},
    "account.end_device": {"POST": only("participant")},  # the device is the participant's
    "account.reminders": {"POST": SIGNED_IN},
    "account.settings": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "calendars.settings": {"GET": SIGNED_IN},
    "calendars.new_link": {"POST": SIGNED_IN},
    "calendars.revoke": {"POST": SIGNED_IN},
    "calendars.feed": {"GET": ANYONE},  # the secret token in the address is the credential
    "notifications.inbox": {"GET": SIGNED_IN},
    "notifications.mark_read": {"POST": SIGNED_IN},
    # Signing in and out, public pages.
    "auth.check_email": {"GET": ANYONE},
    "auth.confirm_email": {"GET": ANYONE},
    "auth.forgot_password": {"GET": ANYONE, "POST": ANYONE},
    "auth.login": {"GET": ANYONE, "POST": ANYONE},
    "auth.logout": {"POST": SIGNED_IN},
    "auth.privacy": {"GET": ANYONE},
    "readyz": {"GET": ANYONE},
    "auth.register": {"GET": ANYONE, "POST": ANYONE},
    "auth.resend_confirmation": {"GET": ANYONE, "POST": ANYONE},
    "auth.reset_password": {"GET": ANYONE, "POST": ANYONE},
    "main.home": {"GET": ANYONE},
    "main.healthz": {"GET": ANYONE},
    "main.set_language": {"POST": ANYONE},
    "main.dashboard": {"GET": SIGNED_IN},
    # Captured mail: development only; production answers 404 (tests/test_mail.py).
    "mail.outbox": {"GET": ANYONE},
    "mail.message": {"GET": ANYONE},
    # Undelivered mail: each coordinator sees messages to their own site's accounts (the world's
    # first message is to one of the site's people; it is not failed, so sending it again only
    # says so).
    "mail.failed": {"GET": COORDINATORS},
    "mail.send_again": {"POST": SITE_COORDINATION},
    # Administration: users of the coordinator's own site; sites for the super-admin.
    "admin.users": {"GET": COORDINATORS},
    "admin.user": {"GET": SITE_COORDINATION},
    "admin.grant_role": {"POST": SITE_COORDINATION},
    "admin.revoke_role": {"POST": SITE_COORDINATION},
    "admin.deactivate": {"GET": SITE_COORDINATION, "POST": SITE_COORDINATION},
    "admin.reactivate": {"POST": SITE_COORDINATION},
    "admin.end_sessions": {"GET": SITE_COORDINATION, "POST": SITE_COORDINATION},
    "admin.resend_confirmation": {"POST": SITE_COORDINATION},
    "admin.sites": {"GET": only("super_admin")},
    "admin.new_site": {"GET": only("super_admin"), "POST": only("super_admin")},
    "admin.edit_site": {"GET": only("super_admin"), "POST": only("super_admin")},
    # Which sites accept each other's applicants: changed by a coordinator of both sites.
    "sites.partners": {"GET": COORDINATORS},
    "sites.set_partner": {"POST": SITE_COORDINATION},
    "audit.log": {"GET": COORDINATORS},
    "audit.download": {"GET": COORDINATORS},  # the log's entries as a file, same filters
    "review.queue": {"GET": COORDINATORS},
    "questionnaires.index": {"GET": COORDINATORS},
    "questionnaires.edit": {"GET": SITE_COORDINATION, "POST": SITE_COORDINATION},
    "questionnaires.remove_question": {"POST": SITE_COORDINATION},
    # Organisations: any employer may register one or ask to join; its owner runs it.
    "organisations.show": {"GET": ANYONE},
    "organisations.mine": {"GET": EMPLOYERS},
    "organisations.new": {"GET": EMPLOYERS, "POST": EMPLOYERS},
    "organisations.join": {"GET": EMPLOYERS},
    "organisations.ask_to_join": {"POST": EMPLOYERS},
    "organisations.manage": {"GET": HOTEL | SITE_COORDINATION},
    "organisations.edit": {"GET": only("staff"), "POST": only("staff")},
    "organisations.approve_member": {"POST": only("staff")},
    "organisations.remove_member": {"POST": only("staff")},
    "organisations.review": {"POST": SITE_COORDINATION},
    # Postings: public once published; the hotel's staff write them; coordinators review.
    "postings.index": {"GET": ANYONE},
    "postings.show": {"GET": ANYONE},
    "postings.new": {"GET": EMPLOYERS, "POST": EMPLOYERS},
    "postings.edit": {"GET": HOTEL, "POST": HOTEL},
    "postings.submit": {"POST": HOTEL},
    "postings.close": {"GET": HOTEL, "POST": HOTEL},
    "postings.review": {"POST": SITE_COORDINATION},
    # Mentors: employer staff may become mentors; the mentor keeps their own availability.
    "mentors.mine": {"GET": EMPLOYERS},
    "mentors.edit_profile": {"GET": EMPLOYERS, "POST": EMPLOYERS},
    "mentors.submit": {"POST": only("mentor")},
    "mentors.add_window": {"POST": only("mentor")},
    "mentors.remove_window": {"POST": only("mentor")},
    "mentors.add_away": {"POST": only("mentor")},
    "mentors.remove_away": {"POST": only("mentor")},
    "mentors.pause": {"POST": only("mentor")},
    "mentors.resume": {"POST": only("mentor")},
    "mentors.confirm_organisation": {"POST": only("staff")},  # the hotel's owner
    "mentors.review": {"POST": SITE_COORDINATION},
    "mentors.search": {"GET": EMPLOYERS | COORDINATORS},
    # A participant sees a mentor's profile once that mentor is proposed to them.
    "mentors.show": {"GET": EMPLOYERS | SITE_COORDINATION | {"participant"}},
    # Participants: their own profile; coordinators of their site; staff see the CV once
    # the applicant is shortlisted (the world's applicant is).
    "participants.mine": {"GET": PARTICIPANTS},
    "participants.edit_profile": {"GET": PARTICIPANTS, "POST": PARTICIPANTS},
    "participants.questionnaire": {"GET": PARTICIPANTS, "POST": PARTICIPANTS},
    "participants.submit": {"POST": PARTICIPANTS},
    "participants.upload_cv": {"POST": PARTICIPANTS},
    "participants.my_cv": {"GET": PARTICIPANTS},
    "participants.withdraw_funder_consent": {"POST": PARTICIPANTS},
    "participants.save_matching_preferences": {"POST": PARTICIPANTS},
    "participants.index": {"GET": COORDINATORS},
    "participants.show": {"GET": SITE_COORDINATION},
    "participants.review": {"POST": SITE_COORDINATION},
    "participants.save_interview": {"POST": SITE_COORDINATION},
    "participants.cv": {"GET": PLACEMENT_PEOPLE},
    "participants.journey": {"GET": {"participant"} | SITE_COORDINATION},
    "participants.certificate": {"GET": {"participant"} | SITE_COORDINATION},
    "participants.issue_certificate": {"POST": SITE_COORDINATION},
    # Checking a certificate's code: public, so an employer can check what they were shown.
    "certificates.verify": {"GET": ANYONE},
    "certificates.show": {"GET": ANYONE},
    # The individual plan: the participant, their site's coordinators and the mentor of their
    # active placement. The participant agrees to the mentor's proposal waiting in the world.
    "plans.show": {"GET": PLAN_PEOPLE},
    "plans.propose": {"GET": PLAN_PEOPLE, "POST": PLAN_PEOPLE},
    "plans.agree": {"POST": only("participant")},
    "plans.goal_reached": {"POST": PLAN_PEOPLE},
    # Applications: each step by the person whose step it is.
    "applications.mine": {"GET": PARTICIPANTS},
    "applications.apply": {"POST": PARTICIPANTS},
    "applications.show": {"GET": PLACEMENT_PEOPLE},
    "applications.withdraw": {"POST": only("participant")},
    "applications.for_posting": {"GET": HOTEL | SITE_COORDINATION},
    # Suggested participants of the hotel's posting, and inviting one of them to apply.
    "recommendations.for_posting": {"GET": HOTEL | SITE_COORDINATION},
    "recommendations.invite": {"POST": HOTEL | SITE_COORDINATION},
    "applications.shortlist": {"POST": HOTEL | SITE_COORDINATION},
    "applications.decline": {"POST": HOTEL | SITE_COORDINATION},
    "applications.offer": {"POST": HOTEL | SITE_COORDINATION},
    "applications.mentoring": {"GET": only("mentor")},
    "applications.mentor_accept": {"POST": only("mentor")},
    "applications.mentor_decline": {"POST": only("mentor")},
    "applications.accept": {"POST": only("participant")},
    "applications.decline_offer": {"POST": only("participant")},
    "applications.approvals": {"GET": COORDINATORS},
    "applications.approve": {"POST": SITE_COORDINATION},
    "applications.return_offer": {"POST": SITE_COORDINATION},
    "conversations.post": {"POST": PLACEMENT_PEOPLE - {"super_admin"}},  # the thread's members
    "conversations.report": {"POST": PLACEMENT_PEOPLE - {"super_admin"}},
    # Placements and hours.
    "placements.index": {"GET": SIGNED_IN},  # each person's own placements
    "placements.show": {"GET": PLACEMENT_PEOPLE},
    "placements.log_session": {"POST": only("mentor")},
    "placements.confirm_session": {"POST": only("participant")},
    "placements.dispute_session": {"POST": only("participant")},
    "placements.sessions_to_check": {"GET": COORDINATORS},
    "placements.end": {"GET": HOTEL | SITE_COORDINATION, "POST": HOTEL | SITE_COORDINATION},
    "placements.outcome": {"POST": HOTEL | SITE_COORDINATION},
    # Training (coordinators) and events (everyone at the site; RSVP for those who attend).
    # Indicators: each coordinator and monitoring partner for their own site (partners see
    # them anonymous); comparing sites is the super-admin's.
    "indicators.dashboard": {"GET": COORDINATORS | {"partner"}},
    "indicators.export": {"GET": COORDINATORS | {"partner"}},
    "indicators.compare": {"GET": only("super_admin")},
    # Open data API: postings, events and the document for anyone. Anyone reaches indicators
    # too, which answer 401 without a partner system's token (tests/test_open_data.py); tokens
    # are the super-admin's to make.
    "open_data.postings_list": {"GET": ANYONE},
    "open_data.posting": {"GET": ANYONE},
    "open_data.events": {"GET": ANYONE},
    "open_data.indicators": {"GET": ANYONE},
    "open_data.openapi": {"GET": ANYONE},
    "open_data.tokens": {"GET": only("super_admin"), "POST": only("super_admin")},
    "open_data.confirm_revoke": {"GET": only("super_admin")},
    "open_data.revoke": {"POST": only("super_admin")},
    "training.index": {"GET": COORDINATORS, "POST": COORDINATORS},
    "training.show": {"GET": SITE_COORDINATION},
    "training.enrol": {"POST": SITE_COORDINATION},
    "training.attendance": {"POST": SITE_COORDINATION},
    "events.index": {"GET": SIGNED_IN},
    "events.new": {"GET": COORDINATORS, "POST": COORDINATORS},
    # Events are for the site's guests and coordination; a monitoring partner reads only figures.
    "events.show": {"GET": SIGNED_IN - {"other_coordinator", "partner"}},
    "events.ics": {"GET": SIGNED_IN - {"other_coordinator", "partner"}},
    "events.sign_up": {"POST": PARTICIPANTS | EMPLOYERS},
    # Cancelling is a no-op without a sign-up.
    "events.cancel": {"POST": SIGNED_IN - {"other_coordinator", "partner"}},
    "events.attendance": {"POST": SITE_COORDINATION},
    # Matching rounds: the site's coordination runs them; the participant ranks the postings
    # they applied to, the posting's staff rank its shortlisted applicants (the world's round
    # is in draft, so a ranking sent now is refused kindly).
    "matching.index": {"GET": COORDINATORS},
    "matching.new": {"GET": COORDINATORS, "POST": COORDINATORS},
    "matching.show": {"GET": SITE_COORDINATION},
    "matching.inputs": {"GET": SITE_COORDINATION},
    "matching.choose_postings": {"GET": SITE_COORDINATION, "POST": SITE_COORDINATION},
    "matching.shares": {"GET": SITE_COORDINATION, "POST": SITE_COORDINATION},
    "matching.run": {"POST": SITE_COORDINATION},
    "matching.reopen": {"POST": SITE_COORDINATION},
    "matching.publish": {"GET": SITE_COORDINATION, "POST": SITE_COORDINATION},
    "matching.cancel": {"GET": SITE_COORDINATION, "POST": SITE_COORDINATION},
    "matching.lock": {"POST": SITE_COORDINATION},
    "matching.unlock": {"POST": SITE_COORDINATION},
    "matching.remove": {"POST": SITE_COORDINATION},
    "matching.restore": {"POST": SITE_COORDINATION},
    "matching.my_choices": {"GET": only("participant"), "POST": only("participant")},
    "matching.rank_applicants": {
        "GET": HOTEL | SITE_COORDINATION,
        "POST": HOTEL | SITE_COORDINATION,
    },
    # Privacy: everyone downloads their own data and may ask for erasure; the coordination of
    # the person's site downloads it for them and confirms (the world's participant has not
    # asked, so confirming leads back to the list of requests).
    "privacy.my_data": {"GET": SIGNED_IN},
    "privacy.their_data": {"GET": SITE_COORDINATION},
    "privacy.ask_erasure": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "privacy.cancel_erasure": {"POST": SIGNED_IN},
    "privacy.requests": {"GET": COORDINATORS},
    "privacy.decide": {"GET": SITE_COORDINATION, "POST": SITE_COORDINATION},
    # The second login step: each person's own; the code page is for a login under way, and
    # sends anyone without one back to log in.
    "two_factor.settings": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "two_factor.turn_off": {"POST": SIGNED_IN},
    "two_factor.recovery_codes": {"POST": SIGNED_IN},
    "two_factor.second_step_page": {"GET": ANYONE, "POST": ANYONE},
}

# Ending every device signs the person out, and the second login step without a login under way
# sends back to log in: for these, success is the way to the login page.
ENDS_AT_LOGIN = {"account.end_all_devices", "two_factor.second_step_page"}
# What showing a page may write: every request refreshes the device's last-seen time; these
# pages mark as read what the person has now seen.
ALWAYS_WRITTEN = {"user_session"}
GET_WRITES = {
    "notifications.inbox": {"notification"},
    "applications.show": {"thread_read"},
    "placements.show": {"thread_read"},
    # Handing out a person's data is recorded.
    "privacy.my_data": {"audit_entry"},
    "privacy.their_data": {"audit_entry"},
}


@pytest.fixture
def app_config(database_url):
    return {**base_config(database_url), "WTF_CSRF_ENABLED": True}


def routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
        if rule.endpoint not in EXEMPT_ENDPOINTS:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def expected(endpoint: str, method: str, visitor: str) -> str:
    if visitor in ACCESS[endpoint][method]:
        return "login" if endpoint in ENDS_AT_LOGIN else "ok"
    return "login" if visitor in ("anonymous", "deactivated") else "refused"


def refusal_entry(response, person) -> list[tuple[str, int]]:
    """What a refusal writes to the audit log: one entry for a signed-in person refused with
    403, nothing for a 404 or the way to the login."""
    return [("access.refused", person.id)] if response.status_code == 403 and person else []


def test_every_route_and_method_has_a_row(app):
    declared = {(endpoint, method) for endpoint, row in ACCESS.items() for method in row}
    served = {(rule.endpoint, method) for rule, method in routes(app)}
    assert sorted(served - declared) == [], "routes without a row in ACCESS"
    assert sorted(declared - served) == [], "rows in ACCESS for routes that do not exist"


def test_every_route_admits_exactly_whom_it_declares(app, make_user):
    world = build(app, make_user)
    clean = snapshot()
    problems = []
    for rule, method in routes(app):
        path = path_for(app, rule, world)
        for visitor in VISITORS:
            limiter.reset()
            client = client_as(app, world, visitor)
            before = latest_audit_entry()
            with tables_written() as written:
                response = request(client, method, path)
            got, want = outcome(response), expected(rule.endpoint, method, visitor)
            if got != want:
                problems.append(f"{method} {path} as {visitor}: {got}, expected {want}")
            admitted = visitor in ACCESS[rule.endpoint][method]
            # The one write a refusal makes, taken back at once (cheaper than a restore).
            forgotten = set()
            if not admitted:
                refusal = refusal_entry(response, world.people[visitor])
                entries = audit_entries_after(before)
                if entries != refusal:
                    problems.append(f"{method} {path} as {visitor}: audit entries {entries}")
                if refusal:
                    forgotten = {"audit_entry"}
                    forget_audit_entries_after(before)
            unexpected = written - ALWAYS_WRITTEN - forgotten
            if method == "GET":
                unexpected -= GET_WRITES.get(rule.endpoint, set())
            if unexpected and (method == "GET" or not admitted):
                problems.append(f"{method} {path} as {visitor} wrote to {sorted(unexpected)}")
            if written - ALWAYS_WRITTEN - forgotten or visitor == "deactivated":
                restore(clean)  # the next visitor meets the world as it was
    assert problems == [], "\n".join(problems)


def test_every_post_without_a_valid_token_is_refused_and_changes_nothing(app, make_user):
    world = build(app, make_user)
    problems = []
    for rule, method in routes(app):
        if method != "POST":
            continue
        path = path_for(app, rule, world)
        visitor = next(v for v in VISITORS if v in ACCESS[rule.endpoint][method])
        client = client_as(app, world, visitor)
        for label, token in [("no token", None), ("a forged token", "forged")]:
            data = {} if token is None else {"csrf_token": token}
            with tables_written() as written:
                response = client.post(path, data=data)
            if response.status_code != 400 or written - ALWAYS_WRITTEN:
                problems.append(
                    f"POST {path} as {visitor} with {label}: {response.status_code}, "
                    f"wrote to {sorted(written - ALWAYS_WRITTEN)}"
                )
    assert problems == [], "\n".join(problems)


def test_refused_visitors_without_a_token_get_the_same_refusal(app, make_user):
    """Access is decided before the CSRF token is looked at: a visitor the table refuses gets
    403, 404 or the way to the login without a token too, never 400 or 500, and nothing is
    written."""
    world = build(app, make_user)
    clean = snapshot()
    problems = []
    for rule, method in routes(app):
        if method != "POST":
            continue
        path = path_for(app, rule, world)
        for visitor in VISITORS:
            if visitor in ACCESS[rule.endpoint][method]:
                continue
            limiter.reset()
            client = client_as(app, world, visitor)
            person = world.people[visitor]
            before = latest_audit_entry()
            with tables_written() as written:
                response = request(client, method, path, with_token=False)
            got, want = outcome(response), expected(rule.endpoint, method, visitor)
            # A refusal by the route's access rule comes before the token is looked at and is
            # recorded; one by the view's own check on the object comes from a request already
            # made read-only by the missing token, and writes nothing.
            access = access_rule_for(app, rule.endpoint)
            refused_by_rule = person is not None and not access.allows(person)
            refusal = refusal_entry(response, person) if refused_by_rule else []
            entries = audit_entries_after(before)
            unexpected = written - ALWAYS_WRITTEN - ({"audit_entry"} if refusal else set())
            if got != want or unexpected or entries != refusal:
                problems.append(
                    f"POST {path} as {visitor} without a token: {got}, expected {want}; "
                    f"wrote to {sorted(unexpected)}, audit entries {entries}"
                )
            if refusal:
                forget_audit_entries_after(before)
            if visitor == "deactivated":
                restore(clean)
    assert problems == [], "\n".join(problems)


def limited_routes(app):
    for rule, method in routes(app):
        view = app.view_functions[rule.endpoint]
        limits = [limit for limit in getattr(view, "rate_limits", ()) if method in limit.methods]
        if limits:
            yield rule, method, limits


def test_limited_routes_count_only_genuine_posts_and_then_refuse_every_post(app, make_user):
    """For every rate-limited POST route: posts with a bad token never use the limit up; once
    genuine posts have, a post with a bad token is answered 429 and writes nothing."""
    world = build(app, make_user)
    clean = snapshot()
    # Only posts carry a token; limited lookups (GET) are tested in tests/test_certificates.py.
    limited = [route for route in limited_routes(app) if route[1] == "POST"]
    assert limited, "no rate-limited route found"
    # Whatever a post would fill in: an account's e-mail and a wrong password are what a login
    # counts; the other forms count every genuine post, filled in or not.
    data = {"email": "someone@example.org", "password": "not the password"}
    problems = []
    for rule, method, limits in limited:
        for limit in limits:
            for key in limit.config_keys:
                app.config[key] = "2 per hour"
        limiter.reset()
        path = path_for(app, rule, world)
        visitor = next(v for v in VISITORS if v in ACCESS[rule.endpoint][method])
        client = client_as(app, world, visitor)
        forged = [client.post(path, data={**data, "csrf_token": "forged"}) for _ in range(3)]
        genuine = [
            client.post(path, data={**data, "csrf_token": client.csrf_token}) for _ in range(3)
        ]
        got = [outcome(response) for response in forged + genuine]
        if got[:3] == ["limited"] * 3 or got[3:] != [got[3], got[4], "limited"]:
            problems.append(f"POST {path} as {visitor}: {got}")
        with tables_written() as written:
            response = client.post(path, data={**data, "csrf_token": "forged"})
        if outcome(response) != "limited" or written - ALWAYS_WRITTEN:
            problems.append(
                f"POST {path} as {visitor} with a forged token once limited: {outcome(response)}, "
                f"wrote to {sorted(written - ALWAYS_WRITTEN)}"
            )
        restore(clean)
    assert problems == [], "\n".join(problems)
