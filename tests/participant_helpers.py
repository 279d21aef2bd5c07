"""Participant test data built as people would build it."""

import io
from datetime import date

from pypdf import PdfWriter

from marketplace.languages import CefrLevel
from marketplace.participants import services
from marketplace.participants.models import WorkPermit
from marketplace.questionnaires import services as questionnaires
from marketplace.questionnaires.models import QuestionKind


def pdf_file(writer: PdfWriter | None = None) -> bytes:
    """The bytes of a real PDF: one blank A4 page, or what ``writer`` holds."""
    if writer is None:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf_file()
TEXTS = {
    "en": "How do you like to learn?",
    "lv": "Kā jums patīk mācīties?",
    "sv": "Hur lär du dig helst?",
    "ru": "Как вам нравится учиться?",
    "uk": "Як вам подобається вчитися?",
}
OPTIONS = [
    {
        "en": "By doing",
        "lv": "Darot",
        "sv": "Genom att göra",
        "ru": "На практике",
        "uk": "На практиці",
    },
    {"en": "By reading", "lv": "Lasot", "sv": "Genom att läsa", "ru": "Читая", "uk": "Читаючи"},
]


def profile_form(**changes) -> dict:
    data = {
        "date_of_birth": "2001-05-04",
        "gender": "female",
        "country_of_origin": "UA",
        "languages-0-language": "uk",
        "languages-0-level": "native",
        "languages-1-language": "en",
        "languages-1-level": "B1",
        "languages-2-language": "",
        "languages-3-language": "",
        "local_language_level": "A1",
        "education": "College of cooking, Kharkiv",
        "work_experience": "Cook, two years",
        "interests": ["kitchen"],
        "work_permit": "has_permit",
        "work_permit_expires_on": "2028-01-31",
        "heard_from": "friend",
        "consent_processing": "y",
    }
    return {**data, **changes}


def make_questionnaire(site_id: int):
    return questionnaires.add_questions(
        None,
        site_id,
        [
            (QuestionKind.SINGLE_CHOICE, True, TEXTS, OPTIONS),
            (QuestionKind.SCALE, True, {c: f"Scale? ({c})" for c in TEXTS}, []),
            (QuestionKind.FREE_TEXT, False, {c: f"Anything else? ({c})" for c in TEXTS}, []),
        ],
    )


def make_participant(app, user, *, birth=date(2001, 5, 4), submit=False):
    with app.test_request_context():
        profile = services.save_profile(
            user,
            {
                "date_of_birth": birth,
                "gender": None,
                "country_of_origin": "IN",
                "local_language_level": None,
                "education": "",
                "work_experience": "",
                "work_permit": WorkPermit.NOT_NEEDED,
                "work_permit_expires_on": None,
                "heard_from": None,
            },
            [("en", CefrLevel.C1)],
            [],
            share_with_funder=False,
        )
        if submit:
            services.submit(user, profile)
    return profile
