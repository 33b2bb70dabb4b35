"""Name spans of one paragraph for a model to choose among (the `choose` strategy). Pure; no model.

Where the rules (`summarizer.stages.candidates`) found no candidate, a reform is often still named,
in shapes their filters do not take. Each option is a span printed in the paragraph (body offsets),
so whatever is chosen is verbatim and grounded. Shapes, in this order of priority:

1. a run-in head: the paragraph's first sentence when it is one short phrase (`港产城加速融合。`),
   or what comes before its first colon, an ordinal (`一是`, `（一）`, `1.`) stripped;
2. list items: what follows `一是/二是/…` up to the first comma;
3. quoted and 《》 names anywhere (the rules take them only after a reform verb);
4. the object of a doing verb, to the end of its clause (`发展以轻纺为主的劳动密集型产业` ->
   `以轻纺为主的劳动密集型产业`), and the subject of a clause that ends in a doing verb
   (`市场化和机制化服务疏解扎实推进` -> `市场化和机制化服务疏解`).

Options are deduplicated on their text, kept in order of priority then position, and capped at
`MAX_OPTIONS`, so a prompt stays short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.core.models import NAME_CHARS
from summarizer.core.numbers import find_figures
from summarizer.stages.candidates import CLAUSE_SPLIT, Sentence
from summarizer.stages.names import ORDINAL, QUOTED

MAX_OPTIONS = 6
MIN_OPTION_CHARS = 4
MAX_OPTION_CHARS = 24
_HEAD_END = re.compile(r"[：:。！？；]")
_ITEM = re.compile(r"[一二三四五六七八九十]是")
_DOING = re.compile(
    r"推进|推动|实施|推行|推出|推广|建立|构建|打造|开展|启动|探索|完善|实行|落实|培育|健全|"
    r"出台|制定|组建|设立|发展|引进|引入|导入|建设|取缔|整治|提升|优化|深化|创新|强化|壮大|新建|建成"
)
# A clause whose subject is the reform: `X扎实推进`, `X深入拓展`, `X有效盘活`.
_PREDICATE = re.compile(
    r"(?:扎实|深入|有序|稳步|加快|加速|持续|有效|全面|顺利|不断|积极|大力|纵深)"
    r"(?:推进|实施|拓展|盘活|融合|优化|提升|发力|深化|落地|开展|展开|推开)$"
)
_JUNK = re.compile(r"^[\d０-９]|[0-9０-９]{4}年|习近平|总书记|党中央|我们|我市|我县|我区|[他她它]们?$")


@dataclass(frozen=True)
class Option:
    start: int  # body offsets
    end: int
    text: str


def span_options(paragraph: list[Sentence], allowed: list[Sentence] | None = None) -> list[Option]:
    """The options of one paragraph (its sentences, in order), at most `MAX_OPTIONS`.
    `allowed`: the sentences options may come from (default all; the caller leaves out plans)."""
    allowed_starts = {s.start for s in (allowed if allowed is not None else paragraph)}
    ranked: list[tuple[int, Option]] = []
    for sentence in paragraph:
        if sentence.start not in allowed_starts:
            continue
        first = sentence is paragraph[0]
        ranked += [(0, o) for o in (_run_in_heads(sentence) if first else [])]
        ranked += [(1, o) for o in _items(sentence)]
        ranked += [(2, o) for o in _quoted(sentence)]
        ranked += [(3, o) for o in _verb_phrases(sentence)]
    seen: set[str] = set()
    out: list[Option] = []
    for _, option in sorted(ranked, key=lambda pair: (pair[0], pair[1].start)):
        if option.text not in seen and _plausible(option.text):
            seen.add(option.text)
            out.append(option)
    return out[:MAX_OPTIONS]


def _span(sentence: Sentence, start: int, end: int) -> Option | None:
    """The sentence slice [start, end) trimmed of spaces and lead characters, as an option."""
    text = sentence.text
    while start < end and (text[start].isspace() or text[start] in "的了以在将把对由为和与及、"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < MIN_OPTION_CHARS:
        return None
    return Option(sentence.start + start, sentence.start + end, text[start:end])


def _run_in_heads(sentence: Sentence) -> list[Option]:
    text = sentence.text
    ordinal = ORDINAL.match(text)
    start = ordinal.end() if ordinal else 0
    stop = _HEAD_END.search(text, start)
    if (
        stop is None
        or stop.start() - start > MAX_OPTION_CHARS
        or re.search(r"[，,“”\"]", text[start : stop.start()])
    ):
        return []  # a head is one phrase: a comma or a quotation mark makes it a clause or speech
    option = _span(sentence, start, stop.start())
    return [option] if option else []


def _items(sentence: Sentence) -> list[Option]:
    out = []
    for m in _ITEM.finditer(sentence.text):
        if m.start() and sentence.text[m.start() - 1] not in "，,；;。：: \u3000":
            continue  # `于是`, `就是`: not an ordinal
        stop = CLAUSE_SPLIT.search(sentence.text, m.end())
        end = stop.start() if stop else len(sentence.text)
        if end - m.end() <= MAX_OPTION_CHARS and (option := _span(sentence, m.end(), end)):
            out.append(option)
    return out


def _quoted(sentence: Sentence) -> list[Option]:
    return [
        Option(sentence.start + m.start(), sentence.start + m.end(), m.group(0))
        for m in QUOTED.finditer(sentence.text)
    ]


def _verb_phrases(sentence: Sentence) -> list[Option]:
    out = []
    pos = 0
    text = sentence.text
    for stop in CLAUSE_SPLIT.finditer(text + "\n"):
        start, end = pos, stop.start()
        pos = stop.end()
        clause = text[start:end]
        if not clause.strip():
            continue
        if predicate := _PREDICATE.search(clause):  # the subject of `X扎实推进`
            if (option := _span(sentence, start, start + predicate.start())) and len(
                option.text
            ) <= MAX_OPTION_CHARS:
                out.append(option)
            continue
        verbs = list(_DOING.finditer(clause))
        if verbs:  # the object of the last doing verb, to the clause's end
            object_start = start + verbs[-1].end()
            if end - object_start <= MAX_OPTION_CHARS and (option := _span(sentence, object_start, end)):
                out.append(option)
    return out


def _plausible(text: str) -> bool:
    core = text.strip('“”《》"')
    if len(core) < 2 or len(text) > NAME_CHARS or _JUNK.search(text):
        return False
    return not find_figures(QUOTED.sub("", text))  # figures are outcomes; `“117项目”` is a name
