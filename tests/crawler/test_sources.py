"""The source registry: shipped file valid, user overrides merged, bad entries named by file, line, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sources import SourceError, load_registry, parse_registry, sync_registry
from storage.engine import Database
from storage.outlets import list_feeds, list_outlets


def test_shipped_registry_covers_the_outlets_of_the_press_rules() -> None:
    registry = load_registry()
    slugs = {o.slug for o in registry.outlets}
    assert len(slugs) >= 20
    assert {"baophapluat", "thads-portal", "moj-portal", "vnexpress", "tuoitre", "thanhnien", "dantri"} <= slugs
    portal = registry.get("thads-portal")
    assert portal is not None
    assert [f.kind for f in portal.feeds] == ["listing"]
    bplvn = registry.get("baophapluat")
    assert bplvn is not None
    assert bplvn.reach_tier == 1
    assert all(o.home_province for o in registry.outlets if o.kind == "local")
    assert registry.for_domain("dulich.vnexpress.net") is registry.get("vnexpress")


def test_user_file_overrides_by_slug(tmp_path: Path) -> None:
    own = tmp_path / "nguon.yaml"
    own.write_text(
        """outlets:
  - slug: vnexpress
    name: VnExpress
    domain: vnexpress.net
    kind: national
    enabled: false
  - slug: baothanhhoa
    name: Báo Thanh Hoá
    domain: baothanhhoa.vn
    kind: local
    home_province: Thanh Hoá
    feeds:
      - {url: "https://baothanhhoa.vn/rss/phap-luat.rss", kind: rss}
""",
        encoding="utf-8",
    )
    registry = load_registry(own)
    vne = registry.get("vnexpress")
    assert vne is not None
    assert not vne.enabled
    assert vne.feeds == ()
    local = registry.get("baothanhhoa")
    assert local is not None
    assert local.home_province == "Thanh Hóa"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("outlets:\n  - slug: x\n    name: [", r"nguon\.yaml:3: YAML không hợp lệ"),
        (
            "outlets:\n  - slug: bplvn\n    name: Báo\n    domain: baophapluat.vn\n    kind: national\n"
            "    feeds:\n      - url: https://baophapluat.vn/rss\n        kind: atom\n",
            r"nguon\.yaml:8: trường outlets\.0\.feeds\.0\.kind",
        ),
        (
            "outlets:\n  - slug: bao-a\n    name: Báo A\n    domain: a.vn\n    kind: local\n"
            "    home_province: Bình Dương\n",
            r"nguon\.yaml:6: trường outlets\.0\.home_province: 'Bình Dương' không phải một trong 34",
        ),
        (
            "outlets:\n  - slug: bao-b\n    name: Báo B\n    domain: b.vn\n    kind: national\n    feeds:\n"
            "      - {url: 'https://b.vn/', kind: listing, link_pattern: '(unclosed'}\n",
            r"nguon\.yaml:7: trường outlets\.0\.feeds\.0\.link_pattern: biểu thức chính quy không hợp lệ",
        ),
        ("outlets:\n  - slug: bao-c\n    nam: Báo C\n", r"nguon\.yaml:2: trường outlets\.0\.name"),
    ],
    ids=["bad-yaml", "bad-kind", "former-province", "bad-regex", "missing-name"],
)
def test_bad_entries_name_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_registry(text, "nguon.yaml")


def test_sync_writes_outlets_and_feeds(database: Database) -> None:
    registry = load_registry()
    with database.session() as s:
        stored = sync_registry(s, registry)
        again = sync_registry(s, registry)
    assert stored.keys() == again.keys()
    with database.session() as s:
        assert len(list_outlets(s)) == len(registry.outlets)
        assert len(list_feeds(s)) == sum(len(o.feeds) for o in registry.outlets)
