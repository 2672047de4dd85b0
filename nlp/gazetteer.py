"""Place names → the 34 current provinces (Nghị quyết 202/2025/QH15).

Built from the address data that underthesea ships for the 01/07/2025 reorganisation (old provinces and their
districts, with the current unit of each), plus the spellings and abbreviations of the press.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from storage.provinces import NATIONWIDE as NATIONWIDE  # re-exported for nlp.province
from storage.text import normalize_vietnamese

# How the press writes some units (beyond their official names).
ALIASES: dict[str, str] = {
    "TP.HCM": "Hồ Chí Minh",
    "TP HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "TP. HCM": "Hồ Chí Minh",
    "TP.Hồ Chí Minh": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
    "Bà Rịa – Vũng Tàu": "Hồ Chí Minh",
    "Bà Rịa-Vũng Tàu": "Hồ Chí Minh",
    "BR-VT": "Hồ Chí Minh",
    "Vũng Tàu": "Hồ Chí Minh",
    "Bà Rịa": "Hồ Chí Minh",
    "Thừa Thiên - Huế": "Huế",
    "Thừa Thiên – Huế": "Huế",
    "Thừa Thiên Huế": "Huế",
    "TT-Huế": "Huế",
    "Đắc Lắc": "Đắk Lắk",
    "Đăk Lăk": "Đắk Lắk",
    "Daklak": "Đắk Lắk",
    "Đắk Lăk": "Đắk Lắk",
    "Đăk Nông": "Lâm Đồng",
    "Đắc Nông": "Lâm Đồng",
    "Kontum": "Quảng Ngãi",
    "Đà Lạt": "Lâm Đồng",
    "Nha Trang": "Khánh Hòa",
    "Phan Thiết": "Lâm Đồng",
    "Quy Nhơn": "Gia Lai",
    "Pleiku": "Gia Lai",
    "Buôn Ma Thuột": "Đắk Lắk",
    "Hạ Long": "Quảng Ninh",
    "Vinh": "Nghệ An",
    "Biên Hòa": "Đồng Nai",
    "Thủ Dầu Một": "Hồ Chí Minh",
    "Hội An": "Đà Nẵng",
    "Tam Kỳ": "Đà Nẵng",
    "Rạch Giá": "An Giang",
    "Phú Quốc": "An Giang",
    "Long Xuyên": "An Giang",
    "Mỹ Tho": "Đồng Tháp",
    "Cao Lãnh": "Đồng Tháp",
    "Sa Đéc": "Đồng Tháp",
    "Tân An": "Tây Ninh",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Sóc Trăng": "Cần Thơ",
    "Vị Thanh": "Cần Thơ",
    "Bạc Liêu": "Cà Mau",
    "Tuy Hòa": "Đắk Lắk",
    "Phan Rang": "Khánh Hòa",
}

_DISTRICT_TYPES = {"Quận": "quận", "Huyện": "huyện", "Thị xã": "thị xã", "Thành phố": "thành phố"}


@dataclass(frozen=True, slots=True)
class Gazetteer:
    provinces: dict[str, str]  # any province name or alias (old or current) → current unit
    districts: dict[str, frozenset[str]]  # "huyện Hàm Thuận Bắc" (lower-case type + name) → current unit(s)
    current: frozenset[str]


def _short(name: str) -> str:
    return re.sub(r"^(Tỉnh|Thành phố)\s+", "", name)


@functools.cache
def load() -> Gazetteer:
    data = json.loads(resources.files("underthesea.address").joinpath("data/mapping.json").read_text(encoding="utf-8"))
    current = {key: normalize_vietnamese(v["short"]) for key, v in data["province_names"].items()}
    provinces: dict[str, str] = {}
    for old_key, new_key in data["province_mapping"].items():
        old = data["old_province_names"].get(old_key) or data["province_names"].get(old_key)
        if old is not None:
            provinces[normalize_vietnamese(old["short"])] = current[new_key]
    provinces.update({normalize_vietnamese(k): v for k, v in ALIASES.items()})
    provinces.update({name: name for name in current.values()})
    districts: dict[str, set[str]] = defaultdict(set)
    for ward in data["ward_mapping"]:
        district = normalize_vietnamese(ward["old_district"])
        for full_type, short_type in _DISTRICT_TYPES.items():
            if district.startswith(full_type + " "):
                districts[f"{short_type} {district[len(full_type) + 1 :]}"].add(current[ward["new_province_key"]])
                break
    return Gazetteer(
        provinces=provinces,
        districts={k: frozenset(v) for k, v in districts.items()},
        current=frozenset(current.values()),
    )
