"""Briefing memos: one run's summaries turned into a Markdown or HTML memo an analyst can forward.

The memo is built deterministically from the summaries: per locality (or per domain) the
headline, the summary, the initiatives by domain with their outcomes, and a table of figures as
printed. Every initiative and every figure carries a numbered citation of its evidence: in
Markdown a footnote with the verbatim quote and `article_id:start-end`, in HTML a link that opens
the evidence viewer at the highlighted span. Only `--executive-summary` asks a model for text,
and the memo marks that paragraph as model-written (`memo_executive.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from summarizer.briefing.memo_run import domain_label, span_key
from summarizer.core.models import ArticleSummary, Domain, Initiative, Span
from summarizer.core.spans import PlacedSpan, place_span

GroupBy = Literal["locality", "domain"]
DOMAIN_ORDER = [d.value for d in Domain]


@dataclass(frozen=True)
class MemoOptions:
    title: str | None = None
    group_by: GroupBy = "locality"
    domains: tuple[str, ...] = ()  # keep only initiatives in these domains; empty keeps all
    min_figures: int = 0  # keep only initiatives that report at least this many figures
    localities: tuple[str, ...] = ()  # keep only articles on these places (name or province)

    @property
    def filtered(self) -> bool:
        return bool(self.domains) or self.min_figures > 0 or bool(self.localities)

    @property
    def filter_text(self) -> str:
        """The filters in words, for the memo's `Filters:` line."""
        parts = []
        if self.localities:
            parts.append(f"localities {', '.join(self.localities)}")
        if self.domains:
            parts.append(f"domains {', '.join(self.domains)}")
        if self.min_figures:
            parts.append(f"initiatives with at least {self.min_figures} figure(s)")
        return "; ".join(parts)


@dataclass
class Citation:
    article_id: str
    key: str  # the span's id in the viewer page (`i2-o1`)
    placed: PlacedSpan
    href: str | None  # link to the viewer at this span; None when the page was not written
    number: int = 0  # assigned in reading order once the memo is laid out

    @property
    def ref(self) -> str:
        return f"{self.article_id}:{self.placed.ref}"

    @property
    def quote(self) -> str:
        # Line breaks would end a footnote or table row; the words stay verbatim.
        return " ".join(self.placed.text.split())


@dataclass
class OutcomeEntry:
    description: str
    metric: str | None
    value_text: str | None
    value: float | None
    unit: str | None
    cite: Citation


@dataclass
class InitiativeEntry:
    anchor: str
    name: str
    domain: str
    description: str
    actors: list[str]
    cites: list[Citation]
    outcomes: list[OutcomeEntry]
    article: ArticleSummary

    @property
    def figures(self) -> list[OutcomeEntry]:
        return [o for o in self.outcomes if o.value_text]

    @property
    def domain_label(self) -> str:
        return domain_label(self.domain)


@dataclass
class ArticleEntry:
    summary: ArticleSummary
    anchor: str
    initiatives: list[InitiativeEntry]
    viewer: str | None

    @property
    def by_domain(self) -> list[tuple[str, list[InitiativeEntry]]]:
        return group_by_domain(self.initiatives)

    @property
    def figures(self) -> list[tuple[OutcomeEntry, InitiativeEntry]]:
        """In the order the memo lists them, so citation numbers count up the table."""
        return [(o, ini) for _, group in self.by_domain for ini in group for o in ini.figures]


@dataclass
class LocalitySection:
    anchor: str
    name: str
    level: str
    province: str | None
    articles: list[ArticleEntry]


@dataclass
class DomainSection:
    anchor: str
    label: str
    initiatives: list[InitiativeEntry]

    @property
    def figures(self) -> list[tuple[OutcomeEntry, InitiativeEntry]]:
        return [(o, ini) for ini in self.initiatives for o in ini.figures]


@dataclass
class Memo:
    title: str
    options: MemoOptions
    articles: list[ArticleEntry]
    sections: list[LocalitySection] | list[DomainSection]
    overview: object | None = None  # memo_overview.Overview; build_memo sets it for several articles
    executive: object | None = None  # memo_executive.ExecutiveNote; set on request
    citations: list[Citation] = field(default_factory=list)

    @property
    def initiatives(self) -> list[InitiativeEntry]:
        return [ini for art in self.articles for ini in art.initiatives]


def group_by_domain(initiatives: list[InitiativeEntry]) -> list[tuple[str, list[InitiativeEntry]]]:
    """Initiatives grouped by domain in the schema's order, each group in reading order."""
    groups: dict[str, list[InitiativeEntry]] = {}
    for ini in initiatives:
        groups.setdefault(ini.domain, []).append(ini)
    return [(domain_label(d), groups[d]) for d in DOMAIN_ORDER if d in groups]


def in_localities(summary: ArticleSummary, options: MemoOptions) -> bool:
    loc = summary.locality
    return not options.localities or bool({loc.name, loc.province} & set(options.localities))


def _keep(ini: Initiative, options: MemoOptions) -> bool:
    if options.domains and ini.domain.value not in options.domains:
        return False
    return sum(1 for o in ini.outcomes if o.value_text) >= options.min_figures


def article_entry(
    summary: ArticleSummary, number: int, options: MemoOptions, text: str | None, viewer: str | None
) -> ArticleEntry:
    """One article's initiatives (after the filters) with a citation for every evidence span."""

    def cite(span: Span, key: str) -> Citation:
        return Citation(
            summary.article_id, key, place_span(span, text), f"{viewer}#span-{key}" if viewer else None
        )

    entries = []
    for i, ini in enumerate(summary.initiatives, 1):
        if not _keep(ini, options):
            continue
        cites = [cite(s, span_key(i, "e", k)) for k, s in enumerate(ini.evidence, 1)]
        outcomes = [
            OutcomeEntry(
                o.description, o.metric, o.value_text, o.value, o.unit, cite(o.evidence, span_key(i, "o", m))
            )
            for m, o in enumerate(ini.outcomes, 1)
        ]
        anchor = f"a{number}-i{i}"
        entries.append(
            InitiativeEntry(
                anchor, ini.name, ini.domain.value, ini.description, ini.actors, cites, outcomes, summary
            )
        )
    return ArticleEntry(summary, f"a{number}", entries, viewer)


def locality_sections(articles: list[ArticleEntry]) -> list[LocalitySection]:
    """Articles grouped by the place they report on, places in order of first appearance."""
    sections: dict[tuple[str, str | None], LocalitySection] = {}
    for art in articles:
        loc = art.summary.locality
        key = (loc.name, loc.province)
        if key not in sections:
            sections[key] = LocalitySection(f"loc{len(sections) + 1}", loc.name, loc.level, loc.province, [])
        sections[key].articles.append(art)
    return list(sections.values())


def domain_sections(articles: list[ArticleEntry]) -> list[DomainSection]:
    initiatives = [ini for art in articles for ini in art.initiatives]
    return [
        DomainSection(f"dom{n}", label, group)
        for n, (label, group) in enumerate(group_by_domain(initiatives), 1)
    ]


def _reading_order(memo: Memo) -> Iterator[Citation]:
    """Citations in the order a reader meets them, so footnotes count up down the page."""
    if memo.options.group_by == "domain":
        initiatives = [ini for sec in memo.sections for ini in sec.initiatives]  # type: ignore[union-attr]
    else:
        initiatives = [
            ini
            for sec in memo.sections
            for art in sec.articles  # type: ignore[union-attr]
            for _, group in art.by_domain
            for ini in group
        ]
    for ini in initiatives:
        yield from ini.cites
        yield from (o.cite for o in ini.outcomes)


def number_citations(memo: Memo) -> None:
    memo.citations = list(_reading_order(memo))
    for n, c in enumerate(memo.citations, 1):
        c.number = n


def default_title(articles: list[ArticleEntry]) -> str:
    places = list(dict.fromkeys(a.summary.locality.name for a in articles))
    if len(places) == 1:
        return f"Reform briefing: {places[0]}"
    return f"Reform briefing: {len(places)} localities, {len(articles)} articles"
