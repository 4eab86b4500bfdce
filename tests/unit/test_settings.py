"""Settings: prefixes, the seed's variable names, live-mode refusal."""

import pytest

from roasloop.config import ConfigurationError, PlatformMode, Settings
from roasloop.domain.enums import Platform


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(str(tmp_path))  # no stray .env
    for name in (
        "TIKTOK_APP_ID",
        "TIKTOK_APP_SECRET",
        "ROASLOOP_PLATFORM_MODE",
        "LOG_FORMAT",
        "REDIS_HOST",
        "ROASLOOP_ENCRYPTION_KEY",
        "GEMINI_API_KEY",
        "ROASLOOP_ENABLED_PLATFORMS",
        "META_APP_ID",
        "META_APP_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_sandbox_sqlite_and_tiktok() -> None:
    settings = Settings()
    assert settings.platform_mode is PlatformMode.SANDBOX
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.enabled_platforms == [Platform.TIKTOK, Platform.META, Platform.GOOGLE]


def test_seed_variable_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOK_APP_ID", "app-1")
    monkeypatch.setenv("REDIS_HOST", "redis.internal")
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("GEMINI_API_KEY", "g-secret")
    settings = Settings()
    assert settings.tiktok_app_id == "app-1"
    assert settings.redis_url == "redis://redis.internal:6379/0"
    assert settings.log_format == "json"
    assert "g-secret" in settings.secret_values()
    assert "g-secret" not in repr(settings)


def test_live_mode_names_every_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROASLOOP_PLATFORM_MODE", "live")
    monkeypatch.setenv("ROASLOOP_ENABLED_PLATFORMS", "tiktok")
    monkeypatch.setenv("TIKTOK_APP_ID", "app-1")
    monkeypatch.setenv("META_APP_SECRET", "must-not-leak")
    with pytest.raises(ConfigurationError) as caught:
        Settings()
    message = str(caught.value)
    assert message == (
        "live mode needs these environment variables: ROASLOOP_ENCRYPTION_KEY, TIKTOK_APP_SECRET"
    )


def test_live_mode_starts_with_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROASLOOP_PLATFORM_MODE", "live")
    monkeypatch.setenv("ROASLOOP_ENABLED_PLATFORMS", "tiktok,meta")
    monkeypatch.setenv("META_APP_ID", "meta-1")
    monkeypatch.setenv("META_APP_SECRET", "meta-secret")
    monkeypatch.setenv("TIKTOK_APP_ID", "app-1")
    monkeypatch.setenv("TIKTOK_APP_SECRET", "s3cret-value")
    monkeypatch.setenv("ROASLOOP_ENCRYPTION_KEY", "k" * 44)
    assert Settings().platform_mode is PlatformMode.LIVE


def test_sandbox_mode_refuses_a_real_platform_host() -> None:
    with pytest.raises(ConfigurationError, match="real platform host"):
        Settings(sandbox_url="https://business-api.tiktok.com")
