"""What the social connectors share: the API problem (an answer the poll stops on, in Vietnamese), commenters'
pseudonyms, and the time formats of the platforms."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx

from domain.social import Platform, SocialComment, SocialProblem


class ApiProblem(Exception):
    """The platform refused or failed a request: the poll of this source stops here (what it stored stays)."""

    def __init__(
        self,
        problem: SocialProblem,
        text: str,
        *,
        retry_after_s: float | None = None,
        reasons: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(text)
        self.problem, self.text, self.retry_after_s = problem, text, retry_after_s
        self.reasons = reasons  # the platform's own error reasons (YouTube `errors[].reason`)


@dataclass(frozen=True, slots=True)
class Authors:
    """How a commenter is written down: a keyed pseudonym always, the clear name and id only when allowed."""

    key: bytes

    def pseudonym(self, platform: Platform, user_id: str) -> str:
        """HMAC-SHA256 of the platform's user id with the secret key: the same person has the same pseudonym,
        which cannot be turned back into the id without the key."""
        if not user_id:
            return ""
        return hmac.new(self.key, f"{platform.value}:{user_id}".encode(), hashlib.sha256).hexdigest()


def parse_time(value: str) -> datetime:
    """Graph API `2026-11-20T03:00:00+0000` or YouTube RFC 3339 `2026-11-20T03:00:00Z`, as tz-aware UTC."""
    text = value.strip().replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def get_json(client: httpx.Client, url: str, params: dict[str, str]) -> httpx.Response:
    """One GET; a network failure becomes the problem FAILED (the caller reads the answer's errors)."""
    try:
        return client.get(url, params=params)
    except httpx.HTTPError as exc:
        raise ApiProblem(SocialProblem.FAILED, f"không kết nối được tới API ({type(exc).__name__}: {exc})") from exc


def with_author(comment: SocialComment, authors: Authors, *, keep_clear: bool) -> SocialComment:
    """The comment as stored: the pseudonym set; the clear name and id dropped unless `keep_clear`."""
    pseudonym = authors.pseudonym(comment.platform, comment.author_platform_id or "")
    if keep_clear:
        return replace(comment, author_pseudonym=pseudonym)
    return replace(comment, author_pseudonym=pseudonym, author_name=None, author_platform_id=None)
