"""Articles for the replay site, from a JSONL corpus (`{"id", "title", "summary", "text"}` per line)."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from domain.text import fold_diacritics, normalize_vietnamese
from storage.errors import os_reason

AUTHORS = ("Minh Anh", "Quốc Hùng", "Thanh Hà", "Ngọc Lan", "Hoàng Nam", "Phương Thảo", "Đức Trung", "Lê Vy")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayArticle:
    n: int
    source_id: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    published_at: datetime
    updated_at: datetime
    author: str
    gone: bool = False

    @property
    def path(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", fold_diacritics(self.title)).strip("-")[:80]
        return f"/phap-luat/{slug}-{self.n}.html"


class CorpusError(Exception):
    """The corpus file cannot be read; names the file and line."""


def load_corpus(path: Path, *, limit: int | None = None) -> list[tuple[str, str, str, str]]:
    """(id, title, summary, text) of each usable line; bad lines are skipped with their line number logged."""
    opener = gzip.open if path.suffix == ".gz" else open
    rows: list[tuple[str, str, str, str]] = []
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if limit is not None and len(rows) >= limit:
                    break
                try:
                    item = json.loads(line)
                    title, text = normalize_vietnamese(item["title"]), normalize_vietnamese(item["text"])
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise CorpusError(f"{path}:{number}: dòng không hợp lệ ({exc})") from exc
                if title and len(text) > 200:
                    rows.append(
                        (str(item.get("id", number)), title, normalize_vietnamese(item.get("summary", "")), text)
                    )
    except OSError as exc:
        raise CorpusError(f"{path}: không đọc được tệp ({os_reason(exc)})") from exc
    return rows


def schedule(
    rows: list[tuple[str, str, str, str]],
    *,
    now: datetime,
    spread: timedelta,
    released: int | None = None,
    every: timedelta = timedelta(minutes=1),
) -> list[ReplayArticle]:
    """Publication times: the first `released` articles spread over `spread` before `now` (newest first),
    the rest one every `every` after `now` — a stream that keeps publishing."""
    released = len(rows) if released is None else min(released, len(rows))
    step = spread / max(released, 1)
    out: list[ReplayArticle] = []
    for i, (source_id, title, summary, text) in enumerate(rows):
        at = now - step * i if i < released else now + every * (i - released + 1)
        out.append(
            ReplayArticle(
                n=i + 1,
                source_id=source_id,
                title=title,
                summary=summary,
                paragraphs=tuple(p for p in text.split("\n") if p.strip()),
                published_at=at,
                updated_at=at,
                author=AUTHORS[i % len(AUTHORS)],
            )
        )
    return out


def edited(article: ReplayArticle, *, at: datetime, addition: str) -> ReplayArticle:
    """The article after the outlet added a paragraph (an edit is dated)."""
    return replace(article, paragraphs=(*article.paragraphs, addition), updated_at=at)
