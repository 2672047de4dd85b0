"""Who may do what: roles, the province scope a user is confined to, the case actions a role may take.

admin: everything. monitor (central press desk): triage, assign, close, dismiss; sees everything; and on a
case assigned to them (a case of a province without focal points goes to the central desk, the users of
province `toan_quoc`) also what a focal point does.
Publishing a response on the portal ("publish", and withdrawing it) is the central desk's: admin and monitor.
dau_moi (focal point): acknowledges, responds, records a conclusion, only in their province.
leader: reads, never acts; everything, or their province.
Communication incidents: administrators, monitors and the central desk declare, act on and close them; the
others read those touching their scope (leaders everything or their province, focal points their province).
The scope is enforced by the queries (`storage.access`, `storage.views.search`): this module only computes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from alerts.cases import TRANSITIONS
from alerts.incidents import may_manage
from domain.enums import Role
from domain.provinces import NATIONWIDE
from domain.records import Case, User

MONITORS = frozenset({Role.ADMIN, Role.MONITOR})
# The order buttons are shown in.
CASE_ACTIONS = ("acknowledge", "respond", "conclude", "assign", "close", "dismiss")
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({*CASE_ACTIONS, "publish"}),
    Role.MONITOR: frozenset({"assign", "close", "dismiss", "publish"}),
    Role.DAU_MOI: frozenset({"acknowledge", "respond", "conclude"}),
    Role.LEADER: frozenset(),
}
FOCAL_ACTIONS = frozenset({"acknowledge", "respond", "conclude"})  # what the case's assignees do
NOWHERE = ""  # the scope of a focal point with no province: matches no province, so they see nothing


def scope_of(user: User) -> str | None:
    """The province the user is confined to; None: sees everything."""
    if user.role in MONITORS:
        return None
    if user.role == Role.DAU_MOI and not user.province:
        return NOWHERE
    if user.province in (None, NATIONWIDE):  # the central desk and national leaders
        return None
    return user.province


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user, with the CSRF token of their session and their scope."""

    user: User
    csrf: str

    @property
    def scope(self) -> str | None:
        return scope_of(self.user)

    @property
    def is_monitor(self) -> bool:
        return self.user.role in MONITORS

    @property
    def read_only(self) -> bool:
        return self.user.role == Role.LEADER

    @property
    def manages_incidents(self) -> bool:
        """Declares, acts on and closes communication incidents (`alerts.incidents.may_manage`)."""
        return may_manage(self.user)

    def may(self, action: str, *, assigned: bool = False) -> bool:
        """Whether the role allows the action; `assigned`: the case is assigned to this user (a monitor of the
        central desk then handles it as its focal point)."""
        if action in ROLE_ACTIONS.get(self.user.role, frozenset()):
            return True
        return assigned and self.is_monitor and action in FOCAL_ACTIONS

    def case_actions(self, case: Case, *, assigned: bool = False) -> list[str]:
        """The actions this user may take on the case in its present state."""
        return [a for a in CASE_ACTIONS if self.may(a, assigned=assigned) and case.state in TRANSITIONS[a][0]]
