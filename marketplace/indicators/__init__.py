"""Programme indicators: a dashboard per site and period with charts against plan, site
comparison, funder exports with small cells suppressed, and the figures for the open data API."""

from flask import Blueprint

bp = Blueprint("indicators", __name__, url_prefix="/indicators")


def api_figures(site_ids, start, end) -> list[dict]:
    from marketplace.indicators.services import api_figures as figures

    return figures(site_ids, start, end)
