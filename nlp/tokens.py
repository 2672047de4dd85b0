"""Words of a Vietnamese text (underthesea's segmentation) and the cheap gate in front of it."""

from __future__ import annotations

import re

from underthesea import word_tokenize

from domain.text import normalize_vietnamese

# An article that contains none of these stems cannot be about judgment enforcement: it is not segmented
# at all (most of a news stream). The model decides for everything that passes. Recall of the gate on the
# labelled set is checked in tests/nlp/test_classify.py.
GATE = re.compile(
    r"thi hành án|thads|thạds|\btha\b|chấp hành viên|thừa phát lại|kê biên|cưỡng chế|đấu giá|bản án|"
    r"thu hồi tài sản|phát mại|phát mãi|nợ xấu|xử lý tài sản|tài sản bảo đảm|khiếu nại|tố cáo|bồi thường|"
    r"quyết định của tòa|tòa án|phong tỏa|tịch thu|sung công|án phí|tư pháp",
    re.IGNORECASE,
)


HEAD_WORDS = 400  # topic and tone read the headline, the lead and this many words of the text
HEAD_CHARS = 2500  # the opening a reader reads whole
PASSAGE_CHARS = 300  # and, beyond it, this much either side of each enforcement word
MAX_PASSAGES = 8
_LATE = re.compile(
    r"thi hành án|thads|chấp hành viên|kê biên|cưỡng chế|đấu giá|thu hồi tài sản|phát mại|phát mãi|bản án|"
    r"thừa phát lại|tịch thu|phong tỏa",
    re.IGNORECASE,
)


def reading_window(text: str) -> str:
    """What the models read of an article: its opening, and beyond that the passages around enforcement words
    (an article that turns to enforcement late says so there). Long articles cost segmentation time in
    proportion to their length; this keeps the cost of one article bounded without missing a late mention."""
    if len(text) <= HEAD_CHARS:
        return text
    spans: list[tuple[int, int]] = []
    for match in _LATE.finditer(text, HEAD_CHARS):
        a, b = max(HEAD_CHARS, match.start() - PASSAGE_CHARS), min(len(text), match.end() + PASSAGE_CHARS)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    head_end = text.rfind(" ", 0, HEAD_CHARS)
    head = text[: head_end if head_end > 0 else HEAD_CHARS]
    return "\n".join([head, *(_whole_words(text, a, b) for a, b in spans[:MAX_PASSAGES])])


def _whole_words(text: str, a: int, b: int) -> str:
    start = text.find(" ", a) + 1 if a > 0 and not text[a - 1].isspace() else a
    end = text.rfind(" ", start, b) if b < len(text) else b
    return text[start : end if end > start else b]


# Marks: wording that a reader weighs, as features the models weigh (regularised like the words, never
# overrides). Bodies and laws are named in three vocabularies: before 2009 (Phòng / Đội thi hành án, Pháp lệnh
# 2004), 2009 – 02/2025 (Tổng cục, Cục, Chi cục THADS) and since 03/2025 (Cục Quản lý THADS, Thi hành án dân sự
# tỉnh X, Phòng THADS khu vực). The commonest boundaries of the guide have marks of their own: criminal sentences,
# coercion by other authorities.
_MARKS: dict[str, re.Pattern[str]] = {
    "CUE_BODY": re.compile(
        r"(tổng cục|chi cục|cục|phòng|đội) (thi hành án|thads|tha)\b|cục quản lý (thi hành án|thads)|"
        r"cơ quan (thi hành án|thads)|(thi hành án dân sự|thads) (tỉnh|thành phố|tp|huyện|quận|thị xã|khu vực)|"
        r"chấp hành viên|thẩm tra viên thi hành án|thư ký thi hành án|thừa phát lại",
        re.IGNORECASE,
    ),
    "CUE_PARTY": re.compile(r"người (phải|được) thi hành án|người có quyền lợi, nghĩa vụ liên quan", re.IGNORECASE),
    "CUE_ACT": re.compile(
        r"kê biên|cưỡng chế thi hành án|tổ chức thi hành án|quyết định thi hành án|(bảo đảm|đảm bảo|hoãn|"
        r"đình chỉ|ủy thác|yêu cầu|thời hiệu) thi hành án|thi hành (xong|phần dân sự)|việc có điều kiện( thi hành)?|"
        r"giao tài sản (cho người|theo bản án)|bán đấu giá tài sản (kê biên|thi hành án)|án phí",
        re.IGNORECASE,
    ),
    "CUE_LAW": re.compile(
        r"(luật|pháp lệnh|nghị định)[^.\n]{0,30}thi hành án dân sự|thi hành án hành chính|án dân sự", re.IGNORECASE
    ),
    "CUE_CRIMINAL": re.compile(
        r"thi hành án (hình sự|tử hình|phạt tù)|tử tù|tiêm thuốc độc|đặc xá|tha tù|trại giam|phạm nhân|"
        r"chấp hành án phạt tù|hội đồng thi hành án",
        re.IGNORECASE,
    ),
    "CUE_OTHER_COERCION": re.compile(
        r"cưỡng chế (thu hồi đất|giải phóng mặt bằng|thuế|nợ thuế|hải quan|vi phạm|công trình|tháo dỡ|phá dỡ)|"
        r"giải phóng mặt bằng|ubnd[^.\n]{0,40}cưỡng chế",
        re.IGNORECASE,
    ),
}


def cues(*parts: str) -> list[str]:
    """One mark per kind of wording present (up to three for repeated wording)."""
    text = "\n".join(parts)
    out: list[str] = []
    for name, pattern in _MARKS.items():
        count = sum(1 for _ in zip(pattern.finditer(text), range(3), strict=False))
        out += [name] * count
    return out


def passes_gate(*parts: str) -> bool:
    return any(GATE.search(part) for part in parts)


def words(text: str) -> list[str]:
    """Lower-case words, multi-syllable words joined by "_" ("thi_hành_án"); punctuation dropped."""
    return [
        token.lower().replace(" ", "_")
        for token in word_tokenize(normalize_vietnamese(text))
        if any(ch.isalnum() for ch in token)
    ]


def features(
    title: list[str],
    summary: list[str],
    text: list[str],
    *,
    text_limit: int | None = None,
    marks: tuple[str, ...] | list[str] = (),
) -> list[str]:
    """The token stream the models read: cue marks, the headline and lead marked (T_), then the text."""
    body = text if text_limit is None else text[:text_limit]
    return [*marks, *(f"T_{w}" for w in (*title, *summary)), *title, *summary, *body]
