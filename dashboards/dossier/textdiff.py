"""The change between two versions of an article's text, word by word, as unified diff text.

The standard unified form (`diff -u`, one word per line) that anyone can check with common tools; the dossier adds
beside it the case page's readable form (`domain.diff.word_diff`).
"""

from __future__ import annotations

import difflib


def text_changes(old: str, new: str, *, old_name: str, new_name: str) -> str:
    """Unified diff of the two texts with one word per line (paragraph breaks kept as "¶"); "" when equal."""
    if old == new:
        return ""
    lines = difflib.unified_diff(_words(old), _words(new), fromfile=old_name, tofile=new_name, lineterm="", n=8)
    return "\n".join(lines) + "\n"


def _words(text: str) -> list[str]:
    words: list[str] = []
    for number, paragraph in enumerate(text.split("\n")):
        if number:
            words.append("¶")
        words.extend(paragraph.split())
    return words
