"""Settings of the web app (composed into the application Settings by `thads_monitor`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator


class WebSettings(BaseModel):
    """The web app: address, sessions, sign-in throttling, uploads."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(default="127.0.0.1", description="Address `thads-monitor serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `thads-monitor serve` listens on.")
    workers: int = Field(
        default=1, ge=1, le=64, description="Web server processes (more use more cores; sessions are shared)."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description=(
            "Key that signs session cookies. Empty: one is generated and kept in `web-secret-key` in the data "
            "folder, so that restarts keep sessions."
        ),
    )
    session_lifetime_h: int = Field(
        default=12, ge=1, le=24 * 30, description="Hours a sign-in lasts before the user must sign in again."
    )
    cookie_secure: bool = Field(
        default=False, description="Send the session cookie over HTTPS only (set it when the app is behind HTTPS)."
    )
    login_max_failures: int = Field(
        default=5, ge=1, le=100, description="Wrong passwords for one account within the window before it is locked."
    )
    login_max_failures_per_address: int = Field(
        default=20, ge=1, le=1000, description="Wrong passwords from one address within the window before it is locked."
    )
    login_window_min: int = Field(
        default=15, ge=1, le=24 * 60, description="Throttling window (minutes): a lock lifts this long after it began."
    )
    argon2_time_cost: int = Field(
        default=3, ge=1, le=100, description="Passes of argon2id over memory when hashing a password (RFC 9106)."
    )
    argon2_parallelism: int = Field(default=4, ge=1, le=64, description="Lanes (threads) of argon2id.")
    argon2_memory_kib: int = Field(
        default=65536,
        ge=8,
        le=4 * 1024 * 1024,
        description="Memory (KiB) argon2id uses to hash one password (at least 8 per lane).",
    )
    max_upload_mb: int = Field(default=10, ge=1, le=200, description="Largest response attachment accepted (MB).")
    forwarded_allow_ips: str | None = Field(
        default=None,
        description=(
            "Reverse proxies (comma-separated addresses) whose X-Forwarded-For is trusted for the client address; "
            "empty: none."
        ),
    )

    @field_validator("argon2_memory_kib")
    @classmethod
    def _memory_per_lane(cls, value: int, info: ValidationInfo) -> int:
        lanes = info.data.get("argon2_parallelism")
        if lanes is not None and value < 8 * lanes:
            raise ValueError(f"argon2id cần ít nhất 8 KiB cho mỗi luồng: {8 * lanes} KiB với {lanes} luồng")
        return value


class PortalSettings(BaseModel):
    """The portal feed (Atom and JSON of the published responses) and who may read it."""

    model_config = ConfigDict(extra="forbid")

    api_key: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "Key the portal's importer sends (header `X-API-Key` or `?key=`) to read the feed; empty: no key opens it."
        ),
    )
    url_key: SecretStr = Field(
        default=SecretStr(""),
        description=("Key signing feed URLs with an expiry (`thads-monitor portal link`); empty: signed URLs are off."),
    )
    tag_authority: str = Field(
        default="thads.moj.gov.vn",
        pattern=r"^[A-Za-z0-9.-]+$",
        description="Domain in the entries' permanent ids (tag:DOMAIN,DATE:phan-hoi/N): never change it once used.",
    )
    author: str = Field(
        default="Cục Quản lý Thi hành án dân sự",
        min_length=1,
        description="Author named on the feed and its entries.",
    )
    feed_entries: int = Field(default=50, ge=1, le=500, description="Entries in the Atom feed (newest first).")
    page_size: int = Field(default=50, ge=1, le=500, description="Entries per page of the JSON feed, at most.")
