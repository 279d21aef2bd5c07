"""Who may use which view, declared on every view and enforced in one place.

Each view states its audience with ``@public``, ``@signed_in`` or ``@roles_required(...)``.
``guard_request`` runs before every request and decides, in this order: access (refusing any
endpoint that declares nothing, so a forgotten declaration fails closed; a test walks the URL map
so it also fails loudly), then the CSRF token (marketplace/csrf.py), then the view's rate limits
(marketplace/rate_limits.py). A refused or limited request never reaches a view.
``audit_refusal`` runs after every request and writes each refusal in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, abort, current_app, request
from flask_login import current_user

from marketplace import csrf, rate_limits
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.extensions import db, login_manager

# Endpoints served by Flask and extensions themselves: static files only.
EXEMPT_ENDPOINTS = frozenset({"static", "bootstrap.static"})


@dataclass(frozen=True)
class AccessRule:
    signed_in: bool
    roles: frozenset[Role] = frozenset()

    def allows(self, user) -> bool:
        if not self.signed_in:
            return True
        if not user.is_authenticated:
            return False
        return not self.roles or user.has_role(*self.roles)


PUBLIC = AccessRule(signed_in=False)
SIGNED_IN = AccessRule(signed_in=True)


def _declare(rule: AccessRule) -> Callable:
    def decorator(view: Callable) -> Callable:
        view.access_rule = rule
        return view

    return decorator


public = _declare(PUBLIC)
signed_in = _declare(SIGNED_IN)


def roles_required(*roles: Role) -> Callable:
    if not roles:
        raise ValueError("roles_required needs at least one role")
    return _declare(AccessRule(signed_in=True, roles=frozenset(roles)))


def access_rule_for(app: Flask, endpoint: str) -> AccessRule | None:
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def undeclared_endpoints(app: Flask) -> list[str]:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT_ENDPOINTS and access_rule_for(app, rule.endpoint) is None
    )


def enforce_access():
    endpoint = request.endpoint
    if endpoint is None or endpoint in EXEMPT_ENDPOINTS:
        return None
    rule = access_rule_for(current_app, endpoint)
    if rule is None:
        current_app.logger.error("Endpoint %s declares no access rule; refusing", endpoint)
        abort(403)
    if rule.allows(current_user):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    abort(403)


def guard_request():
    """The one before-request hook: access first, then the CSRF token, then rate limits."""
    refusal = enforce_access()
    if refusal is not None or request.endpoint in (None, *EXEMPT_ENDPOINTS):
        return refusal
    view = current_app.view_functions[request.endpoint]
    if not csrf.token_is_valid():
        # Counts nothing, but a limit already used up answers before the view runs.
        if rate_limits.used_up(view):
            abort(429)
        return None
    if not rate_limits.take(view):
        abort(429)
    return None


def audit_refusal(response):
    """After every request: a signed-in person refused with 403 (by an access rule, an object
    check or a refused step) is written in the audit log, in a transaction of its own, so the
    entry is kept while whatever the refused request changed is not.

    Visitors sent to log in are not refusals; a post with a forged token is read-only and proves
    nothing; and past an allowance per person a burst of refusals fills no table.
    """
    if response.status_code != 403 or csrf.unsent() or not current_user.is_authenticated:
        return response
    if rate_limits.within_allowance("REFUSALS_AUDITED_PER_PERSON", rate_limits.per_person()):
        person = current_user._get_current_object()
        db.session.rollback()
        audit.record(
            "access.refused",
            actor=person,
            site_id=person.site_id,
            summary=f"{request.method} {request.path}",
        )
        db.session.commit()
    return response


def coordinated_sites(user) -> set[int] | None:
    """The sites a coordinator looks after; None for a super-admin, who sees every site."""
    return None if user.has_role(Role.SUPER_ADMIN) else user.sites_for(Role.COORDINATOR)


def get_or_404(model, ident):
    """Fetch a row by primary key or answer 404."""
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj
