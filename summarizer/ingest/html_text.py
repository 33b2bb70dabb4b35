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
# A site's section, not the site (`…_滚动新闻_中国政府网`, `…_政策解读_梅州市人民政府`).
_NOT_SITE = re.compile(
    r"^(?:首页|正文|详情|文章|本站|本网站|.{0,4}(?:新闻|资讯|动态|要闻|解读|政策|文件|专栏|专题|公开|政务|频道|中心))$"
    r"|^(?:news|home|index)$",
    re.I,
)


def _site_name(soup: BeautifulSoup) -> str | None:
    """`<meta property="og:site_name">`, else the last name in `<title>` that is neither the
    headline nor a section of the site (`标题_滚动新闻_中国政府网` -> 中国政府网, `标题- 【阳光易购】` ->
    阳光易购, `平远县人民政府 - 平远县推进改革` -> 平远县人民政府)."""
    meta = soup.find("meta", attrs={"property": "og:site_name"})
    if meta and (name := _as_site(str(meta.get("content") or ""), "")):
        return name
    node, heading = soup.find("title"), soup.find("h1")
    title = node.get_text(strip=True) if node else ""
    if welcome := _WELCOME.match(title):  # the welcome's site, as another title's: `…_首页` is a section
        names, headline = _TITLE_TAIL.split(welcome["site"] or welcome["host"]), ""
    else:
        parts = _TITLE_TAIL.split(title)
        if len(parts) < 2:
            return None
        names, headline = parts[::-1], (heading.get_text(strip=True) if heading else "") or parts[0].strip()
    return next((name for part in names if (name := _as_site(part, headline))), None)


def _as_site(text: str, headline: str) -> str | None:
    name = text.strip(_SITE_BRACKETS)
    if (
        not 2 <= len(name) <= 20
        or _NOT_SITE.match(name)
        or (headline and (name in headline or headline in name))
    ):
        return None
    return name


# A title that only welcomes the reader names the site, not the page (`欢迎访问剑阁网络管理平台`).
_WELCOME = re.compile(
    r"^(?:欢迎(?:您)?(?:访问|光临|来到|进入)\s*(?P<site>.{2,20}?)|(?P<host>.{2,20}?)欢迎您)[!！。]?$"
)


def _page_title(soup: BeautifulSoup) -> str:
    for node in (soup.find("h1"), soup.find("title")):
        text = node.get_text(strip=True) if node else ""
        if text and not _WELCOME.match(text):
            # `标题_某某网` / `标题 - 某某政府网`: the site name is navigation, not the headline.
            return _before_site_name(text)
    return ""


def _before_site_name(title: str) -> str:
    """`title` up to its first `_`, `|` or spaced ` - `; one scan (splitting on `\s*[_|]\s*` tried
    every position of a long run of spaces, quadratic)."""
    separator = _SITE_SEPARATOR.search(title)
    return title[: separator.start()].rstrip() if separator else title
