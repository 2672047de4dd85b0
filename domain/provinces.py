"""The 34 provinces and centrally-run cities in force since 01/07/2025 (Nghị quyết 202/2025/QH15), as the
labelling guide writes them, and the value for matters of the whole system."""

from __future__ import annotations

PROVINCES: tuple[str, ...] = (
    "Hà Nội",
    "Huế",
    "Hải Phòng",
    "Đà Nẵng",
    "Hồ Chí Minh",
    "Cần Thơ",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Ninh Bình",
    "Quảng Trị",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Đồng Nai",
    "Tây Ninh",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
    "Cao Bằng",
    "Điện Biên",
    "Hà Tĩnh",
    "Lai Châu",
    "Lạng Sơn",
    "Nghệ An",
    "Quảng Ninh",
    "Thanh Hóa",
    "Sơn La",
)
NATIONWIDE = "toan_quoc"

# The provinces before 01/07/2025 that were merged into another one (Nghị quyết 202/2025/QH15), by current unit:
# the press still writes the old names ("Sóc Trăng: …" for a matter of Cần Thơ).
FORMER: dict[str, tuple[str, ...]] = {
    "Tuyên Quang": ("Hà Giang",),
    "Lào Cai": ("Yên Bái",),
    "Thái Nguyên": ("Bắc Kạn", "Bắc Cạn"),
    "Phú Thọ": ("Vĩnh Phúc", "Hòa Bình"),
    "Bắc Ninh": ("Bắc Giang",),
    "Hưng Yên": ("Thái Bình",),
    "Hải Phòng": ("Hải Dương",),
    "Ninh Bình": ("Hà Nam", "Nam Định"),
    "Quảng Trị": ("Quảng Bình",),
    "Đà Nẵng": ("Quảng Nam",),
    "Quảng Ngãi": ("Kon Tum",),
    "Gia Lai": ("Bình Định",),
    "Khánh Hòa": ("Ninh Thuận",),
    "Lâm Đồng": ("Đắk Nông", "Bình Thuận"),
    "Đắk Lắk": ("Phú Yên",),
    "Hồ Chí Minh": ("Bình Dương", "Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu"),
    "Đồng Nai": ("Bình Phước",),
    "Tây Ninh": ("Long An",),
    "Cần Thơ": ("Sóc Trăng", "Hậu Giang"),
    "Vĩnh Long": ("Bến Tre", "Trà Vinh"),
    "Đồng Tháp": ("Tiền Giang",),
    "Cà Mau": ("Bạc Liêu",),
    "An Giang": ("Kiên Giang",),
}
# Current names as headlines also write them (compared after normalize_vietnamese: hoà = hòa).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "Hồ Chí Minh": ("TP. Hồ Chí Minh", "TP.HCM", "TP HCM", "TPHCM", "TP. HCM", "Thành phố Hồ Chí Minh"),
    "Huế": ("Thừa Thiên Huế", "Thừa Thiên - Huế", "Thừa Thiên – Huế", "TP. Huế"),
    "Hà Nội": ("TP. Hà Nội", "Thủ đô Hà Nội"),
}
