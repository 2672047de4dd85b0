"""The query language on real articles: 30 news items of January–February 2026 (read from ../shared/corpus at
test time), each query's expected matches checked by reading the articles; parse errors with their positions;
and the same results after the articles went through storage on SQLite and PostgreSQL."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.matching import ArticleDoc, ProfileMatcher, compile_query
from domain.query import And, Not, ParseError, Scope, Term, parse_query
from domain.records import Article, Outlet, OutletKind
from storage.articles import add_article, get_article
from storage.engine import Database
from storage.outlets import outlet_by_id, upsert_outlet
from tests.conftest import shared_path

# news2026:<md5>, abbreviated to the first 8 hex digits below (unique in the sample).
IDS = (
    "c94d345173b3f23a4067ac4239361620",  # Du thuyền của bà Trương Mỹ Lan được rao bán (Cục THADS TPHCM, đấu giá)
    "afcae949b677da7c02007936172a5695",  # Trung Quốc thi hành án tử hình với 4 trùm lừa đảo
    "1ba628fdc85f59e722ae71e2b9cf9551",  # Thông điệp của Trung Quốc khi tử hình 11 thành viên gia tộc lừa đảo
    "752cd9e66ef3b55a2d0ac4ca4f387fd2",  # Bộ Công an … vụ án Shark Thủy ("giai đoạn thi hành án")
    "1821b60ead46581771db97b8f3bababe",  # Những trường hợp sẽ bị cưỡng chế thuế (kê biên, đấu giá, phá sản)
    "33ae86e71a012115bbe982515eb2072b",  # Lời khai của TGĐ Quốc Cường Gia Lai
    "8f0c69f0feef8c4fd1b8a1d60b22fd03",  # chưa ly hôn vẫn được đăng ký kết hôn ("cán bộ Tư pháp - Hộ tịch")
    "65a715a58d12d1c163609634ef5f98be",  # Sổ đỏ chính thức xuất hiện trên ứng dụng VNeID
    "1e68f3da43773c8a038422d0c28db6d7",  # người dân Hà Nội làm thủ tục thuế tại 31 điểm hành chính công
    "fba42ab9d77ebd3bf9593e8781d9b679",  # Miền Bắc bước vào đợt rét đậm ("Thanh Hoá")
    "0ed9d205063e034c5dc91679e71c1943",  # Miền Bắc đón 3 đợt không khí lạnh ("Thanh Hoá")
    "b8e3e5babaade6092b45d3f0b8511412",  # Trung tâm hội nghị 160 tỉ đồng ở Thanh Hóa (COVID-19)
    "fe67b6b85457cb92c16c691b583be927",  # Đóng cửa bãi rác Sầm Sơn
    "8d05ee1b9b27347cc58ebfe728b2b94d",  # Hầm chui nút giao An Phú ("Đồ họa: Khánh Hoàng")
    "f7f263bda63f8ffb3aee0c53ed9b9b3e",  # Trụ sở hành chính tỉnh … ở Nha Trang (Khánh Hòa)
    "44719477782846101e328bb67b64902f",  # Triển lãm ảnh về cuộc đời bà Nguyễn Thị Bình
    "c34afc98d3f0d8389e7ed2ce3e7db868",  # Việt Nam quan ngại về việc Mỹ áp thuế … Cuba
    "7e7606d2760072c0b4745ae4b75ec518",  # Hộ kinh doanh phải dùng tài khoản ngân hàng (dự thảo Nghị định)
    "923c9755b26ff464d0086381a0499885",  # Bắt buộc dùng xăng E5, E10 (dự thảo nghị định)
    "706af19d94bd34465e77086253a380cd",  # Chấm dứt 'đứng tên hộ' … an toàn thực phẩm
    "4d6c9802679b18c2801c5b9f9e16b289",  # phân cấp địa phương kiểm tra thực phẩm nhập khẩu
    "c3a5206a8bab4aa9b9de49433a72e4b3",  # tuyển sinh lớp 1, lớp 6 (giấy khai sinh, VNeID)
    "1d040a9b2157044a9aae672830ddfc0b",  # Bộ Tư pháp Mỹ thu hồi loạt ảnh … Epstein
    "1480a1ada69693bf80df905cee938f85",  # Chung cư cũ xuống cấp
    "f503fb8c58e9d639e0441e6dfa4a4f14",  # Cha chết, con bị thương do nổ bình gas
    "e072eafde1f0ce807fdb3656516ff172",  # Ông Trump kiện Bộ Tài chính Mỹ
    "25d752d21c33046f5876db955b51fb31",  # du lịch Việt Nam được dự báo bùng nổ (COVID-19)
    "b60a0578935b79029619c5d2fb9789a0",  # Ông Trump tin Iran muốn đạt thỏa thuận với Mỹ
    "dff11f1d6b36c20ea83374047a5b2035",  # Cặp ghế … nhà Biden - Carter được đấu giá
    "0506ef9793175a20eac76dfec1e379fd",  # Bể ngầm giúp chống ngập cho Hà Nội
)
ALL = {i[:8] for i in IDS}

# Query → the articles it matches (8-digit ids), each checked by reading the article.
CASES: list[tuple[str, set[str]]] = [
    # Phrases, with or without marks; the THADS matters (and the Chinese executions the watch must not take).
    ('"thi hành án"', {"c94d3451", "afcae949", "1ba628fd", "752cd9e6"}),
    ('"thi hanh an"', {"c94d3451", "afcae949", "1ba628fd", "752cd9e6"}),
    ('"THI HÀNH ÁN"', {"c94d3451", "afcae949", "1ba628fd", "752cd9e6"}),
    ('"thi hành án" NOT "tử hình"', {"c94d3451", "752cd9e6"}),
    ('"thi hành án" -"tử hình"', {"c94d3451", "752cd9e6"}),
    ('"thi hành án dân sự"', {"c94d3451"}),
    ('title:"thi hành án"', {"afcae949"}),
    # Tone placement and diacritics: Thanh Hoá (new style) = Thanh Hóa; exact mode wants the marks.
    ('"Thanh Hóa"', {"fba42ab9", "0ed9d205", "b8e3e5ba", "fe67b6b8"}),
    ('"Thanh Hoá"', {"fba42ab9", "0ed9d205", "b8e3e5ba", "fe67b6b8"}),
    ('"thanh hoa"', {"fba42ab9", "0ed9d205", "b8e3e5ba", "fe67b6b8"}),
    ('="Thanh Hóa"', {"fba42ab9", "0ed9d205", "b8e3e5ba", "fe67b6b8"}),
    ('="Thanh Hoá"', {"fba42ab9", "0ed9d205", "b8e3e5ba", "fe67b6b8"}),
    ('="thanh hoa"', set()),
    ('exact:"thanh hoa"', set()),
    ("thỏa", {"33ae86e7", "44719477", "1480a1ad", "b60a0578"}),
    ("thoả", {"33ae86e7", "44719477", "1480a1ad", "b60a0578"}),
    ("thoa", {"33ae86e7", "44719477", "1480a1ad", "b60a0578"}),
    ("=thỏa", {"33ae86e7", "44719477", "1480a1ad", "b60a0578"}),
    ("=thoa", set()),
    ('="thỏa thuận"', {"33ae86e7", "44719477", "b60a0578"}),
    ('="thoả thuận"', {"33ae86e7", "44719477", "b60a0578"}),
    ('"Khánh Hòa"', {"f7f263bd"}),  # not "Đồ họa: Khánh Hoàng" in 8d05ee1b
    ('exact:("Thanh Hoá" OR "Khánh Hoà")', {"fba42ab9", "0ed9d205", "b8e3e5ba", "fe67b6b8", "f7f263bd"}),
    # Provinces: any name, with or without diacritics; not enriched, an article concerns those it names.
    ('province:"Khánh Hòa"', {"f7f263bd"}),
    ('province:"khanh hoa"', {"f7f263bd"}),
    ("province:khanhhoa", {"f7f263bd"}),
    ('province:"Thanh Hoa"', {"fba42ab9", "0ed9d205", "b8e3e5ba", "fe67b6b8"}),
    ('province:"Gia Lai"', {"33ae86e7", "fba42ab9", "0ed9d205"}),
    ('province:"Thanh Hóa" "trung tâm hội nghị"', {"b8e3e5ba"}),
    # Outlets by slug, name or domain.
    ("outlet:dantri", {"c94d3451", "1e68f3da", "923c9755", "25d752d2"}),
    ('outlet:"dantri.com.vn"', {"c94d3451", "1e68f3da", "923c9755", "25d752d2"}),
    ('outlet:vnexpress "Bộ Tư pháp"', {"1d040a9b", "e072eafd"}),
    ('outlet:24h "thi hành án"', {"752cd9e6"}),
    # "cán bộ Tư pháp - Hộ tịch" is also the three words bộ tư pháp: phrases ignore case and punctuation.
    ('"Bộ Tư pháp"', {"8f0c69f0", "1d040a9b", "e072eafd"}),
    ('"Bộ Tư pháp" -Mỹ', {"8f0c69f0"}),
    ('"tư pháp"', {"8f0c69f0", "44719477", "1d040a9b", "e072eafd"}),
    ('"hộ tịch"', {"8f0c69f0"}),
    (
        "hộ tịch",
        ALL
        - {"c94d3451", "1821b60e", "33ae86e7", "1e68f3da", "fba42ab9", "0ed9d205", "b8e3e5ba", "8d05ee1b"}
        - {"c34afc98", "7e7606d2", "923c9755", "706af19d", "4d6c9802", "1d040a9b", "f503fb8c", "e072eafd"}
        - {"b60a0578", "dff11f1d"},
    ),  # two words anywhere: "chủ tịch" and "hộ" are everywhere
    # Boolean operators, implicit AND, precedence.
    ('"đấu giá"', {"c94d3451", "1ba628fd", "1821b60e", "33ae86e7", "1480a1ad", "dff11f1d"}),
    ('"đấu giá" OR "phá sản"', {"c94d3451", "1ba628fd", "1821b60e", "33ae86e7", "1480a1ad", "dff11f1d"}),
    ('"đấu giá" AND "phá sản"', {"1821b60e"}),
    ('"đấu giá" "phá sản"', {"1821b60e"}),
    ('("đấu giá" OR "phá sản") NOT thuế', {"c94d3451", "1ba628fd", "33ae86e7", "dff11f1d"}),
    ('"phá sản" OR "đấu giá" AND Biden', {"1821b60e", "dff11f1d"}),  # AND before OR
    ('("phá sản" OR "đấu giá") AND Biden', {"dff11f1d"}),
    ('NOT "đấu giá" AND "cưỡng chế"', set()),  # NOT before AND: both "cưỡng chế" articles hold "đấu giá"
    # Two words anywhere, folded: "tăng cường … hạn chế" (706af19d), "cưỡng bức … che phủ" (0506ef97).
    ('NOT "đấu giá" AND cưỡng chế', {"706af19d", "0506ef97"}),
    ('NOT "đấu giá" AND exact:(cưỡng chế)', set()),  # exact: "cường" ≠ cưỡng, "che" ≠ chế
    ("Trump -Iran", {"1d040a9b", "e072eafd"}),
    ("Trump AND NOT (Iran OR Epstein)", {"e072eafd"}),
    ('"đối ngoại"', {"44719477", "c34afc98"}),
    ('"đối ngoại" NOT Mỹ', set()),
    ('"rét đậm" OR "không khí lạnh"', {"fba42ab9", "0ed9d205"}),
    (
        'NOT "Hà Nội"',
        ALL
        - {"752cd9e6", "1e68f3da", "fba42ab9", "0ed9d205", "f7f263bd", "7e7606d2", "923c9755"}
        - {"706af19d", "1480a1ad", "0506ef97"},
    ),
    # Fields.
    ('title:"cưỡng chế"', {"1821b60e"}),
    ("title:(ly hôn)", {"8f0c69f0"}),
    ('title:"Hà Nội"', {"1e68f3da", "0506ef97"}),
    (
        '"Hà Nội" AND NOT title:"Hà Nội"',
        {"752cd9e6", "fba42ab9", "0ed9d205", "f7f263bd", "7e7606d2", "923c9755"} | {"706af19d", "1480a1ad"},
    ),
    # NEAR: at most n words between, either order, phrases as one unit.
    ("cưỡng NEAR/1 thuế", {"1821b60e"}),
    ('"cưỡng chế" NEAR/3 thuế', {"1821b60e"}),
    ('"tử hình" NEAR/5 "lừa đảo"', {"afcae949", "1ba628fd"}),  # "tử hình 11 thành viên gia tộc lừa đảo"
    ('"tử hình" NEAR/3 "lừa đảo"', {"afcae949"}),  # "tử hình với 4 trùm lừa đảo"
    ('"lừa đảo" NEAR/3 "tử hình"', {"afcae949"}),
    ('"tử hình" NEAR/2 "lừa đảo"', set()),
    ('"dự thảo" NEAR/10 "nghị định"', {"7e7606d2", "923c9755"}),
    ('"dịch vụ công" NEAR/2 "trực tuyến"', {"65a715a5", "1e68f3da"}),
    # Prefixes (folded unless exact: hà* also takes hành).
    ("covid*", {"b8e3e5ba", "25d752d2"}),
    ("Iran AND thỏa*", {"b60a0578"}),
    ("title:Hà*", {"afcae949", "1e68f3da", "8d05ee1b", "f7f263bd", "7e7606d2", "0506ef97"}),
    ("title:=Hà*", {"afcae949", "1e68f3da", "f7f263bd", "7e7606d2", "0506ef97"}),  # hành, not Hầm (8d05ee1b)
    ('"dịch bệnh"', {"b8e3e5ba", "dff11f1d", "0506ef97"}),
    ('VNeID OR "giấy khai sinh"', {"65a715a5", "c3a5206a"}),
    ('"thực phẩm" AND (kiểm tra OR "thẩm định")', {"706af19d", "4d6c9802"}),
]


@functools.cache
def corpus_rows() -> dict[str, dict[str, Any]]:
    wanted = {f"news2026:{i}" for i in IDS}
    rows: dict[str, dict[str, Any]] = {}
    with gzip.open(shared_path("corpus", "news-2026-sample.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["id"] in wanted:
                rows[row["id"].removeprefix("news2026:")[:8]] = row
    assert len(rows) == len(IDS)
    return rows


@functools.cache
def docs() -> dict[str, ArticleDoc]:
    return {
        key: ArticleDoc(title=row["title"], sapo=row["summary"], text=row["text"], outlet=(row["outlet"],))
        for key, row in corpus_rows().items()
    }


def matching(query: str, articles: dict[str, ArticleDoc]) -> set[str]:
    compiled = compile_query(query)
    return {key for key, doc in articles.items() if compiled.matches(doc)}


def test_enough_cases() -> None:
    assert len(CASES) >= 60
    assert len({q for q, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[q for q, _ in CASES])
def test_query_on_real_articles(query: str, expected: set[str]) -> None:
    assert matching(query, docs()) == expected


def test_profile_matcher_agrees_with_each_query() -> None:
    """The anchor index only skips profiles that cannot match: the matcher gives each query's own result."""
    matcher = ProfileMatcher({query: query for query, _ in CASES})
    found: dict[str, set[str]] = {query: set() for query, _ in CASES}
    for key, doc in docs().items():
        for query in matcher.match(doc):
            found[query].add(key)
    assert found == {query: expected for query, expected in CASES}


def test_anchors_skip_profiles() -> None:
    matcher = ProfileMatcher({"thads": '"thi hành án"', "vneid": "VNeID", "not": 'NOT "Hà Nội"'})
    doc = docs()["fe67b6b8"]  # neither phrase nor the word
    assert {matcher.ids[n] for n in matcher.candidates(doc)} == {"not"}
    assert matcher.match(doc) == ["not"]


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("thi NOT", "Thiếu từ sau NOT ở vị trí 5", 5),
        ('("thi hành án" OR cưỡng chế', "Thiếu dấu ngoặc đóng ở vị trí 28 (ngoặc mở ở vị trí 1)", 28),
        ('"thi hành án" AND "kê biên', "Dấu ngoặc kép chưa đóng (mở ở vị trí 19)", 19),
        ("thi hành án)", "Dấu ngoặc đóng thừa ở vị trí 12", 12),
        ("OR thi", "Thiếu từ trước OR ở vị trí 1", 1),
        ("thi AND", "Thiếu từ sau AND ở vị trí 5", 5),
        ("thi OR (án)", None, 0),
        ("a NEAR/0 b", "Khoảng cách sau NEAR/ phải là số từ 1 đến 100 ở vị trí 3", 3),
        ("a NEAR/x b", "Khoảng cách sau NEAR/ phải là số từ 1 đến 100 ở vị trí 3", 3),
        ("(a OR b) NEAR/3 c", "NEAR chỉ nối hai từ hoặc cụm từ (vị trí 10)", 10),
        ("thi ()", "Cặp ngoặc rỗng ở vị trí 5", 5),
        ('thi ""', "Cụm từ rỗng ở vị trí 5", 5),
        ("ngày:2026", "Trường “ngày” không được hỗ trợ ở vị trí 1 (chỉ có title:, outlet:, province:, exact:)", 1),
        ("province:Gotham", "Không có tỉnh, thành phố “Gotham” (vị trí 10)", 10),
        ("title:", "Thiếu giá trị sau title: ở vị trí 1", 1),
        ("án t*", "Tiền tố trước * cần ít nhất 2 chữ (vị trí 5)", 5),
        ("án *thi", "Dấu * chỉ đặt ngay sau một từ (vị trí 4)", 4),
        ("", "Truy vấn rỗng", 1),
        ("thi -", "Thiếu từ sau dấu trừ ở vị trí 5", 5),
        ("án = thi", "Thiếu từ sau dấu = ở vị trí 4", 4),
        ("án - -", "Thiếu từ sau dấu trừ ở vị trí 4", 4),
        ("(thi -)", "Thiếu từ sau dấu trừ ở vị trí 6", 6),
        ("outlet:(title:a)", "Không thể đặt title: bên trong outlet: (vị trí 9)", 9),
    ],
)
def test_parse_errors(query: str, message: str | None, position: int) -> None:
    if message is None:  # readable after all
        parse_query(query)
        return
    with pytest.raises(ParseError) as caught:
        parse_query(query)
    assert str(caught.value) == message
    assert caught.value.position == position


def test_tree() -> None:
    tree = parse_query('title:thi* -"hình sự"')
    assert isinstance(tree, And)
    first, second = tree.items
    assert isinstance(first, Term)
    assert first.scope is Scope.TITLE
    assert first.words[0].prefix
    assert isinstance(second, Not)
    assert isinstance(second.item, Term)
    assert len(second.item.words) == 2


@pytest.fixture
def stored(database: Database) -> dict[str, ArticleDoc]:
    """The 30 articles written through storage and read back, as the matcher will see them."""
    ids: dict[str, int] = {}
    with database.session() as session:
        for key, row in corpus_rows().items():
            domain = row["outlet"]
            outlet = upsert_outlet(
                session, Outlet(slug=domain.split(".")[0], name=domain, domain=domain, kind=OutletKind.NATIONAL)
            )
            assert outlet.id is not None
            article, _ = add_article(
                session,
                Article(
                    outlet_id=outlet.id,
                    url=row["url"],
                    title=row["title"],
                    sapo=row["summary"],
                    text=row["text"],
                    content_hash=hashlib.sha256(row["text"].encode()).hexdigest(),
                    fetched_at=datetime(2026, 2, 3, tzinfo=UTC),
                ),
            )
            assert article.id is not None
            ids[key] = article.id
    out: dict[str, ArticleDoc] = {}
    with database.session() as session:
        for key, article_id in ids.items():
            back = get_article(session, article_id)
            assert back is not None
            source = outlet_by_id(session, back.outlet_id)
            assert source is not None
            out[key] = ArticleDoc(
                title=back.title,
                sapo=back.sapo,
                text=back.text,
                outlet=(source.slug, source.name, source.domain),
            )
    return out


def test_same_results_after_storage(stored: dict[str, ArticleDoc]) -> None:
    for query, expected in CASES:
        assert matching(query, stored) == expected, query
