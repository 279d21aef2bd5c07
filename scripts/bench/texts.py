"""Word pools for the synthetic programme: names as the programme's people write them, employers
of Latvia and Sweden, posting titles in the five languages, training and event titles.

Training and event titles, posting descriptions and mentoring topics are the demo's own
(marketplace/demo_*.py), so the benchmark reads like the demo, only much bigger.
"""

from __future__ import annotations

from marketplace.demo_delivery import COURSES, EVENTS, TRAINING
from marketplace.demo_placements import ARTEM_SESSIONS, MARIIA_SESSIONS
from marketplace.languages import CefrLevel
from marketplace.mentors.models import Expertise

A1, A2, B1, B2, C1, C2, NATIVE = list(CefrLevel)

# Sites beside the demo's Riga and Linköping: (slug, name, country, zone, language, the
# demo site whose hours plan and titles it shares).
EXTRA_SITES = [
    ("liepaja", "Liepāja", "LV", "Europe/Riga", "lv", "riga"),
    ("norrkoping", "Norrköping", "SE", "Europe/Stockholm", "sv", "linkoping"),
]
# Share of people and employers at each site.
SITE_WEIGHTS = {"riga": 0.40, "linkoping": 0.25, "liepaja": 0.15, "norrkoping": 0.20}
# Cities where each site's employers are, the site's own city first.
CITIES = {
    "riga": ["Rīga", "Rīga", "Rīga", "Jūrmala", "Sigulda"],
    "linkoping": ["Linköping", "Linköping", "Linköping", "Mjölby", "Motala"],
    "liepaja": ["Liepāja", "Liepāja", "Kuldīga", "Ventspils"],
    "norrkoping": ["Norrköping", "Norrköping", "Söderköping", "Finspång"],
}
STREETS = {
    "LV": ["Brīvības iela", "Elizabetes iela", "Kaļķu iela", "Tērbatas iela",
           "Krišjāņa Barona iela", "Dzirnavu iela", "Lāčplēša iela", "Gertrūdes iela",
           "Valdemāra iela", "Jūras iela", "Lielā iela", "Ostas iela"],
    "SE": ["Storgatan", "Drottninggatan", "Kungsgatan", "Ågatan", "Hamngatan", "Nygatan",
           "Repslagaregatan", "Västra vägen", "Trädgårdsgatan", "Tanneforsgatan"],
}  # fmt: skip

# Employers' names: a word for the kind of place, in the country's language, and a name.
ORGANISATION_KINDS = {
    "LV": {
        "hotel": ["Viesnīca {w}", "{w} Hotel", "Hotel {w}"],
        "restaurant": ["Restorāns {w}", "Kafejnīca {w}", "Bistro {w}"],
        "catering": ["{w} Catering", "Ēdināšanas serviss {w}"],
        "hotel_school": ["{w} Viesmīlības skola", "Tūrisma un viesmīlības koledža {w}"],
        "other": ["Viesu nams {w}", "Atpūtas komplekss {w}"],
    },
    "SE": {
        "hotel": ["Hotell {w}", "{w} Hotel"],
        "restaurant": ["Restaurang {w}", "Kafé {w}", "Bistro {w}"],
        "catering": ["{w} Catering", "{w} Mat & Event"],
        "hotel_school": ["{w} Hotell- och restaurangskola"],
        "other": ["Vandrarhem {w}", "Konferensgård {w}"],
    },
}
ORGANISATION_WORDS = {
    "LV": ["Baltā Pērle", "Daugava", "Dzintars", "Amber", "Rīgas Vārti", "Vecrīga", "Ozolkalns",
           "Saulrieti", "Gaujas Krasts", "Nord", "Baltic Bay", "Kurzeme", "Mārtiņa Sēta",
           "Liepa", "Dzērve", "Centrāle", "Zeltene", "Jūras Vējš", "Ziemeļblāzma", "Mežaparks"],
    "SE": ["Stångån", "Östgöta", "Motala Ström", "Kinda", "Roxen", "Valla", "Nordic Light",
           "Slottet", "Eken", "Björken", "Tornet", "Kanalen", "Bryggan", "Solsidan",
           "Vätterstrand", "Göta", "Linnéa", "Kvarnen", "Hamnen", "Järnvägen"],
}  # fmt: skip
BRANCHES = ["", "", "", "Centrs", "Old Town", "Park", "City", "Plaza", "Garden", "2"]

# People: given names (men's, women's) and family names (men's and women's forms), in the Latin
# alphabet and, for Russian, Ukrainian and Belarusian, also in Cyrillic (some people write
# their name that way). Each country: (code, share of participants).
COUNTRIES = [
    ("IN", 0.20), ("LK", 0.09), ("RU", 0.14), ("UA", 0.22), ("BY", 0.08), ("UZ", 0.10),
    ("SY", 0.06), ("AF", 0.04), ("NG", 0.04), ("IR", 0.03),
]  # fmt: skip

# Each name: Latin, or (Latin, Cyrillic).
GIVEN_NAMES = {
    "IN": (["Arjun", "Rahul", "Vikram", "Amit", "Sanjay", "Rohan", "Karthik", "Suresh", "Ravi"],
           ["Priya", "Kavya", "Ananya", "Divya", "Lakshmi", "Meera", "Pooja", "Sneha", "Nisha"]),
    "LK": (["Nimal", "Kasun", "Chaminda", "Ruwan", "Tharindu", "Dinesh", "Lahiru", "Sampath"],
           ["Nadeesha", "Dilani", "Sanduni", "Ishara", "Thilini", "Kumari", "Nirosha", "Hasini"]),
    "RU": ([("Artem", "Артём"), ("Dmitry", "Дмитрий"), ("Ivan", "Иван"), ("Sergey", "Сергей"),
            ("Alexey", "Алексей"), ("Nikita", "Никита"), ("Maxim", "Максим"), ("Pavel", "Павел")],
           [("Anastasia", "Анастасия"), ("Ekaterina", "Екатерина"), ("Olga", "Ольга"),
            ("Yulia", "Юлия"), ("Daria", "Дарья"), ("Elena", "Елена"), ("Polina", "Полина"),
            ("Sofia", "София")]),
    "UA": ([("Oleksandr", "Олександр"), ("Andriy", "Андрій"), ("Mykola", "Микола"),
            ("Taras", "Тарас"), ("Dmytro", "Дмитро"), ("Yurii", "Юрій"), ("Bohdan", "Богдан"),
            ("Serhii", "Сергій")],
           [("Mariia", "Марія"), ("Olena", "Олена"), ("Iryna", "Ірина"), ("Oksana", "Оксана"),
            ("Kateryna", "Катерина"), ("Nataliia", "Наталія"), ("Yuliia", "Юлія"),
            ("Sofiia", "Софія")]),
    "BY": ([("Aliaksandr", "Аляксандр"), ("Siarhei", "Сяргей"), ("Uladzimir", "Уладзімір"),
            ("Andrei", "Андрэй"), ("Pavel", "Павел")],
           [("Aliaksandra", "Аляксандра"), ("Volha", "Вольга"), ("Hanna", "Ганна"),
            ("Darya", "Дарья"), ("Katsiaryna", "Кацярына")]),
    "UZ": (["Dilshod", "Rustam", "Jasur", "Sardor", "Aziz", "Bekzod", "Otabek"],
           ["Dilnoza", "Malika", "Nodira", "Gulnora", "Shahnoza", "Madina", "Zarina"]),
    "SY": (["Ahmad", "Omar", "Khaled", "Yousef", "Rami", "Samer"],
           ["Lina", "Rana", "Nour", "Hiba", "Yara", "Reem"]),
    "AF": (["Ahmad", "Farid", "Jawad", "Mustafa", "Hamid"],
           ["Zahra", "Mariam", "Parisa", "Shabnam", "Fatima"]),
    "NG": (["Chinedu", "Emeka", "Tunde", "Ifeanyi", "Segun"],
           ["Ngozi", "Amaka", "Chioma", "Funmilayo", "Adaeze"]),
    "IR": (["Reza", "Ali", "Amir", "Hossein"], ["Sara", "Narges", "Leila", "Maryam"]),
}  # fmt: skip


def _same(latin: str, cyrillic: str | None = None):
    """A family name men and women share: ((Latin, Cyrillic), (Latin, Cyrillic))."""
    return ((latin, cyrillic), (latin, cyrillic))


def _pair(men: str, women: str, men_cyrillic: str | None = None, women_cyrillic=None):
    """A family name with a men's and a women's form."""
    return ((men, men_cyrillic), (women, women_cyrillic))


# Each entry: (men's form, women's form), each (Latin, Cyrillic or None).
FAMILY_NAMES = {
    "IN": [_same(n) for n in ["Sharma", "Nair", "Patel", "Iyer", "Reddy", "Gupta", "Menon",
                               "Pillai", "Rao", "Singh", "Kumar", "Das", "Krishnan", "Joshi"]],
    "LK": [_same(n) for n in ["Perera", "Fernando", "Silva", "Jayasuriya", "Wickramasinghe",
                               "Bandara", "Gunawardena", "Dissanayake", "Herath"]],
    "RU": [_pair("Volkov", "Volkova", "Волков", "Волкова"),
           _pair("Smirnov", "Smirnova", "Смирнов", "Смирнова"),
           _pair("Ivanov", "Ivanova", "Иванов", "Иванова"),
           _pair("Kuznetsov", "Kuznetsova", "Кузнецов", "Кузнецова"),
           _pair("Sokolov", "Sokolova", "Соколов", "Соколова"),
           _pair("Kovalev", "Kovaleva", "Ковалёв", "Ковалёва"),
           _pair("Morozov", "Morozova", "Морозов", "Морозова"),
           _pair("Lebedev", "Lebedeva", "Лебедев", "Лебедева"),
           _pair("Novikov", "Novikova", "Новиков", "Новикова")],
    "UA": [_same("Koval", "Коваль"), _same("Kovalenko", "Коваленко"),
           _same("Bondarenko", "Бондаренко"), _same("Shevchenko", "Шевченко"),
           _same("Tkachenko", "Ткаченко"), _same("Kravchenko", "Кравченко"),
           _same("Melnyk", "Мельник"), _same("Boiko", "Бойко"), _same("Lysenko", "Лисенко"),
           _same("Moroz", "Мороз"), _same("Kovalchuk", "Ковальчук"), _same("Hnatiuk", "Гнатюк")],
    "BY": [_pair("Kavaleu", "Kavaliova", "Кавалёў", "Кавалёва"),
           _pair("Kazlou", "Kazlova", "Казлоў", "Казлова"),
           _same("Novik", "Новік"), _same("Karpovich", "Карповіч"), _same("Zhuk", "Жук"),
           _pair("Ivanou", "Ivanova", "Іваноў", "Іванова")],
    "UZ": [_pair("Karimov", "Karimova"), _pair("Rakhimov", "Rakhimova"),
           _pair("Yusupov", "Yusupova"), _pair("Abdullaev", "Abdullaeva"),
           _pair("Nazarov", "Nazarova"), _pair("Ismoilov", "Ismoilova")],
    "SY": [_same(n) for n in ["Haddad", "Khoury", "Al-Masri", "Darwish", "Hamdan", "Nasser"]],
    "AF": [_same(n) for n in ["Ahmadi", "Karimi", "Rahimi", "Sultani", "Haidari"]],
    "NG": [_same(n) for n in ["Okafor", "Adeyemi", "Okonkwo", "Eze", "Balogun"]],
    "IR": [_same(n) for n in ["Hosseini", "Moradi", "Rezaei", "Jafari"]],
}  # fmt: skip

# The people of the sites' own countries: coordinators, employers' staff, mentors.
LOCAL_GIVEN_NAMES = {
    "LV": (["Jānis", "Andris", "Mārtiņš", "Pēteris", "Edgars", "Kārlis", "Raimonds", "Artūrs",
            "Aleksejs", "Dmitrijs"],
           ["Ilze", "Laura", "Inese", "Anna", "Līga", "Dace", "Kristīne", "Zane", "Jeļena",
            "Olga"]),
    "SE": (["Erik", "Lars", "Anders", "Johan", "Karl", "Per", "Mikael", "Oskar", "Ahmed"],
           ["Sara", "Karin", "Anna", "Eva", "Maria", "Emma", "Åsa", "Linnea", "Fatima"]),
}  # fmt: skip
LOCAL_FAMILY_NAMES = {
    "LV": [_pair(*names) for names in [
        ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozols", "Ozola"),
        ("Liepiņš", "Liepiņa"), ("Vītols", "Vītola"), ("Krūmiņš", "Krūmiņa"),
        ("Jansons", "Jansone"), ("Zariņš", "Zariņa"), ("Eglītis", "Eglīte"),
        ("Balodis", "Balode"), ("Ivanovs", "Ivanova"), ("Kovaļovs", "Kovaļova")]],
    "SE": [_same(n) for n in ["Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson",
                               "Larsson", "Lindqvist", "Berg", "Holm", "Lindström", "Åberg",
                               "Sjöberg", "Haddad"]],
}  # fmt: skip
EMAIL_DOMAINS = ["example.com", "example.net", "mail.example.org", "example.org"]

# What each country's participants speak: (language, levels to draw from, how likely).
SPOKEN = {
    "IN": [("hi", [NATIVE], 0.6), ("ta", [NATIVE], 0.4), ("en", [B2, C1, C1, C2], 1.0)],
    "LK": [("si", [NATIVE], 0.75), ("ta", [NATIVE], 0.3), ("en", [B1, B2, C1], 1.0)],
    "RU": [("ru", [NATIVE], 1.0), ("en", [A2, B1, B1, B2], 0.8), ("de", [A2, B1], 0.1)],
    "UA": [("uk", [NATIVE], 1.0), ("ru", [C1, C2, NATIVE], 0.7), ("en", [A2, B1, B2], 0.8)],
    "BY": [("be", [NATIVE], 0.4), ("ru", [NATIVE], 1.0), ("en", [A2, B1], 0.7)],
    "UZ": [("uz", [NATIVE], 1.0), ("ru", [B2, C1], 0.8), ("en", [A1, A2, B1], 0.5)],
    "SY": [("ar", [NATIVE], 1.0), ("en", [A2, B1, B2], 0.7), ("de", [A2], 0.15)],
    "AF": [("fa", [NATIVE], 1.0), ("en", [A1, A2, B1], 0.6)],
    "NG": [("en", [C1, NATIVE], 1.0), ("fr", [A2, B1], 0.2)],
    "IR": [("fa", [NATIVE], 1.0), ("en", [B1, B2], 0.8)],
}  # fmt: skip

EDUCATION = [
    "Secondary school; a cooking course.", "Secondary school.", "Bachelor's degree in tourism.",
    "Vocational school: hospitality and catering.", "Two years of university (economics).",
    "College diploma in hotel management.", "Secondary school; a barista course.",
]  # fmt: skip
WORK_EXPERIENCE = [
    "Two summers in a family café.", "Waiter for a year in a busy restaurant.",
    "Kitchen assistant in a hotel for two years.", "Cleaning and laundry in a guest house.",
    "Reception desk at a small hotel.", "No paid work yet; volunteered at events.",
    "Delivered food and helped in a bakery.", "",
]  # fmt: skip
INTERVIEW_NOTES = [
    "Motivated; wants kitchen work. Needs local language first.",
    "Speaks English well; ready for a reception placement with a mentor.",
    "Shy at first, very reliable. Start with a mentoring slot.",
    "Has restaurant experience; wants a job soon. Career support for the CV.",
    "Interested in starting a café one day; entrepreneurship training.",
]
REVIEW_COMMENTS = [
    "Please add your work experience.", "Please describe the working hours and the pay.",
    "Please say which weeks it runs.", "The registration number does not match the register.",
    "Please add at least one language with its level.", "The dates do not fit the programme.",
]  # fmt: skip
DECLINE_NOTES = [
    "",
    "",
    "Thank you; we chose someone with more kitchen experience.",
    "We need more Latvian or Swedish for this place.",
    "The hours do not fit.",
]
END_REASONS = [
    "Moved to another city.",
    "Started a full-time job elsewhere.",
    "Health reasons.",
    "The hours did not fit with the language course.",
]
BIOS = [
    "Twenty years in hotels. I like to explain things slowly.",
    "Head chef; I have trained many apprentices.",
    "Restaurant manager who started as a waiter.",
    "I run a small café and love to share what I learnt.",
    "Housekeeping supervisor in a large hotel.",
]
TRAINERS = {"LV": ["Inese Ozola", "Pēteris Kalns", "Anna Bērziņa", "Māra Lapiņa"],
            "SE": ["Eva Berg", "Lars Holm", "Sofia Ek", "Nils Dahl"]}  # fmt: skip
EXTRA_TOPICS = [
    "Welcoming guests at the door",
    "Allergies and the menu",
    "Working with the booking system",
    "Safety in the kitchen",
    "A difficult guest: what to say",
    "Planning next month's goals",
]
TOPICS = [topic for _days, _minutes, topic, _answer in ARTEM_SESSIONS + MARIIA_SESSIONS]
TOPICS += EXTRA_TOPICS
DISPUTE_NOTES = ["We met for 45 minutes that day, not 90.", "I was ill that day; we did not meet."]

# Training and events: the demo's titles in the five languages, by the site country's demo site.
DEMO_SITE_OF_COUNTRY = {"LV": "riga", "SE": "linkoping"}
TRAINING_TITLES = {
    country: [(category, titles, minutes, trainer)
              for slug, category, titles, _days, minutes, trainer in TRAINING if slug == site]
    for country, site in DEMO_SITE_OF_COUNTRY.items()
}  # fmt: skip
COURSE_TITLES = {
    country: [(titles, minutes, trainer)
              for slug, titles, _lessons, _first, minutes, trainer in COURSES if slug == site]
    for country, site in DEMO_SITE_OF_COUNTRY.items()
}  # fmt: skip
EVENT_TEMPLATES = {
    country: [(kind, titles, description, venue)
              for slug, kind, titles, description, _days, venue, _guests in EVENTS if slug == site]
    for country, site in DEMO_SITE_OF_COUNTRY.items()
}  # fmt: skip

# Posting titles: each work area's job in (en, lv, sv, ru, uk), then a pattern per kind.
TITLE_LANGUAGES = ("en", "lv", "sv", "ru", "uk")
AREA_JOBS = {
    Expertise.FRONT_OFFICE: ("Receptionist", "Administrators recepcijā", "Receptionist",
                             "Администратор ресепшена", "Адміністратор рецепції"),
    Expertise.HOUSEKEEPING: ("Room attendant", "Istabene", "Städare", "Горничная", "Покоївка"),
    Expertise.KITCHEN: ("Cook", "Pavārs", "Kock", "Повар", "Кухар"),
    Expertise.SERVICE: ("Waiter", "Viesmīlis", "Servitör", "Официант", "Офіціант"),
    Expertise.MANAGEMENT: ("Shift supervisor", "Maiņas vadītājs", "Skiftledare",
                           "Старший смены", "Старший зміни"),
    Expertise.ENTREPRENEURSHIP: ("Café business assistant", "Kafejnīcas biznesa asistents",
                                 "Assistent i kaféverksamhet", "Помощник в бизнесе кафе",
                                 "Помічник у бізнесі кав’ярні"),
}  # fmt: skip
KIND_PATTERNS = {
    "mentoring": {"en": "Mentoring: {job} at the hotel", "lv": "Mentorings: {job}",
                  "sv": "Mentorskap: {job}", "ru": "Наставничество: {job}",
                  "uk": "Наставництво: {job}"},
    "internship": {"en": "{job} internship", "lv": "Prakse: {job}", "sv": "Praktik: {job}",
                   "ru": "Стажировка: {job}", "uk": "Стажування: {job}"},
    "job": {"en": "{job}", "lv": "{job}", "sv": "{job}", "ru": "{job}", "uk": "{job}"},
}  # fmt: skip
JOB_SUFFIXES = {
    "en": ["", " (evening shift)", " (summer season)", " (part-time)", " (weekends)"],
    "lv": ["", " (vakara maiņa)", " (vasaras sezona)", " (nepilna slodze)"],
    "sv": ["", " (kvällspass)", " (sommarsäsong)", " (deltid)"],
    "ru": ["", " (вечерняя смена)", " (летний сезон)", " (неполный день)"],
    "uk": ["", " (вечірня зміна)", " (літній сезон)", " (неповний день)"],
}  # fmt: skip
