"""The public check of a certificate's code: no login, so an employer can check what they read."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.authz import public
from marketplace.certificates import bp, services
from marketplace.certificates.forms import VerifyForm
from marketplace.certificates.limits import FAILED_LOOKUPS
from marketplace.rate_limits import limited


def _unknown_code_page(form: VerifyForm):
    form.code.errors = [
        _("There is no certificate with this code. Please check the code and try again.")
    ]
    return render_template("certificates/verify.html", form=form)


@bp.get("/verify")
@public
@limited(FAILED_LOOKUPS)
def verify():
    form = VerifyForm(request.args)
    if "code" not in request.args or not form.validate():
        return render_template("certificates/verify.html", form=form)
    certificate = services.find(form.code.data)
    if certificate is None:
        return _unknown_code_page(form)
    FAILED_LOOKUPS.give_back()
    return redirect(url_for("certificates.show", code=services.formatted(certificate.code)))


@bp.get("/<code>")
@public
@limited(FAILED_LOOKUPS)
def show(code: str):
    certificate = services.find(code)
    if certificate is None:
        return _unknown_code_page(VerifyForm(data={"code": code[: services.LONGEST_TYPED]})), 404
    FAILED_LOOKUPS.give_back()
    newer = services.newest_replacing(certificate)
    response = render_template(
        "certificates/show.html",
        code=services.formatted(certificate.code),
        snapshot=services.snapshot_of(certificate),
        replaced_on=services.snapshot_of(newer).issued_on if newer else None,
    )
    # A person's name and figures: not for search engines or shared caches.
    return response, {"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"}
