"""Settings: validated once, passed in (never imported as a global).

Every field reads ``ROASLOOP_<NAME>``; credentials and services also read the seed's
variable names (``TIKTOK_APP_ID``, ``GEMINI_API_KEY``, ``REDIS_HOST``, ``LOG_FORMAT`` ...).
A ``.env`` file in the working directory is read too.

``platform_mode`` decides where adapters talk to: ``sandbox`` (default) uses the built-in
wire-compatible sandbox and never a real platform host; ``live`` talks to the real APIs and
refuses to start without the credentials each enabled platform needs.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from roasloop.domain.enums import Platform


class PlatformMode(enum.StrEnum):
    """Where platform calls go."""

    SANDBOX = "sandbox"
    LIVE = "live"


#: Hosts of the real ad platforms; sandbox mode must never be pointed at them.
REAL_PLATFORM_HOSTS = frozenset(
    {
        "business-api.tiktok.com",
        "sandbox-ads.tiktok.com",
        "graph.facebook.com",
        "graph-video.facebook.com",
        "googleads.googleapis.com",
        "oauth2.googleapis.com",
        "accounts.google.com",
    }
)


class ConfigurationError(Exception):
    """Settings that cannot run. Raised as is (not wrapped by pydantic), so its message never
    carries the raw input values, which may hold secrets."""


def _env(name: str) -> AliasChoices:
    """Accept ``ROASLOOP_<NAME>`` and the seed's bare ``<NAME>``."""
    return AliasChoices(f"ROASLOOP_{name}", name)


class Settings(BaseSettings):
    """All configuration of one roasloop process."""

    model_config = SettingsConfigDict(
        env_prefix="ROASLOOP_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    platform_mode: PlatformMode = PlatformMode.SANDBOX
    enabled_platforms: Annotated[list[Platform], NoDecode] = Field(
        default_factory=lambda: list(Platform)
    )
    locale: Literal["en", "zh-CN"] = "en"
    #: The tenant ``roasloop execute`` acts for when no ``--user`` is given.
    default_user: str | None = None

    data_dir: Path = Path(".roasloop")
    media_dir: Path | None = None
    database_url: str | None = None
    encryption_key: SecretStr | None = None
    #: Signs the webhooks of rules whose ``notify`` action gives no secret of its own.
    webhook_secret: SecretStr | None = None

    sandbox_url: str | None = None
    sandbox_seed: int = 7
    sandbox_scenario: Path | None = None

    tiktok_app_id: str | None = Field(default=None, validation_alias=_env("TIKTOK_APP_ID"))
    tiktok_app_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("TIKTOK_APP_SECRET")
    )
    tiktok_api_base: str = "https://business-api.tiktok.com"

    meta_app_id: str | None = Field(default=None, validation_alias=_env("META_APP_ID"))
    meta_app_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("META_APP_SECRET")
    )
    meta_api_version: str = Field(default="v25.0", validation_alias=_env("META_API_VERSION"))

    google_ads_developer_token: SecretStr | None = Field(
        default=None, validation_alias=_env("GOOGLE_ADS_DEVELOPER_TOKEN")
    )
    google_ads_client_id: str | None = Field(
        default=None, validation_alias=_env("GOOGLE_ADS_CLIENT_ID")
    )
    google_ads_client_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("GOOGLE_ADS_CLIENT_SECRET")
    )
    google_ads_login_customer_id: str | None = Field(
        default=None, validation_alias=_env("GOOGLE_ADS_LOGIN_CUSTOMER_ID")
    )
    google_ads_api_version: str = Field(
        default="v25", validation_alias=_env("GOOGLE_ADS_API_VERSION")
    )
    google_ads_redirect_uri: str | None = Field(
        default=None, validation_alias=_env("GOOGLE_ADS_REDIRECT_URI")
    )

    gemini_api_key: SecretStr | None = Field(default=None, validation_alias=_env("GEMINI_API_KEY"))
    gemini_model_pro: str = Field(
        default="gemini-2.5-pro", validation_alias=_env("GEMINI_MODEL_PRO")
    )
    gemini_model_flash: str = Field(
        default="gemini-2.5-flash", validation_alias=_env("GEMINI_MODEL_FLASH")
    )
    openai_api_key: SecretStr | None = Field(default=None, validation_alias=_env("OPENAI_API_KEY"))
    openai_model: str = "gpt-4o"

    cache_backend: Literal["memory", "redis"] = "memory"
    redis_host: str = Field(default="127.0.0.1", validation_alias=_env("REDIS_HOST"))
    redis_port: int = Field(default=6379, validation_alias=_env("REDIS_PORT"))
    redis_db: int = Field(default=0, validation_alias=_env("REDIS_DB"))

    log_level: str = Field(default="INFO", validation_alias=_env("LOG_LEVEL"))
    log_format: Literal["json", "console"] = Field(
        default="console", validation_alias=_env("LOG_FORMAT")
    )

    rate_limits: Literal["auto", "on", "off"] = "auto"
    backoff: Literal["full_jitter", "exponential"] = "full_jitter"
    breaker_threshold: int = 5
    breaker_cooldown_seconds: float = 30.0
    max_concurrency: int = 8
    request_timeout_seconds: float = 30.0
    retry_max_attempts: int = 3
    retry_base_delay_seconds: float = 1.0
    retry_max_delay_seconds: float = 30.0
    status_cache_ttl_seconds: int = 300
    budget_change_cap: Decimal = Decimal("0.50")
    lease_seconds: float = Field(default=300.0, gt=0)
    lease_wait_seconds: float = Field(default=30.0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _split_platform_list(cls, data: object) -> object:
        if isinstance(data, dict):
            raw = data.get("enabled_platforms")
            if isinstance(raw, str):
                data = {**data, "enabled_platforms": [p.strip() for p in raw.split(",") if p]}
        return data

    @model_validator(mode="after")
    def _check_mode(self) -> Settings:
        if self.platform_mode is PlatformMode.LIVE:
            missing = self.missing_live_variables()
            if missing:
                raise ConfigurationError(
                    "live mode needs these environment variables: " + ", ".join(missing)
                )
        elif self.sandbox_url and urlparse(self.sandbox_url).hostname in REAL_PLATFORM_HOSTS:
            raise ConfigurationError("ROASLOOP_SANDBOX_URL points at a real platform host")
        return self

    def missing_live_variables(self) -> list[str]:
        """Names of the variables live mode still needs, in a stable order."""
        needed: list[tuple[str, object]] = [("ROASLOOP_ENCRYPTION_KEY", self.encryption_key)]
        if Platform.TIKTOK in self.enabled_platforms:
            needed += [("TIKTOK_APP_ID", self.tiktok_app_id)]
            needed += [("TIKTOK_APP_SECRET", self.tiktok_app_secret)]
        if Platform.META in self.enabled_platforms:
            needed += [("META_APP_ID", self.meta_app_id), ("META_APP_SECRET", self.meta_app_secret)]
        if Platform.GOOGLE in self.enabled_platforms:
            needed += [
                ("GOOGLE_ADS_DEVELOPER_TOKEN", self.google_ads_developer_token),
                ("GOOGLE_ADS_CLIENT_ID", self.google_ads_client_id),
                ("GOOGLE_ADS_CLIENT_SECRET", self.google_ads_client_secret),
            ]
        return [name for name, value in needed if not value]

    @property
    def is_sandbox(self) -> bool:
        return self.platform_mode is PlatformMode.SANDBOX

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'roasloop.db'}"

    @property
    def resolved_media_dir(self) -> Path:
        """The only folder local creative media may come from."""
        return self.media_dir or self.data_dir / "media"

    def sandbox_database_path(self, platform: Platform) -> Path:
        """Each platform's sandbox keeps its own SQLite file in the data directory."""
        return self.data_dir / f"sandbox-{platform.value}.db"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.redis_host}:{self.redis_port}/{self.redis_db}"

    def secret_values(self) -> list[str]:
        """Every configured secret in clear text, so log redaction can mask them."""
        secrets = [
            self.encryption_key,
            self.tiktok_app_secret,
            self.meta_app_secret,
            self.google_ads_developer_token,
            self.google_ads_client_secret,
            self.gemini_api_key,
            self.openai_api_key,
        ]
        return [s.get_secret_value() for s in secrets if s is not None and s.get_secret_value()]
