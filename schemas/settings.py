"""Settings: defaults < config file (TOML) < environment (BACOWR_*) < explicit arguments."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from schemas.enums import Role

__all__ = [
    "EndpointSettings",
    "ModelPrice",
    "RoleSettings",
    "Settings",
    "default_prompts_dir",
    "load_settings",
]

StructuredMode = Literal["json_schema", "json_object", "tool_calling"]


def default_prompts_dir() -> Path:
    """Return the prompts folder shipped with bacowr."""
    import prompts

    return Path(prompts.__file__).resolve().parent


class EndpointSettings(BaseModel):
    """One OpenAI-compatible model endpoint; unset fields inherit the global llm_* defaults."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=16)
    timeout_s: float | None = Field(default=None, gt=0)
    structured_output: StructuredMode | None = None
    rpm: int | None = Field(default=None, ge=1, description="Requests per minute at this endpoint.")
    tpm: int | None = Field(default=None, ge=100, description="Tokens per minute at this endpoint.")


class ModelPrice(BaseModel):
    """USD per million tokens for one model."""

    model_config = ConfigDict(extra="forbid")

    input_per_mtok: float = Field(default=0.0, ge=0)
    output_per_mtok: float = Field(default=0.0, ge=0)


class RoleSettings(BaseModel):
    """A role's model chain: the first entry is the primary, the rest are fallbacks in order."""

    model_config = ConfigDict(extra="forbid")

    models: list[EndpointSettings] = Field(default_factory=list)
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=16)


class Settings(BaseSettings):
    """All of bacowr's configuration. Build it with `load_settings()`, never at import time."""

    model_config = SettingsConfigDict(
        env_prefix="BACOWR_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    # The default model for every role (per-role `roles` entries override it).
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible base URL; unset means the embedded local model.",
    )
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_temperature: float = Field(default=0.4, ge=0, le=2)
    llm_max_tokens: int = Field(default=2048, ge=16)
    llm_timeout_s: float = Field(
        default=45.0, gt=0, description="Per-call timeout for hosted models (the SDK's is 600 s)."
    )
    llm_structured_output: StructuredMode = "json_schema"
    llm_rpm: int | None = Field(default=None, ge=1, description="Default requests per minute.")
    llm_tpm: int | None = Field(default=None, ge=100, description="Default tokens per minute.")
    roles: dict[Role, RoleSettings] = Field(default_factory=dict)
    model_prices: dict[str, ModelPrice] = Field(
        default_factory=dict, description="Prices per model name, for cost accounting."
    )
    llm_retry_attempts: int = Field(default=3, ge=1, le=10)
    llm_retry_base_delay_s: float = Field(default=1.0, ge=0)
    llm_retry_max_delay_s: float = Field(default=30.0, ge=0)
    breaker_failure_threshold: int = Field(default=5, ge=1)
    breaker_cooldown_s: float = Field(default=30.0, gt=0)
    budget_per_article_usd: float | None = Field(default=None, gt=0)
    budget_per_batch_usd: float | None = Field(default=None, gt=0)
    local_llm_timeout_s: float = Field(
        default=180.0, gt=0, description="Per-call timeout for the embedded local model (CPU)."
    )

    prompts_dir: Path = Field(default_factory=default_prompts_dir)
    data_dir: Path = Field(default_factory=lambda: Path.home() / ".local/share/bacowr")
    research_dir: Path | None = Field(
        default=None, description="Recorded research snapshots to replay instead of the web."
    )

    database_url: SecretStr | None = Field(
        default=None,
        description="postgresql:// URL; unset means a private embedded PostgreSQL in data_dir.",
    )

    # Research: live fetching, SERP, cache.
    serper_api_key: SecretStr | None = None
    serper_base_url: str = "https://google.serper.dev"
    fetch_allow_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts the SSRF guard lets through even when they resolve to private space.",
    )
    fetch_user_agent: str = "bacowr-research/0.1 (+https://github.com/bacowr/bacowr)"
    fetch_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    fetch_max_redirects: int = Field(default=5, ge=0, le=20)
    fetch_connect_timeout_s: float = Field(default=5.0, gt=0)
    fetch_read_timeout_s: float = Field(default=15.0, gt=0)
    fetch_respect_robots: bool = True
    research_cache_ttl_s: float = Field(default=7 * 24 * 3600, ge=0)

    # The embedded local model (used when llm_base_url is unset).
    local_llm_port: int = Field(default=8088, ge=1, le=65535)
    local_llm_threads: int = Field(default=2, ge=1)
    local_llm_parallel: int = Field(default=2, ge=1, le=16)
    local_llm_ctx_size: int = Field(default=8192, ge=512)

    # The REST API (bacowr serve).
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="Bearer API keys (BACOWR_API_KEYS, comma-separated); none = open API.",
    )
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    api_max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    api_workers: int = Field(
        default=4, ge=0, description="Jobs the API process runs itself (0 = leave to workers)."
    )

    checkpoint_retention_days: float = Field(
        default=7.0, ge=0, description="Prune checkpoints of jobs that ended this long ago."
    )
    checkpoint_keep: Literal["last", "none"] = Field(
        default="last", description="What pruning keeps of a finished job's checkpoints."
    )
    prune_interval_s: float = Field(
        default=3600.0, gt=0, description="How often workers prune finished jobs' checkpoints."
    )

    max_job_attempts: int = Field(
        default=5, ge=1, description="Runs of a job that make no progress before it fails."
    )
    crash_at: Literal["after_final_commit", "before_node"] | None = Field(
        default=None,
        description="Test hook: exit the process at a narrow point (crash-resume tests only).",
    )
    crash_node: str = Field(default="write", description="The node `before_node` crashes at.")

    writer_mode: Literal["auto", "article", "sections"] = Field(
        default="auto",
        description="'sections' continues a blueprint heading by heading (small base models); "
        "'auto' uses it for the embedded local model only.",
    )
    max_iterations: int = Field(default=3, ge=1, le=10, description="Revisions before review.")
    local_max_iterations: int = Field(
        default=1,
        ge=0,
        le=10,
        description="Revisions with the embedded base model, which will not reach QC 80 anyway.",
    )
    pass_threshold: float = Field(default=80.0, ge=0, le=100)
    plateau_min_gain: float = Field(default=3.0, ge=0)
    max_research_attempts: int = Field(default=2, ge=1, le=5)
    node_retry_attempts: int = Field(default=3, ge=1, le=10)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = _config_file_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    def endpoint_chain(self, role: Role) -> list[EndpointSettings]:
        """Return the role's endpoints with every unset field filled from the defaults."""
        role_cfg = self.roles.get(role, RoleSettings())
        chain = role_cfg.models or [EndpointSettings()]
        resolved = []
        for ep in chain:
            resolved.append(
                EndpointSettings(
                    base_url=ep.base_url or self.llm_base_url,
                    model=ep.model or self.llm_model,
                    api_key=ep.api_key or self.llm_api_key,
                    temperature=_first(ep.temperature, role_cfg.temperature, self.llm_temperature),
                    max_tokens=_first(ep.max_tokens, role_cfg.max_tokens, self.llm_max_tokens),
                    timeout_s=_first(ep.timeout_s, self.llm_timeout_s),
                    structured_output=ep.structured_output or self.llm_structured_output,
                    rpm=_first(ep.rpm, self.llm_rpm, None),
                    tpm=_first(ep.tpm, self.llm_tpm, None),
                )
            )
        return resolved


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _config_file_path() -> Path | None:
    explicit = os.environ.get("BACOWR_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            from schemas.errors import ConfigError

            raise ConfigError(f"BACOWR_CONFIG points to {path}, which is not a file")
        return path
    default = Path("bacowr.toml")
    return default if default.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults, `bacowr.toml` (or $BACOWR_CONFIG), environment, overrides."""
    return Settings(**overrides)
