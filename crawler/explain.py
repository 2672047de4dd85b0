"""`thads-monitor extract --explain`: what the extraction kept and what it left out of a page, and why.

An operator who sees a paragraph missing from a stored article reads here which rule took it: a box named as
boilerplate, a caption, a list of linked headlines, a line worded as boilerplate, the byline, or trafilatura.
The words are Vietnamese (what the operator reads); the reasons come from `crawler.removal.REASON_VI`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.entries import Entry
from crawler.extract import Extracted, NotAnArticle, extract
from crawler.removal import REASON_VI, Reason, Removal
from crawler.rules import Rules
from domain.localtime import VN

_WIDTH = 110


@dataclass(frozen=True, slots=True)
class Explanation:
    result: Extracted | None
    not_an_article: str | None
    removals: list[Removal] = field(default_factory=list)


def explain(
    body: bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    rules: Rules | None = None,
    entry: Entry | None = None,
) -> Explanation:
    trace: list[Removal] = []
    try:
        result = extract(body, url, content_type=content_type, rules=rules, entry=entry, trace=trace)
    except NotAnArticle as exc:
        return Explanation(None, str(exc), trace)
    return Explanation(result, None, trace)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def render(explanation: Explanation) -> list[str]:
    """The explanation as the lines the command prints."""
    out: list[str] = []
    used = next((r for r in explanation.removals if r.reason is Reason.KEPT_BODY), None)
    out.append(f"Khối thân bài: {used.detail if used else 'không xác định'}")
    if explanation.not_an_article is not None:
        out.append(f"Không phải trang bài viết: {explanation.not_an_article}")
    result = explanation.result
    if result is not None:
        published = result.published_at.astimezone(VN).strftime("%H:%M %d/%m/%Y") if result.published_at else "—"
        out += [
            f"Tiêu đề: {result.title}",
            f"Sapo: {_short(result.lead) if result.lead else '—'}",
            f"Tác giả: {', '.join(result.authors) or '—'}",
            f"Thời gian đăng: {published}",
            "",
            f"GIỮ LẠI ({len(result.text.splitlines())} đoạn):",
            *(f"  + {_short(line)}" for line in result.text.splitlines()),
        ]
    blocks = sorted(
        (r for r in explanation.removals if r.reason is not Reason.KEPT_BODY and r.line is not None),
        key=lambda r: r.line or 0,
    )
    lines = [r for r in explanation.removals if r.reason is not Reason.KEPT_BODY and r.line is None]
    out += ["", f"BỎ ĐI — khối trong trang ({len(blocks)}):"]
    for removal in blocks:
        why = REASON_VI[removal.reason] + (f" [{removal.detail}]" if removal.detail else "")
        out += [f"  - dòng {removal.line}: {why}", f"      {_short(removal.text)}"]
    out += ["", f"BỎ ĐI — dòng văn bản ({len(lines)}):"]
    for removal in lines:
        out += [f"  - {REASON_VI[removal.reason]}", f"      {_short(removal.text)}"]
    return out
