"""Visible text of an HTML page: scripts, styles and page chrome elements dropped."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
              "iframe", "svg", "button", "select"]  # fmt: skip
_BLOCK_GAPS = re.compile(r"\n\s*\n+")
_SITE_SEPARATOR = re.compile(r"[_|]|(?<=\s)-(?=\s)")
# Server-side template code left in a saved page (`<?php $url = Yii::app()->theme->baseUrl; ?>`):
# the HTML parser ends it at its first `>` (`->`), and the rest would read as the first line of text.
_SERVER_CODE = re.compile(r"<\?(?:php|=).*?(?:\?>|\Z)|<%.*?(?:%>|\Z)", re.S | re.I)


def html_to_text(html: str) -> str:
    """One line per block of text, blank lines collapsed; the headline first when the page has one."""
    soup = BeautifulSoup(_SERVER_CODE.sub("", html), "html.parser")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    title = _page_title(soup)
    body = soup.body or soup
    lines = [line.strip() for line in body.get_text("\n").splitlines()]
    text = _BLOCK_GAPS.sub("\n\n", "\n".join(lines)).strip()
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text + "\n"


def _page_title(soup: BeautifulSoup) -> str:
    for node in (soup.find("h1"), soup.find("title")):
        if node and node.get_text(strip=True):
            # `标题_某某网` / `标题 - 某某政府网`: the site name is navigation, not the headline.
            return _before_site_name(node.get_text(strip=True))
    return ""


def _before_site_name(title: str) -> str:
    """`title` up to its first `_`, `|` or spaced ` - `; one scan (splitting on `\s*[_|]\s*` tried
    every position of a long run of spaces, quadratic)."""
    separator = _SITE_SEPARATOR.search(title)
    return title[: separator.start()].rstrip() if separator else title
