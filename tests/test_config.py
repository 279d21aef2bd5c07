"""Configuration comes from typed environment variables; production refuses unsafe defaults."""

import pytest

from marketplace import create_app
from marketplace.config import ConfigurationError, load_config, normalise_database_url
from marketplace.extensions import db
from tests.conftest import base_config

A_SECRET = "x" * 40


@pytest.fixture
def nothing_configured(monkeypatch):
    """A server started with no MARKETPLACE_* variables at all."""
    for name in ("ENV", "SECRET_KEY", "SERVER_NAME", "TRUSTED_HOSTS"):
        monkeypatch.delenv(f"MARKETPLACE_{name}", raising=False)
    return monkeypatch


def test_numeric_secret_key_stays_a_string(monkeypatch, tmp_path):
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", "12345")
    assert load_config(str(tmp_path))["SECRET_KEY"] == "12345"


def test_production_refuses_the_default_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("MARKETPLACE_ENV", "production")
    monkeypatch.delenv("MARKETPLACE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        load_config(str(tmp_path))


def test_a_server_started_without_settings_refuses_and_names_what_is_missing(
    nothing_configured, database_url
):
    with pytest.raises(ConfigurationError) as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert "MARKETPLACE_SECRET_KEY" in str(refused.value)
    assert "MARKETPLACE_SERVER_NAME" in str(refused.value)
    assert "MARKETPLACE_ENV=development" in str(refused.value)


def test_production_refuses_to_start_without_a_server_name(nothing_configured, tmp_path):
    nothing_configured.setenv("MARKETPLACE_SECRET_KEY", A_SECRET)
    with pytest.raises(ConfigurationError, match="MARKETPLACE_SERVER_NAME") as refused:
        load_config(str(tmp_path))
    assert "MARKETPLACE_SECRET_KEY" not in str(refused.value)


def test_development_is_asked_for_explicitly(nothing_configured, tmp_path):
    nothing_configured.setenv("MARKETPLACE_ENV", "development")
    config = load_config(str(tmp_path))
    assert config["ENV_NAME"] == "development"
    assert config["SERVER_NAME"] is None  # links then name the development server


def test_without_settings_for_development_the_site_is_production_and_hides_captured_mail(
    nothing_configured, database_url
):
    nothing_configured.setenv("MARKETPLACE_SECRET_KEY", A_SECRET)
    nothing_configured.setenv("MARKETPLACE_SERVER_NAME", "mentoring.example.org")
    settings = {k: v for k, v in base_config(database_url).items() if k != "SECRET_KEY"}
    app = create_app(settings)
    try:
        assert app.config["ENV_NAME"] == "production"
        assert app.config["SECRET_KEY"] == A_SECRET
        assert app.config["SESSION_COOKIE_SECURE"] is True
        client = app.test_client()
        assert client.get("/dev/mail/").status_code == 404
        assert client.get("/dev/mail/1").status_code == 404
    finally:
        with app.app_context():
            db.engine.dispose()


def test_production_sets_secure_cookies_and_strong_hashing(monkeypatch, tmp_path):
    monkeypatch.setenv("MARKETPLACE_ENV", "production")
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", A_SECRET)
    monkeypatch.setenv("MARKETPLACE_SERVER_NAME", "mentoring.example.org")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["PASSWORD_HASH_METHOD"] == "scrypt"


def test_default_database_is_a_sqlite_file_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("MARKETPLACE_DATABASE_URL", raising=False)
    assert load_config(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path / 'marketplace.sqlite'}"
    )


def test_postgresql_urls_use_psycopg_3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


def test_whole_numbers_are_checked(monkeypatch, tmp_path):
    monkeypatch.setenv("MARKETPLACE_MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigurationError):
        load_config(str(tmp_path))


def test_stored_passwords_use_scrypt_outside_tests(app, make_user):
    from werkzeug.security import generate_password_hash

    assert generate_password_hash(
        "x", method=load_config("/tmp")["PASSWORD_HASH_METHOD"]
    ).startswith("scrypt:")
