"""Place names → the 34 current provinces (Nghị quyết 202/2025/QH15).

Built from the address data that underthesea ships for the 01/07/2025 reorganisation (old provinces, their
districts and wards, the wards and special zones created in 2025, with the current unit of each), plus what
that data lacks: units gone before 2025 (Hà Tây, Sông Bé, huyện Từ Liêm, quận 2 and 9 …), the provinces of
before 1997, and the spellings and abbreviations of the press (Dak Lak, Bắc Cạn, BR-VT, TT.Huế …).

A name may stand for several current units ("Châu Thành" is a district in five provinces, Sông Bé became two):
such names map to every candidate and the reader decides from the rest of the text.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from domain.provinces import NATIONWIDE as NATIONWIDE  # re-exported for nlp.province
from domain.text import normalize_vietnamese

# How the press writes some units (beyond their official names), and provinces gone before 2025.
ALIASES: dict[str, str | tuple[str, ...]] = {
    "TP.HCM": "Hồ Chí Minh",
    "TP HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "TP. HCM": "Hồ Chí Minh",
    "Tp.HCM": "Hồ Chí Minh",
    "Tp HCM": "Hồ Chí Minh",
    "Tp. HCM": "Hồ Chí Minh",
    "HCMC": "Hồ Chí Minh",
    "TP.Hồ Chí Minh": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
    "Bà Rịa – Vũng Tàu": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bà Rịa-Vũng Tàu": "Hồ Chí Minh",
    "BR-VT": "Hồ Chí Minh",
    "BRVT": "Hồ Chí Minh",
    "BR–VT": "Hồ Chí Minh",
    "Vũng Tàu": "Hồ Chí Minh",
    "Bà Rịa": "Hồ Chí Minh",
    "Thừa Thiên - Huế": "Huế",
    "Thừa Thiên – Huế": "Huế",
    "Thừa Thiên Huế": "Huế",
    "TT-Huế": "Huế",
    "TT.Huế": "Huế",
    "TT. Huế": "Huế",
    "TT - Huế": "Huế",
    "Đắc Lắc": "Đắk Lắk",
    "Đăk Lăk": "Đắk Lắk",
    "Đắk Lăk": "Đắk Lắk",
    "Đăk Lắk": "Đắk Lắk",
    "Daklak": "Đắk Lắk",
    "DakLak": "Đắk Lắk",
    "Dak Lak": "Đắk Lắk",
    "Đắk Nông": "Lâm Đồng",
    "Đăk Nông": "Lâm Đồng",
    "Đắc Nông": "Lâm Đồng",
    "Dak Nong": "Lâm Đồng",
    "Kontum": "Quảng Ngãi",
    "KonTum": "Quảng Ngãi",
    "Bắc Cạn": "Thái Nguyên",
    "Hà Tây": "Hà Nội",
    "Sông Bé": ("Hồ Chí Minh", "Đồng Nai"),  # split in 1997 into Bình Dương and Bình Phước
    # provinces of before 1997
    "Hà Bắc": "Bắc Ninh",
    "Hải Hưng": ("Hải Phòng", "Hưng Yên"),
    "Nam Hà": "Ninh Bình",
    "Hà Nam Ninh": "Ninh Bình",
    "Minh Hải": "Cà Mau",
    "Cửu Long": "Vĩnh Long",
    "Nghĩa Bình": ("Quảng Ngãi", "Gia Lai"),
    "Phú Khánh": ("Đắk Lắk", "Khánh Hòa"),
    "Vĩnh Phú": "Phú Thọ",
    "Hà Sơn Bình": ("Hà Nội", "Phú Thọ"),
    "Hoàng Liên Sơn": "Lào Cai",
    "Gia Lai - Kon Tum": ("Gia Lai", "Quảng Ngãi"),
    "Gia Lai – Kon Tum": ("Gia Lai", "Quảng Ngãi"),
    "Thuận Hải": ("Khánh Hòa", "Lâm Đồng"),
    "Bình Trị Thiên": ("Quảng Trị", "Huế"),
    "Nghệ Tĩnh": ("Nghệ An", "Hà Tĩnh"),
    "Quảng Nam - Đà Nẵng": "Đà Nẵng",
    "Quảng Nam – Đà Nẵng": "Đà Nẵng",
    # cities the press names alone
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
    "Thủ Đức": "Hồ Chí Minh",
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
    "Phan Rang - Tháp Chàm": "Khánh Hòa",
    "Móng Cái": "Quảng Ninh",
    "Uông Bí": "Quảng Ninh",
    "Cẩm Phả": "Quảng Ninh",
    "Việt Trì": "Phú Thọ",
    "Sa Pa": "Lào Cai",
    "Sapa": "Lào Cai",
    "Bảo Lộc": "Lâm Đồng",
    "Cam Ranh": "Khánh Hòa",
    "Dĩ An": "Hồ Chí Minh",
    "Thuận An": "Hồ Chí Minh",
    "Hà Đông": "Hà Nội",
}

# District-level units that the 2025 data no longer lists (merged or renamed before 2025).
GONE_DISTRICTS: dict[str, str] = {
    "huyện Từ Liêm": "Hà Nội",  # split in 2013
    "thị xã Hà Đông": "Hà Nội",  # thành phố 2009, quận 2009
    "thị xã Sơn Tây": "Hà Nội",
    "quận 2": "Hồ Chí Minh",  # merged into thành phố Thủ Đức in 2021
    "quận 9": "Hồ Chí Minh",
    "quận Thủ Đức": "Hồ Chí Minh",
    "huyện Tân Thành": "Hồ Chí Minh",  # Bà Rịa – Vũng Tàu, thị xã Phú Mỹ since 2018
    "thị xã Phú Mỹ": "Hồ Chí Minh",
    "huyện Sa Pa": "Lào Cai",
    "thị xã Sa Pa": "Lào Cai",
}

DISTRICT_TYPES = ("quận", "huyện", "thị xã", "thành phố")
WARD_TYPES = ("phường", "xã", "thị trấn", "đặc khu")


@dataclass(frozen=True, slots=True)
class Gazetteer:
    provinces: dict[str, str | tuple[str, ...]]  # any province name or alias (old or current) → current unit(s)
    districts: dict[str, frozenset[str]]  # district name without its type ("Hàm Thuận Bắc", "2") → current units
    typed_districts: dict[str, dict[str, frozenset[str]]]  # "huyện" → "Hàm Thuận Bắc" → current units
    wards: dict[str, frozenset[str]]  # ward or special-zone name without its type, old and 2025 → current units
    current: frozenset[str]


def _split_type(name: str, types: tuple[str, ...]) -> tuple[str, str] | None:
    lowered = name.lower()
    for kind in sorted(types, key=len, reverse=True):
        if lowered.startswith(kind + " "):
            return kind, name[len(kind) + 1 :].strip()
    return None


@functools.cache
def load() -> Gazetteer:
    data = json.loads(resources.files("underthesea.address").joinpath("data/mapping.json").read_text(encoding="utf-8"))
    current = {key: normalize_vietnamese(v["short"]) for key, v in data["province_names"].items()}
    provinces: dict[str, str | tuple[str, ...]] = {}
    for old_key, new_key in data["province_mapping"].items():
        old = data["old_province_names"].get(old_key) or data["province_names"].get(old_key)
        if old is not None:
            provinces[normalize_vietnamese(old["short"])] = current[new_key]
    provinces.update(
        {normalize_vietnamese(k): v if isinstance(v, tuple) else normalize_vietnamese(v) for k, v in ALIASES.items()}
    )
    provinces.update({name: name for name in current.values()})
    typed: dict[str, dict[str, set[str]]] = {kind: defaultdict(set) for kind in DISTRICT_TYPES}
    bare: dict[str, set[str]] = defaultdict(set)
    wards: dict[str, set[str]] = defaultdict(set)
    for ward in data["ward_mapping"]:
        unit = current[ward["new_province_key"]]
        split = _split_type(normalize_vietnamese(ward["old_district"]), DISTRICT_TYPES)
        if split is not None:
            typed[split[0]][split[1]].add(unit)
            bare[split[1]].add(unit)
        for name in (ward["old_ward"], ward["new_ward"]):
            split = _split_type(normalize_vietnamese(name or ""), WARD_TYPES)
            if split is not None:
                wards[split[1]].add(unit)
    for name, unit in GONE_DISTRICTS.items():
        kind, short = _split_type(name, DISTRICT_TYPES) or ("huyện", name)
        typed[kind][short].add(unit)
        bare[short].add(unit)
    return Gazetteer(
        provinces=provinces,
        districts={k: frozenset(v) for k, v in bare.items()},
        typed_districts={kind: {k: frozenset(v) for k, v in names.items()} for kind, names in typed.items()},
        wards={k: frozenset(v) for k, v in wards.items()},
        current=frozenset(current.values()),
    )


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper() and (len(word) == 1 or not word[1:].isupper())
