"""E-mail layout: Jinja2 templates of the package (alerts/templates), HTML autoescaped, styles inline.

The templates name their styles by class; the stylesheet is alerts/templates/mail.css. Mail clients drop <style>
blocks and never load remote files for strangers, so an HTML message gets each rule written into the style
attribute of the elements it applies to (css_inline) and references nothing outside itself.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

STYLESHEET = "mail.css"


@functools.cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("alerts", "templates"),
        autoescape=select_autoescape(["html"]),  # .txt templates are plain text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def inliner() -> css_inline.CSSInliner:
    css = resources.files("alerts").joinpath("templates", STYLESHEET).read_text("utf-8")
    return css_inline.CSSInliner(extra_css=css, load_remote_stylesheets=False, keep_style_tags=False)


def render(template: str, **context: Any) -> str:
    text = environment().get_template(template).render(**context)
    return inliner().inline(text) if template.endswith(".html") else text
