"""Links to pages of this site, built from configuration and never from a request.

Services, notifications, e-mails and commands run inside a request or without one (cron); either
way a link names the host the operator configured (``MARKETPLACE_SERVER_NAME`` and
``MARKETPLACE_PREFERRED_URL_SCHEME``), never the ``Host`` header a visitor sent.

``path_for`` gives a path (``/postings/3``) to store or show on the site; ``url_for_email`` and
``absolute`` give the full address an e-mail or a calendar needs.
"""

from __future__ import annotations

from flask import current_app
from werkzeug.routing import MapAdapter

from marketplace.config import DEVELOPMENT_SERVER_NAME


def server_name() -> str:
    """The configured host (and port) of the site; production refuses to start without one."""
    return current_app.config.get("SERVER_NAME") or DEVELOPMENT_SERVER_NAME


def _adapter() -> MapAdapter:
    config = current_app.config
    return current_app.url_map.bind(
        server_name(),
        script_name=config.get("APPLICATION_ROOT") or "/",
        url_scheme=config["PREFERRED_URL_SCHEME"],
    )


def path_for(endpoint: str, **values) -> str:
    """The path of ``endpoint`` on this site, e.g. ``path_for("postings.show", posting_id=3)``."""
    return _adapter().build(endpoint, _without_none(values))


def url_for_email(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` on the configured host, for e-mails and feeds."""
    return _adapter().build(endpoint, _without_none(values), force_external=True)


def absolute(path: str) -> str:
    """The absolute address of a path on this site (``""`` stays empty: no link)."""
    if not path:
        return ""
    if not path.startswith("/"):
        raise ValueError("a path on this site starts with '/'")
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    return f"{scheme}://{server_name()}{path}"


def _without_none(values: dict) -> dict:
    # As flask.url_for: a value of None means "leave it out".
    return {key: value for key, value in values.items() if value is not None}
