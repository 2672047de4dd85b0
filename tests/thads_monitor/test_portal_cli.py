"""`thads-monitor portal link`: signed feed addresses the feed itself accepts, until their expiry."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from pydantic import SecretStr
from typer.testing import CliRunner

from dashboards.settings import PortalSettings
from dashboards.web.portal_access import EXPIRED, refusal
from thads_monitor.cli import app
from thads_monitor.settings import ConfigError


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(HOME=str(tmp_path), THADS_STORAGE__DATA_DIR=str(tmp_path / "data"), **extra)
    return env


def test_portal_link_prints_signed_urls_the_feed_accepts(tmp_path: Path) -> None:
    env = _env(tmp_path, THADS_PORTAL__URL_KEY="khoa-ky", THADS_ALERTS__APP_URL="https://thads.example.vn/")
    done = CliRunner().invoke(app, ["portal", "link", "--days", "30"], env=env)
    assert done.exit_code == 0, done.output
    lines = done.output.strip().splitlines()
    assert lines[-1].startswith("Hết hạn lúc ")
    settings = PortalSettings(url_key=SecretStr("khoa-ky"))
    now = dt.datetime.now(dt.UTC)
    for line, path in zip(lines[:2], ("/cong-thong-tin/phan-hoi.atom", "/cong-thong-tin/phan-hoi.json"), strict=True):
        url = urlsplit(line)
        assert (url.scheme, url.netloc, url.path) == ("https", "thads.example.vn", path)
        query = dict(parse_qsl(url.query))
        assert refusal(settings, path=path, header_key=None, query=query, now=now) is None
        late = now + dt.timedelta(days=31)
        assert refusal(settings, path=path, header_key=None, query=query, now=late) == EXPIRED


def test_portal_link_without_a_signing_key_says_so(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["portal", "link"], env=_env(tmp_path))
    assert isinstance(done.exception, ConfigError)
    assert "portal.url_key" in str(done.exception)
