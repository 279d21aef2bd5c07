from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import coordinated_sites, get_or_404, roles_required
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.i18n import LANGUAGES
from marketplace.problems import take_step
from marketplace.questionnaires import bp, services
from marketplace.questionnaires.forms import QuestionForm
from marketplace.questionnaires.models import Question, QuestionKind
from marketplace.sites.models import Site
from marketplace.sites.services import all_sites


def _site_or_404(site_id: int) -> Site:
    site = get_or_404(Site, site_id)
    sites = coordinated_sites(current_user)
    if sites is not None and site.id not in sites:
        abort(404)
    return site


@bp.get("/")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def index():
    sites = coordinated_sites(current_user)
    mine = [s for s in all_sites() if sites is None or s.id in sites]
    if len(mine) == 1:
        return redirect(url_for("questionnaires.edit", site_id=mine[0].id))
    return render_template("questionnaires/index.html", sites=mine)


@bp.route("/<int:site_id>", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
@keeps_input_on_csrf_failure
def edit(site_id: int):
    site = _site_or_404(site_id)
    form = QuestionForm()
    if form.validate_on_submit():
        lines = form.option_lines()
        # Answer lines typed for a kind without options are ignored (and need not match).
        count = len(lines["en"]) if QuestionKind(form.kind.data).has_options else 0
        option_labels = [{code: lines[code][i] for code in LANGUAGES} for i in range(count)]
        texts = {code: getattr(form, f"text_{code}").data for code in LANGUAGES}
        services.add_question(
            current_user,
            site.id,
            QuestionKind(form.kind.data),
            form.required.data,
            texts,
            option_labels,
        )
        flash(_("The question is added. Answers given before keep their meaning."), "success")
        return redirect(url_for("questionnaires.edit", site_id=site.id))
    return render_template(
        "questionnaires/edit.html", site=site, questionnaire=services.current(site.id), form=form
    ), (400 if form.errors else 200)


@bp.post("/<int:site_id>/questions/<int:question_id>/remove")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def remove_question(site_id: int, question_id: int):
    site = _site_or_404(site_id)
    question = get_or_404(Question, question_id)
    if not services.in_current(site.id, question):
        abort(404)
    return take_step(
        lambda: services.remove_question(current_user, site.id, question),
        success=_("The question is removed. Answers given before keep their meaning."),
        back=url_for("questionnaires.edit", site_id=site.id),
    )
