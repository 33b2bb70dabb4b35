"""The overview that opens a memo over several articles: places, domains, standout figures, and
initiatives that appear in more than one place (by similar names)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from summarizer.briefing.memo import DOMAIN_ORDER, InitiativeEntry, LocalitySection, Memo, OutcomeEntry
from summarizer.briefing.memo_run import domain_label
from summarizer.core.numbers import parse_figure
from summarizer.core.textnorm import MIN_CONTAINED_NAME_CHARS, normalize

TOP_FIGURES = 5
# Names this alike (rapidfuzz ratio, 0-100) count as the same initiative in two places: two places
# word one reform more loosely than one article does (`国防和军队建设` / `国防和军队现代化建设`, 82;
# `“两重”“两新”政策` / `“两重”、“两新”等国家政策`, 80), and a wrong link only lists two places together,
# while different reforms one word apart stay below (`经营模式` / `经验模式`, 75).
SHARED_NAME_RATIO = 80
# What may be left of a name beside a shared quoted term without making it a different initiative.
GENERIC_WORDS = {
    "",
    "改革",
    "模式",
    "经验",
    "工作",
    "机制",
    "试点",
    "建设",
    "行动",
    "工程",
    "计划",
    "项目",
    "改革经验",
}
_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,})[”」』\"]")

Figure = tuple[OutcomeEntry, InitiativeEntry]


@dataclass
class LocalityRow:
    name: str
    level: str
    province: str | None
    anchor: str | None
    articles: int
    initiatives: int
    figures: int


@dataclass
class DomainRow:
    label: str
    initiatives: int
    localities: int


@dataclass
class SharedInitiative:
    name: str
    members: list[InitiativeEntry]

    @property
    def places(self) -> list[str]:
        return list(dict.fromkeys(m.article.locality.name for m in self.members))


@dataclass
class Overview:
    localities: list[LocalityRow]
    domains: list[DomainRow]
    largest_amounts: list[Figure]
    top_percentages: list[Figure]
    shared: list[SharedInitiative]


def build_overview(memo: Memo) -> Overview:
    figures = [(o, ini) for ini in memo.initiatives for o in ini.figures]
    return Overview(
        localities=_locality_rows(memo),
        domains=_domain_rows(memo.initiatives),
        largest_amounts=_top(figures, {"元", "美元"}),
        top_percentages=_top(figures, {"%"}),
        shared=shared_initiatives(memo.initiatives),
    )


def _locality_rows(memo: Memo) -> list[LocalityRow]:
    rows: dict[tuple[str, str | None], LocalityRow] = {}
    anchors = {(s.name, s.province): s.anchor for s in memo.sections if isinstance(s, LocalitySection)}
    for art in memo.articles:
        loc = art.summary.locality
        key = (loc.name, loc.province)
        row = rows.setdefault(key, LocalityRow(loc.name, loc.level, loc.province, anchors.get(key), 0, 0, 0))
        row.articles += 1
        row.initiatives += len(art.initiatives)
        row.figures += len(art.figures)
    return list(rows.values())


def _domain_rows(initiatives: list[InitiativeEntry]) -> list[DomainRow]:
    rows = []
    for domain in DOMAIN_ORDER:
        members = [i for i in initiatives if i.domain == domain]
        if members:
            places = {i.article.locality.name for i in members}
            rows.append(DomainRow(domain_label(domain), len(members), len(places)))
    return rows


def figure_value(outcome: OutcomeEntry) -> tuple[float | None, str | None]:
    """The normalized value and unit, computed from `value_text` when the summary left them out."""
    if outcome.value is not None and outcome.unit is not None:
        return outcome.value, outcome.unit
    parsed = parse_figure(outcome.value_text or "")
    return (outcome.value if outcome.value is not None else parsed.value), outcome.unit or parsed.unit


def _top(figures: list[Figure], units: set[str]) -> list[Figure]:
    chosen: list[tuple[float, Figure]] = []
    for o, ini in figures:
        value, unit = figure_value(o)
        if value is not None and unit in units:
            chosen.append((value, (o, ini)))
    ranked = sorted(chosen, key=lambda pair: -pair[0])  # stable: ties keep reading order
    return [fig for _, fig in ranked[:TOP_FIGURES]]


def similar_names(a: str, b: str) -> bool:
    """Same initiative by name: equal after dropping quotes and punctuation, contained, close, or
    sharing a quoted brand term (`“一照通”改革` and `“一照通”+“信易批”审批服务改革`)."""
    if any(_same_beyond_term(a, b, term) for term in set(_QUOTED.findall(a)) & set(_QUOTED.findall(b))):
        return True
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return False
    shorter, longer = sorted((na, nb), key=len)
    if len(shorter) >= MIN_CONTAINED_NAME_CHARS and shorter in longer:
        return True
    return fuzz.ratio(na, nb) >= SHARED_NAME_RATIO


def _same_beyond_term(a: str, b: str, term: str) -> bool:
    """Names sharing a quoted term are one initiative when what is left of either says nothing
    more (`改革`), or both leftovers are alike; `“百千万工程”巡察` and `“百千万工程”专家智库` are not."""
    rest_a = normalize(a).replace(normalize(term), "", 1)
    rest_b = normalize(b).replace(normalize(term), "", 1)
    if rest_a in GENERIC_WORDS or rest_b in GENERIC_WORDS:
        return True
    return fuzz.ratio(rest_a, rest_b) >= SHARED_NAME_RATIO


def shared_initiatives(initiatives: list[InitiativeEntry]) -> list[SharedInitiative]:
    """Groups of similarly named initiatives reported in more than one place (locality).

    Two initiatives of different articles are linked when `similar_names` holds; groups are the
    connected components. Comparing every pair took 22.5 s for 100 summaries (1.6 M calls); here
    the pairs of similar names are found from indexes over the distinct names (`_similar_pairs`)
    and each pair links the articles that print them (`_link`): the same groups, in the same order.
    """
    parent = list(range(len(initiatives)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[root(j)] = root(i)

    # One node per (name, article): its initiatives have the same links, so they go together (a
    # node without links is a group within one article, dropped below like any one-place group).
    nodes: dict[str, dict[str, int]] = {}
    for i, ini in enumerate(initiatives):
        first = nodes.setdefault(ini.name, {}).setdefault(ini.article.article_id, i)
        union(first, i)
    for a, b in _similar_pairs(list(nodes)):
        _link(nodes[a], nodes[b], union)
    groups: dict[int, list[InitiativeEntry]] = {}
    for i, ini in enumerate(initiatives):
        groups.setdefault(root(i), []).append(ini)
    shared = [g for g in groups.values() if len({m.article.locality.name for m in g}) > 1]
    return [SharedInitiative(min((m.name for m in g), key=len), g) for g in shared]


def _link(side_a: dict[str, int], side_b: dict[str, int], union: Callable[[int, int], None]) -> None:
    """Link every node of `side_a` with every node of `side_b` of another article (article id ->
    node). When one side has two articles or more and the other three or more, that graph is
    connected (any two nodes share a neighbour), so all are joined without listing the pairs."""
    if side_a is side_b:
        if len(side_a) > 1:
            first = next(iter(side_a.values()))
            for node in side_a.values():
                union(first, node)
        return
    small, large = sorted((len(side_a), len(side_b)))
    if small >= 2 and large >= 3:
        first = next(iter(side_a.values()))
        for node in [*side_a.values(), *side_b.values()]:
            union(first, node)
        return
    for article_a, node_a in side_a.items():
        for article_b, node_b in side_b.items():
            if article_a != article_b:
                union(node_a, node_b)


def _similar_pairs(names: list[str]) -> set[tuple[str, str]]:
    """Every pair (a, b) of `names` with `similar_names(a, b)`, a name with itself included,
    found without comparing every pair in Python:
    - close or equal after normalizing: one rapidfuzz `cdist` over the distinct normalized names;
    - one normalized name inside another: each name's substrings looked up among the names;
    - a shared quoted term: only names that share one are compared (`_same_beyond_term`)."""
    pairs = {(n, n) for n in names if similar_names(n, n)}
    by_norm: dict[str, list[str]] = {}
    for name in names:
        if norm := normalize(name):
            by_norm.setdefault(norm, []).append(name)
    norms = list(by_norm)
    for i, j in _close_pairs(norms) | _contained_pairs(norms):
        pairs.update((a, b) for a in by_norm[norms[i]] for b in by_norm[norms[j]] if a != b)
    for group in by_norm.values():
        pairs.update((a, b) for a in group for b in group if a < b)
    by_term: dict[str, list[str]] = {}
    for name in names:
        for term in set(_QUOTED.findall(name)):
            by_term.setdefault(term, []).append(name)
    for term, group in by_term.items():
        for x, a in enumerate(group):
            pairs.update((a, b) for b in group[x + 1 :] if _same_beyond_term(a, b, term))
    return {(a, b) if a <= b else (b, a) for a, b in pairs}


def _close_pairs(norms: list[str], block: int = 512) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose `fuzz.ratio` reaches `SHARED_NAME_RATIO`, a block of rows at a time."""
    found: set[tuple[int, int]] = set()
    for start in range(0, len(norms), block):
        scores = process.cdist(
            norms[start : start + block],
            norms,
            scorer=fuzz.ratio,
            score_cutoff=SHARED_NAME_RATIO,
            workers=-1,
        )
        for row, col in zip(*np.nonzero(scores >= SHARED_NAME_RATIO), strict=True):
            if start + row < col:
                found.add((start + int(row), int(col)))
    return found


def _contained_pairs(norms: list[str]) -> set[tuple[int, int]]:
    """Index pairs of names where the shorter, at least `MIN_CONTAINED_NAME_CHARS` long, is inside the other."""
    index = {norm: i for i, norm in enumerate(norms)}
    found: set[tuple[int, int]] = set()
    for j, longer in enumerate(norms):
        for size in range(MIN_CONTAINED_NAME_CHARS, len(longer)):
            for start in range(len(longer) - size + 1):
                i = index.get(longer[start : start + size])
                if i is not None:
                    found.add((min(i, j), max(i, j)))
    return found
