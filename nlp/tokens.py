"""Words of a Vietnamese text (underthesea's segmentation) and the cheap gate in front of it."""

from __future__ import annotations

import re

from underthesea import word_tokenize

from storage.text import normalize_vietnamese

# An article that contains none of these stems cannot be about judgment enforcement: it is not segmented
# at all (most of a news stream). The model decides for everything that passes. Recall of the gate on the
# labelled set is checked in tests/nlp/test_classify.py.
GATE = re.compile(
    r"thi hành án|thads|thạds|\btha\b|chấp hành viên|thừa phát lại|kê biên|cưỡng chế|đấu giá|bản án|"
    r"thu hồi tài sản|phát mại|phát mãi|nợ xấu|xử lý tài sản|tài sản bảo đảm|khiếu nại|tố cáo|bồi thường|"
    r"quyết định của tòa|tòa án|phong tỏa|tịch thu|sung công|án phí|tư pháp",
    re.IGNORECASE,
)


# Marks of civil (or administrative) enforcement, and of criminal enforcement, as extra features: the guide's
# commonest boundary is "thi hành án" of a prison or death sentence.
_CIVIL = re.compile(
    r"thi hành án dân sự|thads|tha dân sự|chấp hành viên|người phải thi hành án|người được thi hành án|"
    r"cơ quan thi hành án|kê biên|thi hành án hành chính|thừa phát lại|cục thi hành án|chi cục thi hành án|"
    r"bảo đảm thi hành án|đảm bảo thi hành án|thu hồi tài sản|cưỡng chế thi hành|quyết định thi hành án|"
    r"thi hành phần dân sự|yêu cầu thi hành án|án dân sự",
    re.IGNORECASE,
)
_CRIMINAL = re.compile(
    r"thi hành án (hình sự|tử hình|phạt tù)|tử tù|tiêm thuốc độc|đặc xá|tha tù|trại giam|phạm nhân|"
    r"chấp hành án phạt tù|hội đồng thi hành án",
    re.IGNORECASE,
)


def cues(*parts: str) -> list[str]:
    text = "\n".join(parts)
    civil, criminal = len(_CIVIL.findall(text)), len(_CRIMINAL.findall(text))
    out = ["CUE_CIVIL"] * min(civil, 3) if civil else ["CUE_NO_CIVIL"]
    out += ["CUE_CRIMINAL"] * min(criminal, 3)
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
