"""Configuration comes from typed environment variables; production refuses unsafe defaults."""

import pytest

from marketplace.config import ConfigurationError, load_config, normalise_database_url


def test_numeric_secret_key_stays_a_string(monkeypatch, tmp_path):
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", "12345")
    assert load_config(str(tmp_path))["SECRET_KEY"] == "12345"


def test_production_refuses_the_default_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("MARKETPLACE_ENV", "production")
    monkeypatch.delenv("MARKETPLACE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        load_config(str(tmp_path))


def test_production_sets_secure_cookies_and_strong_hashing(monkeypatch, tmp_path):
    monkeypatch.setenv("MARKETPLACE_ENV", "production")
    monkeypatch.setenv("MARKETPLACE_SECRET_KEY", "x" * 40)
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
