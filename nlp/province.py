"""The province whose enforcement body an article concerns: one of the 34 current units, or `toan_quoc`.

Place names are found with the gazetteer (current and former provinces, former districts, press spellings)
and weighed by where they stand: inside a THADS body's name ("Chi cục THADS huyện Hàm Thuận Bắc",
"Thi hành án dân sự TP. Hồ Chí Minh", "Phòng THADS khu vực 3 – Đắk Lắk") most, then in the headline, the
lead, the body. A central body, a law or "cả nước" with no provincial body named makes it nationwide; with no
place at all, the outlet's home province is a weak prior.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from nlp.gazetteer import NATIONWIDE, Gazetteer, load
from storage.text import normalize_vietnamese

BODY_WEIGHT, TITLE_WEIGHT, LEAD_WEIGHT, TEXT_WEIGHT = 6.0, 3.0, 2.0, 1.0
_BODY_BEFORE = re.compile(
    r"(thi hành án dân sự|thi hành án|thads|tha dân sự|tha|cơ quan thi hành án)\s*"
    r"(khu vực\s*\d+\s*[-–—,]?\s*)?((tỉnh|thành phố|tp\.?|huyện|quận|thị xã|tx\.?)\s*)?$",
    re.IGNORECASE,
)
_CENTRAL = re.compile(
    r"tổng cục (thi hành án dân sự|thads)|cục quản lý (thi hành án dân sự|thads)|bộ tư pháp|quốc hội|chính phủ|"
    r"thủ tướng|cả nước|toàn quốc|toàn ngành|toàn hệ thống|dự thảo luật|luật thi hành án|luật sửa đổi|"
    r"nghị định|thông tư|nghị quyết|ngành thi hành án|hệ thống thi hành án|hệ thống thads|"
    # legal questions and answers: the reader's town is not the body concerned
    r"hỏi\s*[-–—:]\s*đáp|hỏi đáp|tư vấn pháp luật|(bạn đọc|độc giả)[^.?]{0,60}\bhỏi|theo quy định (của pháp luật|tại)|"
    r"luật sư[^.]{0,40}(trả lời|tư vấn)",
    re.IGNORECASE,
)


# A legal question-and-answer column: about the law, whatever the reader's town.
_QUESTION_ANSWER = re.compile(r"(^|\n)\s*(hỏi|câu hỏi)\s*:|(^|\n)\s*(trả lời|luật sư trả lời|giải đáp)\s*:", re.I)


@dataclass(frozen=True, slots=True)
class Mention:
    province: str | tuple[str, ...]  # ambiguous district names list every candidate
    text: str
    start: int
    in_body_name: bool


@dataclass(slots=True)
class ProvinceResult:
    province: str
    scores: dict[str, float] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)


@functools.cache
def _patterns() -> tuple[Gazetteer, re.Pattern[str], re.Pattern[str]]:
    gazetteer = load()
    names = sorted(gazetteer.provinces, key=len, reverse=True)
    provinces = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    district_names = sorted({d.split(" ", 1)[1] for d in gazetteer.districts}, key=len, reverse=True)
    districts = re.compile(
        r"(?i:(quận|huyện|thị xã|thành phố|tp\.?|tx\.?|q\.|h\.)\s*)("
        + "|".join(re.escape(n) for n in district_names)
        + r")(?!\w)"
    )
    return gazetteer, provinces, districts


_TYPE = {"tp": "thành phố", "tp.": "thành phố", "tx": "thị xã", "tx.": "thị xã", "q.": "quận", "h.": "huyện"}


def mentions(text: str) -> list[Mention]:
    """Every place mention in `text` that maps to a current unit, in order."""
    gazetteer, provinces, districts = _patterns()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for match in districts.finditer(text):
        kind = match.group(1).lower()
        key = f"{_TYPE.get(kind, kind)} {match.group(2)}"
        units = gazetteer.districts.get(key)
        if units is None and kind in ("tp", "tp.", "thành phố"):
            continue  # "TP Hà Nội" is a province: left to the province pattern
        if units is None:
            continue
        province = next(iter(units)) if len(units) == 1 else tuple(sorted(units))
        found.append(Mention(province, match.group(0), match.start(), _in_body_name(text, match.start())))
        taken.append(match.span())
    for match in provinces.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        province = gazetteer.provinces[match.group(1)]
        found.append(Mention(province, match.group(1), match.start(), _in_body_name(text, match.start())))
    return sorted(found, key=lambda m: m.start)


def _in_body_name(text: str, start: int) -> bool:
    return bool(_BODY_BEFORE.search(text[max(0, start - 60) : start]))


def detect_province(title: str, lead: str, text: str, *, home_province: str | None = None) -> ProvinceResult:
    title, lead, text = normalize_vietnamese(title), normalize_vietnamese(lead), normalize_vietnamese(text)
    scores: dict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}
    all_mentions: list[Mention] = []
    offset = 0
    title_places = 0
    for part, weight in ((title, TITLE_WEIGHT), (lead, LEAD_WEIGHT), (text, TEXT_WEIGHT)):
        found = mentions(part)
        if part is title:
            title_places = len(found)
        for mention in found:
            all_mentions.append(mention)
            units = (mention.province,) if isinstance(mention.province, str) else mention.province
            gain = (BODY_WEIGHT if mention.in_body_name else weight) / len(units)
            for unit in units:
                scores[unit] += gain
                first_seen.setdefault(unit, offset + mention.start)
        offset += len(part) + 1
    head = len(_CENTRAL.findall(title)) * TITLE_WEIGHT + len(_CENTRAL.findall(lead)) * LEAD_WEIGHT
    central = head + min(len(_CENTRAL.findall(text)), 6) * TEXT_WEIGHT
    named_bodies = {m.province for m in all_mentions if m.in_body_name and isinstance(m.province, str)}
    if not scores:
        province = home_province if home_province and central < 2 else NATIONWIDE
    else:
        best = max(scores, key=lambda u: (scores[u], -first_seen[u]))
        share = scores[best] / sum(scores.values())
        if _QUESTION_ANSWER.search(text) and not title_places:
            province = NATIONWIDE  # a legal Q&A
        elif not named_bodies and central >= max(3.0, scores[best]):
            province = NATIONWIDE  # a law, the central body, the whole country
        elif head >= 3.0 and (len(named_bodies) >= 2 or share < 0.6) and not title_places:
            province = NATIONWIDE  # system-wide figures that cite several provinces
        else:
            province = best
    return ProvinceResult(province, dict(scores), all_mentions)
