"""Records of the post-response watch: the articles of open (and recently closed) cases are fetched again and
compared with what was captured; an edit or a takedown is kept as a change with its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.diff import WordDiff, word_diff
from domain.enums import TakedownReason, WatchState


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchTarget:
    """An article due for a re-check, with what the last check and the last capture left."""

    article_id: int
    url: str
    outlet_id: int
    title: str  # as last captured
    text: str
    content_hash: str  # of the last snapshot (crawler.store.content_hash of its title and text)
    etag: str | None = None  # validators of the last re-check's answer, for a conditional GET
    last_modified: str | None = None
    state: WatchState = WatchState.UNCHANGED


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleWatch:
    """An article's watch state: what the last re-check found, when, how often it was checked."""

    article_id: int
    state: WatchState
    last_checked_at: datetime | None  # the last check that got an answer
    last_attempt_at: datetime | None  # the last try, answered or not
    checked_count: int
    etag: str | None = None
    last_modified: str | None = None
    takedown_reason: TakedownReason | None = None
    last_problem: str | None = None  # why the last try got no usable answer (Vietnamese), if it did not


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleChange:
    """One change the watch found: an edit (old and new wording, the new snapshot) or a takedown (its evidence)."""

    article_id: int
    at: datetime
    kind: WatchState  # EDITED or TAKEN_DOWN
    http_status: int | None = None
    final_url: str | None = None  # where a redirect led
    reason: TakedownReason | None = None
    snapshot_id: int | None = None  # the page as re-fetched (an edit; a not-found page)
    old_title: str = ""
    new_title: str = ""
    old_text: str = ""
    new_text: str = ""
    notified_at: datetime | None = None
    id: int | None = None

    @property
    def title_changed(self) -> bool:
        return self.kind == WatchState.EDITED and self.old_title != self.new_title

    def title_diff(self) -> WordDiff:
        return word_diff(self.old_title, self.new_title)

    def text_diff(self) -> WordDiff:
        return word_diff(self.old_text, self.new_text)
