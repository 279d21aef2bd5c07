from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "login.success": _l("Logged in"),
    "login.failure": _l("Failed login"),
    "logout": _l("Logged out"),
    "password.reset_requested": _l("Asked for a new password"),
    "password.reset": _l("Chose a new password"),
}


def action_label(action: str):
    """The translated name of an action; a code the list does not know yet is shown as is."""
    return ACTION_LABELS.get(action, action)
