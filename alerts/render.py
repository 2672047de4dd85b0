"""E-mail layout: Jinja2 templates of the package (alerts/templates), HTML autoescaped, styles inline.

Mail clients drop <style> blocks and never load remote files for strangers, so every style is an attribute
taken from STYLES and the messages reference nothing outside themselves.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

FONT = "font-family:Arial,Helvetica,sans-serif"
STYLES = {
    "body": f"margin:0;padding:0;background:#f3f4f6;{FONT};color:#1f2937",
    "frame": "width:100%;background:#f3f4f6;padding:16px 0",
    "card": "width:100%;max-width:680px;margin:0 auto;background:#ffffff;border:1px solid #d1d5db",
    "band": f"background:#8b1a1a;color:#ffffff;padding:14px 20px;font-size:13px;{FONT};letter-spacing:0.5px",
    "band_urgent": f"background:#b91c1c;color:#ffffff;padding:14px 20px;font-size:13px;{FONT};font-weight:bold",
    "content": f"padding:20px;{FONT};font-size:14px;line-height:1.5;color:#1f2937",
    "h1": f"margin:0 0 12px 0;font-size:20px;line-height:1.3;color:#111827;{FONT}",
    "h2": f"margin:24px 0 8px 0;font-size:16px;color:#111827;border-bottom:2px solid #e5e7eb;padding-bottom:4px;{FONT}",
    "h3": f"margin:14px 0 6px 0;font-size:14px;color:#374151;{FONT}",
    "p": "margin:0 0 10px 0",
    "muted": "color:#6b7280;font-size:12px",
    "label": "color:#6b7280;padding:4px 12px 4px 0;vertical-align:top;white-space:nowrap",
    "value": "padding:4px 0;vertical-align:top",
    "table": "width:100%;border-collapse:collapse;font-size:14px",
    "cell": "padding:6px 8px;border-top:1px solid #e5e7eb;vertical-align:top",
    "item": "padding:8px 0;border-top:1px solid #e5e7eb",
    "link": "color:#1d4ed8;text-decoration:underline",
    "title_link": "color:#111827;text-decoration:none;font-weight:bold",
    "button": (
        "display:inline-block;background:#8b1a1a;color:#ffffff;text-decoration:none;padding:10px 18px;"
        f"border-radius:4px;font-weight:bold;{FONT}"
    ),
    "overdue": "color:#b91c1c;font-weight:bold",
    "due": "color:#92400e",
    "footer": f"padding:14px 20px;background:#f9fafb;color:#6b7280;font-size:12px;{FONT};border-top:1px solid #e5e7eb",
}
BADGE = {"P1": "#b91c1c", "P2": "#b45309", "P3": "#1d4ed8", None: "#6b7280"}


def badge(priority: str | None) -> str:
    """Inline style of a priority badge."""
    colour = BADGE.get(priority, BADGE[None])
    return f"display:inline-block;background:{colour};color:#ffffff;padding:1px 6px;border-radius:3px;font-size:12px"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("alerts", "templates"),
        autoescape=select_autoescape(["html"]),  # .txt templates are plain text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(st=STYLES, badge=badge)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
