"""Entities of an enforcement article: bodies, people, judgment and decision numbers, money amounts in VND."""

from __future__ import annotations

import re
from collections.abc import Callable

from nlp.province import mentions
from storage.records import Entity

_BODY = re.compile(
    r"(?:Tổng cục|Cục Quản lý|Cục|Chi cục|Phòng)\s+(?:Thi hành án dân sự|THADS|THA dân sự|thi hành án dân sự)"
    r"(?:\s+khu vực\s*\d+)?(?:\s*[-–—]\s*|\s+)?"
    r"(?:(?:tỉnh|thành phố|TP\.?|huyện|quận|thị xã|TX\.?)\s*)?"
    r"(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*(?:\s+[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ.]*){0,3})?"
    r"|(?:Thi hành án dân sự|THADS)\s+(?:tỉnh|thành phố|TP\.?)\s*[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*){0,3}",
)
_JUDGMENT = re.compile(
    r"[Bb]ản án\s+(?:(?:dân sự|hình sự|hành chính|kinh doanh thương mại|phúc thẩm|sơ thẩm)\s+)?"
    r"số\s*:?\s*(\d{1,5}/\d{4}/[A-ZĐ\-]{2,12}(?:-[A-ZĐ]{2,4})?)"
)
_DECISION = re.compile(
    r"[Qq]uyết định\s+(?:(?:thi hành án|cưỡng chế|kê biên|[\wÀ-ỹ]+)\s+){0,3}số\s*:?\s*"
    r"(\d{1,6}/(?:\d{4}/)?[A-ZĐ][A-ZĐ\-]{1,15})"
)
_MONEY = re.compile(
    r"(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s*(nghìn tỷ|ngàn tỷ|tỷ|tỉ|triệu|nghìn|ngàn)?\s*(?:đồng|VNĐ|VND|đ)\b",
    re.IGNORECASE,
)
_MULTIPLIER = {"nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "tỷ": 1e9, "tỉ": 1e9, "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3}
_PERSON = re.compile(
    r"(?:ông|bà|anh|chị|cụ|chấp hành viên|CHV|luật sư|thẩm phán|bị cáo|Chủ tịch|Phó Chủ tịch|Cục trưởng|"
    r"Chi cục trưởng|Trưởng phòng|Giám đốc)\s+((?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,3})"
)


def money_value(number: str, unit: str | None) -> float:
    """'1,2' 'tỷ' → 1.2e9; '350.000.000' → 3.5e8 (Vietnamese: '.' groups thousands, ',' is the decimal mark)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number):
        value = float(number.replace(".", ""))
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", number) and not unit:
        value = float(number.replace(",", ""))
    else:
        value = float(number.replace(".", "").replace(",", ".")) if "," in number else float(number)
    return value * _MULTIPLIER.get((unit or "").lower(), 1.0)


def find_entities(text: str, *, people: Callable[[str], list[str]] | None = None, lead: str = "") -> tuple[Entity, ...]:
    """Every entity once, in order of first appearance. `people`: a NER function run on the lead."""
    found: list[Entity] = []
    seen: set[tuple[str, str]] = set()

    def add(entity: Entity) -> None:
        key = (entity.kind, entity.text)
        if key not in seen:
            seen.add(key)
            found.append(entity)

    for match in _BODY.finditer(text):
        name = match.group(0).strip(" ,.-–—")
        places = mentions(name)
        province = places[-1].province if places and isinstance(places[-1].province, str) else None
        add(Entity(kind="body", text=name, province=province))
    for match in _JUDGMENT.finditer(text):
        add(Entity(kind="judgment", text=match.group(1)))
    for match in _DECISION.finditer(text):
        add(Entity(kind="decision", text=match.group(1)))
    for match in _MONEY.finditer(text):
        try:
            value = money_value(match.group(1), match.group(2))
        except ValueError:
            continue
        add(Entity(kind="money", text=match.group(0), value=value))
    names = [m.group(1) for m in _PERSON.finditer(text)]
    if people is not None and lead:
        names = people(lead) + names
    for name in names:
        add(Entity(kind="person", text=name))
    return tuple(found)


def ner_people(lead: str) -> list[str]:
    """People that underthesea's NER finds in a short text (the headline and lead)."""
    from underthesea import ner

    out: list[str] = []
    current: list[str] = []
    for token, _pos, _chunk, tag in ner(lead):
        if tag == "B-PER":
            if current:
                out.append(" ".join(current))
            current = [token]
        elif tag == "I-PER" and current:
            current.append(token)
        else:
            if current:
                out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return [name for name in out if len(name.split()) >= 2]
