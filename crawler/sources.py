"""The source registry: outlets and their feeds as data (YAML), validated on load with file, line and field.

The shipped `sources.yaml` is the default; a user's file (`crawler.sources_file`) is merged over it by outlet
slug: an entry with the same slug replaces the shipped one, `enabled: false` switches an outlet off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from domain.provinces import PROVINCES
from domain.records import Feed, FeedKind, Outlet, OutletKind
from domain.text import normalize_vietnamese
from domain.yamlfile import parse_yaml
from storage.errors import os_reason
from storage.outlets import upsert_feed, upsert_outlet


class SourceError(Exception):
    """A bad registry entry; the message names the file, the line and the field."""


class FeedSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(pattern=r"^https?://\S+$")
    kind: Literal["rss", "sitemap", "listing"]
    poll_interval_s: int = Field(default=900, ge=60, le=7 * 86400)
    link_pattern: str | None = None  # listing pages: regex an article URL must match
    enabled: bool = True

    @field_validator("link_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"biểu thức chính quy không hợp lệ: {exc}") from exc
        return value


class ExtractSpec(BaseModel):
    """Per-outlet extraction refinements, only where a recorded page shows they are needed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    body: str | None = None  # CSS selector of the article body
    drop: tuple[str, ...] = ()  # CSS selectors removed from the body before extraction


class OutletSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    name: str = Field(min_length=2)
    domain: str = Field(pattern=r"^[a-z0-9.-]+(:\d+)?$")
    kind: Literal["national", "local", "ministry", "portal"]
    home_province: str | None = None
    reach_tier: int = Field(default=2, ge=1, le=3)
    enabled: bool = True
    download_delay_s: float = Field(default=1.0, ge=0, le=60)
    concurrency: int = Field(default=2, ge=1, le=32)
    feeds: tuple[FeedSpec, ...] = ()
    extract: ExtractSpec = ExtractSpec()
    # Words only the outlet's own "article not found" page shows (the re-check of watched articles, crawler/recheck.py)
    not_found: tuple[str, ...] = ()
    # "none, <why>" when no real article page of the outlet is recorded for the tests (tests/crawler/gold)
    recorded: str | None = Field(default=None, pattern=r"^none, \S.{9,}$")
    note: str | None = None

    @field_validator("home_province")
    @classmethod
    def _province(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = normalize_vietnamese(value)
        if value not in PROVINCES:
            raise ValueError(f"{value!r} không phải một trong 34 tỉnh, thành phố hiện hành")
        return value


class RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outlets: tuple[OutletSpec, ...]


@dataclass(frozen=True, slots=True)
class Registry:
    outlets: tuple[OutletSpec, ...]

    def get(self, slug: str) -> OutletSpec | None:
        return next((o for o in self.outlets if o.slug == slug), None)

    def for_domain(self, domain: str) -> OutletSpec | None:
        """The outlet whose domain is `domain` or a parent of it."""
        return next((o for o in self.outlets if domain == o.domain or domain.endswith("." + o.domain)), None)


def parse_registry(text: str, source: str) -> RegistryFile:
    """Parse and validate one registry file's text; errors name `source`, the line and the field."""
    return parse_yaml(text, source, RegistryFile, SourceError)


def load_registry(user_file: Path | None = None, *, include_shipped: bool = True) -> Registry:
    """The shipped registry, with the user's file merged over it by slug (or the user's file alone)."""
    outlets: dict[str, OutletSpec] = {}
    if include_shipped:
        shipped = resources.files("crawler").joinpath("sources.yaml").read_text(encoding="utf-8")
        outlets = {o.slug: o for o in parse_registry(shipped, "crawler/sources.yaml").outlets}
    if user_file is not None:
        try:
            text = user_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise SourceError(f"{user_file}: không đọc được tệp nguồn tin ({os_reason(exc)})") from exc
        for outlet in parse_registry(text, str(user_file)).outlets:
            outlets[outlet.slug] = outlet
    return Registry(outlets=tuple(outlets.values()))


def sync_registry(session: Session, registry: Registry) -> dict[str, Outlet]:
    """Write the registry's outlets and feeds to storage; returns the stored outlets by slug."""
    stored: dict[str, Outlet] = {}
    for spec in registry.outlets:
        outlet = upsert_outlet(
            session,
            Outlet(
                slug=spec.slug,
                name=spec.name,
                domain=spec.domain,
                kind=OutletKind(spec.kind),
                home_province=spec.home_province,
                reach_tier=spec.reach_tier,
            ),
        )
        assert outlet.id is not None
        for feed in spec.feeds:
            upsert_feed(
                session,
                Feed(
                    outlet_id=outlet.id,
                    url=feed.url,
                    kind=FeedKind(feed.kind),
                    poll_interval_s=feed.poll_interval_s,
                    link_pattern=feed.link_pattern,
                    enabled=feed.enabled and spec.enabled,
                ),
            )
        stored[spec.slug] = outlet
    return stored
