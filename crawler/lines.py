"""The lines trafilatura returns, cleaned: boilerplate by its wording out, the byline at the end taken apart.

Lines are matched in their normalised form (`normalize_vietnamese`: "Từ khoá" is "Từ khóa") and kept in the
page's own spelling.
"""

from __future__ import annotations

import re

from crawler.removal import Reason, Removal
from domain.text import normalize_vietnamese, tidy_text

# Lines that are boilerplate by their form: arrows, bare dates and times, "[Quay lại]", table cells of links.
_FORM_LINE = re.compile(
    r"^(>>|»|►|→|\*\s*)|^[\d .()+-]{8,}$|^.{0,2}$"
    r"|^\[[^\]]{1,20}\]$|^-\s.{5,150}\(\d{1,2}/\d{1,2}(/\d{2,4})?\)$|^.{5,150}\sngày \d{1,2}/\d{1,2}/\d{4}$"
    r"|^(\S{1,3} \| ){3,}|^\d{1,2}:\d{2}(:\d{2})?\s*(AM|PM|SA|CH)?\s*\|?$"
    r"|^((thứ \w+|chủ nhật)\s*,?\s*)?\d{1,2}/\d{1,2}/\d{4}[\s,|-]*(\d{1,2}[:h]\d{2}(:\d{2})?)?\s*(AM|PM)?"
    r"\s*(\(?GMT\s*\+\s*7\)?)?$",
    re.IGNORECASE,
)
# Lines that are boilerplate by their wording. The words of a box or a call to readers ("Xem thêm", "Tin liên
# quan", "Chia sẻ bài viết…") count on a label line (the words then ":") or on a short line without a comma;
# words that also open real sentences ("Ảnh hưởng…", "Nguồn tin cho biết…", "Sự kiện diễn ra…") count only as a
# label or alone on their line.
_BOX_WORDS = re.compile(
    r"^(xem thêm|xem tất cả|đọc thêm|tin liên quan|tin cùng chuyên mục|tin cùng mục|tin khác|bài viết khác|"
    r"các tin khác|mời (quý )?(bạn|độc giả)|bạn đọc có thể|theo dõi .* trên|chia sẻ bài viết|bình luận|từ khóa|"
    r"(xem|đọc|phản hồi|bình luận) nhiều nhất|tin nổi bật)(?P<label>\s*:)?",
    re.IGNORECASE,
)
_LABEL_WORDS = re.compile(r"^(video|ảnh|clip|nguồn|tags?|sự kiện|tin mới|chia sẻ)\s*(:|$)", re.IGNORECASE)


def is_boiler_line(line: str) -> bool:
    """A line that is not article text by its form or wording (`line` in its normalised form)."""
    if _FORM_LINE.match(line) or _LABEL_WORDS.match(line):
        return True
    worded = _BOX_WORDS.match(line)
    return worded is not None and bool(worded["label"] or (len(line) <= 60 and "," not in line))


# A page-header date stamp that text extraction glued to the lead: "Thứ Hai, 24/12/2012, 03:04 AM (GMT+7)".
_STAMP = re.compile(
    r"(thứ (hai|ba|tư|năm|sáu|bảy)|chủ nhật)\s*,\s*\d{1,2}/\d{1,2}/\d{4}(\s*,?\s*\d{1,2}:\d{2}(\s*(AM|PM))?)?"
    r"(\s*\(?GMT\s*\+\s*7\)?)?\s*",
    re.IGNORECASE,
)
# What may stand before a header stamp on its line: a section name and its separator ("Pháp luật |").
_HEADER_BEFORE = re.compile(r"[^.!?,;:\d]{1,40}?\s*[|»–-]\s*")
# A lead paragraph as Vietnamese outlets write it: "(Dân trí) - …", "(TNO) …", "(NLĐO) - …".
SOURCE_TAG = re.compile(r"^\([^()]{2,20}\)\s*[-–—]?\s*\S")
_DATE_PREFIX = re.compile(
    r"^((thứ \w+|chủ nhật)\s*,?\s*)?\d{1,2}/\d{1,2}/\d{4}[\s,|-]*(\d{1,2}[:h]\d{2}(:\d{2})?)?\s*(AM|PM)?"
    r"\s*(\(?GMT\s*\+\s*7\)?)?\s*",
    re.IGNORECASE,
)
_BYLINE_PREFIX = re.compile(r"^((tin|bài|ảnh|clip|video)(\s*(,|và|&)\s*(tin|bài|ảnh|clip|video))*\s*:\s*)", re.I)
_CREDIT = re.compile(r"^\(?theo\s+[^.]{2,60}\)?\.?$", re.IGNORECASE)
_NAME_PART = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*"
_NAME = rf"{_NAME_PART}(?:\s+{_NAME_PART}){{0,4}}"
# What a byline adds after a name: "Hà Thu (tổng hợp)", "Minh Anh (theo Reuters)", "Lê B (lược dịch)".
_ROLE_WORDS = r"(?i:\((?:tổng hợp|tổng hợp và biên dịch|biên dịch|lược dịch|dịch|theo [^()]{2,40}|t/h|th)\))"
_ROLE = re.compile(rf"\s*{_ROLE_WORDS}")
BYLINE = re.compile(
    rf"^\(?{_NAME}(?:\s*{_ROLE_WORDS})?(?:\s*(?:[-–,&/]|\bvà\b)\s*{_NAME}(?:\s*{_ROLE_WORDS})?)*\)?\.?$"
)


def clean_lines(
    text: str, title: str, lead: str, trace: list[Removal] | None = None
) -> tuple[list[str], list[str], str]:
    """Boilerplate lines out; returns (lines, trailing byline names, lead found in the text)."""
    lines: list[str] = []
    found_lead = ""
    title_key, lead_key = normalize_vietnamese(title), normalize_vietnamese(lead)

    def drop(reason: Reason, line: str) -> None:
        if trace is not None and line:
            trace.append(Removal(reason, line))

    # Layout tables come out as rows of cells joined by "|": each cell is a line of its own.
    tidied = tidy_text(text)
    raws, keys = re.split(r"\n| \| ", tidied), re.split(r"\n| \| ", normalize_vietnamese(tidied))
    if len(keys) != len(raws):  # cannot happen (tone marks move within a word); kept safe all the same
        keys = [normalize_vietnamese(r) for r in raws]
    for raw, raw_key in zip(raws, keys, strict=True):
        line = raw.strip(" |")
        stamp = _STAMP.search(line) if len(lines) < 3 else None
        # A header stamp glued before the lead; words before a date inside a sentence are never cut.
        if stamp and (not line[: stamp.start()].strip() or _HEADER_BEFORE.fullmatch(line[: stamp.start()])):
            drop(Reason.DATE, line[: stamp.end()].strip())
            line = line[stamp.end() :]
        elif len(lines) < 3 and (match := _DATE_PREFIX.match(line)):
            drop(Reason.DATE, match[0].strip())
            line = line[match.end() :]
        key = raw_key.strip(" |") if line == raw.strip(" |") else normalize_vietnamese(line)
        if not line:
            continue
        if key in (title_key, lead_key) or (lead_key and len(key) > 30 and key[:60] == lead_key[:60]):
            drop(Reason.REPEATED, line)
            continue
        if is_boiler_line(key):
            drop(Reason.BOILER_LINE, line)
            continue
        if not lines and not lead and not found_lead and SOURCE_TAG.match(line):
            found_lead = cut_related(line)  # the lead paragraph, not marked up as one
            continue
        if lines and line == lines[-1]:
            drop(Reason.REPEATED, line)
            continue
        lines.append(line)
    names: list[str] = []
    while lines and len(lines[-1]) <= 60 and len(lines[-1].split()) <= 8 and not lines[-1].endswith(("?", "!")):
        last = _BYLINE_PREFIX.sub("", lines[-1])
        without_initials = re.sub(r"\b[A-ZĐ]\.\s?", "", last.rstrip("."))
        if _CREDIT.match(last):
            drop(Reason.CREDIT, lines.pop())
        elif BYLINE.match(last) and not re.search(r"\d{3,}|[.:;]\s", without_initials):
            names[:0] = split_names(last)
            drop(Reason.BYLINE, lines.pop())
        else:
            break
    return lines, names, found_lead


def cut_related(lead: str) -> str:
    """A lead without the related headline set inside it ("… 17/2/2013. >> Công chức được nghỉ 9 ngày")."""
    cut = re.search(r"\s*(>>|»)\s*\S", lead)
    return lead[: cut.start()] if cut and cut.start() >= 40 else lead


def split_names(byline: str) -> list[str]:
    """ "Hà Thu (tổng hợp)", "Nguyễn A - Trần B", "Bài và ảnh: Lê C" → the names."""
    byline = _ROLE.sub("", _BYLINE_PREFIX.sub("", byline)).strip("() ")
    return [n for n in re.split(r"\s*[-–,&/]\s*|\s+và\s+", byline) if n]
