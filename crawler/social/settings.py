"""Settings of the social connectors (composed into the application Settings as the `social` section)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class SocialSettings(BaseModel):
    """Facebook Pages and YouTube through their official APIs; personal data kept to the minimum."""

    model_config = ConfigDict(extra="forbid")

    facebook_page_tokens: dict[str, SecretStr] = Field(
        default_factory=dict,
        description=(
            "Page access tokens by registry slug of the `facebook_page` source (JSON object in the environment). "
            "A page without a token is not read."
        ),
    )
    facebook_app_token: SecretStr = Field(
        default=SecretStr(""),
        description="App or user token used for other public pages (needs Page Public Content Access); empty: none.",
    )
    graph_url: str = Field(
        default="https://graph.facebook.com/v19.0", description="Base URL of the Graph API, with its version."
    )
    youtube_api_key: SecretStr = Field(
        default=SecretStr(""), description="YouTube Data API v3 key; empty: YouTube sources are not read."
    )
    youtube_url: str = Field(
        default="https://www.googleapis.com/youtube/v3", description="Base URL of the YouTube Data API v3."
    )
    youtube_daily_budget: int = Field(
        default=8000,
        ge=0,
        description="YouTube quota units polling may spend per quota day (Pacific time); the project's quota is 10000.",
    )
    comment_window_days: int = Field(
        default=7, ge=0, le=365, description="Comments are polled on posts and videos published this many days back."
    )
    max_pages: int = Field(
        default=10, ge=1, le=1000, description="Pages of one list read in one poll at most (the rest: next poll)."
    )
    pseudonym_key: SecretStr = Field(
        default=SecretStr(""),
        description="Secret key of the commenters' pseudonyms (HMAC-SHA256); empty: comments are not stored.",
    )
    keep_evidence_authors: bool = Field(
        default=False,
        description="Keep commenters' names and ids in clear, only on posts linked to a case as evidence.",
    )
    retention_days: int = Field(
        default=180, ge=1, description="Posts and comments older than this are deleted (unless linked to a case)."
    )
    timeout_s: int = Field(default=30, ge=1, le=600, description="Seconds before an API request is abandoned.")
