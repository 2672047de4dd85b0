"""Spike detection: the statistic and the policy file (pure), then the scheduled check on real articles stored on
both backends: steady traffic raises nothing; a burst of six real articles on one story (Đà Nẵng and the Chi
Lăng stadium) raises one alert naming its drivers, told once to the central desk and the monitors; re-runs and
the next windows do not repeat it."""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alerts.settings import AlertSettings
from alerts.spike_alerts import run_spikes
from alerts.spikes import SpikePolicy, baseline_windows, current_window, poisson_tail, terms_of
from domain.enums import NotificationKind, Role
from domain.localtime import VN
from domain.records import User
from domain.yamlfile import FileError
from storage.cases import upsert_user
from storage.engine import Database
from storage.settings import StorageSettings
from storage.spikes import SpikeRecord, add_spike_alert, spike_alerts_since
from storage.tables import NotificationRow, SpikeAlertRow
from tests.alerts.spike_data import OUTLETS, add_pool_article, burst_articles, steady_articles
from thads_monitor.jobs import JOBS, Runtime, run_logged
from thads_monitor.settings import Settings

APP_URL = "https://giamsat.thads.example"
NOW = dt.datetime(2026, 11, 18, 14, 7, tzinfo=VN).astimezone(dt.UTC)  # Wednesday 14:07 in Hà Nội
POLICY = SpikePolicy.load()
PEOPLE = [
    User(email="vanphong@cucqlthads.vn", name="Văn phòng Cục Quản lý THADS", role=Role.DAU_MOI, province="toan_quoc"),
    User(email="theodoi@cucqlthads.vn", name="Phạm Thu Hà", role=Role.MONITOR, province="toan_quoc"),
    User(email="daumoi.danang@thads.vn", name="Lê Văn Hải", role=Role.DAU_MOI, province="Đà Nẵng"),
]


# --- the statistic and the policy -------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "mean"), [(1, 0.1), (4, 0.5), (6, 0.5), (10, 3.0), (30, 2.0)])
def test_poisson_tail_is_one_minus_the_cdf(count: int, mean: float) -> None:
    cdf = sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(count))
    assert poisson_tail(count, mean) == pytest.approx(1 - cdf, rel=1e-6, abs=1e-15)


def test_shipped_policy_four_articles_over_a_silent_baseline_is_a_spike_three_is_not() -> None:
    assert poisson_tail(POLICY.min_count, POLICY.min_mean) <= POLICY.max_p
    assert poisson_tail(POLICY.min_count - 1, POLICY.min_mean) > POLICY.max_p


def test_windows_end_on_the_grid_and_the_baseline_is_the_same_hours() -> None:
    window = current_window(NOW, POLICY)
    assert window.end.astimezone(VN) == dt.datetime(2026, 11, 18, 14, 0, tzinfo=VN)
    assert window.end - window.start == dt.timedelta(hours=3)
    days = baseline_windows(window, POLICY)
    assert len(days) == 14
    assert days[-1].start.astimezone(VN) == dt.datetime(2026, 11, 4, 11, 0, tzinfo=VN)


def test_a_bad_policy_file_names_its_line_and_field(tmp_path: Path) -> None:
    text = Path("alerts/policy/spike.yaml").read_text(encoding="utf-8").replace("step_minutes: 15", "step_minutes: 7")
    path = tmp_path / "spike.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError, match=r"spike\.yaml:\d+: .*ước của 60"):
        SpikePolicy.load(path)
    path.write_text(text.replace("step_minutes: 7", "step_minutes: 15").replace("window_hours", "cua_so"), "utf-8")
    with pytest.raises(FileError, match=r"spike\.yaml:\d+: trường"):
        SpikePolicy.load(path)


def test_terms_are_the_words_of_two_syllables_or_more_as_written() -> None:
    terms = terms_of("Đà Nẵng xin trả 1.251 tỉ để lấy lại sân vận động Chi Lăng, ngân hàng chê ít")
    assert set(terms.values()) == {"Đà Nẵng", "sân vận động", "Chi Lăng", "ngân hàng"}
    assert terms["chi lăng"] == "Chi Lăng"


# --- the scheduled check on stored articles ---------------------------------------------------------------


def _steady(database: Database, end: dt.datetime, days: int = 15) -> int:
    """The relevant pool articles (the Chi Lăng coverage left out) in random order, one every `days` × 24 h /
    count before `end`, from the three outlets in turn: a few articles a day, as enforcement news runs."""
    articles = steady_articles()
    random.Random(17).shuffle(articles)
    gap = dt.timedelta(days=days) / len(articles)
    with database.session() as session:
        for person in PEOPLE:
            upsert_user(session, person)
        for i, article in enumerate(articles):
            add_pool_article(session, article, outlet=i, at=end - dt.timedelta(days=days) + i * gap)
    return len(articles)


def _burst(database: Database, start: dt.datetime) -> None:
    """The six Chi Lăng articles of one story, 20 minutes apart, from the three outlets."""
    with database.session() as session:
        story = None
        for i, article in enumerate(burst_articles()):
            _, story = add_pool_article(
                session, article, outlet=i, at=start + dt.timedelta(minutes=20 * i), story_id=story
            )


def _run(database: Database, at: dt.datetime) -> tuple[int, int, int]:
    done = run_spikes(database, POLICY, now=at, app_url=APP_URL)
    return done.checked, done.raised, done.written


def test_steady_traffic_raises_nothing_over_a_day(database: Database) -> None:
    _steady(database, NOW)
    checked = 0
    for hour in range(24):
        seen, raised, written = _run(database, NOW - dt.timedelta(hours=hour))
        checked += seen
        assert (raised, written) == (0, 0), f"steady traffic raised a spike at {NOW - dt.timedelta(hours=hour)}"
    assert checked > 24  # the windows had articles to judge
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(SpikeAlertRow)) == 0


def test_a_burst_raises_one_alert_naming_its_drivers(database: Database) -> None:
    _steady(database, NOW)
    _burst(database, NOW - dt.timedelta(hours=2, minutes=30))

    assert _run(database, NOW)[1:] == (1, 2)  # one alert, to the central desk and the monitor

    with database.session() as session:
        [alert] = spike_alerts_since(session, NOW - dt.timedelta(days=1))
        mails = session.scalars(select(NotificationRow).order_by(NotificationRow.recipient)).all()
    assert (alert.dimension, alert.key, alert.count) == ("province", "Đà Nẵng", 6)
    stories = alert.drivers["stories"]
    assert len(stories) == 1
    assert stories[0][2] == 6
    assert "Chi Lăng" in stories[0][1]
    assert sorted(name for name, _ in alert.drivers["outlets"]) == sorted(name for _, name in OUTLETS)
    assert {"Chi Lăng", "sân vận động"} <= set(alert.drivers["terms"])
    assert alert.drivers["tones"] == [["trung_lap", 6]]
    assert ["story", str(stories[0][0])] in alert.drivers["also"]

    assert [m.recipient for m in mails] == ["theodoi@cucqlthads.vn", "vanphong@cucqlthads.vn"]
    mail = mails[0]
    assert mail.kind == NotificationKind.SPIKE
    assert mail.subject == "Tin tăng đột biến: Đà Nẵng – 6 bài trong 3 giờ"
    assert "Đà Nẵng đề nghị trả 1.251 tỉ giữ sân Chi Lăng, ngân hàng chê ít (6 bài)" in mail.text
    assert f"{APP_URL}/phan-loai/{stories[0][0]}" in mail.text
    assert 'có 6 bài liên quan đến thi hành án dân sự về tỉnh/thành "Đà Nẵng" trên 3 cơ quan báo chí' in mail.text
    assert "trung bình mỗi ngày có 0 bài (khả năng ngẫu nhiên có ngần ấy bài: 1/71.000)" in mail.text
    assert "Tuổi Trẻ: 2 bài" in mail.text
    assert "Trung lập: 6 bài (100 %)" in mail.text
    assert "Chi Lăng, " in mail.text.split("== Từ ngữ nổi bật ==")[1]
    assert "; câu chuyện Đà Nẵng đề nghị trả 1.251 tỉ" in mail.text
    assert mail.html is not None
    assert "Tin tăng đột biến: Đà Nẵng" in mail.html
    assert "thu_hoi" not in mail.html


def test_the_same_burst_is_not_told_again(database: Database) -> None:
    _steady(database, NOW)
    _burst(database, NOW - dt.timedelta(hours=2, minutes=30))
    assert _run(database, NOW)[1] == 1
    assert _run(database, NOW + dt.timedelta(minutes=5))[1:] == (0, 0)  # same window: a re-run, a second worker
    for step in range(1, 8):  # the next windows still hold most of the burst
        assert _run(database, NOW + dt.timedelta(minutes=15 * step))[1:] == (0, 0)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(SpikeAlertRow)) == 1
        assert session.scalar(select(func.count()).select_from(NotificationRow)) == 2


def test_the_scheduled_job_raises_the_burst_once(database: Database, storage_settings: StorageSettings) -> None:
    _steady(database, NOW)
    _burst(database, NOW - dt.timedelta(hours=2, minutes=30))
    settings = Settings(storage=storage_settings, alerts=AlertSettings(app_url=APP_URL))
    runtime = Runtime(settings=settings, database=database, now=lambda: NOW)
    first, again = run_logged(runtime, JOBS["spikes"]), run_logged(runtime, JOBS["spikes"])
    assert first is not None
    assert again is not None
    assert (first.done, first.wake) == (1, True)
    assert first.summary.endswith("1 tin tăng đột biến, 2 thư")
    assert (again.done, again.wake) == (0, False)
    assert JOBS["spikes"].interval_s(settings) == 900


def test_a_second_worker_storing_the_same_window_stores_nothing(database: Database) -> None:
    record = SpikeRecord(
        dimension="province",
        key="Đà Nẵng",
        window_start=NOW - dt.timedelta(hours=3),
        window_end=NOW,
        count=6,
        baseline_mean=0.1,
        p_value=1.4e-5,
        article_ids=(1, 2, 3),
        drivers={"terms": ["chi lăng"]},
        created_at=NOW,
    )
    with database.session() as session:
        assert add_spike_alert(session, record)
    with database.session() as session:
        assert not add_spike_alert(session, record)
        assert not add_spike_alert(session, record)
        assert [r.drivers for r in spike_alerts_since(session, NOW - dt.timedelta(hours=1))] == [
            {"terms": ["chi lăng"]}
        ]


def test_a_new_burst_on_the_same_key_the_next_day_is_told_again(database: Database) -> None:
    _steady(database, NOW + dt.timedelta(days=1))
    _burst(database, NOW - dt.timedelta(hours=2, minutes=30))
    _burst(database, NOW + dt.timedelta(days=1) - dt.timedelta(hours=2, minutes=30))
    assert _run(database, NOW)[1] == 1
    assert _run(database, NOW + dt.timedelta(days=1))[1] == 1  # its own articles: not covered by yesterday's alert
    with database.session() as session:
        alerts = spike_alerts_since(session, NOW - dt.timedelta(days=1))
    assert [(a.dimension, a.key, a.count) for a in alerts] == [("province", "Đà Nẵng", 6)] * 2
    assert alerts[1].baseline_mean == pytest.approx(6 / 14)  # yesterday's burst is in today's baseline
    assert not set(alerts[0].article_ids) & set(alerts[1].article_ids)
