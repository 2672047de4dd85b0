"""Vietnamese names of the NLP labels (shared/domain/labeling-guide.md) as e-mails and pages show them."""

from __future__ import annotations

from domain.provinces import NATIONWIDE

TOPIC_VI = {
    "cuong_che_tai_san": "Cưỡng chế, kê biên tài sản",
    "dau_gia_tai_san": "Đấu giá tài sản thi hành án",
    "khieu_nai_to_cao": "Khiếu nại, tố cáo, phản ánh",
    "sai_pham_can_bo": "Sai phạm của cán bộ, cơ quan",
    "thu_hoi_tai_san": "Thu hồi tài sản trong vụ án",
    "tin_dung_ngan_hang": "Tín dụng, ngân hàng",
    "ket_qua_hoat_dong": "Kết quả hoạt động",
    "chinh_sach_phap_luat": "Chính sách, pháp luật",
    "to_chuc_bo_may": "Tổ chức bộ máy",
    "thi_hanh_an_hanh_chinh": "Thi hành án hành chính",
    "khac": "Khác",
}
SENTIMENT_VI = {"tieu_cuc": "tiêu cực", "trung_lap": "trung lập", "tich_cuc": "tích cực"}
PRIORITY_VI = {"P1": "P1 – khẩn", "P2": "P2 – cần văn bản trả lời", "P3": "P3 – theo dõi"}


def topic_vi(topic: str | None) -> str:
    return TOPIC_VI.get(topic or "", topic or "chưa phân loại")


def sentiment_vi(sentiment: str | None) -> str:
    return SENTIMENT_VI.get(sentiment or "", sentiment or "chưa rõ")


def province_vi(province: str | None) -> str:
    """The province as people write it: `toan_quoc` is "Toàn quốc", an unknown one "Chưa xác định"."""
    if province == NATIONWIDE:
        return "Toàn quốc"
    return province or "Chưa xác định"
