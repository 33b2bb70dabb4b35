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


def html_to_text(html: str) -> tuple[str, str | None]:
    """One line per block of text, blank lines collapsed, the headline first when the page has one;
    and the site's name where the page gives it (the publisher when the text prints none)."""
    soup = BeautifulSoup(_SERVER_CODE.sub("", html), "html.parser")
    site = _site_name(soup)
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    title = _page_title(soup)
    body = soup.body or soup
    lines = [line.strip() for line in body.get_text("\n").splitlines()]
    text = _BLOCK_GAPS.sub("\n\n", "\n".join(lines)).strip()
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text + "\n", site


_SITE_BRACKETS = "【】[]「」《》 \u3000"
_TITLE_TAIL = re.compile(r"[_|]|\s-|-\s")  # `标题- 【阳光易购】`: a spaced dash on either side
_NOT_SITE = re.compile(r"^(?:首页|正文|新闻|资讯|详情|文章|新闻中心|news|home|index)$", re.I)


def _site_name(soup: BeautifulSoup) -> str | None:
    """`<meta property="og:site_name">`, else the first name after the headline in `<title>`
    (`标题_新浪财经_新浪网` -> 新浪财经, `标题 - 【阳光易购】` -> 阳光易购)."""
    meta = soup.find("meta", attrs={"property": "og:site_name"})
    candidates = [str(meta.get("content") or "")] if meta else []
    node = soup.find("title")
    title = node.get_text(strip=True) if node else ""
    if separator := _TITLE_TAIL.search(title):
        candidates += _TITLE_TAIL.split(title[separator.end() :])
    for candidate in candidates:
        name = candidate.strip(_SITE_BRACKETS)
        if 2 <= len(name) <= 20 and not _NOT_SITE.match(name):
            return name
    return None


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
