"""The shared codes: every case state is open or finished, priorities sort P1 first, codes are their values."""

from __future__ import annotations

import json

from domain.enums import (
    ANSWERED_STATUSES,
    FINISHED_STATES,
    OPEN_STATES,
    TRIAGED_STATES,
    WRITTEN_RESPONSES,
    CaseState,
    DeadlineStatus,
    Priority,
    ResponseKind,
    TriageState,
    priority_rank,
)


def test_every_state_is_open_or_finished_once() -> None:
    assert set(OPEN_STATES) | set(FINISHED_STATES) == set(CaseState)
    assert not set(OPEN_STATES) & set(FINISHED_STATES)
    assert [s.is_open for s in CaseState] == [True, True, True, True, False, False]


def test_priorities_sort_most_urgent_first_and_no_case_last() -> None:
    codes = ["P3", None, "P1", "P2"]
    assert sorted(codes, key=priority_rank) == ["P1", "P2", "P3", None]
    assert Priority.P1.rank < Priority.P2.rank < Priority.P3.rank


def test_a_member_is_its_code_in_text_json_and_comparisons() -> None:
    assert f"{CaseState.ACKNOWLEDGED}" == "acknowledged"
    assert json.dumps({"priority": Priority.P2}) == '{"priority": "P2"}'
    assert CaseState("dismissed") is CaseState.DISMISSED
    assert {"P1": "red"}[Priority.P1] == "red"


def test_triage_deadline_and_response_codes_are_the_stored_strings() -> None:
    # Stored as they were before the enums: no migration, old rows read back as members.
    assert [s.value for s in TriageState] == ["pending", "confirmed", "dismissed"]
    assert set(TRIAGED_STATES) == set(TriageState) - {TriageState.PENDING}
    assert [s.value for s in DeadlineStatus] == ["open", "met", "missed", "void"]
    assert set(ANSWERED_STATUSES) == {DeadlineStatus("met"), DeadlineStatus("missed")}
    assert [k.value for k in ResponseKind] == ["thong_tin_ban_dau", "van_ban_tra_loi", "yeu_cau_cai_chinh", "bao_cao"]
    assert set(WRITTEN_RESPONSES) <= set(ResponseKind)
    assert ResponseKind.BAO_CAO not in WRITTEN_RESPONSES
