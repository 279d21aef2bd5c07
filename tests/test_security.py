"""Headers and behaviour that keep pages safe by default."""

import gzip
import io
import re
from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from marketplace import create_app
from marketplace.accounts.roles import Role
from marketplace.authz import public
from marketplace.calendars import services as calendars
from marketplace.extensions import db
from marketplace.participants import services as participants
from tests.conftest import base_config, english_client
from tests.participant_helpers import PDF, make_participant, pdf_file


def test_pages_forbid_inline_code_and_framing(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_never_cached(signed_in_client, client):
    signed_in, _user = signed_in_client(Role.PARTICIPANT)
    assert signed_in.get("/dashboard").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_pages_are_gzip_compressed(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.data)


def test_bootstrap_is_served_by_the_site_itself(client):
    page = client.get("/").get_data(as_text=True)
    asset_urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert asset_urls and all(not url.startswith(("http:", "https:", "//")) for url in asset_urls)
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200


def test_phone_menu_opens_without_javascript(client):
    page = client.get("/").get_data(as_text=True)
    assert '<details class="phone-menu' in page
    assert "<script" not in page


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


# Every kind of answer carries the same protection ----------------------------------------------

EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy_directives(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def protection_problems(response) -> list[str]:
    """What is missing from the headers every answer must carry."""
    headers = response.headers
    policies = headers.getlist("Content-Security-Policy")
    problems = [] if len(policies) == 1 else [f"{len(policies)} Content-Security-Policy headers"]
    directives = policy_directives(policies[0]) if policies else {}
    problems += [
        f"{name} is {directives.get(name)}"
        for name, values in EXPECTED_POLICY.items()
        if directives.get(name) != values
    ]
    problems += [
        f"CSP allows {word}"
        for word in ("unsafe-inline", "unsafe-eval")
        if word in "".join(policies)
    ]
    for name, value in {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
    }.items():
        if headers.get(name) != value:
            problems.append(f"{name} is {headers.get(name)!r}")
    return problems


def answers_to_visitors(client) -> dict:
    return {
        "public page": client.get("/"),
        "public form": client.get("/login"),
        "redirect to the login": client.get("/dashboard"),
        "trailing-slash redirect": client.get("/calendar"),
        "404 page": client.get("/no-such-page"),
        "405 page": client.get("/logout"),
        "site stylesheet": client.get("/static/css/site.css"),
        "site image (SVG)": client.get("/static/img/favicon.svg"),
        "Bootstrap": client.get("/bootstrap/static/css/bootstrap.min.css"),
        "health check (JSON)": client.get("/healthz"),
    }


def answers_to_a_participant(app, participant, user) -> dict:
    profile = make_participant(app, user)
    participant.post("/participants/me/cv", data={"cv": (io.BytesIO(PDF), "cv.pdf")})
    feed = f"/calendar/feed/{calendars.new_feed_token(user)}.ics"
    return {
        "signed-in page": participant.get("/dashboard"),
        "signed-in form": participant.get("/account/password"),
        "403 page": participant.get("/admin/users"),
        "CV download": participant.get("/participants/me/cv"),
        "certificate": participant.get(f"/participants/{profile.id}/certificate"),
        "calendar feed": participant.get(feed),
    }


@contextmanager
def separate_app(database_url, **settings):
    """An app of its own on the test's database, for settings the shared one does not have."""
    app = create_app({**base_config(database_url), **settings})
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def answers_with_csrf_on_and_errors_unhandled(database_url) -> dict:
    """Pages only a production-like app gives: a refused CSRF token and an unexpected error."""
    with separate_app(database_url, WTF_CSRF_ENABLED=True, TESTING=False) as app:

        @app.get("/boom")
        @public
        def boom():
            raise RuntimeError("bug")

        client = english_client(app)
        return {
            "400 page (CSRF)": client.post("/language", data={"language": "lv", "next": "/"}),
            "400 form kept (CSRF)": client.post("/login", data={"email": "a@example.org"}),
            "500 page": client.get("/boom"),
        }


EXPECTED_STATUS = {
    "public page": 200,
    "public form": 200,
    "redirect to the login": 302,
    "trailing-slash redirect": 308,
    "404 page": 404,
    "405 page": 405,
    "site stylesheet": 200,
    "site image (SVG)": 200,
    "Bootstrap": 200,
    "health check (JSON)": 200,
    "signed-in page": 200,
    "signed-in form": 200,
    "403 page": 403,
    "CV download": 200,
    "certificate": 200,
    "calendar feed": 200,
    "400 page (CSRF)": 400,
    "400 form kept (CSRF)": 400,
    "500 page": 500,
}
SIGNED_IN_ANSWERS = ["signed-in page", "signed-in form", "403 page", "CV download", "certificate"]


def test_every_kind_of_answer_forbids_inline_code_framing_and_sniffing(
    app, client, signed_in_client, database_url
):
    participant, user = signed_in_client(Role.PARTICIPANT)
    answers = {
        **answers_to_visitors(client),
        **answers_to_a_participant(app, participant, user),
        **answers_with_csrf_on_and_errors_unhandled(database_url),
    }
    problems = {kind: protection_problems(answer) for kind, answer in answers.items()}

    assert {kind: answer.status_code for kind, answer in answers.items()} == EXPECTED_STATUS
    assert {kind: found for kind, found in problems.items() if found} == {}
    assert {answers[kind].headers.get("Cache-Control") for kind in SIGNED_IN_ANSWERS} == {
        "no-store"
    }


def test_production_answers_of_every_kind_insist_on_https(database_url):
    with separate_app(database_url, ENV_NAME="production") as app:
        client = english_client(app)
        answers = [
            client.get(path)
            for path in ("/", "/login", "/dashboard", "/no-such-page", "/static/css/site.css")
        ]
    assert {answer.headers.get("Strict-Transport-Security") for answer in answers} == {
        "max-age=31536000"
    }


# Uploads: only a PDF, by its content, within the size limits -----------------------------------

NOT_PDFS = {
    "HTML named .pdf": b"<!doctype html><script>alert(1)</script>",
    "program named .pdf": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64,
    "Word file named .pdf": b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
    "PDF header on HTML": b"%PDF-1.4\n<html><script>alert(1)</script></html>",
    "PDF header and end on HTML": b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n",
    "HTML with a PDF's trailer": (
        b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n"
        b"trailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
    ),
    "empty file": b"",
}


def participant_uploading(app, signed_in_client):
    participant, user = signed_in_client(Role.PARTICIPANT)
    make_participant(app, user)
    return participant, user


def upload_cv(participant, content: bytes, name="cv.pdf", content_type="application/pdf"):
    return participant.post(
        "/participants/me/cv",
        data={"cv": (io.BytesIO(content), name, content_type)},
        follow_redirects=True,
    )


def stored_cv(user):
    profile = participants.profile_of(user)
    db.session.refresh(profile)
    return profile.cv_stored_name


@pytest.mark.parametrize("content", NOT_PDFS.values(), ids=NOT_PDFS.keys())
def test_a_file_that_is_not_a_pdf_inside_is_refused_whatever_its_name(
    app, signed_in_client, content
):
    participant, user = participant_uploading(app, signed_in_client)
    page = upload_cv(participant, content).get_data(as_text=True)
    assert "This file is not a PDF" in page
    assert stored_cv(user) is None


def test_the_content_decides_not_the_name_or_the_declared_type(app, signed_in_client):
    participant, user = participant_uploading(app, signed_in_client)
    upload_cv(participant, PDF, name="cv.html", content_type="text/html")
    assert stored_cv(user).endswith(".pdf")

    download = participant.get("/participants/me/cv")
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def blank_pdf_writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject(kind)}
        | {NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()}
    )


def pdf_with_document_javascript() -> bytes:
    writer = blank_pdf_writer()
    script = writer._add_object(action("/JavaScript", JS="app.alert('hello');"))
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})
    return pdf_file(writer)


def pdf_with_open_action(kind: str, **entries) -> bytes:
    writer = blank_pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action(kind, **entries))
    return pdf_file(writer)


def pdf_with_page_action_javascript() -> bytes:
    """The script hides in an additional action (/AA) run when the first page opens."""
    writer = blank_pdf_writer()
    opened = DictionaryObject({NameObject("/O"): action("/JavaScript", JS="app.alert(1)")})
    writer.pages[0][NameObject("/AA")] = opened
    return pdf_file(writer)


def pdf_with_attachment() -> bytes:
    writer = blank_pdf_writer()
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")
    return pdf_file(writer)


def pdf_with_password() -> bytes:
    writer = blank_pdf_writer()
    writer.encrypt("secret", algorithm="RC4-128")
    return pdf_file(writer)


def pdf_with_links() -> bytes:
    """What CVs are full of: a web link, and opening at the first page."""
    writer = blank_pdf_writer()
    writer.add_annotation(0, Link(rect=(50, 50, 250, 80), url="https://www.linkedin.com/in/olena"))
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    return pdf_file(writer)


ACTIVE_PDFS = {
    "document JavaScript": pdf_with_document_javascript,
    "JavaScript when opened": lambda: pdf_with_open_action("/JavaScript", JS="app.alert(1)"),
    "JavaScript in a page's additional actions": pdf_with_page_action_javascript,
    "program launched when opened": lambda: pdf_with_open_action("/Launch", F="calc.exe"),
    "form sent elsewhere when opened": lambda: pdf_with_open_action(
        "/SubmitForm", F="https://evil.example/"
    ),
    "attached program": pdf_with_attachment,
}


def field_error(page: str, field_id: str) -> str:
    """The error shown with a field, which the field itself names as its description."""
    soup = BeautifulSoup(page, "html.parser")
    field = soup.find(id=field_id)
    assert field is not None and field.get("aria-invalid") == "true"
    error = soup.find(id=f"{field_id}-error")
    assert error is not None and error["id"] in field["aria-describedby"].split()
    return error.get_text(" ", strip=True)


@pytest.mark.parametrize("build", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_that_runs_code_or_carries_files_is_refused_kindly_next_to_the_field(
    app, signed_in_client, build
):
    participant, user = participant_uploading(app, signed_in_client)
    response = upload_cv(participant, build())
    assert response.status_code == 400
    error = field_error(response.get_data(as_text=True), "cv")
    assert "we only accept plain PDF files" in error
    assert "Please save your CV as PDF again" in error
    assert stored_cv(user) is None


def test_a_pdf_with_a_password_is_refused_with_what_to_do(app, signed_in_client):
    participant, user = participant_uploading(app, signed_in_client)
    response = upload_cv(participant, pdf_with_password())
    assert response.status_code == 400
    error = field_error(response.get_data(as_text=True), "cv")
    assert "protected by a password" in error and "without a password" in error
    assert stored_cv(user) is None


def test_a_file_that_only_looks_like_a_pdf_is_refused_next_to_the_field(app, signed_in_client):
    participant, user = participant_uploading(app, signed_in_client)
    response = upload_cv(participant, NOT_PDFS["PDF header and end on HTML"])
    assert response.status_code == 400
    assert "This file is not a PDF" in field_error(response.get_data(as_text=True), "cv")
    assert stored_cv(user) is None


@pytest.mark.parametrize("content", [PDF, pdf_with_links()], ids=["blank page", "with links"])
def test_a_plain_pdf_is_kept(app, signed_in_client, content):
    participant, user = participant_uploading(app, signed_in_client)
    page = upload_cv(participant, content).get_data(as_text=True)
    assert "Your CV is saved." in page
    assert stored_cv(user) is not None
    assert participant.get("/participants/me/cv").data == content


def pdf_of_size(size: int) -> bytes:
    """A real PDF made exactly ``size`` bytes long by padding in its metadata."""
    padding = 0
    for _attempt in range(5):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Subject": "x" * padding})
        content = pdf_file(writer)
        if len(content) == size:
            return content
        padding += size - len(content)  # the offsets' digits may grow: measure again
    raise ValueError(f"no PDF of exactly {size} bytes")


def test_a_cv_of_the_largest_size_is_kept_and_one_byte_more_refused(app, signed_in_client):
    participant, user = participant_uploading(app, signed_in_client)
    app.config["CV_MAX_BYTES"] = 1000
    assert len(pdf_of_size(1000)) == 1000

    refused = upload_cv(participant, pdf_of_size(1001)).get_data(as_text=True)
    assert "larger than" in refused and stored_cv(user) is None
    upload_cv(participant, pdf_of_size(1000))
    assert stored_cv(user) is not None


def test_a_request_over_the_upload_limit_gets_the_413_page(app, signed_in_client):
    participant, user = participant_uploading(app, signed_in_client)
    app.config["MAX_CONTENT_LENGTH"] = 1000

    response = participant.post(
        "/participants/me/cv", data={"cv": (io.BytesIO(pdf_of_size(2000)), "cv.pdf")}
    )
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    assert protection_problems(response) == []
    assert stored_cv(user) is None
