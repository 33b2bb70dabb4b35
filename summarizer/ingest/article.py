"""Bytes to `Article`: decode, extract text from HTML, strip site chrome, read title/source/date.

Offsets. Every span the project writes points into `Article.text`, "the decoded input text":
- `.txt` and `.md`: the whole decoded file (front matter included);
- `.html`: the page's visible text, as `load_text` extracts it (markup offsets mean nothing to a
  reader, and the viewer shows this text).
`Article.body` is what the model reads: content lines only, each a verbatim slice of `text`,
joined by newlines. `Article.segments` maps body positions back to `text`.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import os
import re
import stat
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import yaml
from charset_normalizer import from_bytes

from summarizer.core.errors import InputError
from summarizer.ingest.navigation import is_footer_start, is_navigation

# Web pages saved under their server's name (`.shtml`, `.jsp`, `.aspx`, `.php`) are read as HTML
# when they hold a page (`_is_html`), else as text.
_PAGE_SUFFIXES = (".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".md", ".markdown", ".csv", ".docx", *_PAGE_SUFFIXES)
SUPPORTED_KINDS = ", ".join(SUPPORTED_SUFFIXES)
_CHINESE_ENCODINGS = ["utf_8", "gb18030", "utf_16", "big5"]
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_META_LINE = re.compile(r"发布|日期|时间|来源|发稿|published|date", re.I)
# The labels a page prints before its publisher: where the text came from, then who issued the
# page. A printed `来源：河北日报` names the publisher of a report that a government site issues
# (`发文单位：河北省人民政府`) from a paper, whichever line comes first.
_FROM_LABELS = "文章来源|来源单位|来源|稿源|出处"
_ISSUER_LABELS = "发布机构|发布单位|发文单位|发文机关"
_SOURCE_LABELS = f"{_FROM_LABELS}|{_ISSUER_LABELS}"
_LABELED = r"\s*[:：|｜]\s*([^\s　|｜（）()【】\[\]]+)"
# `数据来源：X` names where the figures came from, not the publisher.
_SOURCE = re.compile(rf"(?<!图片)(?<!数据)(?<!资料)(?:{_FROM_LABELS}){_LABELED}")
_ISSUER = re.compile(rf"(?:{_ISSUER_LABELS}){_LABELED}")
# A newspaper's own byline: `> 《人民日报》（2025年03月04日第 19 版）`.
_PAPER_BYLINE = re.compile(r"《([^》]{2,12})》\s*[（(][^（）()]{0,30}?版\s*[）)]")
# What an outlet's name ends with (`界面新闻`, `第一财经`, `新华社`, `21世纪经济报道`, `南方日报`).
_OUTLET = r"[^\s/:：(（|｜，。、“”<>对向据和与在从]{1,12}?(?:日报|晚报|时报|报道|报|网|台|社|新闻|财经|客户端|周刊|传媒|在线)"
# A channel of the outlet is not the publisher: `界面新闻大湾区频道记者` is 界面新闻's.
_CHANNEL = r"(?:[^\s，。、]{1,8}?(?:频道|中心|部))?"
# A repost quoting its outlet's reporter (`…对第一财经记者说`, `对界面新闻大湾区频道记者表示`) or
# telling what the reporter did on a day (`不过，第一财经记者17日再次搜索发现`).
_OUTLET_REPORTER = re.compile(
    rf"(?:对|(?<=[，。])|^)(?!本报|本刊|本台|本网|我|该|当地|这)({_OUTLET}){_CHANNEL}记者(?:说|表示|介绍|\d{{1,2}}日|近日|日前)"
)
# A reporter's byline: `（界面新闻记者 张三）`, `文|第一财经记者 李四`, `南方日报全媒体记者` (a paper's
# 全媒体记者 is its reporter; `南方财经全媒体` is the outlet's own name, as labelers read it twice).
_BYLINE_SOURCE = re.compile(
    rf"(?:^|[(（])(?:文|图)?\s*[/|｜]?\s*(?!本报|本刊|本台|本网)({_OUTLET}(?<=财经)全媒体|{_OUTLET}){_CHANNEL}"
    rf"(?:全媒体)?(?:见习|特约|首席|资深|实习)?记者"
)
# A wire story's dateline: `新华社北京1月4日电`, `中新网1月4日电`, `央视网消息：`, `【深圳商报讯】`.
_DATELINE = re.compile(
    r"^[【\[]?(?!本报|本刊|本台|本网)([\u4e00-\u9fa5]{2,6}?(?:社|网|台|报))"
    r"(?:[\u4e00-\u9fa5]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)|消息[:：]|讯[】\]])"
)
# Front-matter keys that name the publisher (a printed `来源：` line comes before the issuer's
# keys); an `author` names it only when it is an outlet.
_SOURCE_KEYS = ("source", "publisher", "media", "site_name", "来源")
_ISSUER_KEYS = ("发文单位", "发布单位", "发布机构")
_OUTLET_NAME = re.compile(_OUTLET)
_SENTENCE_END = "。！？!?"
_TITLE_LABEL = re.compile(r"^(?:文章)?(?:标题|题目)\s*[:：]\s*")
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*\)")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)[^<>\n]{0,2000}>")
# Tags inside a run of text (`<font>`, `<a>`, `<strong>`): the text goes on across them, while any
# other tag (`<p>`, `<br>`, `<div>`) ends a line. A crawler's bold lead sentence or linked name
# (`<font …>北京金融法院正式成立</font>，对金融案件…`, `在<a>中关村</a>示范区`) stays in its sentence.
_INLINE_TAGS = frozenset(
    "a abbr b big cite code em font i img ins mark q s small span strike strong sub sup tt u".split()
)
# A crawler's CSV export: a header of 3+ column names (ASCII or Chinese), then one row.
_CSV_HEADER = re.compile(r"\A\ufeff?([^\W\d]\w*(?:,[^\W\d]\w*){2,})[ \t]*\r?\n")
_TEXT_COLUMNS = ("full_text", "content", "text", "body", "article", "正文", "全文", "内容")
# Metadata keys (front matter or CSV columns) for each field, first found wins.
_TITLE_KEYS = ("title", "标题", "题目")
_DATE_KEYS = ("published", "date", "publish_date", "发布时间", "发文时间", "发布日期", "日期")
_LABEL_ONLY = re.compile(rf"(?:{_SOURCE_LABELS}|发布时间|发表时间|时间|日期)\s*[:：]")
_LINE_END = re.compile(r"\r\n?|\n")  # CRLF, CR alone (old Mac files) and LF all end a line
# A UTF-8 file with a few bad bytes is read as UTF-8 (each replaced by U+FFFD, with a warning)
# when the bad bytes are at most 1% of its characters and it holds 20 valid non-ASCII characters
# per bad byte: a GB18030 or Big5 file read as UTF-8 fails on nearly every Chinese character.
_MAX_BAD_SHARE = 0.01
_VALID_PER_BAD = 20


@dataclass(frozen=True)
class Segment:
    body_start: int
    text_start: int
    length: int


@dataclass(frozen=True)
class Article:
    article_id: str
    path: str
    text: str
    body: str
    title: str
    source: str | None = None
    published: str | None = None
    segments: tuple[Segment, ...] = field(default=(), repr=False)
    # What reading the file changed, in one line each (`3 undecodable bytes replaced by U+FFFD`);
    # the run records them beside the article's status.
    warnings: list[str] = field(default_factory=list, compare=False)

    @functools.cached_property
    def _segment_starts(self) -> list[int]:
        # Built once per article: grounding maps thousands of offsets on a long article.
        return [s.body_start for s in self.segments]

    def to_text_offset(self, body_index: int) -> int:
        """Map a position in `body` to the same character in `text`."""
        if not self.segments:
            return body_index
        seg = self.segments[max(0, bisect.bisect_right(self._segment_starts, body_index) - 1)]
        return seg.text_start + min(max(body_index - seg.body_start, 0), seg.length)

    def to_text_span(self, body_start: int, body_end: int) -> tuple[int, int]:
        end = self.to_text_offset(max(body_end - 1, body_start)) + (1 if body_end > body_start else 0)
        return self.to_text_offset(body_start), end


# --- decoding -------------------------------------------------------------------------------


def decode_bytes(data: bytes, path: str) -> str:
    """Decode article bytes: BOMs first, then strict UTF-8, then UTF-8 with a few bad bytes
    replaced, then charset-normalizer's best guess."""
    return decode_with_warnings(data, path)[0]


def decode_with_warnings(data: bytes, path: str) -> tuple[str, list[str]]:
    """`decode_bytes`, and what it had to change (bad bytes replaced), one line each."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return text, _replaced_warning(
                text.count("\ufffd") - data.decode(encoding, "ignore").count("\ufffd")
            )
    if b"\x00" in data[:4096]:
        raise InputError(path, "binary data, not a text article; give a .txt, .html or .md file")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8[0], _replaced_warning(mostly_utf8[1])
    best = from_bytes(data, cp_isolation=_CHINESE_ENCODINGS).best()
    if best is None or best.encoding is None:
        raise InputError(path, "cannot detect the text encoding; save the file as UTF-8")
    return str(best), []


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """(text, bad sequences) when `data` is UTF-8 but for a few bad bytes; else None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    valid_non_ascii = sum(1 for ch in text if ord(ch) > 127) - text.count("\ufffd")
    if bad > _MAX_BAD_SHARE * len(text) or valid_non_ascii < _VALID_PER_BAD * bad:
        return None
    return text, bad


def _replaced_warning(bad: int) -> list[str]:
    return [f"{bad} undecodable byte sequence(s) replaced by U+FFFD"] if bad else []


def load_text(path: Path) -> str:
    """The decoded input text of `path`, which every span offset refers to."""
    return load_text_with_warnings(path)[0]


def load_text_with_warnings(path: Path) -> tuple[str, list[str]]:
    text, warnings, _ = _load(path)
    return text, warnings


def _load(path: Path) -> tuple[str, list[str], str | None]:
    """The decoded text, its warnings, and an HTML page's site name."""
    data = read_article_bytes(path)
    if path.suffix.lower() == ".docx":
        from summarizer.ingest.docx_text import docx_to_text

        return docx_to_text(data, str(path)), [], None
    text, warnings = decode_with_warnings(data, str(path))
    if _is_html(path, text):
        from summarizer.ingest.html_text import html_to_text

        page_text, site = html_to_text(text)
        return page_text, warnings, site
    return text, warnings, None


def read_article_bytes(path: Path) -> bytes:
    """The bytes of one input file. A FIFO, device or socket is refused before it is opened (reading
    one blocks forever or never ends); the opened file is checked again, so a swap cannot slip by."""
    try:
        _require_regular(path, os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO open never blocks
        with os.fdopen(fd, "rb") as handle:
            _require_regular(path, os.fstat(handle.fileno()).st_mode)
            return handle.read()
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror}); check the path") from exc


_SPECIAL_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _require_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "a special file")
    raise InputError(str(path), f"{kind}, not a regular file; give a regular file")


# A page opens with its doctype, <html>, <head> or <body>, after any server directives and comments
# (`<%@ page … %>`, `<%-- … --%>`, `<?php … ?>`), an XML declaration and HTML comments (`<!-- saved
# from url=… -->`).
_PAGE_START = re.compile(
    r"(?:\s|<%@[^%]*%>|<%--.*?--%>|<\?(?:xml|php).*?\?>|<!--.*?-->)*<(?:!doctype html|html|head|body)",
    re.I | re.S,
)


def _is_html(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return True
    return suffix in (".txt", *_PAGE_SUFFIXES) and bool(_PAGE_START.match(text[:4000]))


# --- cleaning -------------------------------------------------------------------------------


def _lines_with_offsets(text: str, start: int = 0, stop: int | None = None) -> list[tuple[int, str]]:
    stop = len(text) if stop is None else stop
    out, pos = [], start
    for end in _LINE_END.finditer(text, start, stop):
        out.append((pos, text[pos : end.start()]))
        pos = end.end()
    out.append((pos, text[pos:stop]))
    return out


# A line of the body: its runs of text between inline tags, each at its offset in the text.
_Line = tuple[tuple[int, str], ...]


def _without_markup(lines: list[tuple[int, str]]) -> list[_Line]:
    """Crawler dumps put HTML tags inside text files (`<p cms-style="…">　　正文</p>`): a tag that
    ends a line (`<p>`, `<br>`) starts a new one; across an inline tag (`<font>`, `<a>`) the
    line goes on, each run of text at its own offset; tag-only lines go."""
    out: list[_Line] = []
    for offset, raw in lines:
        if "<" not in raw or not _TAG.search(raw):
            out.append(((offset, raw),))
            continue
        pos, runs = 0, []
        for tag in _TAG.finditer(raw):
            runs.append((offset + pos, raw[pos : tag.start()]))
            pos = tag.end()
            if tag[1].lower() not in _INLINE_TAGS:
                out.append(tuple(runs))
                runs = []
        runs.append((offset + pos, raw[pos:]))
        out.append(tuple(runs))
    return out


def _line_text(line: _Line) -> str:
    return "".join(run for _, run in line)


def _csv_row(text: str, where: str) -> tuple[dict[str, str], int, int] | None:
    """A crawler's CSV export (`province,year,title,…,full_text` then one quoted row): the row's
    fields and where its text field lies in `text`; None for anything else. A CSV of several rows
    is refused (`InputError`), never read as its first article."""
    header = _CSV_HEADER.match(text)
    if not header:
        return None
    columns = [c.strip().lower() for c in header.group(1).split(",")]
    text_column = next((c for c in columns if c in _TEXT_COLUMNS), None)
    if text_column is None:
        return None
    try:
        reader = csv.DictReader(io.StringIO(text[header.start(1) :]))
        row = next(reader)
        more = sum(
            1 for extra in reader if any((v or "").strip() for v in extra.values() if isinstance(v, str))
        )
    except (csv.Error, StopIteration):
        return None
    if more:
        raise InputError(where, f"a CSV of {more + 1} articles; give one article per file (one row each)")
    row = {str(k).strip().lower(): (v or "") for k, v in row.items() if k is not None}
    value = row.get(text_column, "")
    # The field as printed in the file: a quoted field doubles its quotes (`""高阳毛巾""`).
    printed = value.replace('"', '""')
    start = text.find(printed[:200], header.end()) if value.strip() else -1
    if start < 0:
        return None
    return row, start, min(len(text), start + len(printed))


def _content_lines(lines: list[_Line]) -> list[_Line]:
    """Lines that belong to the article, without their outer spaces: no navigation, widgets, link
    lists or footer."""
    kept: list[_Line] = []
    for index, line in enumerate(lines):
        stripped = _line_text(line).strip()
        if not stripped:
            continue
        if is_footer_start(stripped) and index > len(lines) // 3:
            break
        if is_navigation(stripped):
            continue
        kept.append(_stripped(line))
    return kept


def _stripped(line: _Line) -> _Line:
    """The line's runs without the spaces before its first character and after its last."""
    runs = [(offset, run) for offset, run in line if run]
    while not runs[0][1].strip():
        runs.pop(0)
    while not runs[-1][1].strip():
        runs.pop()
    first_offset, first = runs[0]
    runs[0] = (first_offset + len(first) - len(first.lstrip()), first.lstrip())
    runs[-1] = (runs[-1][0], runs[-1][1].rstrip())
    return tuple(runs)


def _build_body(kept: list[_Line]) -> tuple[str, tuple[Segment, ...]]:
    """The lines joined by newlines, with one segment per run of text (body offset -> text offset)."""
    segments, pos = [], 0
    for line in kept:
        for offset, run in line:
            segments.append(Segment(pos, offset, len(run)))
            pos += len(run)
        pos += 1
    return "\n".join(_line_text(line) for line in kept), tuple(segments)


# --- metadata -------------------------------------------------------------------------------


def _front_matter(text: str) -> tuple[dict[str, Any], int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}, 0
    return (data if isinstance(data, dict) else {}), match.end()


def find_published(lines: list[str]) -> str | None:
    """The first date on a metadata line (发布日期, 时间, 来源 …), as YYYY-MM-DD."""
    for line in lines:
        if _META_LINE.search(line) and (m := _DATE.search(line)):
            return _iso_date(m)
    return None


def _iso_date(m: re.Match[str]) -> str | None:
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_source(lines: list[str], issuer: str | None = None) -> str | None:
    """The publisher as printed: a `来源:` line first, then the issuer's (`发文单位：`), a paper's
    byline (`《人民日报》（2025年…`), a reporter byline (`文/梅州日报记者`), and last the outlet a
    repost's reporter writes for.
    `lines` have labels joined to their values (`_labels_joined`); `issuer` is the issuer a
    document's metadata names (a CSV row's `发文单位`), taken where a printed issuer would be."""
    for pattern in (_SOURCE, _ISSUER, _PAPER_BYLINE, _DATELINE, _BYLINE_SOURCE, _OUTLET_REPORTER):
        if pattern is _ISSUER and issuer:
            return issuer
        for line in lines:
            if m := pattern.search(line.strip()):
                return m.group(1).strip("，,。;；") or None
    return None


def find_title(kept: list[str]) -> str:
    """The first content line, without a closing full stop; a long first line gives its first sentence."""
    if not kept:
        return ""
    line = _MARKDOWN_LINK.sub(r"\1", kept[0].lstrip("#").strip())  # `# [标题](https://…)`
    line = _TITLE_LABEL.sub("", line)  # `标题：2025年保定市政府工作报告`
    if len(line) > 60:
        cut = min((line.find(p) for p in _SENTENCE_END if p in line), default=60)
        line = line[: cut if cut > 0 else 60]
    return line.rstrip(_SENTENCE_END + "，,；;")


def _labels_joined(lines: list[str]) -> list[str]:
    """Site pages print a label and its value on two lines (`来源：` / `宁夏日报客户端`): join them."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if out and _LABEL_ONLY.fullmatch(out[-1].strip()) and stripped and len(stripped) <= 30:
            out[-1] = out[-1].strip() + stripped
        elif stripped:
            out.append(line)
    return out


def _meta_date(value: object) -> str | None:
    """A front matter or CSV date as YYYY-MM-DD: `2025-06-02`, `Thu, 16 Dec 2021 02:48:52 GMT`."""
    text = _clean_meta(value)
    if text is None:
        return None
    if m := _DATE.search(text):
        return _iso_date(m)
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _first_meta(meta: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first of `keys` with a value in the front matter or CSV row, cleaned."""
    return next((v for key in keys if (v := _clean_meta(meta.get(key)))), None)


def _author_outlet(meta: dict[str, Any]) -> str | None:
    """A crawler's `author: 新浪财经` when nothing in the text names the publisher (a person's
    name is not an outlet)."""
    author = _clean_meta(meta.get("author"))
    return author if author and _OUTLET_NAME.fullmatch(author) else None


def _clean_meta(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# --- entry point ----------------------------------------------------------------------------


def ingest_text(
    text: str,
    article_id: str,
    path: str = "",
    warnings: list[str] | None = None,
    site_name: str | None = None,
) -> Article:
    """Build an `Article` from decoded text (the pure part of ingest, easy to test); `site_name`
    (an HTML page's) is the publisher when nothing else names one."""
    if not text.strip():
        raise InputError(path or article_id, "empty article (no text); remove it or add content")
    meta, body_from = _front_matter(text)
    body_to = None
    if not meta and (row := _csv_row(text, path or article_id)):
        meta, body_from, body_to = row
    lines = _without_markup(_lines_with_offsets(text, body_from, body_to))
    kept = _content_lines(lines)
    if not kept:
        raise InputError(path or article_id, "no article text left after removing site navigation")
    body, segments = _build_body(kept)
    # `来源：` / `宁夏日报客户端` as one line
    meta_lines = _labels_joined([_line_text(line) for line in lines])
    published = _meta_date(next((meta[k] for k in _DATE_KEYS if meta.get(k)), None))
    return Article(
        article_id=article_id,
        path=path,
        text=text,
        body=body,
        title=_first_meta(meta, _TITLE_KEYS) or find_title([_line_text(line) for line in kept]),
        source=_first_meta(meta, _SOURCE_KEYS)
        or find_source(meta_lines, issuer=_first_meta(meta, _ISSUER_KEYS))
        or _author_outlet(meta)
        or site_name,
        published=published or find_published(meta_lines),
        segments=segments,
        warnings=list(warnings or []),
    )


def ingest_file(path: Path) -> Article:
    """Read one article file; raises `InputError` naming the file on anything unreadable."""
    text, warnings, site = _load(path)
    return ingest_text(text, path.stem, str(path), warnings, site)


def discover(inputs: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files to process: each given file, and supported files inside each folder, sorted; and the
    files of other kinds those folders hold (not hidden ones), each folder listed once."""
    found: list[Path] = []
    skipped: list[Path] = []
    for item in inputs:
        if not item.is_dir():
            found.append(item)
            continue
        for p in sorted(item.iterdir()):
            if p.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(p)
            elif p.is_file() and not p.name.startswith("."):
                skipped.append(p)
    return found, skipped
