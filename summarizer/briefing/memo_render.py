"""Rendering a `Memo` as Markdown or HTML, and `write_memo`, the whole `summarizer memo` command
(Word memos: `summarizer.briefing.export.docx_memo`).

Both renderers escape every value by default: HTML through jinja's autoescape, Markdown through
`md_escape` installed as the environment's `finalize`, so an article that holds `<script>` or
`[x](javascript:...)` prints as text. Only the citation and link helpers below emit markup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment
from markupsafe import Markup, escape

from summarizer.backends.base import Backend
from summarizer.briefing.build import build_memo
from summarizer.briefing.memo import Citation, Memo, MemoOptions
from summarizer.briefing.memo_run import load_run, run_dir_of, viewer_filename
from summarizer.briefing.viewer import VIEW_DIR, save_viewer
from summarizer.core import bidi
from summarizer.core.errors import ConfigError, one_line
from summarizer.core.models import ArticleSummary
from summarizer.core.templates import template_environment
from summarizer.runs.reading import find_source, read_source

# ASCII punctuation that Markdown (CommonMark + GFM tables) could read as syntax.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#])")


def md_escape(value: object) -> str:
    """Text for Markdown: syntax characters backslash-escaped, line breaks folded to spaces, bidi
    controls isolated (`summarizer.core.bidi`)."""
    if isinstance(value, Markup):
        return str(value)
    text = "" if value is None else str(value)
    return bidi.isolate(_MD_SPECIAL.sub(r"\\\1", " ".join(text.split()) if "\n" in text else text))


def _md_link(text: str, href: str) -> Markup:
    return Markup(f"[{md_escape(text)}]({href})")


def _md_code(value: object) -> Markup:
    """A code span (`000_x:12-40`), or escaped text (escaped once) when the value holds a backtick."""
    text = " ".join(str(value).split())
    return Markup(md_escape(text) if "`" in text else bidi.isolate(f"`{text}`"))


def _md_anchor(anchor: str) -> Markup:
    return Markup(f'<a id="{escape(anchor)}"></a>')


def _md_cite(c: Citation) -> Markup:
    return Markup(f"[^{c.number}]")


def _md_footnote(c: Citation) -> Markup:
    return Markup(f"[^{c.number}]:")


def _html_cite(c: Citation) -> Markup:
    href = c.href or f"#note-{c.number}"
    return Markup('<sup class="cite"><a href="{}" title="{}">[{}]</a></sup>').format(
        href, bidi.isolate(c.quote), c.number
    )


@functools.cache
def _environment(markdown: bool) -> Environment:
    if markdown:  # escaped by `md_escape`, not as HTML
        return template_environment("summarizer.briefing", autoescape=False, finalize=md_escape)
    return template_environment("summarizer.briefing")


def render_markdown(memo: Memo, run_label: str = "") -> str:
    helpers = {
        "cite": _md_cite,
        "footnote": _md_footnote,
        "link": _md_link,
        "anchor": _md_anchor,
        "code": _md_code,
    }
    text = (
        _environment(markdown=True)
        .get_template("memo.md.j2")
        .render(memo=memo, run_label=run_label, **helpers)
    )
    return re.sub(r"\n{3,}", "\n\n", text)


def render_html(memo: Memo, run_label: str = "") -> str:
    env = _environment(markdown=False)
    return env.get_template("memo.html.j2").render(memo=memo, run_label=run_label, cite=_html_cite)


def _sources_and_viewers(
    summaries: list[ArticleSummary], run_dir: Path, sources: Path | None, view_dir: Path | None
) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Each article's source text (or None) and, when `view_dir` is set, its written viewer page.
    Each source file is read once, for the memo and its viewer page alike."""
    texts: dict[str, str | None] = {}
    viewers: dict[str, str | None] = {}
    for s in summaries:
        path = find_source(s.article_id, run_dir, sources)
        text = texts[s.article_id] = read_source(path) if path else None
        viewers[s.article_id] = None
        if view_dir is not None and path is not None and text is not None:
            save_viewer(s, text, path.name, view_dir / viewer_filename(s.article_id))
            viewers[s.article_id] = f"{VIEW_DIR}/{quote(viewer_filename(s.article_id))}"
    return texts, viewers


MEMO_FORMATS = {".md", ".markdown", ".html", ".htm", ".docx"}


def load_memo(
    run: Path,
    options: MemoOptions,
    sources: Path | None = None,
    backend: Backend | None = None,
    view_dir: Path | None = None,
) -> tuple[Memo, list[str]]:
    """The memo of `run`, with viewer pages written to `view_dir` when set, and warnings (articles
    whose source was not found, so spans keep their recorded offsets and get no viewer page)."""
    summaries = load_run(run)
    texts, viewers = _sources_and_viewers(summaries, run_dir_of(run), sources, view_dir)
    memo = build_memo(summaries, options, texts, viewers)
    if backend is not None:
        from summarizer.briefing.memo_executive import executive_summary
        from summarizer.llm.calls import ModelCalls

        memo.executive = executive_summary(memo, ModelCalls(backend))
    missing = [aid for aid, text in texts.items() if text is None]
    return memo, [f"{aid}: source article not found; pass --sources DIR for viewer links" for aid in missing]


def check_output(out: Path, formats: set[str], hint: str) -> str:
    """The output's format (its suffix), or a ConfigError naming the formats `-o` takes."""
    fmt = out.suffix.lower()
    if fmt not in formats:
        raise ConfigError(f"{out}: unknown output format; {hint}")
    if out.is_dir():
        raise ConfigError(f"{out}: is a folder; pass -o a file name")
    return fmt


def save_output(out: Path, save: Callable[[Path], object]) -> Path:
    """Write `out` (its folder made first) with `save`; a path that cannot be written is a ConfigError."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        save(out)
    except OSError as exc:
        raise ConfigError(
            f"{out}: cannot be written ({exc.strerror or one_line(exc)}); pass -o a writable path"
        ) from exc
    return out


def write_memo(
    run: Path,
    out: Path,
    options: MemoOptions,
    sources: Path | None = None,
    backend: Backend | None = None,
) -> tuple[Path, list[str]]:
    """Build the memo of `run` into `out` (.md, .html or .docx); HTML memos get viewer pages in `view/`.

    Returns the path and warnings (articles whose source was not found, so no viewer page).
    """
    fmt = check_output(out, MEMO_FORMATS, "name the memo .md, .html or .docx")
    html = fmt in {".html", ".htm"}
    memo, warnings = load_memo(run, options, sources, backend, out.parent / VIEW_DIR if html else None)
    label = str(run)
    if fmt == ".docx":
        from summarizer.briefing.export.docx_memo import render_docx

        document = render_docx(memo, label)
        return save_output(out, lambda path: document.save(str(path))), warnings
    text = render_html(memo, label) if html else render_markdown(memo, label)
    return save_output(out, lambda path: path.write_text(text, encoding="utf-8")), warnings
