"""The outbox's state changes: compare-and-set on state and attempt number, so that a sender that lost its
claim changes nothing; retries put back only failed messages."""

from __future__ import annotations

import datetime as dt

from domain.records import Notification
from storage.engine import Database
from storage.outbox import (
    abandoned,
    due_notifications,
    enqueue,
    get_notification,
    mark_failed,
    mark_handed,
    mark_retry,
    mark_sending,
    mark_sent,
    retry_notifications,
)

T0 = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)
LEASE = T0 + dt.timedelta(minutes=5)


def _add(database: Database, key: str, *, urgent: bool = False, at: dt.datetime = T0) -> int:
    with database.session() as session:
        enqueue(
            session,
            Notification(
                kind="alert" if urgent else "case",
                recipient="daumoi.cantho@thads.vn",
                subject=f"Hồ sơ {key}",
                text="Nội dung",
                created_at=at,
                dedupe_key=key,
                urgent=urgent,
            ),
        )
        (found,) = [n for n in due_notifications(session, now=at, limit=100) if n.dedupe_key == key]
        assert found.id is not None
        return found.id


def test_urgent_messages_come_first_then_the_longest_waiting(database: Database) -> None:
    late = _add(database, "cham", at=T0 - dt.timedelta(hours=1))
    urgent = _add(database, "khan", urgent=True)
    future = _add(database, "sau", at=T0 + dt.timedelta(hours=1))
    with database.session() as session:
        assert [n.id for n in due_notifications(session, now=T0, limit=10)] == [urgent, late]
        assert [n.id for n in due_notifications(session, now=T0, limit=10, urgent_only=True)] == [urgent]
        assert future in [n.id for n in due_notifications(session, now=T0 + dt.timedelta(hours=2), limit=10)]


def test_a_message_is_taken_once_and_a_sender_that_lost_it_changes_nothing(database: Database) -> None:
    note = _add(database, "mot")
    with database.session() as session:
        first = mark_sending(session, note, message_id="<a@thads.example>", lease_until=LEASE)
        assert first is not None
        assert (first.status, first.attempts, first.sending_at, first.next_attempt_at) == ("sending", 1, None, LEASE)
        assert mark_sending(session, note, message_id="<b@thads.example>", lease_until=LEASE) is None
    with database.session() as session:  # the lease runs out; a new sender recovers and takes it again
        assert [n.id for n in abandoned(session, now=LEASE)] == [note]
        assert mark_retry(session, note, attempt=1, error="trình gửi dừng", next_attempt_at=LEASE)
        second = mark_sending(
            session, note, message_id="<a@thads.example>", lease_until=LEASE + dt.timedelta(minutes=5)
        )
        assert second is not None
        assert second.attempts == 2
    with database.session() as session:  # the first sender wakes up: its attempt number is stale
        assert not mark_handed(session, note, attempt=1, at=LEASE)
        assert not mark_sent(session, note, attempt=1, at=LEASE)
        assert not mark_failed(session, note, attempt=1, error="x")
        assert mark_handed(session, note, attempt=2, at=LEASE)
        assert mark_sent(session, note, attempt=2, at=LEASE)
        done = get_notification(session, note)
        assert done is not None
        assert (done.status, done.sent_at, done.last_error, done.message_id) == (
            "sent",
            LEASE,
            None,
            "<a@thads.example>",
        )


def test_retry_puts_back_failed_messages_only_and_says_why_not_for_the_others(database: Database) -> None:
    failed, sent, pending = _add(database, "loi"), _add(database, "da-gui"), _add(database, "cho")
    with database.session() as session:
        for note in (failed, sent):
            mark_sending(session, note, message_id=f"<{note}@thads.example>", lease_until=LEASE)
        mark_failed(session, failed, attempt=1, error="550 không có hộp thư")
        mark_sent(session, sent, attempt=1, at=T0)
    later = T0 + dt.timedelta(days=1)
    with database.session() as session:
        again, refused = retry_notifications(session, now=later, ids=[failed, sent, pending, 999])
        assert again == [failed]
        assert refused == {sent: "sent", pending: "pending", 999: "missing"}
        back = get_notification(session, failed)
        assert back is not None
        assert (back.status, back.attempts, back.next_attempt_at) == ("pending", 0, later)
        assert back.last_error == "550 không có hộp thư"  # kept until the next attempt
        assert retry_notifications(session, now=later) == ([], {})  # --failed: none left
