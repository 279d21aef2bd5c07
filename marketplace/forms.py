"""Pieces shared by every form."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


def no_nul_bytes(_form, field):
    """PostgreSQL rejects NUL in text; say so kindly instead of failing in the database."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("This field contains a character that is not allowed."))
