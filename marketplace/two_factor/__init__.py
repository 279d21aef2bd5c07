"""An optional second login step: a six-digit code from an authenticator app (TOTP, RFC 6238),
or one of ten single-use recovery codes. Required for coordinators and super-admins at a site
whose setting says so."""

from flask import Blueprint

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-step")
