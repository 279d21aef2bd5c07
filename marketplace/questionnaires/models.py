from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum, utcnow

SCALE = range(1, 6)


class QuestionKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    FREE_TEXT = "free_text"

    @property
    def label(self):
        return {
            QuestionKind.SINGLE_CHOICE: _l("One choice"),
            QuestionKind.MULTIPLE_CHOICE: _l("Several choices"),
            QuestionKind.SCALE: _l("Scale from 1 to 5"),
            QuestionKind.FREE_TEXT: _l("Free text"),
        }[self]

    @property
    def has_options(self) -> bool:
        return self in {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}


class Translated:
    """Text kept in one column per language; shown in the reader's language, else English."""

    def text_in(self, prefix: str, locale: str | None = None) -> str:
        locale = locale or str(get_locale())
        return getattr(self, f"{prefix}_{locale}", "") or getattr(self, f"{prefix}_en")


class Questionnaire(TimestampMixin, Base):
    """One version of a site's questionnaire. Editing makes a new version, so answers given to
    an old one keep their meaning."""

    __tablename__ = "questionnaire"
    __table_args__ = (sa.UniqueConstraint("site_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="CASCADE"))
    version: Mapped[int]
    current: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    questions: Mapped[list[Question]] = relationship(
        cascade="all, delete-orphan", order_by="Question.position"
    )


class Question(Translated, Base):
    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(string_enum(QuestionKind))
    required: Mapped[bool] = mapped_column(default=True)
    text_en: Mapped[str] = mapped_column(sa.String(500), default="")
    text_lv: Mapped[str] = mapped_column(sa.String(500), default="")
    text_sv: Mapped[str] = mapped_column(sa.String(500), default="")
    text_ru: Mapped[str] = mapped_column(sa.String(500), default="")
    text_uk: Mapped[str] = mapped_column(sa.String(500), default="")

    options: Mapped[list[QuestionOption]] = relationship(
        cascade="all, delete-orphan", order_by="QuestionOption.position"
    )

    def text(self, locale: str | None = None) -> str:
        return self.text_in("text", locale)


class QuestionOption(Translated, Base):
    __tablename__ = "question_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    label_en: Mapped[str] = mapped_column(sa.String(200), default="")
    label_lv: Mapped[str] = mapped_column(sa.String(200), default="")
    label_sv: Mapped[str] = mapped_column(sa.String(200), default="")
    label_ru: Mapped[str] = mapped_column(sa.String(200), default="")
    label_uk: Mapped[str] = mapped_column(sa.String(200), default="")

    def label(self, locale: str | None = None) -> str:
        return self.text_in("label", locale)


class Response(Base):
    """A participant's answers to one version of the questionnaire; saved as they go."""

    __tablename__ = "questionnaire_response"
    __table_args__ = (sa.UniqueConstraint("profile_id", "questionnaire_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire.id", ondelete="RESTRICT")
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship()
    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan")

    def answer_to(self, question: Question) -> str:
        return next((a.value for a in self.answers if a.question_id == question.id), "")


class Answer(Base):
    """The answer to one question: option ids (comma-separated), a scale value, or text."""

    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_response.id", ondelete="CASCADE")
    )
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="RESTRICT"))
    value: Mapped[str] = mapped_column(sa.Text, default="")
