"""The province whose enforcement body an article concerns: one of the 34 current units, or `toan_quoc`.

Place names are found with the gazetteer (current and former provinces, districts under any of their types or
named alone, wards and special zones, press spellings) and weighed by where they stand: inside a THADS body's
name ("Chi cục THADS huyện Hàm Thuận Bắc", "Thi hành án dân sự TP. Hồ Chí Minh", "Phòng THADS khu vực 3 – Đắk
Lắk") most, then in the headline, the lead, the body. A name shared by several provinces ("huyện Châu Thành")
goes to the candidates that the rest of the text names. The body concerned decides between local and
nationwide (the labelling guide): a provincial body named as acting makes the story that province's, even in a
question-and-answer column; a central body, a law or a round-up of the whole system with no provincial body
named (or several, and none in the headline) makes it nationwide; with no place at all, the outlet's home
province is a weak prior.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from domain.text import fold_diacritics, normalize_vietnamese
from nlp.gazetteer import NATIONWIDE, is_capitalised, load

BODY_WEIGHT, TITLE_WEIGHT, LEAD_WEIGHT, TEXT_WEIGHT = 6.0, 3.0, 2.0, 1.0
MINOR = 0.5  # a ward, or a district named without its type: specific but easier to mistake
_BODY_BEFORE = re.compile(
    r"(thi hành án dân sự|thi hành án|thads|tha dân sự|tha|cơ quan thi hành án)\s*"
    r"(khu vực\s*\d+\s*[-–—,]?\s*)?((tỉnh|thành phố|tp\.?|huyện|quận|thị xã|tx\.?)\s*)?$",
    re.IGNORECASE,
)
# Said of the whole system: central bodies, laws, the country.
_CENTRAL = re.compile(
    r"tổng cục (thi hành án dân sự|thads)|cục quản lý (thi hành án dân sự|thads)|bộ tư pháp|quốc hội|chính phủ|"
    r"thủ tướng|cả nước|toàn quốc|toàn ngành|toàn hệ thống|dự thảo luật|luật thi hành án|luật sửa đổi|"
    r"pháp lệnh thi hành án|nghị định|thông tư|nghị quyết|ngành thi hành án|hệ thống thi hành án|hệ thống thads|"
    r"cục thi hành án dân sự\s*(\(|-|–|thuộc)?\s*bộ tư pháp|(các|nhiều) (tỉnh|địa phương)|"
    # legal questions and answers: the reader's town is not the body concerned
    r"hỏi\s*[-–—:]\s*đáp|hỏi đáp|tư vấn pháp luật|(bạn đọc|độc giả)[^.?]{0,60}\bhỏi|theo quy định (của pháp luật|tại)|"
    r"luật sư[^.]{0,40}(trả lời|tư vấn)",
    re.IGNORECASE,
)
# Said of the whole system in a headline (narrower than the above: "Phó Thủ tướng yêu cầu …" may be local).
_SYSTEM = re.compile(
    r"cả nước|toàn quốc|toàn ngành|toàn hệ thống|(ngành|hệ thống) (thi hành án|thads)|tổng cục|cục quản lý|"
    r"(các|nhiều) (tỉnh|địa phương)|(?<!kỷ )luật (thi hành án|thads|sửa đổi|mới)|dự thảo|nghị định|thông tư",
    re.IGNORECASE,
)
# A legal question-and-answer column: about the law, whatever the reader's town.
_QUESTION_ANSWER = re.compile(
    r"(^|\n)\s*(hỏi|câu hỏi)\s*:|(bạn đọc|độc giả)[^.\n]{0,80}\bhỏi\s*:|\b(trả lời|giải đáp)\s*:", re.IGNORECASE
)
# A provincial body named without its place ("Cục Thi hành án dân sự tỉnh thi hành xong …", "THADS tỉnh đã …"):
# a local paper speaking of its own province. Not "THADS tỉnh, thành phố" (every province) nor "các Cục THADS tỉnh".
_UNNAMED_BODY = re.compile(
    r"(?<!các )(?<!\w)(cục |chi cục )?(thi hành án dân sự|thads)( \(thads\))? (tỉnh|thành phố|tp\.?)"
    r"(?!\s*(,|và|/)\s*(thành phố|tp|tỉnh))(?=\s*(?:[,.:;)]|$|[a-zđ]))",
    re.IGNORECASE,
)
_DISTRICT_TYPE = re.compile(r"(?<!\w)(quận|huyện|thị xã|thành phố|tp\.?|tx\.?|q\.|h\.)(?!\w)\s*", re.IGNORECASE)
_WARD_TYPE = re.compile(r"(?<!\w)(phường|xã|thị trấn|đặc khu|p\.)(?!\w)\s*", re.IGNORECASE)
_TYPE = {"tp": "thành phố", "tp.": "thành phố", "tx": "thị xã", "tx.": "thị xã", "q.": "quận", "h.": "huyện"}
_WORD = re.compile(r"[^\W_]+")
# Names that are also common given names: a place only after its type word ("thành phố Vinh").
_PERSON_LIKE = frozenset({"Vinh"})
_MAX_CANDIDATES = 3  # a ward or bare name shared by more provinces says nothing


@dataclass(frozen=True, slots=True)
class Mention:
    province: str | tuple[str, ...]  # names shared by several provinces list every candidate
    text: str
    start: int
    in_body_name: bool
    weight: float = 1.0  # MINOR for wards and districts named alone


@dataclass(slots=True)
class ProvinceResult:
    province: str
    scores: dict[str, float] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    # What was weighed: each mention with the part it stood in ("title", "lead", "text") and its weight; the
    # wording that speaks of the whole system (central bodies, laws), for a nationwide result.
    weighed: list[tuple[Mention, str, float]] = field(default_factory=list)
    central: list[str] = field(default_factory=list)


@functools.cache
def _province_pattern() -> re.Pattern[str]:
    names = sorted(load().provinces, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def _units(value: str | frozenset[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    if isinstance(value, str):
        return value
    return next(iter(value)) if len(value) == 1 else tuple(sorted(value))


def _following_name(text: str, start: int, limit: int = 5) -> list[tuple[str, int]]:
    """The capitalised words (or one number) right after `start`, with their end offsets."""
    words: list[tuple[str, int]] = []
    position = start
    while len(words) < limit:
        match = _WORD.match(text, position)
        if match is None:
            break
        word = match.group(0)
        if word.isdigit():
            if not words:
                words.append((word, match.end()))
            break
        if not is_capitalised(word) and not word.isupper():
            break
        words.append((word, match.end()))
        gap = match.end()
        while gap < len(text) and text[gap] in " \t":
            gap += 1
        if gap == match.end() or gap >= len(text):
            break
        position = gap
    return words


def _lookup(words: list[tuple[str, int]], table: dict[str, frozenset[str]]) -> tuple[str, frozenset[str], int] | None:
    for k in range(len(words), 0, -1):
        name = " ".join(w for w, _ in words[:k])
        if name in table:
            return name, table[name], words[k - 1][1]
    return None


def mentions(text: str) -> list[Mention]:
    """Every place mention in `text` that maps to a current unit, in order."""
    gazetteer = load()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    def add(units: str | tuple[str, ...], a: int, b: int, weight: float = 1.0) -> None:
        found.append(Mention(units, text[a:b], a, _in_body_name(text, a), weight))
        taken.append((a, b))

    for match in _DISTRICT_TYPE.finditer(text):
        kind = _TYPE.get(match.group(1).lower(), match.group(1).lower())
        words = _following_name(text, match.end())
        if not words or (kind == "thành phố" and _lookup(words, _province_names()) is not None):
            continue  # "TP Hà Nội", "TP.HCM": a province, left to the province pattern
        # the unit under this type, else under another (Móng Cái was a thị xã, then a thành phố)
        hit = _lookup(words, gazetteer.typed_districts[kind]) or _lookup(words, gazetteer.districts)
        if hit is not None and free(match.start(), hit[2]):
            add(_units(hit[1]), match.start(), hit[2])
    for match in _province_pattern().finditer(text):
        name = match.group(1)
        if not free(*match.span()) or (name in _PERSON_LIKE and not _after_type(text, match.start())):
            continue
        add(gazetteer.provinces[name], *match.span())
    for match in _WARD_TYPE.finditer(text):
        words = _following_name(text, match.end())
        hit = _lookup(words, gazetteer.wards) if words and words[0][0].isalpha() else None
        if hit is not None and len(hit[1]) <= _MAX_CANDIDATES and free(match.start(), hit[2]):
            add(_units(hit[1]), match.start(), hit[2], MINOR)
    for name, a, b in _bare_runs(text):
        units = gazetteer.districts.get(name)
        if units and len(units) <= _MAX_CANDIDATES and name not in gazetteer.provinces and free(a, b):
            add(_units(units), a, b, MINOR)
    return sorted(found, key=lambda m: m.start)


@functools.cache
def _province_names() -> dict[str, frozenset[str]]:
    return {name: frozenset() for name in load().provinces}


def _after_type(text: str, start: int) -> bool:
    return bool(re.search(r"(thành phố|tp\.?|thị xã|tx\.?)\s*$", text[max(0, start - 12) : start], re.IGNORECASE))


_LEADING = frozenset({"Tại", "Ở", "Về", "Từ", "Đến", "Và", "Của", "Cho", "Theo", "Huyện", "Quận", "Xã", "Phường"})


def _bare_runs(text: str) -> list[tuple[str, int, int]]:
    """Maximal runs of two or more capitalised words ("Đức Trọng" in "(Đức Trọng, Lâm Đồng)"), whole runs only
    (less a leading "Tại", "Ở" …), so that a person's name ("Nguyễn Văn Lâm") is never read as the district
    inside it."""
    runs: list[tuple[str, int, int]] = []
    run: list[re.Match[str]] = []
    for word in [*_WORD.finditer(text), None]:
        capital = word is not None and is_capitalised(word.group(0)) and not word.group(0).isupper()
        if capital and word is not None and run and text[run[-1].end() : word.start()] in (" ", "\t"):
            run.append(word)
            continue
        if len(run) >= 2:
            if run[0].group(0) in _LEADING:
                run = run[1:]
            if len(run) >= 2:
                runs.append((text[run[0].start() : run[-1].end()], run[0].start(), run[-1].end()))
        run = [word] if capital and word is not None else []
    return runs


def _in_body_name(text: str, start: int) -> bool:
    return bool(_BODY_BEFORE.search(text[max(0, start - 60) : start]))


def _question_part(text: str) -> str:
    answer = re.search(r"\b(trả lời|giải đáp)\s*:", text, re.IGNORECASE)
    return text[: answer.start()] if answer else text


def _bodies_in(*parts: str) -> set[str]:
    return {m.province for part in parts for m in mentions(part) if m.in_body_name and isinstance(m.province, str)}


def detect_province(title: str, lead: str, text: str, *, home_province: str | None = None) -> ProvinceResult:
    title, lead, text = normalize_vietnamese(title), normalize_vietnamese(lead), normalize_vietnamese(text)
    found: list[tuple[Mention, float]] = []
    where: list[str] = []
    for name, part, weight in (
        ("title", title, TITLE_WEIGHT),
        ("lead", lead, LEAD_WEIGHT),
        ("text", text, TEXT_WEIGHT),
    ):
        here = mentions(part)
        found += [(m, (BODY_WEIGHT if m.in_body_name else weight) * m.weight) for m in here]
        where += [name] * len(here)
        if part is title:
            title_places = len(found)
    weighed = [(m, part, gain) for (m, gain), part in zip(found, where, strict=True)]
    sure: dict[str, float] = defaultdict(float)
    for mention, gain in found:
        if isinstance(mention.province, str):
            sure[mention.province] += gain
    scores: dict[str, float] = defaultdict(float)
    order: dict[str, int] = {}
    named_bodies: set[str] = set()
    for n, (mention, gain) in enumerate(found):
        units = (mention.province,) if isinstance(mention.province, str) else mention.province
        supported = [u for u in units if u in sure] or list(units)  # the rest of the text picks the candidate
        for unit in supported:
            scores[unit] += gain / len(supported)
            order.setdefault(unit, n)
        if mention.in_body_name and len(supported) == 1:
            named_bodies.add(supported[0])
    if home_province:
        # A body of "the province" with no name, in the outlet's own paper: the outlet's province, as if named.
        unnamed = sum(len(_UNNAMED_BODY.findall(part)) for part in (title, lead, text))
        if unnamed:
            scores[home_province] += BODY_WEIGHT * min(unnamed, 3)
            order.setdefault(home_province, len(found))
            named_bodies.add(home_province)
    title_central = len(_SYSTEM.findall(title))
    head = len(_CENTRAL.findall(title)) * TITLE_WEIGHT + len(_CENTRAL.findall(lead)) * LEAD_WEIGHT
    central = head + min(len(_CENTRAL.findall(text)), 6) * TEXT_WEIGHT
    wording = [m.group(0) for part in (title, lead, text) for m in _CENTRAL.finditer(part)]
    if not scores:
        province = home_province if home_province and central < 2 else NATIONWIDE
        return ProvinceResult(province, {}, [m for m, _ in found], weighed, wording)
    best = max(scores, key=lambda u: (scores[u], -order[u]))
    share = scores[best] / sum(scores.values())
    question_answer = _QUESTION_ANSWER.search(text) is not None and not title_places
    # The headline's own place: a law reviewed "tại tỉnh Quảng Ngãi" is that province's review.
    in_title = any(
        best == m.province or (not isinstance(m.province, str) and best in m.province) for m, _ in found[:title_places]
    )
    if question_answer:
        # A legal column: the bodies its answer points to are examples; a body the reader's question names as
        # acting (or failing to act) is the one concerned.
        named_bodies &= _bodies_in(title, lead, _question_part(text))
    if named_bodies:
        # The body concerned decides: one provincial body named as acting makes it local, unless the headline
        # speaks of the whole system and names no place, or several bodies share a system-wide story.
        local = max(named_bodies, key=lambda u: (scores[u], -order[u]))
        # A central body speaking of one province's matter ("Vụ đoàn cưỡng chế bị tấn công: Tổng cục … lên tiếng")
        # stays that province's: the guide's nationwide is "no single province".
        whole = [m.group(0) for m in _SYSTEM.finditer(title) if m.group(0).lower() not in ("tổng cục", "cục quản lý")]
        single = len(named_bodies) == 1 and share >= 0.8 and not whole
        if not title_places and (
            (title_central and not single) or (head >= 3.0 and (len(named_bodies) >= 2 or share < 0.6))
        ):
            province = NATIONWIDE
        else:
            province = local
    elif question_answer or (central >= max(3.0, scores[best]) and not in_title):
        province = NATIONWIDE  # a legal Q&A about no particular body; a law, the central body, the whole country
    else:
        province = best
    return ProvinceResult(province, dict(scores), [m for m, _ in found], weighed, wording)


@functools.cache
def _host_names() -> tuple[tuple[str, str], ...]:
    """Province names as they appear in web addresses ("thanhhoa", "vinhphuc", "bacninh"), longest first, with
    the current unit each maps to; names shorter than five letters ("hue") would match too much."""
    pairs: dict[str, str] = {}
    for name, unit in load().provinces.items():
        key = re.sub(r"[^a-z]", "", fold_diacritics(name).lower())
        if len(key) >= 5 and isinstance(unit, str):
            pairs.setdefault(key, unit)
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


def home_from_url(url: str) -> str | None:
    """The province an outlet's web address names: a provincial paper or broadcaster ("baothanhhoa.vn",
    "vinhphuctv.vn"), or a provincial section of a national site ("thads.moj.gov.vn/soctrang/…"). A weak prior
    like the registry's home province, for outlets the registry does not place."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").lower()
    labels = [x for x in host.split(".") if x not in ("www", "m", "mobile", "amp")]
    first_path = next((seg.lower() for seg in parts.path.split("/") if seg), "")
    for candidate in (labels[0] if labels else "", first_path):
        flat = re.sub(r"[^a-z]", "", candidate)
        for key, unit in _host_names():
            if key in flat and (candidate is not first_path or flat == key):
                return unit
    return None
