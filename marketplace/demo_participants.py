"""Demo questionnaires (in all five languages) and participant profiles in every state."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.mentors.models import Expertise
from marketplace.participants.models import (
    Gender,
    ParticipantInterest,
    ParticipantLanguage,
    ParticipantProfile,
    RecommendedSupport,
    Support,
    WorkPermit,
)
from marketplace.participants.services import (
    FUNDER_CONSENT,
    PROCESSING_CONSENT,
    SUGGESTION_CONSENT,
    WORKFLOW,
    give_consent,
)
from marketplace.questionnaires import services as questionnaires
from marketplace.questionnaires.models import QuestionKind
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site
from marketplace.workflow.services import transition

QUESTIONS = [
    (QuestionKind.SINGLE_CHOICE, True, {
        "en": "What is your experience of working in a hotel or restaurant?",
        "lv": "Kāda ir jūsu pieredze darbā viesnīcā vai restorānā?",
        "sv": "Vilken erfarenhet har du av arbete på hotell eller restaurang?",
        "ru": "Какой у вас опыт работы в отеле или ресторане?",
        "uk": "Який у вас досвід роботи в готелі чи ресторані?",
    }, [
        {"en": "I have experience of this work", "lv": "Man ir šāda darba pieredze",
         "sv": "Jag har arbetat med det förut", "ru": "У меня есть такой опыт",
         "uk": "У мене є такий досвід"},
        {"en": "No experience, but I want to try", "lv": "Man nav pieredzes, bet gribu pamēģināt",
         "sv": "Ingen erfarenhet, men jag vill prova", "ru": "Опыта нет, но я хочу попробовать",
         "uk": "Досвіду немає, але я хочу спробувати"},
        {"en": "I am not sure yet", "lv": "Vēl nezinu", "sv": "Jag vet inte än",
         "ru": "Пока не знаю", "uk": "Поки не знаю"},
    ]),
    (QuestionKind.MULTIPLE_CHOICE, True, {
        "en": "What support would help you most?",
        "lv": "Kāds atbalsts jums palīdzētu visvairāk?",
        "sv": "Vilket stöd skulle hjälpa dig mest?",
        "ru": "Какая поддержка помогла бы вам больше всего?",
        "uk": "Яка підтримка допомогла б вам найбільше?",
    }, [
        {"en": "Learning the local language", "lv": "Vietējās valodas apguve",
         "sv": "Att lära mig det lokala språket", "ru": "Изучение местного языка",
         "uk": "Вивчення місцевої мови"},
        {"en": "Understanding the culture and habits at work",
         "lv": "Kultūras un darba paradumu izpratne", "sv": "Att förstå kulturen och arbetslivet",
         "ru": "Понимание культуры и правил на работе",
         "uk": "Розуміння культури та правил на роботі"},
        {"en": "Finding a job", "lv": "Darba meklēšana", "sv": "Att hitta ett jobb",
         "ru": "Поиск работы", "uk": "Пошук роботи"},
        {"en": "A mentor at work", "lv": "Mentors darbavietā", "sv": "En mentor på arbetsplatsen",
         "ru": "Наставник на работе", "uk": "Наставник на роботі"},
    ]),
    (QuestionKind.SCALE, True, {
        "en": "How confident are you speaking the local language at work?",
        "lv": "Cik droši jūs jūtaties, runājot vietējā valodā darbā?",
        "sv": "Hur säker känner du dig på att prata det lokala språket på jobbet?",
        "ru": "Насколько уверенно вы говорите на местном языке на работе?",
        "uk": "Наскільки впевнено ви розмовляєте місцевою мовою на роботі?",
    }, []),
    (QuestionKind.FREE_TEXT, False, {
        "en": "What would you like to do in one year?",
        "lv": "Ko jūs gribētu darīt pēc gada?",
        "sv": "Vad skulle du vilja göra om ett år?",
        "ru": "Чем бы вы хотели заниматься через год?",
        "uk": "Чим би ви хотіли займатися через рік?",
    }, []),
]  # fmt: skip

# (e-mail, birth date, gender, country, languages, local level, interests, statuses)
PARTICIPANTS = [
    ("priya@example.org", date(2001, 4, 12), Gender.FEMALE, "IN",
     [("en", CefrLevel.C1), ("hi", CefrLevel.NATIVE)], CefrLevel.A2,
     [Expertise.FRONT_OFFICE], ["draft", "submitted", "approved"]),
    ("oleksandr@example.org", date(1999, 9, 3), Gender.MALE, "UA",
     [("uk", CefrLevel.NATIVE), ("ru", CefrLevel.C2), ("en", CefrLevel.B1)], CefrLevel.A1,
     [Expertise.KITCHEN], ["draft", "submitted"]),
    ("dilshod@example.org", date(2003, 1, 20), None, "UZ",
     [("uz", CefrLevel.NATIVE), ("ru", CefrLevel.C1)], None, [Expertise.SERVICE], ["draft"]),
    ("nimal@example.org", date(1997, 11, 30), Gender.MALE, "LK",
     [("si", CefrLevel.NATIVE), ("en", CefrLevel.B2)], CefrLevel.A2,
     [Expertise.KITCHEN, Expertise.ENTREPRENEURSHIP], ["draft", "submitted", "approved"]),
    ("aliaksandra@example.org", date(2000, 6, 8), Gender.PREFER_NOT_TO_SAY, "BY",
     [("be", CefrLevel.NATIVE), ("ru", CefrLevel.NATIVE)], CefrLevel.B1,
     [Expertise.HOUSEKEEPING], ["draft", "submitted", "changes_requested"]),
    ("artem@example.org", date(1998, 2, 14), Gender.MALE, "RU",
     [("ru", CefrLevel.NATIVE), ("en", CefrLevel.A2)], CefrLevel.A2,
     [Expertise.SERVICE], ["draft", "submitted", "approved"]),
    ("kavya@example.org", date(2000, 7, 21), Gender.FEMALE, "IN",
     [("en", CefrLevel.C1), ("ta", CefrLevel.NATIVE)], CefrLevel.A2,
     [Expertise.SERVICE, Expertise.FRONT_OFFICE], ["draft", "submitted", "approved"]),
    ("mariia@example.org", date(2002, 10, 5), Gender.FEMALE, "UA",
     [("uk", CefrLevel.NATIVE), ("ru", CefrLevel.C1), ("en", CefrLevel.B1)], CefrLevel.A2,
     [Expertise.HOUSEKEEPING], ["draft", "submitted", "approved"]),
]  # fmt: skip


# Everyone else agreed to share anonymised data with funders: the funder export leaves these out.
WITHOUT_FUNDER_CONSENT = {"dilshod@example.org", "aliaksandra@example.org"}


def load_participants() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(ParticipantProfile)):
        return
    for site in db.session.scalars(sa.select(Site)):
        questionnaires.add_questions(None, site.id, QUESTIONS)
    for email, birth, gender, country, languages, local, interests, path in PARTICIPANTS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        profile = ParticipantProfile(
            user=user, site_id=user.site_id, date_of_birth=birth, gender=gender,
            country_of_origin=country, local_language_level=local,
            work_permit=WorkPermit.HAS_PERMIT, work_permit_expires_on=date(2028, 12, 31),
            education="Secondary school; a cooking course.", status=None,
            work_experience="Two summers in a family café.",
            languages=[ParticipantLanguage(language=c, level=lv) for c, lv in languages],
            interests=[ParticipantInterest(area=area) for area in interests],
        )  # fmt: skip
        db.session.add(profile)
        transition(profile, "draft", allowed=WORKFLOW.edges, actor=user, site_id=user.site_id)
        give_consent(user, PROCESSING_CONSENT)
        if email not in WITHOUT_FUNDER_CONSENT:
            give_consent(user, FUNDER_CONSENT)
        if "submitted" in path:
            questionnaire = questionnaires.current(user.site_id)
            first, second, scale, free = questionnaire.questions
            answers = {
                first.id: [str(first.options[1].id)],
                second.id: [str(second.options[0].id), str(second.options[3].id)],
                scale.id: ["2"],
                free.id: ["Work in a kitchen."],
            }
            questionnaires.save_answers(profile.id, questionnaire, answers, submit=True)
        for status in path[1:]:
            transition(profile, status, allowed=WORKFLOW.edges, actor=user, site_id=user.site_id,
                       reason="Please add your work experience." if status == "changes_requested"
                       else "")  # fmt: skip
        if "approved" in path:
            profile.interview_notes = "Motivated; wants kitchen work. Needs local language first."
            profile.support = [RecommendedSupport(kind=Support.LANGUAGE),
                               RecommendedSupport(kind=Support.MENTORING)]  # fmt: skip
            # Approved participants asked to be suggested to employers, from two weeks on.
            today = today_at(user.site)
            profile.available_from = today + timedelta(days=14)
            profile.available_until = today + timedelta(days=365)
            give_consent(user, SUGGESTION_CONSENT)
    db.session.commit()
