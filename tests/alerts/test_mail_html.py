"""The HTML of the real messages on real data (case alerts P1 to P3, reminders, escalations, the daily digest)
against golden files: a change of the e-mail layout or of its styles shows here, message by message.

The golden files were rendered when the styles were a Python dict written into each style attribute by the
templates; they now come from alerts/templates/mail.css, inlined by css_inline. Its serialisation differs in bytes
(`margin: 0;` for `margin:0`, the class attributes kept, <tbody> written out as every HTML5 parser adds it, line
breaks around <head>), so the comparison is of what a mail client renders: the same elements with the same
attributes and text, and on each element the same style declarations in the same order.
THADS_UPDATE_GOLDEN=1 writes the files again."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path

import lxml.html
import pytest

from alerts.ack_chain import run_ack_chain
from alerts.ack_policy import default_escalation
from alerts.calendar import default_calendar
from alerts.digest import build_digest
from alerts.messages import plain_html
from alerts.settings import AlertSettings
from alerts.workflow import run_escalate, run_remind
from domain.localtime import VN
from storage.cases import get_user
from storage.engine import Database
from storage.migrate import upgrade
from storage.outbox import list_notifications
from storage.preferences import get_preferences
from storage.settings import StorageSettings
from tests.alerts.seed import APP_URL, T0, every_alert_at_once, seed, workflow

GOLDEN = Path(__file__).with_name("golden") / "mail"
MINUTE = dt.timedelta(minutes=1)
PLAIN = "Báo cáo định kỳ tháng 11/2026 đã sẵn sàng.\nXem tại:\nhttps://giamsat.thads.example/bao-cao"
MORNING = dt.datetime(2026, 11, 17, 7, 30, tzinfo=VN).astimezone(dt.UTC)


def _at(moment: dt.datetime) -> dt.datetime:
    return moment


@pytest.fixture(scope="module")
def messages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every e-mail's HTML the workflow writes for the seeded day, then the central desk's digest, by name."""
    folder = tmp_path_factory.mktemp("mail")
    database = Database.from_settings(StorageSettings(database_url=f"sqlite:///{folder / 'thads.db'}", data_dir=folder))
    upgrade(database.engine)
    seed(database)
    every_alert_at_once(database)  # a case alert of every priority, as it is laid out when sent at once
    workflow(database, T0 + dt.timedelta(minutes=10))
    settings, calendar = AlertSettings(app_url=APP_URL), default_calendar()
    # the P1 alert unacknowledged after 15 minutes: the chain's first step, to the province's head
    run_ack_chain(
        database, policy=default_escalation(), settings=settings, now=functools.partial(_at, T0 + 26 * MINUTE)
    )
    for hours in (13, 20):  # the 24 h deadline's reminders at 50 % and 80 %
        moment = T0 + dt.timedelta(hours=hours)
        run_remind(database, calendar=calendar, settings=settings, now=functools.partial(_at, moment))
    run_escalate(database, settings=settings, now=functools.partial(_at, T0 + dt.timedelta(hours=40)))
    out: dict[str, str] = {}
    with database.session() as session:
        for n in sorted(list_notifications(session), key=lambda n: n.id or 0):
            if n.channel == "mail" and n.html is not None:
                out[f"{len(out) + 1:02d}-{n.kind}-{n.recipient.split('@')[0]}"] = n.html
        user, preferences = (
            get_user(session, "vanphong@cucqlthads.vn"),
            get_preferences(session, "vanphong@cucqlthads.vn"),
        )
        assert user is not None
        assert preferences is not None
        _, digest = build_digest(session, user, preferences, now=MORNING, app_url=APP_URL)
    out[f"{len(out) + 1:02d}-digest-vanphong"] = digest.html
    # a message written as plain text only (a row without HTML), laid out as the others
    out[f"{len(out) + 1:02d}-plain"] = plain_html("Báo cáo tháng 11/2026", PLAIN, APP_URL)
    database.dispose()
    return out


def test_every_kind_of_message_is_covered(messages: dict[str, str]) -> None:
    kinds = {name.split("-")[1] for name in messages}
    assert {"alert", "case", "ack_escalation", "reminder", "escalation", "digest", "plain"} <= kinds


def test_the_html_of_each_message_is_its_golden_file(messages: dict[str, str]) -> None:
    if os.environ.get("THADS_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.html"):
            old.unlink()
        for name, html in messages.items():
            (GOLDEN / f"{name}.html").write_text(html, encoding="utf-8")
    assert sorted(p.stem for p in GOLDEN.glob("*.html")) == sorted(messages)
    for name, html in messages.items():
        assert rendered(html) == rendered((GOLDEN / f"{name}.html").read_text(encoding="utf-8")), name


def test_the_comparison_sees_a_changed_style_and_a_missing_class(messages: dict[str, str]) -> None:
    html = messages["01-alert-daumoi.cantho"]
    assert rendered(html.replace("color: #111827;", "color: #111828;", 1)) != rendered(html)
    assert rendered(html.replace('font-size: 12px;"', '"', 1)) != rendered(html)


def test_every_message_is_styled_inline_only(messages: dict[str, str]) -> None:
    for name, html in messages.items():
        page = lxml.html.document_fromstring(html)
        assert not list(page.iter("style", "link")), name  # mail clients drop them: every rule is inlined
        unstyled = [e.get("class") for e in page.iter() if e.get("class") and not e.get("style")]
        assert not unstyled, (name, unstyled)  # each class the templates use has its rule in mail.css


Rendered = list[tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], str, str]]


def _declarations(style: str | None) -> tuple[tuple[str, str], ...]:
    pairs = (d.split(":", 1) for d in (style or "").split(";") if d.strip())
    return tuple((name.strip(), " ".join(value.split())) for name, value in pairs)


def rendered(html: str) -> Rendered:
    """What a client renders from a message: each element (tbody aside: an HTML5 parser adds it where it is
    missing) with its attributes but class and style, its style declarations in order, its text and tail."""
    return [
        (
            str(e.tag),
            tuple(sorted((str(k), str(v)) for k, v in e.attrib.items() if k not in ("class", "style"))),
            _declarations(e.get("style")),
            " ".join((e.text or "").split()),
            " ".join((e.tail or "").split()),
        )
        for e in lxml.html.document_fromstring(html).iter()
        if isinstance(e.tag, str) and e.tag != "tbody"
    ]
