"""Rendering a `Memo` as Markdown or HTML, and `write_memo`, the whole `summarizer memo` command.

Both renderers escape every value by default: HTML through jinja's autoescape, Markdown through
`md_escape` installed as the environment's `finalize`, so an article that holds `<script>` or
`[x](javascript:...)` prints as text. Only the citation and link helpers below emit markup.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from summarizer import bidi
from summarizer.backends.base import Backend
from summarizer.errors import InputError
from summarizer.memo import Citation, Memo, MemoOptions, build_memo
from summarizer.memo_run import find_source, load_run, read_source, run_dir_of, viewer_filename
from summarizer.viewer import VIEW_DIR, write_viewer

# ASCII punctuation that Markdown (CommonMark + GFM tables) could read as syntax.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#])")


def md_escape(value: object) -> str:
    """Text for Markdown: syntax characters backslash-escaped, line breaks folded to spaces, bidi
    controls isolated (`summarizer.bidi`)."""
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


def _environment(markdown: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("summarizer", "templates"),
        autoescape=False if markdown else select_autoescape(default=True, default_for_string=True),
        finalize=md_escape if markdown else bidi.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


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
    summaries, run_dir: Path, sources: Path | None, view_dir: Path | None
) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Each article's source text (or None) and, when `view_dir` is set, its written viewer page."""
    texts: dict[str, str | None] = {}
    viewers: dict[str, str | None] = {}
    for s in summaries:
        path = find_source(s.article_id, run_dir, sources)
        texts[s.article_id] = read_source(path) if path else None
        viewers[s.article_id] = None
        if view_dir is not None and path is not None:
            write_viewer(s, run_dir, view_dir / viewer_filename(s.article_id), sources)
            viewers[s.article_id] = f"{VIEW_DIR}/{quote(viewer_filename(s.article_id))}"
    return texts, viewers


def write_memo(
    run: Path,
    out: Path,
    options: MemoOptions,
    sources: Path | None = None,
    backend: Backend | None = None,
) -> tuple[Path, list[str]]:
    """Build the memo of `run` into `out` (.md or .html); HTML memos get viewer pages in `view/`.

    Returns the path and warnings (articles whose source was not found, so no viewer page).
    """
    fmt = out.suffix.lower()
    if fmt not in {".md", ".markdown", ".html", ".htm"}:
        raise InputError(str(out), "unknown memo format; name the output .md or .html")
    summaries = load_run(run)
    run_dir = run_dir_of(run)
    html = fmt in {".html", ".htm"}
    texts, viewers = _sources_and_viewers(
        summaries, run_dir, sources, out.parent / VIEW_DIR if html else None
    )
    memo = build_memo(summaries, options, texts, viewers)
    if backend is not None:
        from summarizer.memo_executive import executive_summary

        memo.executive = executive_summary(memo, backend)
    out.parent.mkdir(parents=True, exist_ok=True)
    label = str(run)
    out.write_text(render_html(memo, label) if html else render_markdown(memo, label), encoding="utf-8")
    missing = [aid for aid, text in texts.items() if text is None]
    warnings = [f"{aid}: source article not found; pass --sources DIR for viewer links" for aid in missing]
    return out, warnings
