"""Which channels carry a user's alert: each user chooses per tier (`AlertTier`) among the per-user channels
(e-mail, Telegram, Zalo); installation-wide channels (the webhook) take every message whatever users chose."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from alerts.preferences import PreferenceError
from domain.enums import AlertTier, ChannelName
from domain.labels import taxonomy
from domain.records import User
from storage.channels import Addresses, addresses, channel_choices
from storage.engine import Database

PER_USER = frozenset({ChannelName.MAIL, ChannelName.TELEGRAM, ChannelName.ZALO})
DEFAULT: tuple[str, ...] = (ChannelName.MAIL,)


def reachable(channel: str, where: Addresses | None) -> bool:
    """Whether the user can be written to on `channel` (Zalo: a follower id, or a phone for a ZNS message)."""
    if channel == ChannelName.MAIL:
        return True
    if where is None:
        return False
    if channel == ChannelName.TELEGRAM:
        return where.telegram_chat_id is not None
    if channel == ChannelName.ZALO:
        return where.zalo_user_id is not None or where.phone is not None
    return False


def _chosen(session: Session, user: User, tier: AlertTier) -> tuple[str, ...] | None:
    chosen = channel_choices(session, user.email).get(tier) if user.email else None
    if not chosen:
        return None
    where = addresses(session, user.email)
    usable = tuple(str(c) for c in chosen if reachable(c, where))
    return usable or DEFAULT  # chose only channels without an address: e-mail rather than nothing


def channels_for(session: Session, user: User, tier: AlertTier) -> tuple[str, ...]:
    """The per-user channels of `user` for the alerts of `tier`: their choice, else e-mail alone."""
    return _chosen(session, user, tier) or DEFAULT


def route(session: Session, user: User, tier: AlertTier, installation: Sequence[str]) -> tuple[str, ...]:
    """The channels one message to `user` is written for: the user's choice for `tier` (when they made one,
    else the installation's list as it is), plus the installation's channels that are not per user."""
    chosen = _chosen(session, user, tier)
    if chosen is None:
        return tuple(dict.fromkeys(installation))
    return tuple(dict.fromkeys([*chosen, *(c for c in installation if c not in PER_USER)]))


def address_book(database: Database) -> Callable[[str], Addresses | None]:
    """For the chat channels: a user's addresses by e-mail (the outbox row's recipient), read at each send."""

    def lookup(email: str) -> Addresses | None:
        with database.session() as session:
            return addresses(session, email)

    return lookup


_TELEGRAM_ID = re.compile(r"^-?\d{1,20}$")
_ZALO_ID = re.compile(r"^\d{1,32}$")


def parse_telegram_chat_id(text: str) -> str | None:
    """A Telegram chat id as the bot sees it (digits; a group's starts with "-"); empty: none."""
    value = text.strip()
    if value and not _TELEGRAM_ID.match(value):
        raise PreferenceError(
            f"mã chat Telegram {value!r} phải là một dãy số (mã nhóm bắt đầu bằng dấu -), ví dụ 123456789"
        )
    return value or None


def parse_zalo_user_id(text: str) -> str | None:
    """A Zalo user id as the OA sees its follower (digits); empty: none."""
    value = text.strip()
    if value and not _ZALO_ID.match(value):
        raise PreferenceError(f"mã người theo dõi Zalo {value!r} phải là một dãy số")
    return value or None


def parse_channels(values: Sequence[str], where: Addresses) -> tuple[ChannelName, ...]:
    """The per-user channels chosen for one tier (codes), each one the user can be reached on."""
    chosen: list[ChannelName] = []
    for value in dict.fromkeys(v.strip() for v in values if v.strip()):
        try:
            channel = ChannelName(value)
        except ValueError:
            channel = None
        if channel is None or channel not in PER_USER:
            names = ", ".join(taxonomy().channels[c] for c in sorted(PER_USER))
            raise PreferenceError(f"kênh {value!r} không chọn được (chọn trong: {names})")
        if not reachable(channel, where):
            need = "mã chat" if channel == ChannelName.TELEGRAM else "mã người theo dõi OA hoặc số điện thoại"
            raise PreferenceError(f"muốn nhận qua {taxonomy().channels[channel]} cần khai báo {need}")
        chosen.append(channel)
    return tuple(chosen)
