"""The one Settings object: built once here, its sections passed down to the packages.

Sources, strongest first: environment (`THADS_` prefix, `__` between section and field, e.g.
`THADS_STORAGE__DATABASE_URL`), the TOML config file, the defaults.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from alerts.settings import AlertSettings, MailSettings, TelegramSettings, WebhookSettings, ZaloSettings
from crawler.settings import CrawlerSettings
from dashboards.dossier.settings import DossierSettings
from dashboards.reports.settings import ReportSettings
from dashboards.settings import PortalSettings, WebSettings
from nlp.settings import NlpSettings
from storage.settings import StorageSettings

ENV_PREFIX = "THADS_"
CONFIG_ENV = "THADS_CONFIG"


class ConfigError(Exception):
    """A setting is wrong; the message names the setting (or file and line) and is user-facing."""


class LogSettings(BaseModel):
    """Logging of the CLI and the scheduled jobs."""

    model_config = ConfigDict(extra="forbid")

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Log level: DEBUG, INFO, WARNING or ERROR."
    )


class SchedulerSettings(BaseModel):
    """How often the main job (`thads-monitor run`) and the stage workers run each stage."""

    model_config = ConfigDict(extra="forbid")

    crawl_interval_s: int = Field(
        default=60, ge=5, description="Seconds between crawl cycles (each polls only the feeds whose interval is due)."
    )
    enrich_interval_s: int = Field(
        default=60, ge=1, description="Seconds between enrichment runs (also woken by a crawl)."
    )
    workflow_interval_s: int = Field(
        default=60,
        ge=1,
        description="Seconds between workflow runs: cases, reminders, escalation (also woken by enrich).",
    )
    feed_health_interval_s: int = Field(default=900, ge=10, description="Seconds between checks of the feeds' health.")
    spike_interval_s: int = Field(
        default=900, ge=10, description="Seconds between checks for topics, provinces or stories far above usual."
    )
    report_interval_s: int = Field(
        default=3600, ge=60, description="Seconds between checks for a weekly or monthly report that is due."
    )
    recheck_interval_s: int = Field(
        default=900,
        ge=10,
        description="Seconds between re-check runs of watched articles (each run fetches only the articles due).",
    )
    threads: int = Field(
        default=4, ge=1, le=32, description="Jobs that may run at the same time (each never overlaps itself)."
    )
    misfire_grace_s: int = Field(
        default=3600, ge=1, description="A run missed while the process was down still runs within this many seconds."
    )
    worker_idle_s: float = Field(
        default=5.0, gt=0, le=3600, description="A stage worker with nothing to do waits this many seconds."
    )


class Settings(BaseSettings):
    """Effective configuration of THADS Press Monitor."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        nested_model_default_partial_update=True,
    )

    storage: StorageSettings = Field(default_factory=StorageSettings, description="Storage (database).")
    crawler: CrawlerSettings = Field(default_factory=CrawlerSettings, description="Collection (crawler).")
    nlp: NlpSettings = Field(default_factory=NlpSettings, description="Reading articles (NLP).")
    alerts: AlertSettings = Field(default_factory=AlertSettings, description="Response workflow and messages.")
    mail: MailSettings = Field(default_factory=MailSettings, description="Sending e-mail (SMTP).")
    webhook: WebhookSettings = Field(default_factory=WebhookSettings, description="Signed JSON webhook.")
    telegram: TelegramSettings = Field(default_factory=TelegramSettings, description="Telegram bot.")
    zalo: ZaloSettings = Field(default_factory=ZaloSettings, description="Zalo Official Account and ZNS.")
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings, description="Scheduled jobs and workers.")
    reports: ReportSettings = Field(default_factory=ReportSettings, description="Periodic reports.")
    web: WebSettings = Field(default_factory=WebSettings, description="Web app.")
    portal: PortalSettings = Field(default_factory=PortalSettings, description="Portal feed (Atom and JSON).")
    dossier: DossierSettings = Field(default_factory=DossierSettings, description="Evidence dossiers of cases.")
    log: LogSettings = Field(default_factory=LogSettings, description="Logging.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # init kwargs carry the TOML file's content (see load_settings): environment wins over the file.
        return env_settings, init_settings


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir("thads-monitor", appauthor=False)) / "config.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"không tìm thấy tệp cấu hình {path}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"tệp cấu hình {path} không phải UTF-8 (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"tệp cấu hình {path} không phải TOML hợp lệ: {exc}") from exc


def _describe_error(error: Any, source: Path | None) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    env = ENV_PREFIX + loc.upper().replace(".", "__")
    where = f"{loc} ({env}" + (f" hoặc tệp {source}" if source else "") + ")"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"thiết lập không tồn tại: {loc}" + (f" trong tệp {source}" if source else "")
    return f"thiết lập {where} không hợp lệ: {message}"


def load_settings(config_file: Path | None = None) -> Settings:
    """Build the Settings once, or raise ConfigError naming the first bad setting.

    The config file is `config_file`, else $THADS_CONFIG, else the per-user config.toml when it exists.
    """
    if config_file is None and os.environ.get(CONFIG_ENV):
        config_file = Path(os.environ[CONFIG_ENV])
    if config_file is None and default_config_file().is_file():
        config_file = default_config_file()
    file_values = _read_toml(config_file) if config_file is not None else {}
    try:
        return Settings(**file_values)
    except ValidationError as exc:
        raise ConfigError(_describe_error(exc.errors()[0], config_file)) from exc


def configure_logging(settings: LogSettings) -> None:
    logging.basicConfig(level=settings.level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    # httpx logs every request and Alembic every look at the schema at INFO, in English: a command's own output
    # says what it fetched or migrated (DEBUG shows them again).
    for chatty in ("httpx", "alembic.runtime.migration"):
        logging.getLogger(chatty).setLevel(logging.WARNING if settings.level == "INFO" else logging.NOTSET)


# --- documentation and display ------------------------------------------------------------------


def iter_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], FieldInfo]]:
    """Every leaf setting as (path, field info), depth first, in declaration order."""
    out: list[tuple[tuple[str, ...], FieldInfo]] = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.extend(iter_fields(annotation, (*prefix, name)))
        else:
            out.append(((*prefix, name), info))
    return out


def env_name(path: tuple[str, ...]) -> str:
    return ENV_PREFIX + "__".join(p.upper() for p in path)


def settings_table_markdown() -> str:
    """The README's settings table, generated from the model so that the two cannot drift apart."""
    lines = ["| setting | environment variable | default | description |", "|---|---|---|---|"]
    for path, info in iter_fields(Settings):
        if info.default_factory is not None:
            default = "(computed)"
        elif info.default is None:
            default = "(empty)"
        else:
            default = f"`{str(info.default).lower() if isinstance(info.default, bool) else info.default}`"
        lines.append(f"| `{'.'.join(path)}` | `{env_name(path)}` | {default} | {info.description or ''} |")
    return "\n".join(lines)


def masked_values(settings: Settings) -> dict[str, Any]:
    """The effective settings as a nested dict, secrets and URL passwords masked."""

    def mask(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return "**********" if value.get_secret_value() else ""
        if isinstance(value, BaseModel):
            return {k: mask(getattr(value, k)) for k in type(value).model_fields}
        if isinstance(value, Path):
            return str(value)
        return value

    values: dict[str, Any] = mask(settings)
    storage = values["storage"]
    storage["database_url"] = settings.storage.effective_url().render_as_string(hide_password=True)
    return values


def update_readme(path: Path) -> None:
    """Rewrite the settings table between the README's markers (`make readme`)."""
    text = path.read_text(encoding="utf-8")
    start = text.index("<!-- settings:start")
    start = text.index("\n", start) + 1
    end = text.index("<!-- settings:end -->")
    path.write_text(text[:start] + settings_table_markdown() + "\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    update_readme(Path(__file__).resolve().parent.parent / "README.md")
