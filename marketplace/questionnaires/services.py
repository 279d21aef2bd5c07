"""Questionnaire versions, and a participant's answers to them."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.i18n import LANGUAGES
from marketplace.problems import Problem
from marketplace.questionnaires.models import (
    SCALE,
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionOption,
    Response,
)


def current(site_id: int) -> Questionnaire | None:
    return db.session.scalar(
        sa.select(Questionnaire).where(Questionnaire.site_id == site_id, Questionnaire.current)
    )


def _copy_question(question: Question, position: int) -> Question:
    copy = Question(
        position=position,
        kind=question.kind,
        required=question.required,
        **{f"text_{c}": getattr(question, f"text_{c}") for c in LANGUAGES},
    )
    copy.options = [
        QuestionOption(
            position=o.position, **{f"label_{c}": getattr(o, f"label_{c}") for c in LANGUAGES}
        )
        for o in question.options
    ]
    return copy


def _new_version(actor: User | None, site_id: int, keep: list[Question]) -> Questionnaire:
    """A new current version holding copies of ``keep``; the old version stays for old answers."""
    previous = current(site_id)
    number = 1
    if previous is not None:
        previous.current = False
        number = previous.version + 1
        db.session.flush()
    version = Questionnaire(
        site_id=site_id, version=number, current=True, created_by_id=actor.id if actor else None
    )
    version.questions = [_copy_question(q, i) for i, q in enumerate(keep)]
    db.session.add(version)
    return version


def add_questions(actor: User | None, site_id: int, questions) -> Questionnaire:
    """Append questions, each (kind, required, texts per language, option labels per
    language), as one new version."""
    previous = current(site_id)
    version = _new_version(actor, site_id, list(previous.questions) if previous else [])
    for kind, required, texts, options in questions:
        if kind.has_options and len(options) < 2:
            raise Problem(
                _("Give at least two answers, and the same number of lines in every language.")
            )
        question = Question(
            position=len(version.questions),
            kind=kind,
            required=required,
            **{f"text_{c}": texts.get(c, "").strip() for c in LANGUAGES},
        )
        question.options = [
            QuestionOption(
                position=i, **{f"label_{c}": labels.get(c, "").strip() for c in LANGUAGES}
            )
            for i, labels in enumerate(options if kind.has_options else [])
        ]
        version.questions.append(question)
    audit.record(
        "questionnaire.changed",
        actor=actor,
        obj=version,
        site_id=site_id,
        summary=f"version {version.version}",
    )
    db.session.commit()
    return version


def add_question(
    actor: User | None,
    site_id: int,
    kind: QuestionKind,
    required: bool,
    texts: dict[str, str],
    options: list[dict[str, str]],
) -> Questionnaire:
    return add_questions(actor, site_id, [(kind, required, texts, options)])


def in_current(site_id: int, question: Question) -> bool:
    """Whether the question belongs to the site's current version (only those are removed)."""
    previous = current(site_id)
    return previous is not None and question.questionnaire_id == previous.id


def remove_question(actor: User, site_id: int, question: Question) -> Questionnaire:
    if not in_current(site_id, question):
        raise Problem()
    previous = current(site_id)
    version = _new_version(actor, site_id, [q for q in previous.questions if q.id != question.id])
    audit.record(
        "questionnaire.changed",
        actor=actor,
        obj=version,
        site_id=site_id,
        summary=f"version {version.version}",
    )
    db.session.commit()
    return version


# Answers ----------------------------------------------------------------------------------------


def response_for(profile_id: int, questionnaire: Questionnaire) -> Response | None:
    return db.session.scalar(
        sa.select(Response).where(
            Response.profile_id == profile_id, Response.questionnaire_id == questionnaire.id
        )
    )


def latest_response(profile_id: int) -> Response | None:
    return db.session.scalar(
        sa.select(Response).where(Response.profile_id == profile_id).order_by(Response.id.desc())
    )


def _clean(question: Question, raw: list[str]) -> str:
    """The stored form of an answer, or '' if it is not one of the allowed values."""
    if question.kind == QuestionKind.FREE_TEXT:
        return (raw[0] if raw else "").strip().replace("\x00", "")[:5000]
    if question.kind == QuestionKind.SCALE:
        return raw[0] if raw and raw[0] in {str(n) for n in SCALE} else ""
    offered = {str(o.id) for o in question.options}
    chosen = [value for value in raw if value in offered]
    if question.kind == QuestionKind.SINGLE_CHOICE:
        chosen = chosen[:1]
    return ",".join(chosen)


def save_answers(
    profile_id: int, questionnaire: Questionnaire, raw: dict[int, list[str]], *, submit: bool
) -> list[Question]:
    """Keep what was answered. When submitting, return the required questions left unanswered
    (and submit only when there are none)."""
    response = response_for(profile_id, questionnaire)
    if response is None:
        response = Response(profile_id=profile_id, questionnaire_id=questionnaire.id)
        db.session.add(response)
    values = {q.id: _clean(q, raw.get(q.id, [])) for q in questionnaire.questions}
    existing = {a.question_id: a for a in response.answers}
    for question_id, value in values.items():
        if question_id in existing:
            existing[question_id].value = value
        else:
            response.answers.append(Answer(question_id=question_id, value=value))
    missing = [q for q in questionnaire.questions if q.required and not values[q.id]]
    if submit and not missing:
        response.submitted_at = utcnow()
    db.session.commit()
    return missing if submit else []


def readable_answer(question: Question, value: str) -> str:
    """An answer as a coordinator reads it, in their language."""
    if not value:
        return ""
    if question.kind.has_options:
        labels = {str(o.id): o.label() for o in question.options}
        return ", ".join(labels.get(part, "") for part in value.split(","))
    return value
