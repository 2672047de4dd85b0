"""Social sources in the registry (`social:`): each kind with the field it needs, bad entries named by file, line
and field in Vietnamese, a user's entries merged over the shipped ones by slug."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sources import SourceError, load_registry, parse_registry
from domain.social import Platform, SocialSourceKind

GOOD = """\
social:
  - slug: fb-cuc-thads
    name: Trang Cục Quản lý THADS
    kind: facebook_page
    page_id: "104857600123456"
    own: true
  - slug: yt-thads
    name: Kênh Thi hành án dân sự
    kind: youtube_channel
    channel_id: UCa1b2c3d4e5f6g7h8i9j0kL
  - slug: yt-cuong-che
    name: Video về cưỡng chế
    kind: youtube_search
    terms: ["cưỡng chế thi hành án", "thi hành án dân sự"]
"""


def test_each_kind_is_read_with_its_field() -> None:
    social = parse_registry(GOOD, "nguon.yaml").social
    assert [(s.slug, s.kind) for s in social] == [
        ("fb-cuc-thads", SocialSourceKind.FACEBOOK_PAGE),
        ("yt-thads", SocialSourceKind.YOUTUBE_CHANNEL),
        ("yt-cuong-che", SocialSourceKind.YOUTUBE_SEARCH),
    ]
    assert [s.kind.platform for s in social] == [Platform.FACEBOOK, Platform.YOUTUBE, Platform.YOUTUBE]
    assert social[0].own
    assert social[2].terms == ("cưỡng chế thi hành án", "thi hành án dân sự")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('page_id: "104857600123456"', "note: thiếu"),
            "nguon.yaml:2: trường social.0: nguồn loại facebook_page cần mã Trang Facebook (page_id)",
        ),
        (
            ("kind: youtube_channel", "kind: tiktok"),
            "nguon.yaml:9: trường social.1.kind: loại nguồn 'tiktok' không có; dùng một trong: "
            "facebook_page, youtube_channel, youtube_search",
        ),
        (
            ("channel_id: UCa1b2c3d4e5f6g7h8i9j0kL", "channel_id: kenh-thads"),
            "nguon.yaml:10: trường social.1.channel_id: 'kenh-thads' không phải mã kênh YouTube "
            "(24 ký tự, bắt đầu bằng UC)",
        ),
        (
            ('terms: ["cưỡng chế thi hành án", "thi hành án dân sự"]', "terms: []"),
            "nguon.yaml:11: trường social.2: nguồn loại youtube_search cần từ khóa theo dõi (terms)",
        ),
        (
            ("    terms:", '    page_id: "1"\n    terms:'),
            "nguon.yaml:11: trường social.2: nguồn loại youtube_search không dùng trường page_id",
        ),
        (
            ('terms: ["cưỡng chế thi hành án", "thi hành án dân sự"]', 'terms: [" "]'),
            "nguon.yaml:11: trường social.2: từ khóa theo dõi không được để trống",
        ),
    ],
    ids=["no-page-id", "unknown-kind", "bad-channel-id", "no-terms", "field-of-another-kind", "blank-term"],
)
def test_a_bad_entry_is_named_by_file_line_and_field(change: tuple[str, str], message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_registry(GOOD.replace(*change), "nguon.yaml")
    assert str(caught.value) == message


def test_user_entries_merge_over_the_shipped_registry(tmp_path: Path) -> None:
    own = tmp_path / "nguon.yaml"
    own.write_text(GOOD, encoding="utf-8")
    registry = load_registry(own)
    assert len(registry.outlets) >= 20  # the shipped outlets stay
    assert [s.slug for s in registry.social] == ["fb-cuc-thads", "yt-thads", "yt-cuong-che"]
    only = load_registry(own, include_shipped=False)
    assert only.outlets == ()
