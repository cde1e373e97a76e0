from pathlib import Path

import pytest

from config import SettingsError, load_settings


def test_embedded_defaults_need_no_configuration(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path)
    assert settings.relational_url == f"sqlite:///{(tmp_path / 'wattboard.db').resolve()}"
    assert settings.chdb_path == (tmp_path / "clickhouse").resolve()
    assert settings.embedded_broker and settings.embedded_redis


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings(home=tmp_path).flask_secret()
    assert len(first) > 40
    assert load_settings(home=tmp_path).flask_secret() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATTBOARD_SECRET_KEY", "from-the-environment")
    assert load_settings(home=tmp_path).flask_secret() == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("url", ["clickhouse://host", "http://", "http://host:port/db", "ftp://x:1/db"])
def test_malformed_clickhouse_url_is_one_clear_line(url: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(clickhouse_url=url)
    message = str(err.value)
    assert "WATTBOARD_CLICKHOUSE_URL" in message and "\n" not in message


def test_production_mode_names_every_missing_setting() -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(mode="production", database_url="postgresql://db/x")
    message = str(err.value)
    for name in (
        "WATTBOARD_CLICKHOUSE_URL",
        "WATTBOARD_KAFKA_BOOTSTRAP",
        "WATTBOARD_REDIS_URL",
        "WATTBOARD_SECRET_KEY",
    ):
        assert name in message
    assert "WATTBOARD_DATABASE_URL" not in message


def test_bad_kafka_bootstrap_is_rejected() -> None:
    with pytest.raises(SettingsError, match="WATTBOARD_KAFKA_BOOTSTRAP"):
        load_settings(kafka_bootstrap="localhost")


def test_telegram_token_empty_means_no_bot_and_a_malformed_one_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATTBOARD_TELEGRAM_BOT_TOKEN", "")  # an empty key in the deployment's Secret
    assert load_settings().telegram_bot_token is None
    monkeypatch.setenv("WATTBOARD_TELEGRAM_BOT_TOKEN", "my-bot")
    with pytest.raises(SettingsError, match="WATTBOARD_TELEGRAM_BOT_TOKEN is not a bot token from @BotFather"):
        load_settings()
    monkeypatch.setenv("WATTBOARD_TELEGRAM_BOT_TOKEN", "123456789:AAH-example_token_value")
    token = load_settings().telegram_bot_token
    assert token is not None and token.get_secret_value() == "123456789:AAH-example_token_value"
    assert "AAH" not in repr(load_settings())  # never in a log line that prints the settings
