"""Who a message goes to: the one place that says which people stand behind "the province", "the central desk",
"the administrators" and "the leaders", with the fallbacks written once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.enums import Role
from domain.provinces import NATIONWIDE
from domain.records import User
from storage.cases import list_users

CENTRAL = NATIONWIDE  # the central desk: users whose province is "toan_quoc"


def central_desk(session: Session) -> list[User]:
    """The central press desk (users of the province "toan_quoc")."""
    return list_users(session, province=CENTRAL)


def focal_points(session: Session, province: str | None) -> list[User]:
    """The province's focal points (not its head, who is escalated to, unless the head is the only one); the
    central desk for `toan_quoc`, an unknown province, or a province with none."""
    if province and province != CENTRAL:
        local = [u for u in list_users(session, province=province) if u.role == Role.DAU_MOI]
        staff = [u for u in local if not u.is_head]
        if staff or local:
            return staff or local
    return central_desk(session)


def heads(session: Session, province: str) -> list[User]:
    """The heads of the province's body: overdue deadlines are escalated to them."""
    return [u for u in list_users(session, province=province) if u.is_head]


def administrators(session: Session) -> list[User]:
    """The administrators; the central desk when there is none."""
    return list_users(session, role=Role.ADMIN) or central_desk(session)


def leaders(session: Session) -> list[User]:
    return list_users(session, role=Role.LEADER)


def spike_recipients(session: Session) -> list[User]:
    """Who is told of a spike: the central desk and the monitors, each once."""
    people = central_desk(session) + list_users(session, role=Role.MONITOR)
    return list({u.email: u for u in people}.values())
