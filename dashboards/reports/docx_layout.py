"""Layout of a Vietnamese administrative document with python-docx (Nghị định 30/2020/NĐ-CP, Phụ lục I):
A4 page and margins, Times New Roman, the header block (the bodies on the left, the national motto on the right,
the place and date), tables, hyperlinks, the "Nơi nhận" and signature block."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.font import Font
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 13
LINK_COLOUR = "0563C1"
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _font(font: Font, size: float, *, bold: bool | None = None) -> None:
    font.name = FONT
    font.size = Pt(size)
    font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        font.bold = bold
    fonts = font.element.get_or_add_rPr().get_or_add_rFonts()  # east Asian and complex scripts too
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    for theme in THEME_FONTS:  # a theme font wins over the named one: the headings would be in Calibri Light
        fonts.attrib.pop(qn(theme), None)


def _style(document: Document, name: str) -> ParagraphStyle:
    return cast(ParagraphStyle, document.styles[name])


def blank_document() -> Document:
    """A4 portrait, margins 2 / 2 / 3 / 2 cm, Times New Roman 13 pt, black bold headings."""
    document = new_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = _style(document, "Normal")
    _font(normal.font, BODY_PT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    for name, size in (("Heading 1", 13), ("Heading 2", 13), ("Title", 14)):
        style = _style(document, name)
        _font(style.font, size, bold=True)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(10)
        style.paragraph_format.space_after = Pt(4)
    return document


def text(
    paragraph: Paragraph, content: str, *, bold: bool = False, italic: bool = False, size: float | None = None
) -> Paragraph:
    run = paragraph.add_run(content)
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def centred(document: Document | _Cell, content: str, **style: object) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return text(paragraph, content, **style)  # type: ignore[arg-type]


def hyperlink(paragraph: Paragraph, url: str, content: str) -> None:
    """A clickable external link (python-docx has no API to write one)."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), LINK_COLOUR)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(colour)
    properties.append(underline)
    run.append(properties)
    body = OxmlElement("w:t")
    body.text = content
    body.set(qn("xml:space"), "preserve")
    run.append(body)
    link.append(run)
    paragraph._p.append(link)


def _rule(cell: _Cell, width: str) -> None:
    """The short line under the body's name and under the motto."""
    centred(cell, width, size=9)


def header_block(document: Document, *, parent: str, organisation: str, number: str, date_line: str) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.6), Cm(9.4)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    text(left.paragraphs[0], parent, size=12)
    centred(left, organisation, bold=True, size=12)
    _rule(left, "────────")
    centred(left, number, size=13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    text(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    centred(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _rule(right, "──────────────")
    centred(right, date_line, italic=True, size=13)


def grid(
    document: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_cm: Sequence[float],
    size: float = 11,
    bold_last: bool = False,
) -> Table:
    """A bordered table with a bold header row, in a smaller size than the body; its columns as wide as
    `widths_cm` say (a fixed layout: Word and LibreOffice otherwise share the width equally)."""
    table: Table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    _fixed_width(table, sum(widths_cm))
    for r, values in enumerate([headers, *rows]):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = Cm(widths_cm[c])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if c > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            bold = r == 0 or (bold_last and r == len(rows))
            text(paragraph, value, bold=bold, size=size)
    return table


def _fixed_width(table: Table, width_cm: float) -> None:
    """The table's preferred width, in twentieths of a point (python-docx has no API for it)."""
    properties = table._tbl.tblPr
    preferred = properties.find(qn("w:tblW"))
    if preferred is None:
        preferred = OxmlElement("w:tblW")
        properties.append(preferred)
    preferred.set(qn("w:w"), str(round(Cm(width_cm).twips)))
    preferred.set(qn("w:type"), "dxa")


def closing_block(document: Document, *, recipients: Sequence[str], signer_title: str, signer_name: str) -> None:
    """ "Nơi nhận" on the left, the signature block on the right."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8)
    first = left.paragraphs[0]
    text(first, "Nơi nhận:", bold=True, italic=True, size=12)
    first.paragraph_format.space_after = Pt(0)
    for i, recipient in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        text(paragraph, f"- {recipient}{end}", size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    text(right.paragraphs[0], signer_title, bold=True, size=13)
    for _ in range(4):
        centred(right, "")
    if signer_name:
        centred(right, signer_name, bold=True, size=13)
