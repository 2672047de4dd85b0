"""Vietnamese names of what only the web app and the reports show: case actions and the audit trail, deadline
statuses, response kinds, triage states, feed health states, the province choices. The names of topics, tones,
priorities, states, roles and entity kinds are `domain.labels` (one taxonomy file). Values stay their codes
everywhere else; only the pages and reports translate."""

from __future__ import annotations

from alerts.cases import RESPONSE_KINDS
from alerts.messages import FEED_STATE_VI, KIND_VI
from domain import labels as domain_labels
from domain.provinces import NATIONWIDE, PROVINCES
from domain.text import fold_diacritics

__all__ = [
    "ACTION_VI",
    "AUDIT_VI",
    "DEADLINE_STATUS_VI",
    "FEED_STATE_VI",
    "NO_CASE",
    "RESPONSE_VI",
    "TRIAGE_VI",
    "deadline_kind_vi",
    "priority_vi",
    "province_choices",
]

NO_CASE = "Chưa có hồ sơ"  # a story's priority when it has no case


def province_choices() -> tuple[tuple[str, str], ...]:
    """The 34 provinces in Vietnamese alphabetical order (by folded name, Đ after D), then nationwide."""
    return (
        *((p, p) for p in sorted(PROVINCES, key=lambda name: fold_diacritics(name.replace("Đ", "Dz")))),
        (NATIONWIDE, domain_labels.taxonomy().nationwide),
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


def priority_vi(value: str | None) -> str:
    """A story's priority as the pages show it: its case's, or that it has none."""
    return domain_labels.priority_vi(value, missing=NO_CASE)


def deadline_kind_vi(value: str) -> str:
    name = KIND_VI.get(value, value)
    return name[0].upper() + name[1:]
