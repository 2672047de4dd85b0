"""Properties of the extraction over every recorded page (issue 16: no word of a body paragraph is ever removed).

1. Every line of the extracted body is the page's own visible text, word for word after NFC (nothing rewritten,
   nothing stitched together that the page does not show in that order).
2. Every inline element's text inside a kept paragraph is kept.
3. Hypothesis: take a recorded page, a paragraph of its body (gold) and a run of its words, and mark that run up
   the way outlets link keywords (an anchor or span with a "related", "tag", "share"… class); every paragraph of
   the body still comes out whole.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from crawler.extract import extract
from tests.crawler.recorded import Gold, load_golds, missing, words

GOLDS = [g for g in load_golds() if g.paragraphs]
_CLASSES = ["related-link", "tag-related", "box-lienquan", "share", "social", "ads", "tags", "comment", "author"]


_INLINE = {"a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span", "strong"}
_INLINE |= {"sub", "sup", "time", "u"}


def _visible_words(tree: html.HtmlElement) -> str:
    """The page's words as a reader sees them: blocks and line breaks separate words, inline markup does not."""
    body = tree.find("body")
    assert body is not None
    for node in body.xpath(".//script|.//style|.//noscript"):
        node.drop_tree()
    parts: list[str] = []

    def walk(node: html.HtmlElement) -> None:
        block = not isinstance(node.tag, str) or node.tag not in _INLINE
        parts.append(" " if block else "")
        parts.append(node.text or "" if isinstance(node.tag, str) else "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        parts.append(" " if block else "")

    walk(body)
    return " " + " ".join(words("".join(parts))) + " "


def _tree(gold: Gold) -> html.HtmlElement:
    return html.document_fromstring(gold.html().decode("utf-8"))


@pytest.mark.parametrize("gold", GOLDS, ids=[g.name for g in GOLDS])
def test_every_extracted_line_is_the_pages_own_text(gold: Gold) -> None:
    got = extract(gold.html(), gold.url)
    visible = _visible_words(_tree(gold))
    for line in got.text.split("\n"):
        assert " " + " ".join(words(line)) + " " in visible, line
        assert unicodedata.is_normalized("NFC", line)


@pytest.mark.parametrize("gold", GOLDS, ids=[g.name for g in GOLDS])
def test_inline_text_of_kept_paragraphs_is_kept(gold: Gold) -> None:
    got = " " + " ".join(words(extract(gold.html(), gold.url).text)) + " "
    for block in _tree(gold).iter("p", "li", "td", "div"):
        text = " ".join(words(block.text_content()))
        if len(text) < 40 or " " + text + " " not in got:
            continue  # not a kept paragraph
        for inline in block.iter("a", "span", "strong", "b", "em", "i", "font"):
            inner = " ".join(words(inline.text_content()))
            if inner:
                assert inner in got, (inner, text[:80])  # a word may begin outside the element


def _paragraph_nodes(tree: html.HtmlElement, gold: Gold) -> list[html.HtmlElement]:
    """Elements of the page whose text is exactly one gold paragraph and which carry it as plain text."""
    targets = {" ".join(words(p)) for p in gold.paragraphs}
    return [
        node
        for node in tree.iter("p", "div", "span", "td", "li")
        if " ".join(words(node.text_content())) in targets and len((node.text or "").split()) >= 4
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_marked_up_run_of_words_is_never_removed(data: st.DataObject) -> None:
    gold = data.draw(st.sampled_from(GOLDS), label="page")
    tree = _tree(gold)
    nodes = _paragraph_nodes(tree, gold)
    if not nodes:
        return
    node = data.draw(st.sampled_from(nodes), label="paragraph")
    own = (node.text or "").split(" ")
    start = data.draw(st.integers(0, max(len(own) - 2, 0)), label="start")
    end = data.draw(st.integers(start + 1, min(start + 4, len(own))), label="end")
    tag = data.draw(st.sampled_from(["a", "span", "strong", "em"]), label="tag")
    marked = etree.SubElement(node, tag, {"class": data.draw(st.sampled_from(_CLASSES), label="class")})
    node.remove(marked)
    node.insert(0, marked)
    node.text, marked.text, marked.tail = (
        " ".join(own[:start]) + " ",
        " ".join(own[start:end]),
        " " + " ".join(own[end:]),
    )
    if tag == "a":
        marked.set("href", "/tag/" + re.sub(r"\W+", "-", marked.text or "x"))
    page = html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")
    got = extract(page, gold.url)
    assert missing(got.text + "\n" + got.lead, gold) == [], (gold.name, marked.text)
