"""The priority rules name topics and tones of the one taxonomy: the shipped file does, a rule naming an unknown
topic is refused with its file and line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from alerts.priority import PriorityRules
from domain.labels import taxonomy
from domain.yamlfile import FileError

SHIPPED = resources.files("alerts").joinpath("policy/priority.yaml").read_text("utf-8")


def test_the_shipped_rules_name_only_topics_of_the_taxonomy() -> None:
    rules = PriorityRules.load().rules
    named = {t for rule in rules for t in rule.when.topics or ()}
    assert named
    assert named <= set(taxonomy().topic_names)


def test_a_rule_naming_an_unknown_topic_is_refused_with_its_line(tmp_path: Path) -> None:
    text = SHIPPED.replace("topics: [sai_pham_can_bo]", "topics: [sai_pham_can_bo, an_ninh_mang]", 1)
    assert text != SHIPPED
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "an_ninh_mang" in row)
    path = tmp_path / "priority.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError, match=rf"priority.yaml:{line}: .*an_ninh_mang"):
        PriorityRules.load(path)
