"""What the Word memo needs that python-docx has no API for, each an element or two built through
python-docx's own `OxmlElement`/`qn` (no XML text): the East Asian font and language of a style,
a bookmark, and a link to a bookmark inside the document.
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run


def set_east_asian_font(style: BaseStyle, font: str) -> None:
    """Name `font` for the style's East Asian text (`w:eastAsia`); python-docx's `font.name` sets
    only the Latin faces. The theme reference the default template puts there would win, so it goes."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)


def set_east_asian_language(style: BaseStyle, language: str) -> None:
    """Mark the style's East Asian text as `language` (`zh-CN`), so a renderer that substitutes
    the named font picks a Chinese face, not a Japanese one, and spelling tools know the language.
    Call after `set_east_asian_font`: `w:lang` must follow `w:rFonts` in the run properties."""
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), language)


def bookmark_name(anchor: str) -> str:
    """Word bookmark names take letters, digits and `_`, start with a letter, at most 40 characters."""
    return ("m_" + re.sub(r"\W", "_", anchor, flags=re.ASCII))[:40]


def add_bookmark(paragraph: Paragraph, anchor: str, bookmark_id: int) -> None:
    """Put the bookmark `anchor` where the paragraph ends so far: call it before adding runs to
    mark the paragraph's start (`bookmark_id` must be unique in the document)."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), bookmark_name(anchor))
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.append(start)
    paragraph._p.append(end)


def add_internal_link(paragraph: Paragraph, text: str, anchor: str) -> Run:
    """Append `text` as a link to the bookmark `anchor`; the run is returned for formatting."""
    run = paragraph.add_run(text)
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name(anchor))
    link.append(run._r)  # moves the run from the paragraph into the link
    paragraph._p.append(link)
    return run


# Characters XML 1.0 cannot hold; lxml refuses them, so they are dropped from text.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)
