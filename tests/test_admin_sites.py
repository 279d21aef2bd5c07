"""Super-admins set up programme sites and their training-hours plans."""

import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.sites.models import Site, TrainingCategory


def site_form(**changes) -> dict:
    data = {
        "name": "Tartu",
        "slug": "tartu",
        "country_code": "ee",
        "timezone": "Europe/Tallinn",
        "default_locale": "en",
        "local_locale": "ru",
        "hours_local_language": "120",
        "hours_culture": "30",
        "hours_entrepreneurship": "0",
        "hours_professional_identity": "40",
        "hours_career_support": "10",
        "min_participant_age": "18",
        "max_participant_age": "30",
        "max_open_applications": "5",
    }
    return {**data, **changes}


def test_super_admin_adds_a_site_with_its_hours_plan(signed_in_client):
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    response = admin.post("/admin/sites/new", data=site_form())
    assert response.headers["Location"] == "/admin/sites"

    site = db.session.scalar(sa.select(Site).where(Site.slug == "tartu"))
    assert (site.country_code, site.timezone) == ("EE", "Europe/Tallinn")
    assert site.planned_hours(TrainingCategory.LOCAL_LANGUAGE) == 120
    assert "Tartu" in admin.get("/admin/sites").get_data(as_text=True)


def test_editing_a_site_changes_its_plan(signed_in_client, make_site):
    riga = make_site("riga")
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    form = admin.get(f"/admin/sites/{riga.id}").get_data(as_text=True)
    assert 'value="Riga"' in form
    admin.post(
        f"/admin/sites/{riga.id}", data=site_form(name="Rīga", slug="riga", hours_culture="56")
    )
    db.session.refresh(riga)
    assert riga.name == "Rīga"
    assert riga.planned_hours(TrainingCategory.CULTURE) == 56


def test_bad_site_input_is_explained_next_to_each_field(signed_in_client, make_site):
    make_site("riga")
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    page = admin.post(
        "/admin/sites/new",
        data=site_form(
            slug="riga",
            timezone="Mars/Olympus",
            hours_culture="many",
            hours_entrepreneurship="-5",
        ),
    ).get_data(as_text=True)
    assert "Please choose one of the options." in page
    assert "Please enter a whole number" in page
    assert "from 0 to 100000" in page
    assert 'value="Tartu"' in page
    page = admin.post("/admin/sites/new", data=site_form(slug="riga")).get_data(as_text=True)
    assert "Another site already uses this short name." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 1


def test_coordinators_cannot_manage_sites(signed_in_client):
    coordinator, _ = signed_in_client(Role.COORDINATOR)
    assert coordinator.get("/admin/sites").status_code == 403
    assert coordinator.post("/admin/sites/new", data=site_form()).status_code == 403
