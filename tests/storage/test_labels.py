"""Every label value of the guide and the policy files has a Vietnamese name."""

from __future__ import annotations

import typing
import unicodedata

from alerts.priority import SENTIMENTS, TOPICS
from storage.labels import PRIORITY_VI, SENTIMENT_VI, TOPIC_VI, province_vi, sentiment_vi, topic_vi


def test_every_topic_and_sentiment_of_the_rules_has_a_vietnamese_name() -> None:
    assert set(TOPIC_VI) == set(typing.get_args(TOPICS))
    assert set(SENTIMENT_VI) == set(typing.get_args(SENTIMENTS))
    assert set(PRIORITY_VI) == {"P1", "P2", "P3"}
    for name in [*TOPIC_VI.values(), *SENTIMENT_VI.values()]:
        assert name == unicodedata.normalize("NFC", name)


def test_missing_values_show_a_dash() -> None:
    assert (topic_vi(None), sentiment_vi(None), province_vi(None)) == ("—", "—", "—")
    assert topic_vi("sai_pham_can_bo") == "Sai phạm của cán bộ, cơ quan"
    assert province_vi("toan_quoc") == "Toàn quốc"
    assert province_vi("Thanh Hóa") == "Thanh Hóa"
