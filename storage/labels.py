"""Vietnamese names of the label values (shared/domain/labeling-guide.md), of priorities and of roles, as users
read them in the web app, the e-mails and the reports. Values stay the guide's ASCII codes in storage."""

from __future__ import annotations

TOPIC_VI: dict[str, str] = {
    "cuong_che_tai_san": "Cưỡng chế, kê biên tài sản",
    "dau_gia_tai_san": "Đấu giá tài sản thi hành án",
    "khieu_nai_to_cao": "Khiếu nại, tố cáo, phản ánh",
    "sai_pham_can_bo": "Sai phạm của cán bộ, cơ quan",
    "thu_hoi_tai_san": "Thu hồi tài sản trong vụ án tham nhũng, kinh tế",
    "tin_dung_ngan_hang": "Thi hành án tín dụng, ngân hàng",
    "ket_qua_hoat_dong": "Kết quả hoạt động",
    "chinh_sach_phap_luat": "Chính sách, pháp luật",
    "to_chuc_bo_may": "Tổ chức bộ máy",
    "thi_hanh_an_hanh_chinh": "Thi hành án hành chính",
    "khac": "Khác",
}
SENTIMENT_VI: dict[str, str] = {"tieu_cuc": "Tiêu cực", "trung_lap": "Trung lập", "tich_cuc": "Tích cực"}
PRIORITY_VI: dict[str, str] = {"P1": "Khẩn (P1)", "P2": "Cần trả lời (P2)", "P3": "Theo dõi (P3)"}
ROLE_VI: dict[str, str] = {"admin": "Quản trị", "monitor": "Giám sát", "dau_moi": "Đầu mối", "leader": "Lãnh đạo"}
NATIONWIDE_VI = "Toàn quốc"
# Kinds of entity (domain.records.Entity.kind).
ENTITY_VI: dict[str, str] = {
    "body": "Cơ quan thi hành án",
    "person": "Người",
    "location": "Địa danh",
    "judgment": "Bản án số",
    "decision": "Quyết định số",
    "money": "Số tiền",
}


def entity_vi(kind: str) -> str:
    return ENTITY_VI.get(kind, "Thực thể khác")


def topic_vi(value: str | None) -> str:
    return TOPIC_VI.get(value or "", "—") if value else "—"


def sentiment_vi(value: str | None) -> str:
    return SENTIMENT_VI.get(value or "", "—") if value else "—"


def province_vi(value: str | None) -> str:
    """A province as shown: the 34 names as they are, `toan_quoc` as "Toàn quốc", none as "—"."""
    if not value:
        return "—"
    return NATIONWIDE_VI if value == "toan_quoc" else value
