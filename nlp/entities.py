"""Entities of an enforcement article: bodies, people, judgment and decision numbers, money amounts in VND.

Bodies are cut at their name ("Cục THADS tỉnh Lạng Sơn", not "… Lạng Sơn đã"). People are full names: a family
name and one to three more capitalised syllables, never a place ("Lạng Sơn") nor a street, school or company named
after a person; a name counts when a word before it says it is a person ("ông", "bà", "chấp hành viên", …),
when it has three syllables or more, or when underthesea's NER tags it on its line (the headline always, the
other lines only where a two-syllable name stands alone: NER costs as much per character as segmentation).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.records import Entity
from nlp.province import mentions

# True upper and lower case letters of Vietnamese (a range such as À-Ỹ holds both cases).
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.isalpha() and c.islower())
_PROPER = f"[{_UPPER}][{_LOWER}]*"  # a capitalised syllable: "Lạng", "Sơn"
_PLACE_WORD = f"[{_UPPER}][{_UPPER}{_LOWER}.]*"  # also "HCM", "TP.HCM", "TPHCM"
# A body: its kind, "thi hành án (dân sự)", then its area: "khu vực N", a place type, the place's name
# (capitalised syllables, "Bà Rịa - Vũng Tàu"); the name stops at the first word in lower case.
_BODY = re.compile(
    r"(?P<kind>(?i:tổng cục|cục quản lý|chi cục|cục|phòng|cơ quan)\s+)?"
    r"(?P<enforcement>(?i:thi hành án dân sự|thi hành án|thi hành dân sự|thads|tha dân sự))"
    r"(?:\s*\((?:THADS|THA)\))?"
    r"(?P<area>(?: +(?i:khu vực) *\d+)?"
    r"(?: *[-–—] *| +)(?:(?:(?i:tỉnh|thành phố|tp\.?|huyện|quận|thị xã|tx\.?)|H\.) *)?"
    rf"{_PLACE_WORD}(?:(?: +| *[-–] *){_PLACE_WORD}){{0,3}})?"
)
_OWN_NAME = ("Thi hành án dân sự", "Thi hành án", "THADS")  # "Thi hành án dân sự tỉnh Lâm Đồng" (since 2025)
_NATIONAL = re.compile(r"(?i:tổng cục|cục quản lý)\s+$")
_PLACE_TYPE = re.compile(r"(?i)khu vực|(?<!\w)(tỉnh|thành phố|tp|huyện|quận|thị xã|tx|h)(?!\w)\.?")
_PROVINCIAL = re.compile(r"\s*(?i:tỉnh|thành phố|tp\.?)\s")
# Words before a name that make it a street, a school, a company…, not a person.
_NOT_A_PERSON_BEFORE = re.compile(
    r"(?i:đường|phố|phường|quận|huyện|xã|thị trấn|thị xã|tỉnh|thành phố|tp\.?|trường|cầu|chợ|sân|công ty|"
    r"tập đoàn|báo|ấp|thôn|khu phố|bệnh viện|hẻm|ngõ|làng|chùa|đền|nhà hàng|khách sạn|dự án|cảng|sông|núi|"
    r"ảnh\s*:|theo)\s+$"
)
# Who is named after these is a person ("ông Trần Phước Thu", "chấp hành viên Nguyễn Như Thanh Trúc").
_CUE = re.compile(
    r"(?i:ông|bà|anh|chị|cụ|em|cháu|chấp hành viên|chv|luật sư|thẩm phán|kiểm sát viên|bị cáo|bị can|nguyên đơn|"
    r"bị đơn|đối tượng|cử tri|đại biểu|đại tá|trung tá|thượng tá|thiếu tá|phó thủ tướng|thủ tướng|chủ tịch|"
    r"phó chủ tịch|cục trưởng|chi cục trưởng|trưởng phòng|giám đốc|tổng giám đốc|chánh án|viện trưởng|"
    r"bộ trưởng|thứ trưởng|chủ nhiệm|tổng thanh tra)\s+$"
)
_CUE_WORDS = frozenset({"Ông", "Bà", "Anh", "Chị", "Cụ", "Em", "Cháu"})  # at the start of a sentence
_CANDIDATE = re.compile(f"(?<![\\w.])({_PROPER}(?: {_PROPER})+)")
# Family names: a Vietnamese full name starts with one.
_SURNAME_WORDS = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trương Lâm Mai Trịnh Đào "
    "Cao Lưu Hà Tạ Châu Tô Lương Đồng Thái Kiều Quách Vương Thân La Lục Nông Triệu Từ Chu Khúc Tăng Mạc Giang Hứa "
    "Lại Đàm Tống Nhan Đới Âu Quan Phùng Kim Khổng Doãn Diệp Bạch Ninh Tiêu Lò Mã Thạch Trình Ung Viên Vi Lã Lữ "
    "Hàn Tôn Cù Cấn Khương Nghiêm Lạc Sầm Lường Hầu Thiều Khuất Dư"
)
SURNAMES = frozenset(_SURNAME_WORDS.split())
MAX_NAME = 4  # syllables of a Vietnamese full name
_JUDGMENT = re.compile(
    r"[Bb]ản án\s+(?:(?:dân sự|hình sự|hành chính|kinh doanh thương mại|phúc thẩm|sơ thẩm)\s+)?"
    r"số\s*:?\s*(\d{1,5}/\d{4}/[A-ZĐ\-]{2,12}(?:-[A-ZĐ]{2,4})?)"
)
_DECISION = re.compile(
    r"[Qq]uyết định\s+(?:(?:thi hành án|cưỡng chế|kê biên|[\wÀ-ỹ]+)\s+){0,3}số\s*:?\s*"
    r"(\d{1,6} ?/ ?(?:\d{4} ?/ ?)?[A-ZĐ]{1,8}(?: ?- ?[A-ZĐ]{1,10}){0,3})"
)
_MONEY = re.compile(
    r"(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s*(nghìn tỷ|ngàn tỷ|tỷ|tỉ|triệu|nghìn|ngàn)?\s*(?:đồng|VNĐ|VND|đ)\b",
    re.IGNORECASE,
)
_MULTIPLIER = {"nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "tỷ": 1e9, "tỉ": 1e9, "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3}


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
    """Every entity once, in order of kind then of first appearance. `people`: a NER function (`ner_people`),
    run on `lead` (the headline) and on the lines where a two-syllable name stands alone; without it, such
    names are left out."""
    found: list[Entity] = []
    seen: set[tuple[str, str]] = set()

    def add(entity: Entity) -> None:
        key = (entity.kind, entity.text)
        if key not in seen:
            seen.add(key)
            found.append(entity)

    for match in _BODY.finditer(text):
        body = _body(match)
        if body is not None:
            add(body)
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
    for name in _people(text, people, lead):
        add(Entity(kind="person", text=name))
    return tuple(found)


def _body(match: re.Match[str]) -> Entity | None:
    """The body of a match, cut at its name. A provincial or district body needs its place ("Cục THADS tỉnh
    Lạng Sơn", "Thi hành án dân sự tỉnh Lâm Đồng"); the national bodies stand alone ("Tổng cục THADS")."""
    kind, area = match["kind"], _area(match["area"] or "")
    if not area:
        if kind is None or not _NATIONAL.match(kind):
            return None  # "chi cục thi hành án", "cơ quan thi hành án dân sự TP": a body, but no name
        name = f"{kind}{match['enforcement']}"
    elif kind is None and not (_PROVINCIAL.match(area) and match["enforcement"] in _OWN_NAME):
        return None  # "đơn vị thi hành án tỉnh Long An", "cán bộ THADS huyện …": not a body's name
    else:
        name = match.group(0)[: match.start("area") - match.start()] + area
    places = mentions(name)
    province = places[-1].province if places and isinstance(places[-1].province, str) else None
    return Entity(kind="body", text=name.strip(" ,.-–—"), province=province)


def _area(area: str) -> str:
    """The area of a body as far as it names a place: "" for a place type alone ("TP.", "tỉnh"); cut before a
    dash that does not go on with a place ("TP. HCM - Ảnh", but "tỉnh Bà Rịa - Vũng Tàu")."""
    parts = re.split(r"(\s*[-–]\s*)(?=\w)", area.rstrip(" .,"))
    kept = parts[0]
    for dash, part in zip(parts[1::2], parts[2::2], strict=False):
        if kept.strip(" -–—") and not mentions(part):
            break
        kept += dash + part
    named = _PLACE_TYPE.sub("", kept)
    if not re.search(f"[{_UPPER}]", named) and not re.search(r"\d", kept):
        return ""
    if not mentions(kept) and not _PLACE_TYPE.search(kept):
        return ""  # "Cục Thi hành án dân sự Bộ Tư pháp": no place
    return kept


def _people(text: str, ner: Callable[[str], list[str]] | None, lead: str) -> list[str]:
    """Full names of people (see the module's docstring), in order of first appearance."""
    names: list[str] = []
    if ner is not None and lead:  # a name NER cut short ("Hoàng Diệp Thảo" of "Lê Hoàng Diệp Thảo") is left out
        whole = {m.group(1) for m in _CANDIDATE.finditer(lead)}
        names += [name for name in ner(lead) if _looks_like_a_name(name) and any(name in w for w in whole)]
        names = [n for n in names if not any(n != w and w.endswith(" " + n) for w in whole)]
    unsure: dict[str, int] = {}
    for match in _CANDIDATE.finditer(text):
        words = match.group(1).split(" ")
        first = next((i for i, w in enumerate(words) if w in SURNAMES), None)
        if first is None or len(words) - first < 2:
            continue
        if first and words[first - 1] not in _CUE_WORDS and len(words) - first > 3 and words[first + 1] in SURNAMES:
            first += 1  # "Tập đoàn Đại Dương Hà Văn Thắm": the name is "Hà Văn Thắm" (but "Bà Lê Hoàng Diệp Thảo")
        name = " ".join(words[first : first + MAX_NAME])
        before = text[max(0, match.start() - 40) : match.start()] + "".join(w + " " for w in words[:first])
        if _NOT_A_PERSON_BEFORE.search(before) or not _looks_like_a_name(name) or _credit(text, match.start()):
            continue
        if _CUE.search(before) or len(name.split()) >= 3:
            names.append(name)
        else:
            unsure.setdefault(name, match.start())
    for name, start in unsure.items():
        if name in names or ner is None:
            continue
        end = text.find("\n", start)
        if name in ner(text[text.rfind("\n", 0, start) + 1 : end if end >= 0 else len(text)]):
            names.append(name)
    return list(dict.fromkeys(names))


def _credit(text: str, start: int) -> bool:
    """A byline or a photo credit: a line that holds a name only ("Võ Hải", "Mộc Miên (Tổng hợp)")."""
    end = text.find("\n", start)
    line = text[text.rfind("\n", 0, start) + 1 : end if end >= 0 else len(text)]
    return bool(re.fullmatch(rf"\s*{_PROPER}(?: {_PROPER}){{1,3}}\s*(\((?i:tổng hợp)\))?\s*", line))


def _looks_like_a_name(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= MAX_NAME or not all(re.fullmatch(_PROPER, w) for w in words):
        return False
    if words[0] not in SURNAMES:
        return False
    return not any(m.start == 0 and len(m.text) == len(name) for m in mentions(name))  # "Hà Nội", "Lâm Đồng"


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
