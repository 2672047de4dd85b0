"""Each user's channels per alert tier and their chat addresses (tables user_channel, user_address)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.enums import AlertTier, ChannelName
from storage.tables import UserAddressRow, UserChannelRow, UserRow


@dataclass(frozen=True)
class Addresses:
    """Where a user's chat messages go; None: not given."""

    telegram_chat_id: str | None = None
    zalo_user_id: str | None = None
    phone: str | None = None  # app_user.phone, for Zalo ZNS


def _user(session: Session, email: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if row is None:
        raise LookupError(f"user {email} does not exist")
    return row


def channel_choices(session: Session, email: str) -> dict[AlertTier, tuple[ChannelName, ...]]:
    """The channels the user chose for each tier they set (a tier not in the answer: not chosen)."""
    user = _user(session, email)
    rows = session.execute(
        select(UserChannelRow.tier, UserChannelRow.channel)
        .where(UserChannelRow.user_id == user.id)
        .order_by(UserChannelRow.tier, UserChannelRow.channel)
    )
    found: dict[AlertTier, tuple[ChannelName, ...]] = {}
    for tier, channel in rows:
        found[AlertTier(tier)] = (*found.get(AlertTier(tier), ()), ChannelName(channel))
    return found


def save_channel_choices(session: Session, email: str, choices: Mapping[AlertTier, Sequence[ChannelName]]) -> None:
    """Replace the user's choice for each tier in `choices` (an empty sequence: back to the default)."""
    user = _user(session, email)
    for tier, channels in choices.items():
        session.execute(delete(UserChannelRow).where(UserChannelRow.user_id == user.id, UserChannelRow.tier == tier))
        session.add_all(
            UserChannelRow(user_id=user.id, tier=str(tier), channel=str(c)) for c in dict.fromkeys(channels)
        )
    session.flush()


def addresses(session: Session, email: str) -> Addresses | None:
    """The user's chat addresses; None when there is no such user."""
    user = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if user is None:
        return None
    row = session.get(UserAddressRow, user.id)
    return Addresses(
        telegram_chat_id=row.telegram_chat_id if row else None,
        zalo_user_id=row.zalo_user_id if row else None,
        phone=user.phone or None,
    )


def save_addresses(session: Session, email: str, *, telegram_chat_id: str | None, zalo_user_id: str | None) -> None:
    user = _user(session, email)
    row = session.get(UserAddressRow, user.id)
    if row is None:
        row = UserAddressRow(user_id=user.id)
        session.add(row)
    row.telegram_chat_id, row.zalo_user_id = telegram_chat_id or None, zalo_user_id or None
    session.flush()
