"""Every code users can meet has a Vietnamese name: states, actions, deadline kinds, responses, audit entries."""

from __future__ import annotations

import typing
import unicodedata

from alerts.cases import TRANSITIONS
from alerts.deadlines import Rule
from dashboards import labels
from dashboards.web.permissions import CASE_ACTIONS
from domain.provinces import PROVINCES


def test_every_code_has_a_vietnamese_name() -> None:
    assert set(labels.ACTION_VI) == set(TRANSITIONS) == set(CASE_ACTIONS)
    assert set(TRANSITIONS) <= set(labels.AUDIT_VI)
    kinds = typing.get_args(Rule.model_fields["kind"].annotation)
    assert all(labels.deadline_kind_vi(k)[0].isupper() and labels.deadline_kind_vi(k) != k for k in kinds)
    assert labels.response_vi("yeu_cau_cai_chinh") == "Yêu cầu cải chính"
    assert labels.response_choices()[0] == ("thong_tin_ban_dau", "Thông tin ban đầu")
    assert labels.triage_vi("pending") == "chờ phân loại"
    assert labels.deadline_status_vi("void") == "không còn áp dụng"
    names = [p for p, _ in labels.province_choices()[:-1]]
    assert set(names) == set(PROVINCES)
    assert names.index("Cao Bằng") < names.index("Đà Nẵng") < names.index("Gia Lai")  # Đ after D, in Vietnamese order
    assert labels.province_choices()[-1] == ("toan_quoc", "Toàn quốc")
    for name in [*labels.ACTION_VI.values(), *labels.AUDIT_VI.values(), *labels.FEED_STATE_VI.values()]:
        assert name == unicodedata.normalize("NFC", name)


def test_a_story_without_a_case_says_so() -> None:
    assert labels.priority_vi(None) == "Chưa có hồ sơ"
    assert labels.priority_vi("P2") == "Cần trả lời (P2)"
