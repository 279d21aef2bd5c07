from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from marketplace.accounts.roles import Role
from marketplace.applications.models import DeclineReason
from marketplace.audit.models import AuditEntry
from marketplace.auth.services import LoginFailure
from marketplace.placements.models import Outcome
from marketplace.statuses import STATUS_LABELS

ACTION_LABELS = {
    "account.registered": _l("Registered"),
    "account.registration_repeated": _l("Registration with an address that has an account"),
    "account.email_confirmed": _l("Confirmed the e-mail address"),
    "account.email_change_requested": _l("Asked to change the e-mail address"),
    "account.email_changed": _l("Changed the e-mail address"),
    "account.deactivated": _l("Account deactivated"),
    "account.reactivated": _l("Account reactivated"),
    "login.success": _l("Logged in"),
    "login.failure": _l("Failed login"),
    "login.unconfirmed": _l("Login before confirming the e-mail address"),
    "logout": _l("Logged out"),
    "logout.device": _l("Logged out another device"),
    "logout.everywhere": _l("Logged out everywhere"),
    "account.sessions_ended": _l("All sessions of an account ended"),
    "account.confirmation_resent": _l("Confirmation e-mail sent again"),
    "access.refused": _l("Access refused"),
    "password.reset_requested": _l("Asked for a new password"),
    "password.reset": _l("Chose a new password"),
    "password.changed": _l("Changed the password"),
    "role.granted": _l("Role given"),
    "role.revoked": _l("Role taken away"),
    "organisation.pending": _l("Organisation sent for approval"),
    "organisation.approved": _l("Organisation approved"),
    "organisation.rejected": _l("Organisation rejected"),
    "organisation.suspended": _l("Organisation suspended"),
    "organisation.member_approved": _l("Staff member approved"),
    "organisation.member_removed": _l("Staff member removed"),
    "posting.draft": _l("Posting drafted"),
    "posting.submitted": _l("Posting sent for review"),
    "posting.published": _l("Posting published"),
    "posting.changes_requested": _l("Changes requested in a posting"),
    "posting.rejected": _l("Posting rejected"),
    "posting.closed": _l("Posting closed"),
    "mentorprofile.draft": _l("Mentor profile started"),
    "mentorprofile.submitted": _l("Mentor profile sent for review"),
    "mentorprofile.approved": _l("Mentor profile approved"),
    "mentorprofile.changes_requested": _l("Changes requested in a mentor profile"),
    "mentorprofile.rejected": _l("Mentor profile rejected"),
    "mentor.organisation_confirmed": _l("Organisation confirmed a mentor"),
    "mentor.paused": _l("Mentor paused"),
    "mentor.resumed": _l("Mentor resumed"),
    "participantprofile.draft": _l("Participant profile started"),
    "participantprofile.submitted": _l("Participant profile sent for review"),
    "participantprofile.approved": _l("Participant profile approved"),
    "participantprofile.changes_requested": _l("Changes requested in a participant profile"),
    "participantprofile.rejected": _l("Participant profile rejected"),
    "participant.cv_uploaded": _l("CV uploaded"),
    "account.second_factor_on": _l("Turned on the second login step"),
    "account.second_factor_off": _l("Turned off the second login step"),
    "account.recovery_codes_renewed": _l("Made new recovery codes"),
    "login.second_step_failed": _l("Wrong code at the second login step"),
    "mail.sent_again": _l("Sent an undelivered e-mail again"),
    "privacy.exported": _l("Downloaded a person's data"),
    "privacy.erasure_requested": _l("Asked for their data to be erased"),
    "privacy.erasure_cancelled": _l("Withdrew the request to erase their data"),
    "privacy.erased": _l("Erased a person's data on their request"),
    "privacy.purged": _l("Anonymised after the site's retention period"),
    "participant.interview_saved": _l("Interview notes saved"),
    "consent.given": _l("Consent given"),
    "consent.withdrawn": _l("Consent withdrawn"),
    "questionnaire.changed": _l("Questionnaire changed"),
    "application.submitted": _l("Applied"),
    "application.shortlisted": _l("Application shortlisted"),
    "application.offered": _l("Offer made"),
    "application.accepted": _l("Offer accepted"),
    "application.approved": _l("Placement approved"),
    "application.declined": _l("Application declined by the employer"),
    "application.offer_declined": _l("Offer declined by the participant"),
    "application.withdrawn": _l("Application withdrawn"),
    "application.expired": _l("Application expired"),
    "application.mentor_changed": _l("Another mentor named in the offer"),
    "application.mentor_accepted": _l("Mentor accepted a mentee"),
    "application.mentor_declined": _l("Mentor declined a mentee"),
    "session.logged": _l("Mentoring session logged"),
    "session.confirmed": _l("Mentoring session confirmed"),
    "session.disputed": _l("Mentoring session disputed"),
    "placement.completed": _l("Placement completed"),
    "placement.ended_early": _l("Placement ended early"),
    "placement.outcome": _l("Outcome recorded"),
    "training.created": _l("Training session added"),
    "training.attendance": _l("Training attendance saved"),
    "event.created": _l("Event published"),
    "event.attendance": _l("Event attendance saved"),
    "message.reported": _l("Message reported"),
    "participant.certificate_issued": _l("Certificate issued"),
    "plan.goal_reached": _l("Goal of the individual plan reached"),
    "site.created": _l("Site added"),
    "site.updated": _l("Site changed"),
    "site.partnership_started": _l("Sites accept each other's applicants"),
    "site.partnership_ended": _l("Sites stop accepting each other's applicants"),
    "api_token.created": _l("Token for the open data API created"),
    "api_token.revoked": _l("Token for the open data API revoked"),
    "posting.invited": _l("Participant invited to apply"),
    "matchinground.open": _l("Matching round open for ranking"),
    "matchinground.draft": _l("Matching round run: draft ready"),
    "matchinground.published": _l("Matching round published"),
    "matchinground.cancelled": _l("Matching round cancelled"),
    "matching_round.postings_changed": _l("Postings of a matching round changed"),
    "matching_round.shares_changed": _l("Mentors' shares changed"),
    "matching_round.choices_ranked": _l("Participant ranked their choices"),
    "matching_round.applicants_ranked": _l("Applicants ranked"),
    "matching_round.run": _l("Matching round run"),
    "matching_round.pair_locked": _l("Pair locked"),
    "matching_round.pair_unlocked": _l("Pair unlocked"),
    "matching_round.pair_removed": _l("Pair removed"),
    "matching_round.pair_restored": _l("Pair restored"),
    "matching_round.offers_sent": _l("Offers sent from a matching round"),
}


def action_label(action: str):
    """The translated name of an action (a test checks every recorded action has one)."""
    return ACTION_LABELS.get(action, action)


# What each kind of recorded object is called in the filter and, for status changes, whose
# status names the summary uses (see marketplace/statuses.py).
OBJECT_TYPES = {
    "User": _l("Account"),
    "Organisation": _l("Organisation"),
    "Posting": _l("Posting"),
    "Application": _l("Application"),
    "Placement": _l("Placement"),
    "MentorProfile": _l("Mentor profile"),
    "ParticipantProfile": _l("Participant profile"),
    "MentoringSession": _l("Mentoring session"),
    "TrainingSession": _l("Training session"),
    "Event": _l("Event"),
    "Plan": _l("Individual plan"),
    "Questionnaire": _l("Questionnaire"),
    "Message": _l("Message"),
    "Site": _l("Site"),
    "MatchingRound": _l("Matching round"),
    "ApiToken": _l("Token for the open data API"),
    "OutboxMessage": _l("E-mail"),
}
STATUS_ENTITIES = {
    "Organisation": "organisation",
    "Posting": "posting",
    "Application": "application",
    "Placement": "placement",
    "MentorProfile": "mentor",
    "ParticipantProfile": "participant",
    "MentoringSession": "session",
}
# Names the code records in a summary (consent kinds), as a person reads them.
FIELD_LABELS = {
    "data_processing": _l("Processing of personal data"),
    "funder_sharing": _l("Sharing anonymised data with funders"),
    "employer_suggestions": _l("Being suggested to employers"),
}
# Reasons recorded as codes with a status change.
CLOSED_REASONS = {
    "by_owner": _l("closed by the employer"),
    "filled": _l("all places are filled"),
    "deadline": _l("the application deadline passed"),
}
STATUS_CHANGE = re.compile(r"^(?P<before>\S+) → (?P<after>\S+)(?:: (?P<reason>.*))?$", re.DOTALL)
LOGIN_FAILURES = {
    LoginFailure.WRONG_PASSWORD: _l("Wrong password"),
    LoginFailure.UNKNOWN_EMAIL: _l("No account has this e-mail address"),
    LoginFailure.DEACTIVATED: _l("The account is deactivated"),
    LoginFailure.THROTTLED: _l("Refused after too many failed attempts"),
}
COUNTED = {
    "training.attendance": lambda n: ngettext("%(num)d attended", "%(num)d attended", n),
    "event.attendance": lambda n: ngettext("%(num)d attended", "%(num)d attended", n),
    "logout.everywhere": lambda n: ngettext("%(num)d session ended", "%(num)d sessions ended", n),
    "account.sessions_ended": lambda n: ngettext(
        "%(num)d session ended", "%(num)d sessions ended", n
    ),
}


def object_type_label(object_type: str | None):
    return OBJECT_TYPES.get(object_type, object_type or "—")


def _status(entity: str, status: str) -> str:
    return str(STATUS_LABELS.get((entity, status), status))


def _role(summary: str) -> str:
    """``coordinator@riga`` → "Coordinator · riga"."""
    value, _at, site = summary.partition("@")
    if value not in Role._value2member_map_:
        return summary
    label = str(Role(value).label)
    return f"{label} · {site}" if site else label


def _reason(object_type: str, reason: str) -> str:
    if object_type == "Posting" and reason in CLOSED_REASONS:
        return str(CLOSED_REASONS[reason])
    if object_type == "Application" and reason in DeclineReason._value2member_map_:
        return str(DeclineReason(reason).label)
    return reason


def _login_failure(summary: str) -> str:
    """``unknown_email @example.org`` → "No account has this e-mail address (example.org)"."""
    code, _space, domain = summary.partition(" @")
    if code not in LoginFailure._value2member_map_:
        return summary
    reason = str(LOGIN_FAILURES[LoginFailure(code)])
    return f"{reason} ({domain})" if domain else reason


def describe(entry: AuditEntry) -> str:
    """The entry's summary in the reader's language: status names, roles, consents, outcomes
    and counts translated; names and titles people typed shown as they are."""
    summary, action = entry.summary or "", entry.action
    entity = STATUS_ENTITIES.get(entry.object_type or "")
    change = STATUS_CHANGE.match(summary)
    if entity and change and action == f"{action.split('.')[0]}.{change['after']}":
        text = f"{_status(entity, change['before'])} → {_status(entity, change['after'])}"
        if not change["reason"]:
            return text
        return f"{text}: {_reason(entry.object_type, change['reason'])}"
    if action == "login.failure":
        return _login_failure(summary)
    if action in {"role.granted", "role.revoked", "account.registered"}:
        return _role(summary)
    if action.startswith("consent."):
        return str(FIELD_LABELS.get(summary, summary))
    if action == "placement.outcome" and summary in Outcome._value2member_map_:
        return str(Outcome(summary).label)
    if action == "session.logged" and (minutes := re.fullmatch(r"(\d+) min", summary)):
        number = int(minutes[1])
        return ngettext("%(num)d minute", "%(num)d minutes", number)
    if action in COUNTED and summary.isdigit():
        return COUNTED[action](int(summary))
    if action == "questionnaire.changed" and (number := re.fullmatch(r"version (\d+)", summary)):
        return _("version %(number)s", number=number[1])
    return summary
