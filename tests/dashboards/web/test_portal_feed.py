"""The portal feed: responses published from the case page (and withdrawn) are the Atom and JSON entries, newest
first, each linking the article it answers; feedparser reads the Atom without complaint and it validates against a
RELAX NG subset of RFC 4287 (tests/dashboards/web/data/atom.rng); the importer needs the key or a signed URL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from alerts import cases as workflow
from alerts import triage
from dashboards.settings import PortalSettings
from dashboards.web.portal_access import EXPIRED, MISSING, OFF, WRONG_KEY, WRONG_SIGNATURE, signed_url
from storage.cases import audit_trail, responses_of
from storage.engine import Database
from storage.views.queue import story_copies
from tests.dashboards.web.site import PORTAL_KEY, PORTAL_URL_KEY, Site, build_site, csrf_of, sign_in

ATOM = "/cong-thong-tin/phan-hoi.atom"
JSON = "/cong-thong-tin/phan-hoi.json"
SCHEMA = Path(__file__).parent / "data" / "atom.rng"
MONITOR, FOCAL, LEADER = "giamsat@cucthads.vn", "daumoi.hanoi@thads.vn", "lanhdao@cucthads.vn"
TAG = re.compile(r"^tag:thads\.moj\.gov\.vn,\d{4}-\d{2}-\d{2}:phan-hoi/(\d+)$")


@dataclass(frozen=True)
class Published:
    site: Site
    client: TestClient  # signed in as the monitor
    token: str
    hanoi_case: int
    cantho_case: int
    responses: dict[str, int]  # name → response id
    article_urls: dict[int, str]  # case id → URL of the article it answers (its story's first copy)


def _step(site: Site, minutes: int = 10) -> None:
    site.clock.now += dt.timedelta(minutes=minutes)


def _post(p: Published, path: str, **form: str) -> None:
    got = p.client.post(path, data={"csrf_token": p.token, **form})
    assert got.status_code == 303, got.text[:300]


@pytest.fixture
def published(database: Database, tmp_path: Path) -> Published:
    """Two cases, four responses; through the case page as the monitor: a1 and c1 and a2 published (in that order,
    ten minutes apart), c1 withdrawn; a3 never published."""
    site = build_site(database, tmp_path / "data")
    at = site.clock.now
    config = site.app.state.ctx.workflow
    ids: dict[str, int] = {}
    with site.database.session() as session:
        hanoi = triage.confirm(session, site.stories["hanoi"].id, config=config, actor=MONITOR, now=at)
        cantho = triage.confirm(session, site.stories["cantho"].id, config=config, actor=MONITOR, now=at)
        for name, case, text in (
            ("a1", hanoi, "Cục THADS Hà Nội đã xác minh.\nKết quả sẽ được thông tin sau."),
            ("c1", cantho, "THADS Cần Thơ đã cung cấp thông tin ban đầu."),
            ("a2", hanoi, "Văn bản trả lời <báo> & bạn đọc."),
            ("a3", hanoi, "Báo cáo nội bộ."),
        ):
            workflow.respond(session, case.id, kind="thong_tin_ban_dau", text=text, actor=MONITOR, at=at)
            ids[name] = responses_of(session, case.id)[-1].id or 0
        urls = {c.id: story_copies(session, c.story_id)[0].url for c in (hanoi, cantho)}
    client = site.client()
    token = sign_in(client, MONITOR)
    p = Published(site, client, token, hanoi.id, cantho.id, ids, urls)
    for name, case_id in (("a1", hanoi.id), ("c1", cantho.id), ("a2", hanoi.id)):
        _step(site)
        _post(p, f"/ho-so/{case_id}/phan-hoi/{ids[name]}/dang", title=f"Phản hồi {name}", text="")
    _step(site)
    _post(p, f"/ho-so/{cantho.id}/phan-hoi/{ids['c1']}/go", reason="Cần sửa")
    return p


def _atom(client: TestClient, **params: str) -> bytes:
    got = client.get(ATOM, params=params, headers={"X-API-Key": PORTAL_KEY})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/atom+xml")
    return got.content


def _response_ids(ids: list[str]) -> list[int]:
    found = [TAG.match(i) for i in ids]
    assert all(found), ids
    return [int(m.group(1)) for m in found if m]


def test_atom_holds_exactly_the_published_responses_newest_first(published: Published) -> None:
    p, r = published, published.responses
    parsed = feedparser.parse(_atom(TestClient(p.site.app)))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert _response_ids([e.id for e in parsed.entries]) == [r["a2"], r["a1"]]  # c1 withdrawn, a3 never published
    assert [e.title for e in parsed.entries] == ["Phản hồi a2", "Phản hồi a1"]
    published_times = [e.published_parsed for e in parsed.entries]
    assert published_times == sorted(published_times, reverse=True)
    for entry in parsed.entries:
        related = [link.href for link in entry.links if link.rel == "related"]
        assert related == [p.article_urls[p.hanoi_case]]
        assert entry.author == "Cục Quản lý Thi hành án dân sự"
        assert entry.tags
        assert entry.tags[0].term
        assert entry.tags[0].label
    # The public text defaults to the response's, as HTML paragraphs, escaped.
    assert parsed.entries[0].content[0].type == "text/html"
    assert parsed.entries[0].content[0].value == "<p>Văn bản trả lời &lt;báo&gt; &amp; bạn đọc.</p>"
    assert (
        parsed.entries[1].content[0].value
        == "<p>Cục THADS Hà Nội đã xác minh.</p><p>Kết quả sẽ được thông tin sau.</p>"
    )
    assert parsed.feed.id.startswith("tag:thads.moj.gov.vn,")
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [f"http://testserver{ATOM}"]
    assert PORTAL_KEY not in _atom(TestClient(p.site.app)).decode()  # the self link carries no credential


def test_atom_validates_against_the_rfc_4287_subset(published: Published) -> None:
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    document = etree.fromstring(_atom(TestClient(published.site.app)))
    assert schema.validate(document), schema.error_log
    # The schema has teeth: an entry without its id, or a date without a zone, is refused.
    ns = {"a": "http://www.w3.org/2005/Atom"}
    broken = etree.fromstring(etree.tostring(document))
    entry = broken.find("a:entry", ns)
    assert entry is not None
    entry_id = entry.find("a:id", ns)
    assert entry_id is not None
    entry.remove(entry_id)
    assert not schema.validate(broken)
    naive = etree.fromstring(etree.tostring(document))
    updated = naive.find("a:updated", ns)
    assert updated is not None
    assert updated.text is not None
    updated.text = updated.text.replace("Z", "")
    assert not schema.validate(naive)


def test_an_empty_feed_is_valid_atom(database: Database, tmp_path: Path) -> None:
    site = build_site(database, tmp_path / "data")
    body = _atom(TestClient(site.app))
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0
    assert parsed.entries == []
    assert etree.RelaxNG(etree.parse(str(SCHEMA))).validate(etree.fromstring(body))


def test_correcting_withdrawing_and_publishing_again(published: Published) -> None:
    p, r = published, published.responses
    importer = TestClient(p.site.app)
    before = {e.id: e for e in feedparser.parse(_atom(importer)).entries}
    _step(p.site)
    _post(p, f"/ho-so/{p.hanoi_case}/phan-hoi/{r['a1']}/dang", title="Phản hồi a1 (đã sửa)", text="Nội dung sửa.")
    after = {e.id: e for e in feedparser.parse(_atom(importer)).entries}
    assert after.keys() == before.keys()  # same ids: the importer updates its copy
    (a1,) = [i for i in after if _response_ids([i]) == [r["a1"]]]
    assert after[a1].title == "Phản hồi a1 (đã sửa)"
    assert after[a1].published == before[a1].published
    assert after[a1].updated > before[a1].updated
    # Published again after its withdrawal, c1 comes back first (published now).
    _step(p.site)
    _post(p, f"/ho-so/{p.cantho_case}/phan-hoi/{r['c1']}/dang", title="Phản hồi c1 mới", text="")
    ids = _response_ids([e.id for e in feedparser.parse(_atom(importer)).entries])
    assert ids == [r["c1"], r["a2"], r["a1"]]
    # Withdrawing what is not published is refused, on the page.
    got = p.client.post(f"/ho-so/{p.hanoi_case}/phan-hoi/{r['a3']}/go", data={"csrf_token": p.token})
    assert got.status_code == 409
    assert "không đang được đăng" in got.text
    # A response of another case is not this case's.
    got = p.client.post(f"/ho-so/{p.hanoi_case}/phan-hoi/{r['c1']}/dang", data={"csrf_token": p.token, "title": "x"})
    assert got.status_code == 404


def test_publication_is_in_the_audit_trail_and_on_the_case_page(published: Published) -> None:
    p, r = published, published.responses
    with p.site.database.session() as session:
        trail = [(e.action, e.actor, e.note) for e in audit_trail(session, p.cantho_case)]
    assert ("publish", MONITOR, f"phản hồi #{r['c1']}: “Phản hồi c1”") in trail
    assert ("unpublish", MONITOR, f"phản hồi #{r['c1']}: Cần sửa") in trail
    page = p.client.get(f"/ho-so/{p.cantho_case}").text
    assert "Đã gỡ khỏi Cổng thông tin" in page
    assert "Gỡ phản hồi khỏi Cổng thông tin" in page
    page = p.client.get(f"/ho-so/{p.hanoi_case}").text
    assert page.count("Đang đăng trên Cổng thông tin từ") == 2
    assert f'action="/ho-so/{p.hanoi_case}/phan-hoi/{r["a3"]}/dang"' in page


@pytest.mark.parametrize("email", [FOCAL, LEADER])
def test_only_the_central_desk_publishes(published: Published, email: str) -> None:
    p, r = published, published.responses
    client = p.site.client()
    token = sign_in(client, email)
    page = client.get(f"/ho-so/{p.hanoi_case}").text
    assert "/dang" not in re.sub(r"/dang-xuat", "", page)  # no publication form
    for action in ("dang", "go"):
        got = client.post(
            f"/ho-so/{p.hanoi_case}/phan-hoi/{r['a1']}/{action}", data={"csrf_token": token, "title": "Tự đăng"}
        )
        assert got.status_code == 403, got.text[:300]
    assert _response_ids([e.id for e in feedparser.parse(_atom(TestClient(p.site.app))).entries]) == [
        r["a2"],
        r["a1"],
    ]


def test_json_shape_and_paging(published: Published) -> None:
    p, r = published, published.responses
    importer = TestClient(p.site.app, headers={"X-API-Key": PORTAL_KEY})
    whole = importer.get(JSON).json()
    assert set(whole) == {"version", "id", "title", "feed_url", "updated", "items", "next_cursor", "withdrawn"}
    assert whole["withdrawn"] == []  # without `since`: the live entries are the whole truth
    assert whole["version"] == 1
    assert whole["next_cursor"] is None
    atom_ids = [e.id for e in feedparser.parse(_atom(TestClient(p.site.app))).entries]
    assert [i["id"] for i in whole["items"]] == atom_ids
    first = whole["items"][0]
    assert set(first) == {
        "id", "response_id", "case_id", "title", "content_text", "content_html", "published", "updated", "author",
        "kind", "kind_vi", "topic", "topic_vi", "province", "answers",
    }  # fmt: skip
    assert first["response_id"] == r["a2"]
    assert first["case_id"] == p.hanoi_case
    assert first["content_text"] == "Văn bản trả lời <báo> & bạn đọc."
    assert first["kind"] == "thong_tin_ban_dau"
    assert first["kind_vi"] == "thông tin ban đầu"
    assert first["answers"]["url"] == p.article_urls[p.hanoi_case]
    assert first["answers"]["outlet"]
    assert first["published"].endswith("Z")
    # Page by page (one entry each): the same entries, in the same order, then no cursor.
    seen, cursor = [], ""
    for _ in range(5):
        page = importer.get(JSON, params={"limit": 1, **({"cursor": cursor} if cursor else {})}).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == atom_ids
    # since: what was published or changed after a moment (a1 was published 10 minutes after the start).
    moment = (p.site.clock.now - dt.timedelta(minutes=25)).isoformat()
    recent = importer.get(JSON, params={"since": moment}).json()
    assert [i["response_id"] for i in recent["items"]] == [r["a2"]]
    # ... and what was withdrawn since then, to take down: c1 (withdrawn 40 minutes after the start).
    assert [_response_ids([w["id"]]) for w in recent["withdrawn"]] == [[r["c1"]]]
    assert recent["withdrawn"][0]["withdrawn"].endswith("Z")
    late = p.site.clock.now.isoformat()
    assert importer.get(JSON, params={"since": late}).json()["withdrawn"] == []
    for params, word in (({"cursor": "khong-phai"}, "cursor"), ({"since": "2026-11-16T09:00:00"}, "since")):
        got = importer.get(JSON, params=params)
        assert got.status_code == 400
        assert word in got.json()["detail"]


def test_the_importer_needs_the_key_or_a_signed_url(published: Published) -> None:
    p = published
    anyone = TestClient(p.site.app)
    for path in (ATOM, JSON):
        got = anyone.get(path)
        assert got.status_code == 401
        assert MISSING in got.text
        got = anyone.get(path, headers={"X-API-Key": PORTAL_KEY + "x"})
        assert got.status_code == 401
        assert WRONG_KEY in got.text
        assert anyone.get(path, params={"key": PORTAL_KEY[:-1]}).status_code == 401
        assert anyone.get(path, params={"key": PORTAL_KEY}).status_code == 200
        # A signed URL, valid until its expiry, for its own path only.
        expires = p.site.clock.now + dt.timedelta(hours=1)
        url = signed_url(PORTAL_URL_KEY, path, expires)
        assert anyone.get(url).status_code == 200
        other = signed_url(PORTAL_URL_KEY, JSON if path == ATOM else ATOM, expires).split("?")[1]
        got = anyone.get(f"{path}?{other}")
        assert got.status_code == 401
        assert WRONG_SIGNATURE in got.text
        assert anyone.get(signed_url("another-key", path, expires)).status_code == 401
        assert anyone.get(url.replace("expires=", "expires=1")).status_code == 401  # a later expiry, same signature
        p.site.clock.now += dt.timedelta(hours=2)
        got = anyone.get(url)
        assert got.status_code == 401
        assert EXPIRED in got.text
        p.site.clock.now -= dt.timedelta(hours=2)
    # A signed-in user without a key is no importer.
    assert p.client.get(ATOM).status_code == 401
    assert p.client.get(JSON).json() == {"detail": MISSING}


def test_without_keys_the_feed_is_off(database: Database, tmp_path: Path) -> None:
    site = build_site(database, tmp_path / "data", portal=PortalSettings())
    client = TestClient(site.app)
    for path in (ATOM, JSON):
        for params in ({}, {"key": ""}, {"key": "anything"}):
            got = client.get(path, params=params)
            assert got.status_code == 401
            assert OFF in got.text


def test_the_case_page_form_is_what_the_action_takes(published: Published) -> None:
    """The publication form as the page renders it, sent as it is (no script), publishes the unpublished a3."""
    p, r = published, published.responses
    page = p.client.get(f"/ho-so/{p.hanoi_case}").text
    form = re.search(
        rf'<form method="post" action="(/ho-so/{p.hanoi_case}/phan-hoi/{r["a3"]}/dang)".*?</form>', page, re.S
    )
    assert form is not None
    title = re.search(r'name="title"[^>]*value="([^"]*)"', form.group(0))
    assert title is not None
    assert title.group(1).startswith("Thông tin phản hồi về bài")
    got = p.client.post(form.group(1), data={"csrf_token": csrf_of(page), "title": title.group(1), "text": ""})
    assert got.status_code == 303
    items = TestClient(p.site.app).get(JSON, params={"key": PORTAL_KEY}).json()["items"]
    assert items[0]["response_id"] == r["a3"]
    assert items[0]["content_text"] == "Báo cáo nội bộ."
