"""A word-level diff of two versions of an article's text, readable by people: the words deleted and inserted,
the unchanged words between them shortened to a little context.

`word_diff(old, new)` returns a `WordDiff` record; the web page renders its parts (`WordDiff.shortened`) with its
own markup, e-mails and the evidence dossier use `as_text` or `as_html`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from html import escape
from typing import Literal

PartKind = Literal["same", "deleted", "inserted", "skipped"]
CONTEXT_WORDS = 8  # unchanged words kept on each side of a change


@dataclass(frozen=True, slots=True)
class DiffPart:
    """A run of words: unchanged, deleted, inserted, or unchanged and left out of a shortened diff (`skipped`)."""

    kind: PartKind
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class WordDiff:
    """Every word of the old and the new text, in order, as runs of unchanged, deleted and inserted words."""

    parts: tuple[DiffPart, ...]

    @property
    def changed(self) -> bool:
        return any(p.kind in ("deleted", "inserted") for p in self.parts)

    @property
    def deleted(self) -> int:
        """How many words were deleted."""
        return sum(len(p.words) for p in self.parts if p.kind == "deleted")

    @property
    def inserted(self) -> int:
        """How many words were inserted."""
        return sum(len(p.words) for p in self.parts if p.kind == "inserted")

    def shortened(self, context: int = CONTEXT_WORDS) -> tuple[DiffPart, ...]:
        """The parts with each long unchanged run cut to `context` words beside the changes (a `skipped` part
        stands for the words left out). A diff with no change is kept whole."""
        if not self.changed:
            return self.parts
        out: list[DiffPart] = []
        last = len(self.parts) - 1
        for i, part in enumerate(self.parts):
            if part.kind != "same":
                out.append(part)
                continue
            head = context if i > 0 else 0  # words after the previous change
            tail = context if i < last else 0  # words before the next change
            if len(part.words) <= head + tail:
                out.append(part)
                continue
            if head:
                out.append(DiffPart("same", part.words[:head]))
            out.append(DiffPart("skipped", part.words[head : len(part.words) - tail]))
            if tail:
                out.append(DiffPart("same", part.words[len(part.words) - tail :]))
        return tuple(out)

    def as_text(self, context: int = CONTEXT_WORDS) -> str:
        """Plain text: deleted words as `[-…-]`, inserted as `{+…+}`, left-out context as `…`."""
        marks = {"same": "{}", "deleted": "[-{}-]", "inserted": "{{+{}+}}", "skipped": "…"}
        return " ".join(marks[p.kind].format(p.text) for p in self.shortened(context))

    def as_html(self, context: int = CONTEXT_WORDS) -> str:
        """HTML (escaped): deleted words in `<del>`, inserted in `<ins>`, left-out context as `…`."""
        pieces: list[str] = []
        for part in self.shortened(context):
            if part.kind == "skipped":
                pieces.append(f'<span class="skipped" title="{len(part.words)} từ không đổi">…</span>')
            elif part.kind == "same":
                pieces.append(escape(part.text))
            else:
                tag = "del" if part.kind == "deleted" else "ins"
                pieces.append(f"<{tag}>{escape(part.text)}</{tag}>")
        return " ".join(pieces)


def word_diff(old: str, new: str) -> WordDiff:
    """The word-level difference between `old` and `new` (words are what white space separates)."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    parts: list[DiffPart] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("same", tuple(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("deleted", tuple(a[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("inserted", tuple(b[j1:j2])))
    return WordDiff(tuple(parts))
