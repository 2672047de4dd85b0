"""Pruning of an article body before text extraction: whole boxes out, never words out of a sentence.

Only block-level elements are removed (related-article boxes, share bars, captions, lists of linked
headlines, tag lines). An inline element among other words of its paragraph (a keyword linked to a tag page,
`<a class="related-link">ngân hàng</a>`) is never removed, and loses its class and id so that trafilatura's own
boilerplate rules cannot remove it either. Every removal is recorded with its reason (`Removal`) for
`thads-monitor extract --explain`.
"""

from __future__ import annotations

import re

from lxml import html

from crawler.lines import is_boiler_line
from crawler.removal import Reason, Removal

# Class/id words that mark boilerplate inside an article body. Stems match inside a word, short words whole.
_BOILER_STEMS = re.compile(
    r"relate|lienquan|lien-quan|xemthem|xem-them|docthem|comment|binhluan|binh-luan|share|social|"
    r"banner|quangcao|advert|newsletter|subscribe|recommend|readmore|read-more|sidebar|breadcrumb|"
    r"toolbar|pagination|footer|author|byline|othernews|newsother|other_news|other-news|tinkhac|tin-khac|"
    r"tincungmuc|cungchuyenmuc|cung-chuyen-muc|mostview|most-view|xemnhieu|docnhieu|capnhat|morenews|"
    r"rightsite|right-col|rightcol|col-right|colright|hotnews|hot-news|tieudiem|tieu-diem|tinnoibat",
    re.IGNORECASE,
)
_BOILER_WORDS = {"tag", "tags", "ads", "ad", "vote", "rating", "print", "video", "box-tin"}
_CAPTION_STEMS = re.compile(r"caption|chuthich|chu-thich|image_desc|desc_image|^image$|^photo$", re.IGNORECASE)
# Not <form>: ASP.NET pages wrap the whole page in one.
_PRUNE_TAGS = ("script", "style", "noscript", "iframe", "aside", "nav", "button", "select")
_INLINE = {
    "a", "abbr", "b", "big", "cite", "code", "del", "em", "font", "i", "ins", "mark", "q", "s", "small", "span",
    "strike", "strong", "sub", "sup", "time", "u",
}  # fmt: skip
_BLOCKS = {"p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article"}
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
MIN_BODY_CHARS = 400


def classes(node: html.HtmlElement) -> str:
    return f"{node.get('class', '')} {node.get('id', '')}".strip()


def paragraph_chars(node: html.HtmlElement) -> int:
    return sum(len(p.text_content()) for p in node.iter("p"))


def _is_boilerplate(node: html.HtmlElement) -> bool:
    marks = classes(node)
    if not marks:
        return False
    return bool(_BOILER_STEMS.search(marks)) or any(w.lower() in _BOILER_WORDS for w in marks.split())


def _words(text: str) -> str:
    return re.sub(r"\W+", "", text)


_TEXT_BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "dd", "dt"}
_HIDDEN = re.compile(r"display:\s*none|visibility:\s*hidden|(left|top|bottom|right):\s*-\d{3,}px", re.IGNORECASE)


def in_running_text(node: html.HtmlElement) -> bool:
    """An inline element inside a paragraph with other words around it: part of a sentence, never removed."""
    if not isinstance(node.tag, str) or node.tag not in _INLINE:
        return False
    block = next((a for a in node.iterancestors() if a.tag not in _INLINE), None)
    if block is None or block.tag not in _TEXT_BLOCKS:
        return False
    return len(_words(block.text_content())) > len(_words(node.text_content()))


def _protect_inline(body: html.HtmlElement) -> None:
    """Strip class and id from inline elements inside sentences, so no boilerplate rule can take their words."""
    for node in body.iter(*_INLINE):
        if (node.get("class") or node.get("id")) and in_running_text(node):
            node.attrib.pop("class", None)
            node.attrib.pop("id", None)


def _box_heading(node: html.HtmlElement) -> html.HtmlElement | None:
    """The short title just before a removed box, alone with it in its wrapper ("Các bài mới"): part of the box."""
    previous = node.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    if previous is None or len(previous.findall(".//p")) > 1:
        return None
    if previous.get("data-heading") is None and not previous.xpath(".//*[@data-heading]"):
        return None
    text = previous.text_content().strip()
    if not 0 < len(text) <= 60 or text.endswith((".", ":", ",")):
        return None
    # The title and the box are all their wrapper holds; a subheading of the article has prose around it.
    parent = node.getparent()
    others = [c for c in parent if c is not node and c is not previous] if parent is not None else []
    return previous if not any(isinstance(c.tag, str) and c.text_content().strip() for c in others) else None


def _divs_as_paragraphs(body: html.HtmlElement) -> None:
    """Old CMSs write paragraphs as <div>text<br></div>, and subheadings as <h2>/<h3>: make them <p> so that
    trafilatura keeps them as paragraphs of the text."""
    for div in body.iter("div"):
        if not any(isinstance(c.tag, str) and c.tag.lower() in _BLOCKS for c in div) and len(div.text_content()) > 80:
            div.tag = "p"
    for heading in body.iter(*_HEADINGS):
        if not any(isinstance(c.tag, str) and c.tag.lower() in _BLOCKS for c in heading) and heading.text_content():
            heading.set("data-heading", heading.tag)
            heading.tag = "p"


def _centred_italic(node: html.HtmlElement) -> bool:
    """A paragraph all in italics that is centred or holds the picture: how many Vietnamese CMSs set a caption."""
    style = (node.get("style") or "").replace(" ", "").lower()
    centred = node.get("align") == "center" or "text-align:center" in style
    with_picture = node.find(".//img") is not None and len(node.text_content().strip()) <= 250
    if node.tag not in ("p", "div") or not (centred or with_picture):
        return False
    text = node.text_content().strip()
    if "font-style:italic" in style:
        return bool(text)
    italic = "".join(
        e.text_content() for e in node.iter("em", "i", "span") if e.tag != "span" or "italic" in (e.get("style") or "")
    )
    return bool(text) and len(italic.strip()) >= 0.9 * len(text)


def _under_a_picture(node: html.HtmlElement) -> bool:
    """A short line right after a picture that repeats the picture's description (alt or title): its caption."""
    if node.tag not in ("p", "div"):
        return False
    previous = node.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    if previous is None or (previous.tag != "img" and previous.find(".//img") is None):
        return False
    text = " ".join(node.text_content().split())
    if not text or len(text) > 250 or previous.text_content().strip() or node.find(".//img") is not None:
        return False
    pictures = [previous] if previous.tag == "img" else previous.findall(".//img")
    described = {" ".join((p.get("alt") or p.get("title") or "").split()) for p in pictures}
    return text in described


def _beside_a_picture(table: html.HtmlElement) -> bool:
    """A layout row with the picture in one cell and text in the next: the text is the article's, not a caption."""
    for row in table.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        with_picture = [c for c in cells if c.find(".//img") is not None]
        if with_picture and any(c not in with_picture and c.text_content().strip() for c in cells):
            return True
    return False


def _is_caption(node: html.HtmlElement) -> bool:
    """A caption: marked as one, or a small block around a picture (the layout tables of older CMSs)."""
    if node.tag == "figcaption" or any(_CAPTION_STEMS.search(w) for w in classes(node).split()):
        return True
    if _centred_italic(node) or _under_a_picture(node):
        return True
    style = (node.get("style") or "").replace(" ", "").lower()
    if node.tag == "span" and "font-style:italic" in style and node.find(".//img") is not None:
        return 0 < len(node.text_content().strip()) <= 250  # an italic run around a picture, not in a sentence
    if node.tag == "table" and _beside_a_picture(node):
        return False
    if node.tag in ("table", "div") and node.find(".//img") is not None:
        text = node.text_content().strip()
        return 0 < len(text) <= 250 and len(node.findall(".//p")) <= 2
    return False


def _link_share(node: html.HtmlElement) -> float:
    text = len(_words(node.text_content()))
    return sum(len(_words(a.text_content())) for a in node.iter("a")) / text if text else 0.0


def _is_link_list(node: html.HtmlElement) -> bool:
    """A list of linked headlines (a sidebar) or a line of linked keywords (tags): every item is a link."""
    if node.tag in ("ul", "ol"):
        items = [li for li in node.iter("li") if _words(li.text_content())]
        return len(items) >= 2 and all(_link_share(li) >= 0.8 for li in items)
    if node.tag in ("p", "div") and node.find(".//a") is not None:
        if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in node):
            return False
        return len(node.findall(".//a")) >= 3 and _link_share(node) >= 0.8
    return False


def _linked_runs(body: html.HtmlElement) -> list[html.HtmlElement]:
    """Runs of two or more sibling blocks that are each one link and nothing else ("- <a>headline</a>")."""
    found: list[html.HtmlElement] = []
    for parent in body.iter():
        if len(parent) < 2:
            continue
        run: list[html.HtmlElement] = []
        for child in [*parent, None]:
            whole_link = (
                child is not None
                and isinstance(child.tag, str)
                and child.tag in ("p", "div", "li", "h3", "h4")
                and len(child.findall(".//a")) == 1
                and _link_share(child) >= 0.9
            )
            if whole_link:
                assert child is not None
                run.append(child)
                continue
            if len(run) >= 2:
                found.extend(run)
            run = []
    return found


def prune(
    body: html.HtmlElement,
    *,
    drop: list[html.HtmlElement],
    keep_out: list[tuple[html.HtmlElement, Reason]],
    trace: list[Removal] | None = None,
) -> None:
    """Remove boilerplate blocks; image captions too, unless they are the story (a photo story has no other text).

    `drop` comes from the outlet's rules, `keep_out` are the headline and lead, stored on their own.
    """
    headline = next((n for n, why in keep_out if why is Reason.HEADLINE), None)
    around_title = set(headline.iterancestors()) if headline is not None else set()
    doomed: list[tuple[html.HtmlElement, Reason, str]] = [(n, why, n.tag) for n, why in keep_out]
    doomed.extend((n, Reason.RULE, "") for n in drop)
    doomed.extend((n, Reason.NOT_CONTENT, n.tag) for n in body.iter(*_PRUNE_TAGS))
    doomed.extend(
        (n, Reason.NOT_CONTENT, "style") for n in body.xpath(".//*[@style]") if _HIDDEN.search(n.get("style"))
    )
    _divs_as_paragraphs(body)
    _protect_inline(body)
    captions: list[html.HtmlElement] = []
    total = paragraph_chars(body) or 1
    for node in body.iter():
        if node is body or not isinstance(node.tag, str):
            continue
        if node.tag in _INLINE and not (node.get("class") or node.get("id") or node.get("style")):
            continue  # an unmarked inline element: no rule below can take it
        if in_running_text(node):
            continue
        if _is_boilerplate(node):
            # A wrapper named after one of its boxes ("newsother" around the whole article) is not boilerplate.
            if paragraph_chars(node) < 0.5 * total:
                doomed.append((node, Reason.BOX, classes(node)))
        elif _is_caption(node):
            captions.append(node)
        elif _is_link_list(node):
            doomed.append((node, Reason.LINK_LIST, node.tag))
    doomed.extend((n, Reason.LINK_LIST, n.tag) for n in _linked_runs(body))
    boxes = [n for n, why, _ in doomed if why in (Reason.BOX, Reason.LINK_LIST)]
    doomed.extend((h, Reason.LINK_LIST, "tiêu đề hộp") for n in boxes if (h := _box_heading(n)) is not None)
    _remove(doomed, trace)
    caption_set = set(captions)
    prose: dict[html.HtmlElement, bool] = {}  # per context: captions of one article share it
    _remove(
        [
            (c, Reason.CAPTION, c.tag)
            for c in captions
            if not _tells_the_story(c, caption_set, around_title or {body}, prose) and _attached(c, body)
        ],
        trace,
    )


def _attached(node: html.HtmlElement, root: html.HtmlElement) -> bool:
    return node is root or any(a is root for a in node.iterancestors())


def _tells_the_story(
    caption: html.HtmlElement,
    captions: set[html.HtmlElement],
    around_title: set[html.HtmlElement],
    known: dict[html.HtmlElement, bool],
) -> bool:
    """In a photo story the captions are the text: keep a caption when the article around it has no prose.

    The article around it is its nearest ancestor that also holds the headline; `known` keeps the answer for each
    such article (it depends on the article and the set of captions only).
    """
    context = next((a for a in caption.iterancestors() if a in around_title), None)
    if context is None:
        return False
    if context not in known:
        known[context] = _lacks_prose(context, captions)
    return known[context]


def _lacks_prose(context: html.HtmlElement, captions: set[html.HtmlElement]) -> bool:
    paragraphs = list(context.iter("p"))
    prose = sum(
        len(text)
        for p in paragraphs
        if p not in captions
        and not any(a in captions for a in p.iterancestors())
        and not is_boiler_line(text := p.text_content().strip())
    )
    if not paragraphs:  # text written between <br>s (forums, old CMSs)
        inside = [c for c in captions if any(a is context for a in c.iterancestors())]
        prose = len(context.text_content().strip()) - sum(len(c.text_content().strip()) for c in inside)
    return prose < MIN_BODY_CHARS / 2


def _remove(doomed: list[tuple[html.HtmlElement, Reason, str]], trace: list[Removal] | None) -> None:
    seen: set[html.HtmlElement] = set()
    for node, reason, detail in doomed:
        parent = node.getparent()
        if parent is None or node in seen or any(a in seen for a in node.iterancestors()):
            continue
        seen.add(node)
        if trace is not None:
            text = " ".join(node.text_content().split())
            if text:
                trace.append(Removal(reason, text, detail, node.sourceline))
        node.drop_tree()  # the text after it stays where it was
