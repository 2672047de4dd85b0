"""One taxonomy file names every code users meet: each topic the shipped models can output and each member of
the enums has exactly one Vietnamese name; a broken file is refused naming its line."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from importlib import resources

import pytest

from domain.enums import (
    CaseState,
    DeadlineStatus,
    IncidentActionKind,
    IncidentSeverity,
    IncidentState,
    NotificationKind,
    Priority,
    ResponseKind,
    Role,
    Sentiment,
    TriageState,
)
from domain.labels import (
    parse_taxonomy,
    priority_vi,
    province_vi,
    sentiment_vi,
    state_vi,
    taxonomy,
    topic_vi,
)
from domain.yamlfile import FileError
from nlp.classify import MODEL_DIR
from nlp.linear import LinearModel

SHIPPED = resources.files("domain").joinpath("taxonomy.yaml").read_text("utf-8")


def test_every_topic_and_tone_the_models_output_has_one_name() -> None:
    topics = LinearModel.load(MODEL_DIR / "topic").classes
    tones = LinearModel.load(MODEL_DIR / "sentiment").classes
    assert set(topics) <= set(taxonomy().topic_names)  # a topic added to the file waits for its examples
    assert len(topics) >= 10
    assert set(tones) == set(Sentiment) == set(taxonomy().sentiments)
    assert len(taxonomy().topics) == len(taxonomy().topic_names)  # no code twice


@pytest.mark.parametrize(
    ("enum", "field"),
    [
        (Sentiment, "sentiments"),
        (Priority, "priorities"),
        (CaseState, "states"),
        (TriageState, "triage"),
        (DeadlineStatus, "deadline_statuses"),
        (ResponseKind, "responses"),
        (Role, "roles"),
        (NotificationKind, "notifications"),
        (IncidentSeverity, "incident_severities"),
        (IncidentState, "incident_states"),
        (IncidentActionKind, "incident_actions"),
    ],
)
def test_every_enum_member_has_one_name(enum: type[StrEnum], field: str) -> None:
    shown: Mapping[str, str] = getattr(taxonomy(), field)
    assert list(shown) == list(enum)
    assert len(set(shown.values())) == len(shown)  # two codes never read the same
    for name in shown.values():
        assert name.strip() == name != ""
        assert name == unicodedata.normalize("NFC", name)


def test_names_as_users_read_them() -> None:
    assert topic_vi("tin_dung_ngan_hang") == "Thi hành án tín dụng, ngân hàng"
    assert priority_vi("P1") == "Khẩn (P1)"
    assert sentiment_vi("tieu_cuc") == "Tiêu cực"
    assert state_vi(CaseState.ASSIGNED) == "đã giao"
    assert province_vi("toan_quoc") == "Toàn quốc"
    assert province_vi("Thanh Hóa") == "Thanh Hóa"


def test_missing_values_show_the_one_placeholder() -> None:
    assert {topic_vi(None), sentiment_vi(None), province_vi(None), state_vi(None), priority_vi(None)} == {"—"}
    assert priority_vi(None, missing="Chưa có hồ sơ") == "Chưa có hồ sơ"


def test_a_new_topic_is_one_entry_in_the_file() -> None:
    entry = "  - code: an_ninh_mang\n    name: An ninh mạng\n"
    grown = parse_taxonomy(SHIPPED.replace("\nsentiments:", entry + "\nsentiments:"), "tệp thử")
    assert grown.topic_names["an_ninh_mang"] == "An ninh mạng"
    assert len(grown.topics) == len(taxonomy().topics) + 1


def test_a_code_named_twice_is_refused_with_its_line() -> None:
    text = SHIPPED.replace("  tich_cuc: Tích cực\n", "  tich_cuc: Tích cực\n  tieu_cuc: Xấu\n")
    line = text.splitlines().index("  tieu_cuc: Xấu") + 1
    with pytest.raises(FileError, match=f"^tệp thử:{line}: “tieu_cuc” có hai lần"):
        parse_taxonomy(text, "tệp thử")


def test_a_topic_code_twice_or_an_enum_member_without_a_name_is_refused() -> None:
    twice = SHIPPED.replace("  - code: khac\n", "  - code: dau_gia_tai_san\n")
    with pytest.raises(FileError, match="chủ đề có hơn một lần: dau_gia_tai_san"):
        parse_taxonomy(twice, "tệp thử")
    without = SHIPPED.replace("  leader: Lãnh đạo\n", "")
    with pytest.raises(FileError, match="roles thiếu tên cho: leader"):
        parse_taxonomy(without, "tệp thử")
