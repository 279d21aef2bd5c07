"""The password rule: 8 to 128 characters and not one of the most common passwords.

No composition rules: they make passwords harder to remember, not harder to guess. The list of
20,000 common passwords is the one Django ships (compiled by Royce Williams).
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def is_common(password: str) -> bool:
    return password.strip().lower() in common_passwords()


def acceptable_password(_form, field) -> None:
    """WTForms validator for a new password."""
    password = field.data or ""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationError(_l("A password has between 8 and 128 characters."))
    if is_common(password):
        raise ValidationError(
            _l(
                "This password is one of the most common ones and easy to guess. "
                "Please choose another."
            )
        )
