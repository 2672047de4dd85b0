"""The acknowledgement chain as the scheduler runs it: the `workflow` job writes the urgent alert with a link
signed with the web app's key (the one kept in the data folder), the web app built from the same settings accepts
it, and the `ack_chain` job takes the first step at its minute."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from alerts import ack_links
from dashboards.settings import WebSettings
from storage.engine import Database
from storage.migrate import upgrade
from storage.outbox import list_notifications
from storage.settings import StorageSettings
from tests.alerts.test_workflow import T0, _seed
from thads_monitor.jobs import JOBS, Runtime
from thads_monitor.settings import Settings
from thads_monitor.webapp import build_app


def test_the_jobs_sign_links_the_web_app_accepts_and_walk_the_chain(tmp_path: Path) -> None:
    storage = StorageSettings(database_url=f"sqlite:///{tmp_path / 'thads.db'}", data_dir=tmp_path / "data")
    settings = Settings(storage=storage, web=WebSettings())  # no configured key: the data folder's
    database = Database.from_settings(storage)
    upgrade(database.engine)
    _seed(database)
    clock = [T0]
    runtime = Runtime(settings=settings, database=database, now=lambda: clock[0])
    assert JOBS["workflow"].run(runtime).done >= 1
    with database.session() as session:
        alert = next(n for n in list_notifications(session) if n.recipient == "daumoi.cantho@thads.vn")
    found = re.search(r"/xac-nhan/(\S+)", alert.text)
    assert found is not None, alert.text
    app = build_app(settings, database)
    key = app.state.ctx.workflow.settings.ack_link_key.get_secret_value().encode()
    assert key == (tmp_path / "data" / "web-secret-key").read_bytes().strip()
    claim = ack_links.read(key, found[1], now=T0, valid=dt.timedelta(hours=72))
    assert claim.case_id == alert.case_id
    clock[0] = T0 + dt.timedelta(minutes=14)
    assert JOBS["ack_chain"].run(runtime).done == 0
    clock[0] = T0 + dt.timedelta(minutes=15)
    outcome = JOBS["ack_chain"].run(runtime)
    assert (outcome.done, outcome.summary, outcome.wake) == (1, "1 bước báo tiếp khi chưa xác nhận", True)
    assert JOBS["ack_chain"].then == ("alerts",)
    database.dispose()
