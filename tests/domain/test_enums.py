"""The shared codes: every case state is open or finished, priorities sort P1 first, codes are their values."""

from __future__ import annotations

import json

from domain.enums import FINISHED_STATES, OPEN_STATES, CaseState, Priority, priority_rank


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
