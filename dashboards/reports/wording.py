"""Vietnamese names that both report renderers use: places, labels, case and deadline states, links."""

from __future__ import annotations

import datetime as dt

from alerts.messages import KIND_VI
from domain.enums import DeadlineStatus
from domain.labels import deadline_status_vi, response_kind_vi, taxonomy
from domain.provinces import NATIONWIDE
from domain.records import Deadline

UNKNOWN = "Chưa xác định"
PRODUCT = "Hệ thống theo dõi báo chí về thi hành án dân sự"  # how the reports and their e-mail name the system
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def place(key: str | None) -> str:
    """A province as the report shows it; `toan_quoc` is the whole system, no label is "Chưa xác định"."""
    if not key:
        return UNKNOWN
    return "Toàn quốc (cả hệ thống)" if key == NATIONWIDE else key


def scope(province: str | None) -> str:
    return "toàn quốc" if province is None else province


def topic(key: str | None) -> str:
    return taxonomy().topic_names.get(key, key) if key else UNKNOWN


def tone(key: str | None) -> str:
    return taxonomy().sentiments.get(key, key) if key else UNKNOWN


def priority(key: str | None) -> str:
    return taxonomy().priorities.get(key, key) if key else ""


def state(key: str | None) -> str:
    return taxonomy().states.get(key, key) if key else ""


def response_kind(key: str) -> str:
    return response_kind_vi(key)


def deadline_kind(key: str) -> str:
    name = KIND_VI.get(key, key)
    return name[:1].upper() + name[1:]


def deadline_status(deadline: Deadline, now: dt.datetime) -> str:
    if deadline.status == DeadlineStatus.OPEN and deadline.due_at <= now:
        return "quá hạn"
    return deadline_status_vi(deadline.status)


def case_link(app_url: str | None, case_id: int) -> str | None:
    """The case's page in the web app (`/ho-so/{id}`), when the app's address is known."""
    return f"{app_url.rstrip('/')}/ho-so/{case_id}" if app_url else None


def incident_link(app_url: str | None, incident_id: int) -> str | None:
    """The incident's page in the web app (`/su-co/{id}`), when the app's address is known."""
    return f"{app_url.rstrip('/')}/su-co/{incident_id}" if app_url else None


def yes_no(value: bool) -> str:
    return "Có" if value else "Không"
