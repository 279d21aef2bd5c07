from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import get_or_404, public, roles_required
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.extensions import db
from marketplace.forms import options
from marketplace.links import url_for_email
from marketplace.mentors.models import Expertise
from marketplace.open_data import API_PREFIX, bp, params, services
from marketplace.open_data.forms import NewTokenForm, RevokeForm
from marketplace.open_data.models import ApiToken
from marketplace.open_data.openapi import document
from marketplace.postings import services as postings
from marketplace.postings.models import Posting, PostingKind
from marketplace.sites.models import Site
from marketplace.sites.services import all_sites


@bp.errorhandler(params.BadParameter)
def bad_parameter(error: params.BadParameter):
    return jsonify(error={"status": 400, "message": error.message}), 400


def _site() -> Site | None:
    slug = params.text("site", 40)
    if not slug:
        return None
    site = db.session.scalar(sa.select(Site).where(Site.slug == slug))
    if site is None:
        raise params.BadParameter(f"No site is called '{slug}'.")
    return site


def _page_of(query: sa.Select, serialise) -> dict:
    """One page without counting the whole list: one row more than asked tells if there is
    a next page."""
    number, per_page = params.page()
    rows = list(db.session.scalars(query.limit(per_page + 1).offset((number - 1) * per_page)))
    return {
        "items": [serialise(row) for row in rows[:per_page]],
        "page": number,
        "per_page": per_page,
        "has_next": len(rows) > per_page,
    }


def _posting(posting: Posting) -> dict:
    return {
        "id": posting.id,
        "kind": posting.kind.value,
        "title": posting.title,
        "organisation": posting.organisation.name,
        "city": posting.city,
        "site": posting.site.slug,
        "start_date": posting.start_date.isoformat(),
        "end_date": posting.end_date.isoformat() if posting.end_date else None,
        "hours_per_week": posting.hours_per_week,
        "places": posting.seats,
        "free_places": posting.open_seats,
        "languages": [
            {"language": lang.language, "min_level": lang.min_level.value}
            for lang in posting.languages
        ],
        "areas": [area.area.value for area in posting.areas],
        "application_deadline": (
            posting.application_deadline.isoformat() if posting.application_deadline else None
        ),
        "published_at": posting.published_at.isoformat() if posting.published_at else None,
        "url": url_for_email("postings.show", posting_id=posting.id),
    }


@bp.get(f"{API_PREFIX}/postings")
@public
def postings_list():
    site = _site()
    kind = params.choice("kind", {k.value for k in PostingKind})
    area = params.choice("area", {a.value for a in Expertise})
    filters = postings.SearchFilters(
        text=params.text("q"),
        kind=PostingKind(kind) if kind else None,
        area=Expertise(area) if area else None,
        site_id=site.id if site else None,
        city=params.text("city", 80),
        open_only=True,
    )
    return jsonify(_page_of(postings.search(filters, all_sites()), _posting))


@bp.get(f"{API_PREFIX}/postings/<int:posting_id>")
@public
def posting(posting_id: int):
    found = db.session.get(Posting, posting_id)
    if found is None or not postings.is_public(found):
        abort(404)
    return jsonify(_posting(found))


def _event(event) -> dict:
    return {
        "id": event.id,
        "kind": event.kind.value,
        "title": event.title,
        "site": event.site.slug,
        "venue": event.venue,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "places": event.capacity,
        "free_places": event.free_places,
    }


def _instant(day, zone) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC) if day else None


@bp.get(f"{API_PREFIX}/events")
@public
def events():
    site = _site()
    start, end = params.day("from"), params.day("to")
    if start and end and end < start:
        raise params.BadParameter("'to' cannot be before 'from'.")
    zone = site.zone if site else UTC
    query = services.upcoming_events(
        site.id if site else None,
        _instant(start, zone),
        _instant(end + timedelta(days=1), zone) if end else None,
    )
    return jsonify(_page_of(query, _event))


@bp.get(f"{API_PREFIX}/indicators")
@public  # the bearer token is the credential, checked here
def indicators():
    token = services.token_from_request()
    if token is None:
        response = jsonify(
            error={"status": 401, "message": "A valid bearer token is needed for indicators."}
        )
        return response, 401, {"WWW-Authenticate": 'Bearer realm="indicators"'}
    site = _site()
    if token.site_id is not None and site is not None and site.id != token.site_id:
        return jsonify(error={"status": 403, "message": "This token reads another site."}), 403
    start, end = params.day("from"), params.day("to")
    if start and end and end < start:
        raise params.BadParameter("'to' cannot be before 'from'.")
    if start and end and (end - start).days > 3660:
        raise params.BadParameter("The period can be at most ten years.")
    return jsonify(services.indicators(site or token.site, start, end))


@bp.get(f"{API_PREFIX}/openapi.json")
@public
def openapi():
    return jsonify(document())


# Tokens, for super-admins: pages of the site, not of the API ----------------------------------


def _token_form(**kwargs) -> NewTokenForm:
    form = NewTokenForm(**kwargs)
    form.site.choices = options(
        [("", _("Every site"))] + [(str(s.id), s.name) for s in all_sites()]
    )
    return form


@bp.route("/admin/api-tokens", methods=["GET", "POST"])
@roles_required(Role.SUPER_ADMIN)
@keeps_input_on_csrf_failure
def tokens():
    form, created = _token_form(), None
    if form.validate_on_submit():
        site = db.session.get(Site, int(form.site.data)) if form.site.data else None
        created = services.create(current_user, form.name.data.strip(), site)
        form = _token_form(formdata=None)
    return render_template(
        "open_data/tokens.html", form=form, tokens=services.tokens(), created=created
    )


@bp.get("/admin/api-tokens/<int:token_id>/revoke")
@roles_required(Role.SUPER_ADMIN)
def confirm_revoke(token_id: int):
    token = get_or_404(ApiToken, token_id)
    return render_template("open_data/revoke.html", token=token, form=RevokeForm())


@bp.post("/admin/api-tokens/<int:token_id>/revoke")
@roles_required(Role.SUPER_ADMIN)
def revoke(token_id: int):
    token = get_or_404(ApiToken, token_id)
    services.revoke(current_user, token)
    flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
    return redirect(url_for("open_data.tokens"))
