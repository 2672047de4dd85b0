import pytest

from domain.matching import ArticleDoc, ProfileMatcher
from domain.watch_profiles import ProfileKind, parse_profiles, starter_profiles
from domain.yamlfile import FileError


def test_starters_cover_the_ten_areas_and_the_thads_watch() -> None:
    profiles = starter_profiles()
    assert sum(p.kind is ProfileKind.AREA for p in profiles) == 10
    assert [p.code for p in profiles if p.kind is ProfileKind.REFERENCE] == ["thads"]
    ProfileMatcher({p.code: p.query for p in profiles})  # every query compiles


def test_starters_match_an_enforcement_headline() -> None:
    matcher = ProfileMatcher({p.code: p.query for p in starter_profiles()})
    doc = ArticleDoc(
        title="Cục Thi hành án dân sự TP.HCM giảm giá du thuyền của bà Trương Mỹ Lan",
        text="Do lần đấu giá thứ nhất không có người tham gia, Cục Thi hành án dân sự TPHCM đã quyết định giảm giá.",
    )
    assert matcher.match(doc) == ["thi_hanh_an_dan_su", "thads"]


def test_an_unreadable_query_names_its_line() -> None:
    text = "profiles:\n  - code: a\n    name: A\n    query: >-\n      thi hành án AND\n"
    expected = r"^f\.yaml:4: trường profiles\.0\.query: truy vấn không đọc được: Thiếu từ sau AND ở vị trí 13"
    with pytest.raises(FileError, match=expected):
        parse_profiles(text, "f.yaml")
