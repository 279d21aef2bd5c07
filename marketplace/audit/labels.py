from flask_babel import lazy_gettext as _l

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
    "site.created": _l("Site added"),
    "site.updated": _l("Site changed"),
}


def action_label(action: str):
    """The translated name of an action (a test checks every recorded action has one)."""
    return ACTION_LABELS.get(action, action)
