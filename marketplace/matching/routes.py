from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.applications.services import language_fit_of
from marketplace.authz import coordinated_sites, get_or_404, roles_required
from marketplace.extensions import db
from marketplace.forms import LARGEST_ID, options
from marketplace.matching import (
    bp,
    draft_review,
    drafts,
    mentor_shares,
    places,
    publishing,
    ranking,
    rounds,
)
from marketplace.matching.forms import (
    NewRoundForm,
    PostingsForm,
    ranks_form,
    ranks_of,
    share_field_name,
    shares_form,
)
from marketplace.matching.models import MatchingRound, RoundPair, RoundPosting
from marketplace.pagination import paginate
from marketplace.participants import services as participants
from marketplace.postings.models import PostingKind
from marketplace.problems import Problem, take_step
from marketplace.sites.models import Site

COORDINATION = (Role.COORDINATOR, Role.SUPER_ADMIN)


def _round_or_404(round_id: int) -> MatchingRound:
    """A round of a site the person coordinates; other sites' rounds do not exist for them."""
    round_ = get_or_404(MatchingRound, round_id)
    if not rounds.can_manage(current_user, round_):
        abort(404)
    return round_


def _back(round_: MatchingRound) -> str:
    return url_for("matching.show", round_id=round_.id)


def _page() -> int:
    return request.args.get("page", 1, type=int)


def _posted_ids(name: str) -> set[int]:
    return {
        int(value)
        for value in request.form.getlist(name)
        if value.isascii() and value.isdigit() and 0 < int(value) <= LARGEST_ID
    }


# The coordinator's rounds -----------------------------------------------------------------------


@bp.get("/")
@roles_required(*COORDINATION)
def index():
    page = paginate(rounds.for_sites(coordinated_sites(current_user)), _page())
    return render_template("matching/index.html", page=page)


def _sites_for(user) -> list[Site]:
    sites = coordinated_sites(user)
    query = db.select(Site).order_by(Site.name)
    if sites is not None:
        query = query.where(Site.id.in_(sites))
    return list(db.session.scalars(query))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*COORDINATION)
def new():
    form = NewRoundForm()
    sites = _sites_for(current_user)
    form.site.choices = options((site.id, site.name) for site in sites)
    if not form.is_submitted() and sites:
        form.site.data = (
            current_user.site_id
            if current_user.site_id in {site.id for site in sites}
            else sites[0].id
        )
    if form.validate_on_submit():
        site = db.session.get(Site, form.site.data)
        round_ = rounds.create(current_user, site, form.name.data)
        flash(_("The round is created. Now choose its postings."), "success")
        return redirect(url_for("matching.choose_postings", round_id=round_.id))
    return render_template("matching/new.html", form=form), 400 if form.is_submitted() else 200


@bp.get("/<int:round_id>")
@roles_required(*COORDINATION)
def show(round_id: int):
    round_ = _round_or_404(round_id)
    context = {}
    if round_.runs:
        section = request.args.get("section", "pairs")
        pairs = paginate(
            draft_review.pairs_page_query(round_), _page() if section == "pairs" else 1
        )
        unmatched = paginate(
            draft_review.unmatched_page_query(round_), _page() if section == "unmatched" else 1
        )
        titles = {rp.posting_id: rp.posting.title for rp in round_.postings}
        removed = draft_review.removed_pairs(round_)
        context = {
            "pairs": pairs,
            "unmatched": unmatched,
            "reasons": {
                row.id: draft_review.explain(row, titles, removed) for row in unmatched.items
            },
            "summary": draft_review.summary(round_),
        }
    return render_template(
        "matching/show.html",
        round=round_,
        actions=rounds.actions(current_user, round_),
        progress=ranking.progress(round_),
        **context,
    )


@bp.get("/<int:round_id>/inputs")
@roles_required(*COORDINATION)
def inputs(round_id: int):
    """What the engine was given at the last run: capacities, shares, and every rank."""
    round_ = _round_or_404(round_id)
    page = paginate(draft_review.entries_query(round_), _page())
    return render_template("matching/inputs.html", round=round_, page=page)


@bp.route("/<int:round_id>/postings", methods=["GET", "POST"])
@roles_required(*COORDINATION)
def choose_postings(round_id: int):
    round_ = _round_or_404(round_id)
    words = request.args.get("q", "")[:100]
    if request.method == "POST" and PostingsForm().validate_on_submit():
        shown, chosen = _posted_ids("shown"), _posted_ids("chosen")
        try:
            added, dropped = rounds.choose_postings(current_user, round_, shown, chosen)
        except Problem as problem:
            db.session.rollback()
            flash(problem.message, "warning")
        else:
            flash(
                _(
                    "Saved: %(added)s added, %(dropped)s taken out.",
                    added=added,
                    dropped=dropped,
                ),
                "success",
            )
        return redirect(request.full_path.rstrip("?"))
    page = paginate(rounds.candidate_postings(round_, words), _page())
    return render_template(
        "matching/postings.html",
        round=round_,
        page=page,
        words=words,
        chosen=rounds.chosen_posting_ids(round_),
        places=places.open_places(page.items),
        may_choose="choose_postings" in rounds.actions(current_user, round_),
        form=PostingsForm(),
    )


def _share_label(cell) -> str:
    return _(
        "Places of %(mentor)s for %(title)s",
        mentor=cell.mentor.user.display_name,
        title=cell.round_posting.posting.title,
    )


@bp.route("/<int:round_id>/shares", methods=["GET", "POST"])
@roles_required(*COORDINATION)
def shares(round_id: int):
    round_ = _round_or_404(round_id)
    cells = mentor_shares.share_cells(round_)
    form = shares_form(cells, _share_label)
    if form.validate_on_submit():
        given = {cell.key: form[share_field_name(cell.key)].data or 0 for cell in cells}
        problems = mentor_shares.share_problems(cells, given)
        for cell in cells:
            if cell.mentor.id in problems and given[cell.key]:
                form[share_field_name(cell.key)].errors.append(problems[cell.mentor.id])
        if not problems:
            return take_step(
                lambda: mentor_shares.save_shares(current_user, round_, given),
                success=_("The mentors' shares are saved."),
                back=_back(round_),
            )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "matching/shares.html",
        round=round_,
        form=form,
        cells=cells,
        field_name=share_field_name,
        free=places.free_places({cell.mentor.id: cell.mentor for cell in cells}.values()),
        places=places.open_places(rp.posting for rp in round_.postings),
        may_share="share_mentors" in rounds.actions(current_user, round_),
        mentoring=[rp for rp in round_.postings if rp.posting.kind == PostingKind.MENTORING],
    ), status


@bp.post("/<int:round_id>/run")
@roles_required(*COORDINATION)
def run(round_id: int):
    round_ = _round_or_404(round_id)

    def step():
        draft = drafts.run(current_user, round_)
        flash(
            ngettext(
                "The engine matched %(num)s participant of %(total)s.",
                "The engine matched %(num)s participants of %(total)s.",
                draft.matched,
                total=len(draft.inputs.participants),
            ),
            "success",
        )

    return take_step(step, success=None, back=_back(round_))


@bp.post("/<int:round_id>/reopen")
@roles_required(*COORDINATION)
def reopen(round_id: int):
    round_ = _round_or_404(round_id)
    return take_step(
        lambda: rounds.reopen(current_user, round_),
        success=_("The round is open for ranking again. Run it when the ranks are ready."),
        back=_back(round_),
    )


def _confirmed() -> bool:
    return request.method == "POST" and request.form.get("confirmed") == "yes"


@bp.route("/<int:round_id>/publish", methods=["GET", "POST"])
@roles_required(*COORDINATION)
def publish(round_id: int):
    """Publishing cannot be undone: the coordinator first sees what it does, then confirms."""
    round_ = _round_or_404(round_id)
    if _confirmed():
        return take_step(lambda: _publish(round_), success=None, back=_back(round_))
    if "publish" not in rounds.actions(current_user, round_):
        flash(_("This is not possible in the current status."), "warning")
        return redirect(_back(round_))
    return render_template(
        "matching/confirm_publish.html", round=round_, summary=draft_review.summary(round_)
    )


def _publish(round_: MatchingRound) -> None:
    report = publishing.publish(current_user, round_)
    flash(
        ngettext(
            "Published: %(num)s offer is sent.",
            "Published: %(num)s offers are sent.",
            report.offered,
        ),
        "success",
    )
    for line in report.not_offered:
        flash(_("Not offered: %(reason)s", reason=line), "warning")


@bp.route("/<int:round_id>/cancel", methods=["GET", "POST"])
@roles_required(*COORDINATION)
def cancel(round_id: int):
    round_ = _round_or_404(round_id)
    if _confirmed():
        return take_step(
            lambda: rounds.cancel(current_user, round_),
            success=_("The round is cancelled. Nobody gets an offer from it."),
            back=_back(round_),
        )
    if "cancel" not in rounds.actions(current_user, round_):
        flash(_("This is not possible in the current status."), "warning")
        return redirect(_back(round_))
    return render_template("matching/confirm_cancel.html", round=round_)


def _pair_or_404(pair_id: int) -> RoundPair:
    pair = get_or_404(RoundPair, pair_id)
    _round_or_404(pair.round_id)
    return pair


PAIR_STEPS = {
    "lock": (draft_review.lock, _("The pair is locked: it stays at the next run.")),
    "unlock": (draft_review.unlock, _("The pair is no longer locked.")),
    "remove": (draft_review.remove, _("The pair is removed: the next run will not propose it.")),
    "restore": (draft_review.restore, _("The pair may be proposed again at the next run.")),
}


def _pair_step(pair_id: int, name: str):
    pair = _pair_or_404(pair_id)
    step, success = PAIR_STEPS[name]
    return take_step(lambda: step(current_user, pair), success=str(success), back=_back(pair.round))


@bp.post("/pairs/<int:pair_id>/lock")
@roles_required(*COORDINATION)
def lock(pair_id: int):
    return _pair_step(pair_id, "lock")


@bp.post("/pairs/<int:pair_id>/unlock")
@roles_required(*COORDINATION)
def unlock(pair_id: int):
    return _pair_step(pair_id, "unlock")


@bp.post("/pairs/<int:pair_id>/remove")
@roles_required(*COORDINATION)
def remove(pair_id: int):
    return _pair_step(pair_id, "remove")


@bp.post("/pairs/<int:pair_id>/restore")
@roles_required(*COORDINATION)
def restore(pair_id: int):
    return _pair_step(pair_id, "restore")


# Participants rank their choices ----------------------------------------------------------------


@bp.route("/<int:round_id>/my-choices", methods=["GET", "POST"])
@roles_required(Role.PARTICIPANT)
def my_choices(round_id: int):
    round_ = get_or_404(MatchingRound, round_id)
    profile = participants.profile_of(current_user)
    choices = ranking.choices_of(round_, profile) if profile is not None else []
    if not choices:
        abort(404)  # not a round they take part in
    may_rank = ranking.CHOICES.may(current_user, ranking.Choices(round_, profile), "rank_choices")
    rows = [
        (a.id, _("Your number for %(title)s", title=a.posting.title), rank) for a, rank in choices
    ]
    form = ranks_form(rows, _("Save my order"))
    if form.validate_on_submit():
        ranks = ranks_of(form, [a.id for a, _rank in choices])
        return take_step(
            lambda: ranking.save_choices(current_user, round_, profile, ranks),
            success=_("Your order is saved. You can change it while the round is open."),
            back=url_for("matching.my_choices", round_id=round_.id),
        )
    return render_template(
        "matching/my_choices.html", round=round_, choices=choices, form=form, may_rank=may_rank
    ), 400 if form.is_submitted() else 200


# The posting's staff rank their shortlisted applicants ------------------------------------------


@bp.route("/postings/<int:round_posting_id>/rank", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER_STAFF, *COORDINATION)
def rank_applicants(round_posting_id: int):
    round_posting = get_or_404(RoundPosting, round_posting_id)
    posting_ranking = ranking.Ranking(round_posting)
    if not ranking.RANKING.is_theirs(current_user, posting_ranking, "rank_applicants"):
        abort(404)
    page = paginate(ranking.shortlisted_for(round_posting), _page())
    numbers = ranking.posting_ranks(round_posting.round, page.items)
    rows = [
        (application.id, ranking.applicant_label(application), numbers.get(application.id))
        for application in page.items
    ]
    form = ranks_form(rows, _("Save the order"))
    if form.validate_on_submit():
        ranks = ranks_of(form, [application.id for application in page.items])
        return take_step(
            lambda: ranking.save_ranking(current_user, round_posting, ranks),
            success=_("The order is saved. You can change it while the round is open."),
            back=request.full_path.rstrip("?"),
        )
    posting = round_posting.posting
    return render_template(
        "matching/rank_applicants.html",
        round_posting=round_posting,
        round=round_posting.round,
        posting=posting,
        page=page,
        form=form,
        may_rank=ranking.RANKING.may(current_user, posting_ranking, "rank_applicants"),
        language_fit=language_fit_of(posting, page.items),
    ), 400 if form.is_submitted() else 200
