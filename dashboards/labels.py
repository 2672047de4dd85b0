"""Vietnamese names of what only the web app and the reports show: case actions and the audit trail, feed health
states, the province choices. The names of topics, tones, priorities, case and triage states, deadline statuses,
response kinds, roles and entity kinds are `domain.labels` (one taxonomy file); the helpers here word them as the
pages do. Values stay their codes everywhere else; only the pages and reports translate."""

from __future__ import annotations

from alerts.messages import FEED_STATE_VI, KIND_VI
from domain import labels as domain_labels
from domain.enums import ResponseKind
from domain.provinces import NATIONWIDE, PROVINCES
from domain.text import fold_diacritics

__all__ = [
    "ACTION_VI",
    "AUDIT_VI",
    "FEED_STATE_VI",
    "NO_CASE",
    "correction_evidence_vi",
    "correction_vi",
    "deadline_kind_vi",
    "deadline_status_vi",
    "priority_vi",
    "province_choices",
    "response_choices",
    "response_vi",
    "triage_vi",
]

NO_CASE = "Chưa có hồ sơ"  # a story's priority when it has no case


def province_choices() -> tuple[tuple[str, str], ...]:
    """The 34 provinces in Vietnamese alphabetical order (by folded name, Đ after D), then nationwide."""
    return (
        *((p, p) for p in sorted(PROVINCES, key=lambda name: fold_diacritics(name.replace("Đ", "Dz")))),
        (NATIONWIDE, domain_labels.taxonomy().nationwide),
    )


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
    "article_edited": "Bài viết bị sửa",
    "article_taken_down": "Bài viết bị gỡ",
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
    "correction_found": "Cơ quan báo chí đã cải chính",
    "correction_missed": "Quá hạn cải chính: mở lại hồ sơ",
    "publish": "Đăng phản hồi lên Cổng thông tin",
    "unpublish": "Gỡ phản hồi khỏi Cổng thông tin",
    "dossier": "Lập hồ sơ chứng cứ",
}


def deadline_status_vi(value: str) -> str:
    return domain_labels.deadline_status_vi(value)


def triage_vi(value: str) -> str:
    return domain_labels.triage_vi(value)


def response_vi(value: str) -> str:
    """A response kind as a heading or a choice shows it: capitalised ("Thông tin ban đầu")."""
    name = domain_labels.response_kind_vi(value)
    return name[:1].upper() + name[1:]


def correction_vi(value: str) -> str:
    name = domain_labels.correction_state_vi(value)
    return name[:1].upper() + name[1:]


def correction_evidence_vi(value: str) -> str:
    name = domain_labels.correction_evidence_vi(value)
    return name[:1].upper() + name[1:]


def response_choices() -> tuple[tuple[str, str], ...]:
    """Every response kind with its name, in the taxonomy's order (the response form's choices)."""
    return tuple((kind, response_vi(kind)) for kind in ResponseKind)


def priority_vi(value: str | None) -> str:
    """A story's priority as the pages show it: its case's, or that it has none."""
    return domain_labels.priority_vi(value, missing=NO_CASE)


def deadline_kind_vi(value: str) -> str:
    name = KIND_VI.get(value, value)
    return name[0].upper() + name[1:]
