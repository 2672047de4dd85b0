"""Period augmentation: a real article with its enforcement bodies and laws named in another period's words.

Enforcement bodies have had three vocabularies: before 2009 (Phòng / Đội thi hành án, "Thi hành án dân sự tỉnh",
Pháp lệnh Thi hành án dân sự 2004), 2009 – 02/2025 (Tổng cục THADS, Cục THADS tỉnh X, Chi cục THADS huyện Y,
Luật THADS 2008/2014) and since 03/2025 (Cục Quản lý THADS, Thi hành án dân sự tỉnh X, Phòng THADS khu vực N).
The real labelled news is of the middle period; rewriting its body names into the other two teaches the models
that what matters is the work, not the name of the day. The text is made at training time from the corpus
(nothing derived from it is stored), and keeps the labels of the article it comes from: the rewrite changes
names, not what the article says. Variants never sit in a test fold (nor do variants of a test article in its
training folds).
"""

from __future__ import annotations

import re
from collections.abc import Callable

PERIODS = ("truoc_2009", "tu_2025")

_CAPITAL = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
# a unit: its type, then its name (capitalised words, or a number: "quận 3")
_NAME = rf"[{_CAPITAL}][^\W\d_{_CAPITAL}]*\b"
_UNIT = rf"((?:tỉnh|thành phố|TP\.?|huyện|quận|thị xã|TX\.?)\s+(?-i:(?:{_NAME}|\d+\b)(?:\s+{_NAME}){{0,3}}))"


def _sub(
    pattern: str, repl: str | Callable[[re.Match[str]], str]
) -> tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]:
    return re.compile(pattern, re.IGNORECASE), repl


def _area(match: re.Match[str]) -> str:
    # a stable area number per district name, so that one article names one area consistently
    return f"Phòng Thi hành án dân sự khu vực {sum(map(ord, match.group(1))) % 9 + 1}"


_RULES: dict[str, list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]]] = {
    "tu_2025": [
        _sub(r"Tổng cục (Thi hành án dân sự|THADS)", r"Cục Quản lý \1"),
        _sub(r"Tổng cục trưởng", "Cục trưởng Cục Quản lý thi hành án dân sự"),
        _sub(r"Chi cục (?:Thi hành án dân sự|THADS|thi hành án)\s+" + _UNIT, _area),
        _sub(r"Chi cục (Thi hành án dân sự|THADS)", r"Phòng \1 khu vực"),
        _sub(r"Chi cục trưởng", "Trưởng phòng"),
        _sub(r"Cục trưởng Cục (Thi hành án dân sự|THADS)", r"Trưởng \1"),
        _sub(r"Cục (Thi hành án dân sự|THADS)\s+" + _UNIT, r"\1 \2"),
    ],
    "truoc_2009": [
        _sub(r"Tổng cục (Thi hành án dân sự|THADS)", "Cục Thi hành án dân sự (Bộ Tư pháp)"),
        _sub(r"Tổng cục trưởng", "Cục trưởng Cục Thi hành án dân sự"),
        _sub(r"Chi cục (?:Thi hành án dân sự|THADS|thi hành án)\s+" + _UNIT, r"Thi hành án dân sự \1"),
        _sub(r"Chi cục (Thi hành án dân sự|THADS)", "Đội thi hành án"),
        _sub(r"Chi cục trưởng", "Đội trưởng Đội thi hành án"),
        _sub(r"Cục trưởng Cục (Thi hành án dân sự|THADS)", "Trưởng phòng Thi hành án"),
        _sub(r"Cục (?:Thi hành án dân sự|THADS)\s+" + _UNIT, r"Phòng Thi hành án \1"),
        _sub(
            r"Luật Thi hành án dân sự(?: năm)? (2008|2014)(?: \(sửa đổi,? bổ sung năm 2014\))?",
            "Pháp lệnh Thi hành án dân sự năm 2004",
        ),
        _sub(r"Luật Thi hành án dân sự", "Pháp lệnh Thi hành án dân sự"),
    ],
}


def rewrite(text: str, period: str) -> str:
    """`text` with the bodies and laws named as in `period` (one of PERIODS)."""
    for pattern, repl in _RULES[period]:
        text = pattern.sub(repl, text)
    return text


def changes(text: str, period: str) -> bool:
    """Whether the rewrite changes anything (an article that names no body has no variant)."""
    return rewrite(text, period) != text
