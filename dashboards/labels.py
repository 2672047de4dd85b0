"""Vietnamese names of everything users read in the web app and the reports: labels (topic, tone, province,
priority, role: `storage.labels`), case states and actions, deadline kinds and statuses, response kinds, triage
states, feed health states. Values stay their codes everywhere else; only the pages and reports translate."""

from __future__ import annotations

from alerts.cases import RESPONSE_KINDS, STATE_VI
from alerts.messages import KIND_VI
from domain.provinces import NATIONWIDE, PROVINCES
from domain.text import fold_diacritics
from storage.labels import (
    ENTITY_VI,
    NATIONWIDE_VI,
    PRIORITY_VI,
    ROLE_VI,
    SENTIMENT_VI,
    TOPIC_VI,
    entity_vi,
    province_vi,
    sentiment_vi,
    topic_vi,
)

__all__ = [
    "ACTION_VI",
    "AUDIT_VI",
    "DEADLINE_STATUS_VI",
    "ENTITY_VI",
    "FEED_STATE_VI",
    "NATIONWIDE_VI",
    "PRIORITY_VI",
    "PROVINCE_CHOICES",
    "RESPONSE_VI",
    "ROLE_VI",
    "SENTIMENT_VI",
    "STATE_VI",
    "TOPIC_VI",
    "TRIAGE_VI",
    "deadline_kind_vi",
    "entity_vi",
    "priority_vi",
    "province_vi",
    "role_vi",
    "sentiment_vi",
    "state_vi",
    "topic_vi",
]

# The 34 provinces in Vietnamese alphabetical order (by folded name, Đ after D), then nationwide.
PROVINCE_CHOICES: tuple[tuple[str, str], ...] = (
    *((p, p) for p in sorted(PROVINCES, key=lambda name: fold_diacritics(name.replace("Đ", "Dz")))),
    (NATIONWIDE, NATIONWIDE_VI),
)
RESPONSE_VI: dict[str, str] = {k: v[0].upper() + v[1:] for k, v in RESPONSE_KINDS.items()}
# Buttons: what a user does to a case.
ACTION_VI: dict[str, str] = {
    "assign": "Giao đầu mối",
    "acknowledge": "Xác nhận đã nhận",
    "respond": "Ghi nhận phản hồi",
    "conclude": "Ghi nhận đã có kết luận",
    "close": "Đóng hồ sơ",
    "dismiss": "Loại hồ sơ",
}
# The timeline: what happened to a case.
AUDIT_VI: dict[str, str] = {
    "create": "Lập hồ sơ",
    "assign": "Giao đầu mối",
    "acknowledge": "Đầu mối xác nhận đã nhận",
    "respond": "Ghi nhận phản hồi",
    "conclude": "Ghi nhận kết luận",
    "close": "Đóng hồ sơ",
    "dismiss": "Loại hồ sơ",
    "raise_priority": "Nâng mức ưu tiên",
    "lower_priority": "Hạ mức ưu tiên",
    "confirm": "Giám sát xác nhận tin",
    "relabel": "Sửa nhãn",
    "merge": "Gộp tin",
    "split": "Tách tin đã gộp",
    "remind": "Nhắc hạn",
    "escalate": "Báo cáo vượt cấp (quá hạn)",
}
DEADLINE_STATUS_VI: dict[str, str] = {
    "open": "đang chạy",
    "met": "đúng hạn",
    "missed": "trễ hạn",
    "void": "không còn áp dụng",
}
TRIAGE_VI: dict[str, str] = {"pending": "chờ phân loại", "confirmed": "đã xác nhận", "dismissed": "đã loại"}
FEED_STATE_VI: dict[str, str] = {
    "ok": "bình thường",
    "failing": "lỗi liên tiếp",
    "silent": "im lặng bất thường",
    "new": "mới, chưa đủ dữ liệu",
    "disabled": "đã tắt",
}


def state_vi(value: str | None) -> str:
    return STATE_VI.get(value or "", "—") if value else "—"


def priority_vi(value: str | None) -> str:
    return PRIORITY_VI.get(value or "", "Chưa có hồ sơ") if value else "Chưa có hồ sơ"


def role_vi(value: str) -> str:
    return ROLE_VI.get(value, value)


def deadline_kind_vi(value: str) -> str:
    name = KIND_VI.get(value, value)
    return name[0].upper() + name[1:]
