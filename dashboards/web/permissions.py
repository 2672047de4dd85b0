"""Who may do what: roles, the province scope a user is confined to, the case actions a role may take.

admin: everything. monitor (central press desk): triage, assign, close, dismiss; sees everything.
dau_moi (focal point): acknowledges, responds, records a conclusion, only in their province.
leader: reads, never acts; everything, or their province.
The scope is enforced by the queries (`storage.access`, `storage.search`): this module only computes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from alerts.cases import TRANSITIONS
from storage.provinces import NATIONWIDE
from storage.records import Case, User

MONITORS = frozenset({"admin", "monitor"})
# The order buttons are shown in.
CASE_ACTIONS = ("acknowledge", "respond", "conclude", "assign", "close", "dismiss")
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(CASE_ACTIONS),
    "monitor": frozenset({"assign", "close", "dismiss"}),
    "dau_moi": frozenset({"acknowledge", "respond", "conclude"}),
    "leader": frozenset(),
}
NOWHERE = ""  # the scope of a focal point with no province: matches no province, so they see nothing


def scope_of(user: User) -> str | None:
    """The province the user is confined to; None: sees everything."""
    if user.role in MONITORS:
        return None
    if user.role == "dau_moi" and not user.province:
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
        return self.user.role == "leader"

    def may(self, action: str) -> bool:
        return action in ROLE_ACTIONS.get(self.user.role, frozenset())

    def case_actions(self, case: Case) -> list[str]:
        """The actions this user may take on the case in its present state."""
        return [a for a in CASE_ACTIONS if self.may(a) and case.state in TRANSITIONS[a][0]]
