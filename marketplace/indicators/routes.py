from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import access_rule_for, roles_required
from marketplace.forms import options
from marketplace.indicators import bp, charts, exports, services
from marketplace.indicators.forms import CompareForm, DashboardForm
from marketplace.indicators.model import Figure
from marketplace.sites.models import Site

FILTER_NAMES = ("site", "date_from", "date_to", "anonymous")


def _chosen(form: DashboardForm) -> tuple[list[Site], bool]:
    """The sites the reader asked for (all they may read by default), and whether the form
    was valid."""
    sites = services.readable_sites(current_user)
    if not sites:
        abort(404)
    everything = _("All sites") if current_user.has_role(Role.SUPER_ADMIN) else _("All your sites")
    form.site.choices = options(
        ([("", everything)] if len(sites) > 1 else []) + [(str(s.id), s.name) for s in sites]
    )
    valid = form.validate()
    if valid and form.site.data:
        sites = [s for s in sites if str(s.id) == form.site.data]
    return sites, valid


def _asked_period(form, valid: bool):
    """The days the reader typed; None for a day left blank (the default period's)."""
    return (form.date_from.data, form.date_to.data) if valid else (None, None)


def _show_period(form, report) -> None:
    """The form shows the period the figures are for, also when it was left blank."""
    if not form.errors:
        form.date_from.data, form.date_to.data = report.start, report.end


def _link(figure: Figure) -> str | None:
    """The list behind a figure, for people allowed to open it."""
    if figure.link is None:
        return None
    endpoint, args = figure.link
    rule = access_rule_for(current_app, endpoint)
    return url_for(endpoint, **args) if rule and rule.allows(current_user) else None


@bp.get("/")
@roles_required(*services.READERS)
def dashboard():
    form = DashboardForm(request.args)
    sites, valid = _chosen(form)
    exact = services.sees_exact_figures(current_user, sites)
    anonymous = not exact or bool(valid and form.anonymous.data)
    report = services.report(sites, *_asked_period(form, valid), anonymous=anonymous)
    _show_period(form, report)
    link_args = {k: v for k, v in request.args.items() if k in FILTER_NAMES and v}
    period = {"date_from": report.start.isoformat(), "date_to": report.end.isoformat()}
    return render_template(
        "indicators/dashboard.html",
        form=form,
        report=report,
        may_see_exact=exact,
        link_args={**link_args, **period},
        link=_link,
        training_bars=charts.bars(
            [f for f in report.section("training").figures if f.planned is not None][1:]
        ),
        country_bars=charts.bars(
            [
                f
                for f in report.section("participants").figures
                if f.group == "country" and not f.suppressed
            ]
        ),
        over_time=charts.line_chart(
            report.months,
            {"placements_started": _("Placements started"), "outcomes": _("Job offers and hires")},
        ),
    )


@bp.get("/export.<any(csv, xlsx):kind>")
@roles_required(*services.READERS)
def export(kind: str):
    """The funder export: always anonymous, whoever asks."""
    form = DashboardForm(request.args)
    sites, valid = _chosen(form)
    report = services.report(sites, *_asked_period(form, valid), anonymous=True)
    if kind == "csv":
        body, mimetype = exports.to_csv(report), "text/csv"
    else:
        body = exports.to_xlsx(report)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{exports.file_stem(report)}.{kind}"'
        },
    )


@bp.get("/compare")
@roles_required(Role.SUPER_ADMIN)
def compare():
    form = CompareForm(request.args)
    sites = services.readable_sites(current_user)
    form.sites.choices = options((str(s.id), s.name) for s in sites)
    valid = form.validate()
    if valid and form.sites.data:
        sites = [s for s in sites if str(s.id) in form.sites.data]
    form.sites.data = [str(s.id) for s in sites]
    # One period for every column: the default is the programme so far at any of the sites.
    start, end = services.default_period(sites, datetime.now(UTC))
    asked_start, asked_end = _asked_period(form, valid)
    start, end = asked_start or start, asked_end or end
    start = min(start, end)
    if not form.errors:
        form.date_from.data, form.date_to.data = start, end
    anonymous = bool(valid and form.anonymous.data)
    reports = [services.report([s], start, end, anonymous=anonymous) for s in sites]
    return render_template(
        "indicators/compare.html",
        form=form,
        sites=sites,
        start=start,
        end=end,
        anonymous=anonymous,
        rows=services.side_by_side(reports),
    )
