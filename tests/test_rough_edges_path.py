"""A visitor is invited to register, registration preselects a site, and a new participant
follows one path: profile details, the questionnaire, sending for review."""

import re

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.participants import services
from tests.application_helpers import make_world, posting_for
from tests.conftest import english_client, log_in
from tests.mail_helpers import inbox, link_in
from tests.participant_helpers import make_participant, make_questionnaire, profile_form
from tests.test_registration import registration


def selected_site(page: str) -> str | None:
    select = re.search(r'<select[^>]*id="site".*?</select>', page, re.S).group(0)
    chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select)
    return next(value for value in chosen.groups() if value) if chosen else None


def client_in(app, locale: str):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    return client


# Register --------------------------------------------------------------------------------------


def test_home_page_invites_a_visitor_to_register(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/register"' in page.split("</nav>", 1)[1]


def test_log_in_to_apply_also_offers_to_register_and_come_back(app, make_user, client):
    posting = posting_for(app, make_world(app, make_user))
    page = client.get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "Log in to apply" in page
    link = re.search(r'href="(/register\?[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "role=participant" in link and f"next=/postings/{posting.id}" in link
    form = client.get(link).get_data(as_text=True)
    assert re.search(
        r'<input checked[^>]*value="participant"|value="participant"[^>]*checked', form
    )


def test_registering_from_a_posting_returns_to_it_after_confirming(app, make_site, client):
    riga = make_site("riga")
    response = client.post(
        "/register?role=participant&next=/postings/7", data=registration(riga.id)
    )
    assert response.headers["Location"] == "/register/check-your-email"
    confirmed = client.get(link_in(inbox("olena@example.org")[-1]))
    assert confirmed.headers["Location"] == "/login?next=/postings/7"


def test_registration_does_not_return_to_another_site(app, make_site, client):
    riga = make_site("riga")
    client.post("/register?next=//evil.example/", data=registration(riga.id))
    confirmed = client.get(link_in(inbox("olena@example.org")[-1]))
    assert confirmed.headers["Location"] == "/login"


def test_registration_preselects_the_site_of_the_page_language(app, make_site):
    riga, linkoping = make_site("riga"), make_site("linkoping")
    assert selected_site(client_in(app, "sv").get("/register").get_data(as_text=True)) == str(
        linkoping.id
    )
    assert selected_site(client_in(app, "lv").get("/register").get_data(as_text=True)) == str(
        riga.id
    )


def test_registration_preselects_the_first_site_by_name_without_a_match(app, make_site):
    riga, linkoping = make_site("riga"), make_site("linkoping")
    first = min((riga, linkoping), key=lambda site: site.name)
    page = client_in(app, "ru").get("/register").get_data(as_text=True)
    assert selected_site(page) == str(first.id)


def test_registration_preselects_the_only_site(app, make_site):
    riga = make_site("riga")
    assert selected_site(client_in(app, "uk").get("/register").get_data(as_text=True)) == str(
        riga.id
    )


def test_a_link_may_choose_the_site(app, make_site):
    riga, linkoping = make_site("riga"), make_site("linkoping")
    page = client_in(app, "lv").get(f"/register?site={linkoping.slug}").get_data(as_text=True)
    assert selected_site(page) == str(linkoping.id)
    unknown = client_in(app, "lv").get("/register?site=nowhere").get_data(as_text=True)
    assert selected_site(unknown) == str(riga.id)


def test_a_preselected_site_is_still_checked(app, make_site, client):
    make_site("riga")
    page = client.post("/register", data=registration(9999)).get_data(as_text=True)
    assert "check-your-email" not in page and 'id="site-error"' in page


# Profile, questionnaire, sending ----------------------------------------------------------------


def test_each_page_of_the_path_shows_its_step(app, make_user):
    olena = make_user(Role.PARTICIPANT)
    make_questionnaire(olena.site_id)
    client = english_client(app)
    log_in(client, olena)
    assert "Step 1 of 3: Profile details" in client.get("/participants/me/profile").get_data(
        as_text=True
    )
    make_participant(app, olena)
    assert "Step 2 of 3: Needs-assessment questionnaire" in client.get(
        "/participants/me/questionnaire"
    ).get_data(as_text=True)
    mine = client.get("/participants/me").get_data(as_text=True)
    assert "Step 2 of 3" in mine and 'href="/participants/me/questionnaire"' in mine


def test_saving_the_profile_leads_to_the_questionnaire(app, make_user):
    olena = make_user(Role.PARTICIPANT)
    make_questionnaire(olena.site_id)
    client = english_client(app)
    log_in(client, olena)
    response = client.post("/participants/me/profile", data=profile_form())
    assert response.headers["Location"] == "/participants/me/questionnaire"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Next step: the questionnaire." in page


def test_without_a_questionnaire_the_path_has_two_steps(app, make_user):
    olena = make_user(Role.PARTICIPANT)
    client = english_client(app)
    log_in(client, olena)
    response = client.post("/participants/me/profile", data=profile_form())
    assert response.headers["Location"] == "/participants/me"
    page = client.get("/participants/me").get_data(as_text=True)
    assert "Step 2 of 2: Send for review" in page
    assert 'action="/participants/me/submit"' in page


def test_finished_answers_are_saved_not_sent_while_the_profile_is_a_draft(app, make_user):
    olena = make_user(Role.PARTICIPANT)
    profile = make_participant(app, olena)
    questionnaire = make_questionnaire(profile.site_id)
    client = english_client(app)
    log_in(client, olena)
    form = client.get("/participants/me/questionnaire").get_data(as_text=True)
    assert "Save and go to the next step" in form and "Send my answers" not in form

    choice, scale, _free = questionnaire.questions
    response = client.post(
        "/participants/me/questionnaire",
        data={f"q-{choice.id}": str(choice.options[0].id), f"q-{scale.id}": "3", "send": "1"},
    )
    assert response.headers["Location"] == "/participants/me"
    page = client.get("/participants/me").get_data(as_text=True)
    assert "Your answers are saved. Next step: send your profile to the coordinator." in page
    assert "answers are sent" not in page
    db.session.refresh(profile)
    assert profile.status == "draft"
    assert "Step 3 of 3: Send for review" in page
    assert 'action="/participants/me/submit"' in page


def test_no_next_step_link_points_back_to_its_own_page(app, make_user):
    olena = make_user(Role.PARTICIPANT)
    questionnaire = make_questionnaire(olena.site_id)
    client = english_client(app)
    log_in(client, olena)
    pages = {"/participants/me/profile": None}
    client.post("/participants/me/profile", data=profile_form())
    pages["/participants/me/questionnaire"] = None
    pages["/participants/me"] = None
    choice, scale, _free = questionnaire.questions
    for stage in ("before answering", "after answering"):
        for path in pages:
            page = client.get(path).get_data(as_text=True)
            card = re.search(
                r'<nav class="card[^"]*" aria-labelledby="path-heading">.*?</nav>', page, re.S
            )
            assert card, (stage, path)
            assert f'href="{path}"' not in card.group(0), (stage, path)
        client.post(
            "/participants/me/questionnaire",
            data={f"q-{choice.id}": str(choice.options[0].id), f"q-{scale.id}": "3", "send": "1"},
        )


def test_the_next_steps_never_link_to_the_profile_page_for_sending(app, make_user):
    olena = make_user(Role.PARTICIPANT)
    profile = make_participant(app, olena)
    client = english_client(app)
    log_in(client, olena)
    page = client.get("/participants/me").get_data(as_text=True)
    assert "What to do next" not in page
    client.post("/participants/me/submit")
    db.session.refresh(profile)
    assert profile.status == "submitted"
    page = client.get("/participants/me").get_data(as_text=True)
    assert 'aria-labelledby="path-heading"' not in page
    assert "Wait for the interview" in page
    with app.test_request_context():
        assert services.next_steps(olena) == [
            ("Wait for the interview. The coordinator will contact you.", "/participants/me")
        ]
