"""Every page and every GET action of the web app, as every role, on both backends: the status each role gets
(200, 404 for what lies outside their province, 403 for what their role may not open, a redirect), on seeded
data where the stories have several copies and cases. The table must name every GET route the app has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from alerts import ack_links, incidents, publication, triage
from alerts import cases as workflow
from domain.enums import StatementKind
from domain.profiles import UNIT_MINISTRY, Profile, provincial_unit
from domain.records import Statement
from domain.social import Platform, SocialComment, SocialPost
from domain.watch_profiles import ProfileKind, starter_profiles
from nlp.profile_match import backfill_profile, load_starter_profiles
from nlp.social_reading import read_comment_tones
from storage.access import visible_snapshots
from storage.cases import responses_of
from storage.engine import Database
from storage.profiles import save_profile
from storage.social import store_comment, store_post
from storage.statements import add_statement
from storage.views.queue_filters import ALL_STATES
from tests.conftest import BACKENDS, migrated_database
from tests.dashboards.web.site import PORTAL_KEY, Site, build_site, sign_in
from tests.seeding import T0, add_copy, outlet, samples

ROLES = {
    "admin": "quantri@cucthads.vn",
    "monitor": "giamsat@cucthads.vn",
    "dau_moi_own": "daumoi.hanoi@thads.vn",  # focal point of the article's province (Hà Nội)
    "dau_moi_other": "daumoi.cantho@thads.vn",  # focal point of another province
    "central_desk": "vanphong@cucthads.vn",  # focal point with province toan_quoc
    "leader": "lanhdao@cucthads.vn",
    "leader_province": "lanhdao.hanoi@thads.vn",
}
EVERYONE = frozenset(ROLES)
MONITORS = frozenset({"admin", "monitor"})
ADMIN = frozenset({"admin"})
MANAGERS = frozenset({"admin", "monitor", "central_desk"})  # declare, act on and close communication incidents
DRAFT_PROFILE = "du_thao_dac_xa"  # a draft-law profile of the ministry (kind du_thao)
HANOI = EVERYONE - {"dau_moi_other"}  # who may see Hà Nội's case and articles (and the incident of its story)
CANTHO = EVERYONE - {"dau_moi_own", "leader_province"}


@dataclass(frozen=True)
class Seeded:
    hanoi_story: int
    hanoi_case: int
    hanoi_copies: tuple[int, ...]
    cantho_article: int
    snapshot: int
    attachment: str
    ack_link: str  # the one-click acknowledgement link of Cần Thơ's case, sent to its focal point
    incident: int  # a communication incident of Hà Nội's story
    response: int  # Hà Nội's response, published on the portal
    statement: int  # a press release answering Hà Nội's story, with a file
    profile: str  # the code of a watch profile of Hà Nội's Department of Justice


def seed(site: Site) -> Seeded:
    """Both stories confirmed into cases; Hà Nội's story gets two more copies and a response with a file."""
    s, at = samples(), site.clock.now
    hanoi = site.stories["hanoi"]
    with site.database.session() as session:
        for slug, name in (("vnexpress", "VnExpress"), ("dantri", "Báo Dân trí")):
            add_copy(
                session, s["written:w4:006"], outlet(session, slug, name), at=T0 + dt.timedelta(hours=1), story=hanoi
            )
    with site.database.session() as session:
        config = site.app.state.ctx.workflow
        case = triage.confirm(session, hanoi.id, config=config, actor="giamsat@cucthads.vn", now=at, priority="P2")
        cantho_case = triage.confirm(
            session, site.stories["cantho"].id, config=config, actor="giamsat@cucthads.vn", now=at
        )
        workflow.acknowledge(session, case.id, actor="daumoi.hanoi@thads.vn", at=at)
        stored = workflow.store_attachment_bytes(
            b"%PDF-1.4\n" + "Công văn trả lời".encode(), "Công văn.pdf", site.app.state.ctx.attachments_dir
        )
        workflow.respond(
            session,
            case.id,
            kind="thong_tin_ban_dau",
            text="Cục THADS Hà Nội đã cung cấp thông tin ban đầu.",
            actor="daumoi.hanoi@thads.vn",
            at=at,
            attachments=(stored,),
        )
        # A correction request: the case page shows the watch on each of the story's three outlets.
        workflow.respond(
            session,
            case.id,
            kind="yeu_cau_cai_chinh",
            text="Đề nghị các báo cải chính thông tin chưa chính xác.",
            actor="daumoi.hanoi@thads.vn",
            at=at,
        )
        incident = incidents.declare(
            session,
            title="Nhiều báo đưa tin cụ bà cầu cứu vì bản án chậm thi hành",
            summary="",
            severity="high",
            owner_email="vanphong@cucthads.vn",
            story_ids=(hanoi.id,),
            actor="giamsat@cucthads.vn",
            at=at,
        )
        response = responses_of(session, case.id)[0]
        assert response.id is not None
        publication.publish(
            session, case.id, response.id, title="Thông tin ban đầu", text="", actor="giamsat@cucthads.vn", at=at
        )
        statement = add_statement(
            session,
            Statement(
                kind=StatementKind.THONG_CAO,
                title="Thông cáo báo chí về vụ cưỡng chế",
                body="Cục THADS Hà Nội thông tin về vụ cưỡng chế thi hành án.",
                issued_on=at.date(),
                issuing_unit="Thi hành án dân sự thành phố Hà Nội",
                created_by="giamsat@cucthads.vn",
                created_at=at,
                story_ids=(hanoi.id,),
                attachment=stored,
            ),
        )
    profile = seed_profiles(site)
    from storage.views.queue import story_copies

    with site.database.session() as session:
        # A Facebook post sharing the story's first copy, with a comment: the story's social reaction.
        shared = story_copies(session, hanoi.id)[0].url
        post = SocialPost(
            platform=Platform.FACEBOOK,
            platform_id="1234567890_987654321",
            source_slug="trang-cuc-thads",
            url="https://www.facebook.com/1234567890/posts/987654321",
            text="Cụ bà cầu cứu vì bản án chậm thi hành, báo chí phản ánh.",
            published_at=at,
            reactions=152,
            comments=1,
            shares=9,
            shared_url=shared,
        )
        store_post(session, post, now=at)
        store_comment(
            session,
            SocialComment(
                platform=Platform.FACEBOOK,
                platform_id="987654321_111",
                post_platform_id=post.platform_id,
                parent_platform_id=None,
                text="Mong cơ quan thi hành án sớm giải quyết dứt điểm cho cụ.",
                published_at=at,
                like_count=37,
                author_pseudonym="a" * 64,
            ),
            now=at,
        )
    read_comment_tones(site.database)  # the comment's tone, as the social job reads it (nlp.comments)
    with site.database.session() as session:
        copies = tuple(c.article_id for c in story_copies(session, hanoi.id))
        cantho = story_copies(session, site.stories["cantho"].id)[0].article_id
        snapshot = visible_snapshots(session, copies[1], scope=None)[0].id
    assert len(copies) == 3
    return Seeded(
        hanoi_story=hanoi.id,
        hanoi_case=case.id,
        hanoi_copies=copies,
        cantho_article=cantho,
        snapshot=snapshot,
        attachment=stored.sha256,
        ack_link=f"/xac-nhan/{ack_token(site, cantho_case.id, 'cantho')}",
        incident=incident.id,
        response=response.id,
        statement=statement.id or 0,
        profile=profile,
    )


def seed_profiles(site: Site) -> str:
    """The starter watch profiles (matched over the seeded articles) and one of Hà Nội's Department of Justice."""
    at = site.clock.now
    load_starter_profiles(site.database, starter_profiles(), at=at)
    with site.database.session() as session:
        save_profile(
            session,
            Profile(
                code="thi_hanh_an_ha_noi",
                name="Thi hành án ở Hà Nội",
                kind=ProfileKind.AREA,
                unit=provincial_unit("Hà Nội"),
                query='"thi hành án" AND province:"Hà Nội"',
            ),
            by="quantri@cucthads.vn",
            at=at,
        )
        save_profile(
            session,
            Profile(
                code=DRAFT_PROFILE,
                name="Dự thảo Luật Đặc xá (sửa đổi)",
                kind=ProfileKind.DRAFT,
                unit=UNIT_MINISTRY,
                query='"đặc xá"',
                drafting_body="Bộ Công an",
                consultation_start=dt.date(2026, 11, 1),
                consultation_end=dt.date(2026, 12, 31),
            ),
            by="quantri@cucthads.vn",
            at=at,
        )
    backfill_profile(site.database, "thi_hanh_an_ha_noi")
    return "thi_hanh_an_ha_noi"


def ack_token(site: Site, case_id: int, user: str) -> str:
    key = site.app.state.ctx.workflow.settings.ack_link_key.get_secret_value().encode()
    user_id = site.users[user].id
    assert user_id is not None
    return ack_links.issue(key, case_id=case_id, user_id=user_id, at=site.clock.now)


def expectations(d: Seeded) -> dict[str, tuple[str, dict[str, int]]]:
    """Route path → (a URL of it, the status per role)."""

    def only(allowed: frozenset[str], refused: int) -> dict[str, int]:
        return {role: 200 if role in allowed else refused for role in ROLES}

    article = f"/bai-viet/{d.hanoi_copies[1]}"
    case = f"/ho-so/{d.hanoi_case}"
    return {
        "/": ("/", dict.fromkeys(ROLES, 303)),
        "/dang-nhap": ("/dang-nhap", only(EVERYONE, 0)),
        "/tai-khoan": ("/tai-khoan", only(EVERYONE, 0)),
        "/api/docs": ("/api/docs", only(EVERYONE, 0)),
        "/phan-loai": ("/phan-loai", only(MONITORS, 403)),
        "/gan-nhan": ("/gan-nhan", only(MONITORS, 403)),
        "/phan-loai/{story_id}": (f"/phan-loai/{d.hanoi_story}", only(MONITORS, 403)),
        "/phan-loai/xuat": ("/phan-loai/xuat?tinh=H%C3%A0+N%E1%BB%99i&dinh_dang=xlsx", only(MONITORS, 403)),
        "/tim-kiem/xuat": ("/tim-kiem/xuat?q=thi+hành+án&dinh_dang=csv", only(EVERYONE, 0)),
        "/ho-so/xuat": ("/ho-so/xuat?trang_thai=tat-ca&dinh_dang=xlsx", only(EVERYONE, 0)),
        "/xu-huong/xuat": ("/xu-huong/xuat?dinh_dang=csv&bang=lan-rong", only(EVERYONE, 0)),
        "/ho-so": ("/ho-so", only(EVERYONE, 0)),
        "/su-co": ("/su-co", only(EVERYONE, 0)),
        "/su-co/moi": (f"/su-co/moi?tin={d.hanoi_story}", only(MANAGERS, 403)),
        "/su-co/{incident_id}": (f"/su-co/{d.incident}", only(HANOI, 404)),
        "/ho-so/{case_id}": (case, only(HANOI, 404)),
        "/ho-so/{case_id}/tep/{sha256}": (f"{case}/tep/{d.attachment}", only(HANOI, 404)),
        "/ho-so/{case_id}/ho-so-chung-cu": (f"{case}/ho-so-chung-cu", only(HANOI, 404)),  # prints PDFs: Chromium
        "/bai-viet/{article_id}": (article, only(HANOI, 404)),
        "/bai-viet/{article_id}/ban-luu/{snapshot_id}": (f"{article}/ban-luu/{d.snapshot}", only(HANOI, 404)),
        "/tim-kiem": ("/tim-kiem?q=thi+hành+án", only(EVERYONE, 0)),
        "/xu-huong": ("/xu-huong", only(EVERYONE, 0)),
        "/dung-han": ("/dung-han", only(EVERYONE, 0)),
        "/nguon-tin": ("/nguon-tin", only(EVERYONE - {"dau_moi_own", "dau_moi_other", "central_desk"}, 403)),
        "/bao-cao": ("/bao-cao", only(EVERYONE, 0)),
        "/bao-cao/tai-ve": ("/bao-cao/tai-ve?ky=2026-W47&dinh_dang=xlsx", only(EVERYONE, 0)),
        "/api/ho-so": ("/api/ho-so", only(EVERYONE, 0)),
        "/api/ho-so/{case_id}": (f"/api{case}", only(HANOI, 404)),
        "/api/bai-viet": ("/api/bai-viet?q=thi+hanh+an", only(EVERYONE, 0)),
        "/api/xu-huong": ("/api/xu-huong", only(EVERYONE, 0)),
        "/api/openapi.json": ("/api/openapi.json", only(EVERYONE, 0)),
        "/thong-cao": ("/thong-cao?tin=1", only(EVERYONE, 0)),
        "/thong-cao/{statement_id}": (f"/thong-cao/{d.statement}", only(EVERYONE, 0)),
        "/thong-cao/{statement_id}/tep": (f"/thong-cao/{d.statement}/tep", only(EVERYONE, 0)),
        # The portal's importer: the key opens it, signed in or not, whoever (the session plays no part).
        "/cong-thong-tin/phan-hoi.atom": (f"/cong-thong-tin/phan-hoi.atom?key={PORTAL_KEY}", only(EVERYONE, 0)),
        "/cong-thong-tin/phan-hoi.json": (f"/cong-thong-tin/phan-hoi.json?key={PORTAL_KEY}", only(EVERYONE, 0)),
        # Only the user the link was sent to (Cần Thơ's focal point) may use it; the others get a page saying so.
        "/xac-nhan/{token}": (d.ack_link, only(frozenset({"dau_moi_other"}), 403)),
        # Watch profiles: every role sees the list (of their unit), a Hà Nội profile is not found for Cần Thơ;
        # only an admin edits, creates and tests a query.
        "/chu-de-theo-doi": ("/chu-de-theo-doi", only(EVERYONE, 0)),
        "/chu-de-theo-doi/{code}": (f"/chu-de-theo-doi/{d.profile}", only(HANOI, 404)),
        # a draft profile's synthesis report: the monitoring staff only
        "/chu-de-theo-doi/{code}/tong-hop-y-kien": (
            f"/chu-de-theo-doi/{DRAFT_PROFILE}/tong-hop-y-kien",
            only(MONITORS, 403),
        ),
        "/chu-de-theo-doi/{code}/sua": (f"/chu-de-theo-doi/{d.profile}/sua", only(ADMIN, 403)),
        "/chu-de-theo-doi/moi": ("/chu-de-theo-doi/moi", only(ADMIN, 403)),
        "/chu-de-theo-doi/thu-truy-van": ("/chu-de-theo-doi/thu-truy-van?q=thi+hành+án", only(ADMIN, 403)),
    }


def within_profiles(d: Seeded) -> dict[str, dict[str, int]]:
    """The pages that take a watch profile (`theo_doi`): counts, search and report within its matches, only for
    those who see the profile (the unit rule: Hà Nội's Department of Justice's profile is not found for Cần Thơ);
    the THADS watch is everyone's; an unknown code is not found."""
    everyone = dict.fromkeys(ROLES, 200)
    hanoi = {role: 200 if role in HANOI else 404 for role in ROLES}
    return {
        f"/xu-huong?theo_doi={d.profile}": hanoi,
        f"/xu-huong?ky=7&theo_doi={d.profile}": hanoi,
        f"/xu-huong/xuat?dinh_dang=csv&bang=bao&theo_doi={d.profile}": hanoi,
        f"/tim-kiem?theo_doi={d.profile}": hanoi,
        f"/tim-kiem?q=thi+hành+án&theo_doi={d.profile}": hanoi,
        f"/tim-kiem/xuat?dinh_dang=csv&theo_doi={d.profile}": hanoi,
        f"/bao-cao/tai-ve?ky=2026-W47&dinh_dang=xlsx&theo_doi={d.profile}": hanoi,
        f"/bao-cao/tai-ve?ky=2026-W47&dinh_dang=docx&theo_doi={d.profile}": hanoi,
        "/xu-huong?theo_doi=thads": everyone,
        "/tim-kiem?theo_doi=thads": everyone,
        "/xu-huong?theo_doi=khong_co": dict.fromkeys(ROLES, 404),
        "/tim-kiem?theo_doi=khong_co": dict.fromkeys(ROLES, 404),
    }


@pytest.mark.parametrize("role", list(ROLES))
def test_pages_within_a_watch_profile_as_every_role(seeded_site: SeededSite, role: str) -> None:
    site, seeded = seeded_site.site, seeded_site.seeded
    client = site.client()
    sign_in(client, ROLES[role])
    for url, statuses in within_profiles(seeded).items():
        got = client.get(url)
        assert got.status_code == statuses[role], f"{role} GET {url}: {got.status_code} {got.text[:300]}"
    if role in HANOI:  # the profile's page links to its trends and to a search within its matches
        page = client.get(f"/chu-de-theo-doi/{seeded.profile}").text
        assert f'href="/xu-huong?theo_doi={seeded.profile}"' in page
        assert f'href="/tim-kiem?theo_doi={seeded.profile}"' in page


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    """A fresh site, for the tests that change it (the actions)."""
    return build_site(database, tmp_path / "data")


@dataclass(frozen=True)
class SeededSite:
    site: Site
    seeded: Seeded


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeededSite]:
    """One seeded site per backend for the tests that only read (GET pages, signed in or out): building and
    seeding a site costs more than the requests of a test."""
    folder = tmp_path_factory.mktemp("roles")
    with migrated_database(request, folder) as database:
        site = build_site(database, folder / "data")
        yield SeededSite(site=site, seeded=seed(site))


def get_routes(routes: list[BaseRoute]) -> set[str]:
    """The paths of the GET routes, through included routers (FastAPI wraps them)."""
    found = set()
    for route in routes:
        if isinstance(route, APIRoute) and "GET" in (route.methods or set()):
            found.add(route.path)
        elif (router := getattr(route, "original_router", None)) is not None:
            found |= get_routes(router.routes)
    return found


def test_every_get_route_is_in_the_table(seeded_site: SeededSite) -> None:
    routes = get_routes(seeded_site.site.app.routes) | {"/api/openapi.json"}
    assert len(routes) > 20
    assert routes == set(expectations(seeded_site.seeded))


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_as_every_role(seeded_site: SeededSite, role: str) -> None:
    site, seeded = seeded_site.site, seeded_site.seeded
    client = site.client()
    sign_in(client, ROLES[role])
    for path, (url, statuses) in expectations(seeded).items():
        got = client.get(url)
        assert got.status_code == statuses[role], f"{role} GET {url} ({path}): {got.status_code} {got.text[:300]}"
    if role in HANOI:  # the case page shows the correction awaited from each of the story's three outlets
        page = client.get(f"/ho-so/{seeded.hanoi_case}").text
        assert page.count("Chờ cơ quan báo chí cải chính") == 3, page
        # … and the story's social reaction: the post sharing its article, the comment liked most, no name
        assert "1 bài đăng, video chia sẻ tin này · 152 lượt bày tỏ cảm xúc" in page, page
        assert "Mong cơ quan thi hành án sớm giải quyết dứt điểm cho cụ." in page
    if role in MONITORS:  # the story page too
        page = client.get(f"/phan-loai/{seeded.hanoi_story}").text
        assert "1 bài đăng, video chia sẻ tin này" in page, page
        # … with the comments' tone (the one comment reads as neutral) and their timeline
        assert "Sắc thái của 1 bình luận đã đọc" in page, page
        assert "<td>0 (0%)</td><td>1 (100%)</td><td>0 (0%)</td>" in page, page
        assert 'aria-label="Bình luận theo giờ"' in page, page
        # … and the triage queue's row of the story says it in short
        queue = client.get("/phan-loai", params={"trang_thai": ALL_STATES, "tinh": "Hà Nội"}).text
        assert "MXH: 1 bình luận, 0% tiêu cực" in queue, queue
    if role in HANOI:  # the article page of a story lists the copies the role may see: all three here
        page = client.get(f"/bai-viet/{seeded.hanoi_copies[0]}").text
        assert all(f'href="/bai-viet/{i}"' in page for i in seeded.hanoi_copies[1:]), page
    # The other province's article is not found for those confined to Hà Nội, and found for the others.
    other = client.get(f"/bai-viet/{seeded.cantho_article}").status_code
    assert other == (200 if role in CANTHO else 404)
    # The downloads keep to the same scope: the case list and the search results.
    cases = client.get("/ho-so/xuat", params={"trang_thai": "tat-ca", "dinh_dang": "csv"}).text
    assert (f"/ho-so/{seeded.hanoi_case}\r\n" in cases) == (role in HANOI), cases
    found = client.get("/tim-kiem/xuat", params={"q": "thi hành án", "dinh_dang": "csv"}).text
    assert (f"/bai-viet/{seeded.cantho_article}," in found) == (role in CANTHO), found[:500]


def test_every_page_signed_out(seeded_site: SeededSite) -> None:
    client = seeded_site.site.client()
    seeded = seeded_site.seeded
    for path, (url, _) in expectations(seeded).items():
        got = client.get(url)
        if path in ("/dang-nhap", "/api/openapi.json") or path.startswith("/cong-thong-tin/"):
            assert got.status_code == 200, path
        elif path.startswith("/api/"):
            assert got.status_code == 401, path
        else:
            assert got.status_code == 303, path
            assert got.headers["location"].startswith("/dang-nhap"), path


# --- every action (POST) as every role ----------------------------------------------------------------------

FOCAL = frozenset({"admin", "dau_moi_own", "central_desk"})  # may acknowledge, respond, conclude Hà Nội's case
CASE_STAFF = frozenset({"admin", "monitor"})  # may assign, close, dismiss
DONE = frozenset({200, 303, 400, 409})  # let in: done, or refused for the case's state or the form
WRITERS = EVERYONE - {"leader", "leader_province"}  # may add the agency's own documents


PROFILE_FORM = {
    "name": "Đất đai ở Hà Nội",
    "unit": "so_tu_phap:Hà Nội",
    "query": '"đất đai" AND province:"Hà Nội"',
    "active": "on",
}


def actions(d: Seeded, cantho_story: int) -> list[tuple[str, dict[str, str], frozenset[str], bool]]:
    """(path, form, roles let in, scoped to Hà Nội's case). Case actions first, the triage's last (a monitor's
    triage changes the stories)."""
    case = f"/ho-so/{d.hanoi_case}"
    story = f"/phan-loai/{cantho_story}"
    relabel = {"relevant": "co", "topic": "khieu_nai_to_cao", "sentiment": "tieu_cuc", "province": "Cần Thơ"}
    return [
        (f"{case}/xac-nhan", {}, FOCAL, True),
        (d.ack_link, {}, frozenset({"dau_moi_other"}), False),
        (f"{case}/phan-hoi", {"kind": "bao_cao", "text": "Báo cáo kết quả xác minh."}, FOCAL, True),
        (f"{case}/ket-luan", {}, FOCAL, True),
        (f"{case}/phan-hoi/{d.response}/dang", {"title": "Cục THADS Hà Nội trả lời", "text": ""}, MONITORS, True),
        (f"{case}/phan-hoi/{d.response}/go", {"reason": "Đăng nhầm"}, MONITORS, True),
        (
            "/thong-cao",
            {
                "kind": "phat_ngon",
                "title": "Phát ngôn",
                "body": "Nội dung.",
                "ngay": "2026-11-17",
                "don_vi": "Cục",
                "tin": str(d.hanoi_story),
            },
            WRITERS,
            False,
        ),
        (f"{case}/giao", {"assignees": "daumoi.hanoi@thads.vn"}, CASE_STAFF, True),
        (f"{case}/dong", {"note": "Đã xong"}, CASE_STAFF, True),
        (f"{case}/loai", {"reason": "Trùng tin"}, CASE_STAFF, True),
        (f"/su-co/{d.incident}/hoat-dong", {"kind": "rebuttal", "text": "Bác bỏ thông tin sai."}, MANAGERS, False),
        (f"/su-co/{d.incident}/ket-thuc", {"summary": "Báo đã cải chính."}, MANAGERS, False),
        (
            "/su-co",
            {"title": "Sự cố mới", "severity": "low", "owner": "giamsat@cucthads.vn", "tin": str(d.hanoi_story)},
            MANAGERS,
            False,
        ),
        (f"/chu-de-theo-doi/{d.profile}/sua", PROFILE_FORM, ADMIN, False),
        ("/chu-de-theo-doi/moi", {**PROFILE_FORM, "code": "dat_dai_ha_noi"}, ADMIN, False),
        ("/tai-khoan/nhan-thu", {"digest": "on"}, EVERYONE, False),
        ("/tai-khoan/kenh", {"telegram_chat_id": "123456789", "immediate": "telegram"}, EVERYONE, False),
        ("/tai-khoan/nhan-tin", {"P2": "immediate", "P3": "hourly"}, EVERYONE, False),
        (f"/gan-nhan/{d.cantho_article}", {"field": "topic", "value": "khieu_nai_to_cao"}, MONITORS, False),
        (f"{story}/sua-nhan", relabel, MONITORS, False),
        (f"{story}/xac-nhan", {"priority": "P2"}, MONITORS, False),
        (f"{story}/gop", {"target": str(d.hanoi_story)}, MONITORS, False),
        (f"{story}/tach", {}, MONITORS, False),
        (f"{story}/loai", {"reason": "Không cần xử lý"}, MONITORS, False),
        ("/phan-loai/hang-loat", {"action": "su-co", "tin": str(cantho_story)}, MONITORS, False),
        ("/phan-loai/hang-loat", {"action": "loai", "reason": "Trùng tin", "tin": str(cantho_story)}, MONITORS, False),
    ]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_action_as_every_role(site: Site, role: str) -> None:
    seeded = seed(site)
    client = site.client()
    token = sign_in(client, ROLES[role])
    for path, form, allowed, scoped in actions(seeded, site.stories["cantho"].id):
        got = client.post(path, data={"csrf_token": token, **form})
        if role in allowed:
            assert got.status_code in DONE, f"{role} POST {path}: {got.status_code} {got.text[:300]}"
        else:
            expected = 404 if scoped and role == "dau_moi_other" else 403
            assert got.status_code == expected, f"{role} POST {path}: {got.status_code} {got.text[:300]}"
    api = client.post(
        f"/api/ho-so/{seeded.hanoi_case}/hanh-dong", json={"action": "close"}, headers={"X-CSRF-Token": token}
    )
    expected = {"admin": 200, "monitor": 200, "dau_moi_other": 404}.get(role, 403)
    assert api.status_code in ({200, 409} if expected == 200 else {expected}), (role, api.text)
    assert client.post("/dang-xuat", data={"csrf_token": token}).status_code == 303
    assert client.get("/ho-so").status_code == 303  # signed out
