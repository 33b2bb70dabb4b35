"""Deterministic initiative candidates and figures, shared by the `rules` and `decomposed` strategies.

Pure: an `Article` in, candidates with body offsets out; no model. A candidate is a phrase printed
in the body that names a reform, found over each clause of the stretches that report
(`summarizer.stages.sections`; section headings left out):
- a keyword-ended phrase: `…改革`, `…机制`, `…试点`, `…模式`, `…工程`, `…体系`… with the leading
  verbs and subjects trimmed (`持续深化义务教育教师“县管校聘”改革` -> `义务教育教师“县管校聘”改革`);
- a quoted name introduced by a reform verb, or the subject of its clause (`探索“反向飞地”` ->
  `“反向飞地”`);
- where a clause holds neither: in a work report, the clause shapes that report one piece of work
  (`城市更新深入实施`, `建设47.8万亩高标准农田`, `防风化债取得阶段性成效`); elsewhere, a named
  facility built (`建成浙东运河博物馆`).
Slogans and generic phrases (`全面深化改革`, `关键一招`) are dropped by a stop list and a minimum
core length. Figures are `summarizer.core.numbers.find_figures` over the candidate's sentence and the
next one in the same paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from summarizer.core.models import NAME_CHARS
from summarizer.core.numbers import Figure, find_figures
from summarizer.core.textnorm import unquote
from summarizer.ingest.article import Article
from summarizer.stages.chunking import split_sentences
from summarizer.stages.clause_names import (
    FEATURE_SHAPES,
    Shape,
    clause_head_names,
    listed_work_names,
    subject_work_names,
)
from summarizer.stages.locality import find_locality, names_of
from summarizer.stages.names import BUILT_COUNT, PROGRAM, QUOTED, trim_lead
from summarizer.stages.sections import inside, review_stretches

MAX_AWARD_CHARS = 500  # the corpus's longest clause is 332 characters
_KEYWORDS = (
    "改革|机制|试点|模式|工程|行动|计划|体系|平台|制度|品牌|举措|方案|专项|联盟|共同体|服务站|热线|"
    "示范区|先行区|产业园|飞地|基金|清单|一件事|项目|基地|科学城|产业集群|先导区|中心|建设|创建|改造|治理|整治|措施|政策|走廊|网络|市场|论坛|园区|公园|创意园|专区|科创园|攻坚战"
)
_KEYWORD_END = re.compile(rf"(?:{_KEYWORDS})(?:”|》)?")
CLAUSE_SPLIT = re.compile(r"[，,；;：:。！？!?（）()—…\n]")
# A keyword ends a name only when the phrase stops there (`改革红利`, `改革之招` are not names):
# at a joiner, a verb of result, or how the work went (`林长制改革成效突出`, `医共体改革深入推进`).
_NAME_STOPS = re.compile(
    r"(?:$|和|及|与|等|在|取得|入选|获|被|已|成功|落地|实现|成为|纳入|成效|蓬勃|(?:深入|稳步|扎实|有序|加快|全面|持续)(?:推进|推开|深化|实施))"
)
_QUOTE_VERBS = re.compile(
    r"(?:推行|实施|探索|打造|推出|创新|建立|建设|构建|开展|推广|深化|启动|试点|落地|"
    r"出台|印发|制定|发布|编制|颁布|上线|开通|创建|设立|组建|培育|形成|建成|完善|"
    r"引进|引入|绘制|发放|举办|成立|开设|搭建|下活|叫响|健全|实行|开发|研发|创设|推动|推进|购买|创办|办好|开办)"
)
_GENERIC = re.compile(
    r"^(?:全面|进一步|深化|重点|各项|各类|相关|一批|系列|多项|综合|体制|制度|工作|领域|"
    r"改革|机制|体系|试点|模式|工程|行动|计划|平台|举措|方案|的|等|和|了|其|该|这|各|新)*$"
)
_NOT_NAMES = re.compile(
    r"简称|深化改革|一批|符合|以来|相关|其中|改革之|之改革|"
    # clause fragments, not names: a verb or a quantifier inside (`改革贵在行动`, `一项系统工程`)
    r"在行动|迅速|源自|视为|充分利用|搭建|基本实现|牢牢|^一项|^一个|^一套|^起|^其|"
    # a clause, not a name: it opens with a modal, a conjunction, a pronoun or a result verb, or
    # holds a copula, 把, 将其 or 成为 (`努力把毕节试验区建设`, `但这是一个系统性工程`, `建成亚洲最大的…中心`,
    # `“白鹭岛”成为彰显…治理`), or opens with a demonstrative (`这一模式`)
    r"^(?:努力|如何|离不开|但|也|则|我们|等|建成|原计划|望|具有|采用|结合|参与|采取|打响|加强|切实|随着|按照|保障(?!性)|一系列|让|各项)|"
    # a conjunction opening a clause (`并与…共建产业园`), a shortcoming (`…能力有待加强`), words to
    # the reader (`为您带来…`) or an order (`郑州立即行动`)
    r"^并(?=[与在将对把向从以为])|有待|为您|立即|利用其|[^“]我们|"
    # a market reached for, not one built (`拓展国内外市场`, `打开海外市场`; `交易市场` is built)
    r"(?:拓展|开拓|打开|共享|搞活|抢占|开辟|发往)[^，]*市场$|"
    # what a place is (`全国重要的新能源汽车产业基地`), kinds of firms or people counted
    # (`龙头企业`, `行业专家人才`; a quoted class such as `“瞪羚”企业` is a program's), a modal clause
    r"^(?:全国|国内|省内)[^“”]{0,12}(?:重要|唯一|最大)的|^[^“”]*(?:企业|人才)$|^(?:可(?!持续)|才能)|"
    r"把|是|将其|成为|^[这那]|为中心$|"
    # a subject with its award (`园区还获评…`), a count of works (`…等33个项目`), a span of work
    # (`从…到…`), a fragment of a list (`、加力`), a place's reform in general (`永州的改革`)
    r".(?:获评|荣获)|等[0-9０-９]+[个家项]|^从[^的]{2,}到[^的]*$|^、|、$|^[^“”《》]{1,6}的(?:改革|建设|治理)$"
)
# Results without a figure: an award, a listing among models, a national or provincial first.
_AWARD = re.compile(
    r"入选|获评|荣获|获得|上榜|被认定为|被评为|列入|被纳入|获批|成功创建|走在全省前列|在全省推行|全省首个|全国首个|率先"
)
_STOP = {"关键一招", "百千万工程", "头号工程", "一把手", "牛鼻子", "冲锋号", "先手棋", "关键棋", "制胜棋"}
# National strategies and standing duties: the frame of a locality's work, never a piece of it
# (none is an initiative in any gold file: seeds, corpus, unseen sets).
_FRAMES = {"改革开放", "高质量发展", "共同富裕", "创新驱动发展战略", "作风建设", "生态建设"}
# What a locality-wide indicator counts (`城镇新增就业`, `市场经营主体`, `医疗卫生机构床位`): the
# guidelines' indicators, reported for the whole locality, not a piece of its work.
_INDICATORS = re.compile(
    r"^(?:城镇(?:新增)?就业|重点群体就业|(?:市场)?经营主体|市场主体|就业岗位|(?:医疗(?:卫生机构)?)?床位|"
    r"规(?:模以)?上(?:工业)?企业|规模工业企业)$"
)
# A plan period and its plan are the frame of the work, not a piece of it (`“十四五”规划目标`).
_PLAN_PERIOD = re.compile(r"^“?十[三四五]五”?(?:规划|时期|期间|规划纲要)?(?:目标|任务)*$")


@dataclass(frozen=True)
class Sentence:
    start: int  # body offsets
    end: int
    text: str
    paragraph: int


@dataclass
class Candidate:
    name: str
    start: int  # body offsets of the name
    end: int
    sentence: Sentence
    figures: list[Figure] = field(default_factory=list)  # offsets into the body
    awards: list[Award] = field(default_factory=list)


@dataclass(frozen=True)
class Award:
    """A clause reporting a result without a figure: an award, a listing, a first (body offsets)."""

    start: int
    end: int


def sentences(body: str) -> list[Sentence]:
    """The body's sentences with the index of the line (paragraph) each sits in."""
    found, paragraph, last_end = [], 0, 0
    for start, end in split_sentences(body):
        paragraph += body.count("\n", last_end, start)
        text = body[start:end].rstrip("\n")
        if text.strip():
            found.append(Sentence(start, start + len(text), text, paragraph))
        last_end = start
    return found


# A title in 《》 is one name even with a colon or a comma inside (`《黑神话：悟空》`), and so is a short
# quoted name (`“畅玩冰雪登长城，尽享汤泉憩民宿”`); a quoted sentence (`“…整治。”`) is split as usual.
_TITLE = re.compile(r"《[^《》\n]{1,28}》|“[^“”\n。！？!?]{1,24}”")


def _clauses(sentence: Sentence) -> list[tuple[int, str]]:
    out, pos = [], 0
    titles = (
        [m.span() for m in _TITLE.finditer(sentence.text)]
        if "《" in sentence.text or "“" in sentence.text
        else []
    )
    title = 0  # the first title not ending before the separator: one pass over both, in order
    for m in CLAUSE_SPLIT.finditer(sentence.text + "\n"):
        while title < len(titles) and titles[title][1] <= m.start():
            title += 1
        if title < len(titles) and titles[title][0] < m.start():
            continue  # inside a title
        if m.start() > pos:
            out.append((sentence.start + pos, sentence.text[pos : m.start()]))
        pos = m.end()
    return out


_BUILDING_STATUS = re.compile(r"(?:加快|开工|启动|全面|加速|正式|有序|扎实|稳步)+建设$")


def _keyword_names(offset: int, clause: str) -> list[tuple[int, int]]:
    names: list[tuple[int, int]] = []
    previous_end = 0  # a list (`A改革、B改革`) starts each name after the one before
    for m in _KEYWORD_END.finditer(clause):
        run_in = not _NAME_STOPS.match(clause, m.end())
        if run_in and not (clause.startswith("方面", m.end()) and PROGRAM.search(m.group())):
            continue
        head = clause[previous_end : m.end()]
        start = previous_end + trim_lead(head)
        if run_in and m.start() - start < 4 and "”" not in clause[start : m.start()]:
            continue  # a program names a run-in head (`在人才聚能工程方面`); a field does not (`在水利工程方面`)
        previous_end = end = m.end()
        if (status := _BUILDING_STATUS.search(clause, start, end)) and status.start() - start >= 3:
            end = status.start()  # `外送通道开工建设`: the work is 外送通道, 开工建设 its status
        if end - start <= NAME_CHARS and _quotes_balanced(clause[start:end]):
            names.append((offset + start, offset + end))
    return names


def _quotes_balanced(name: str) -> bool:
    depth = 0
    for ch in name:
        depth += {"“": 1, "”": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _quoted_names(offset: int, clause: str, opens_sentence: bool = False) -> list[tuple[int, int]]:
    if not _QUOTE_VERBS.search(clause):
        # a quoted name as the clause's subject (`“海河之夜”焕新靓丽`) names what was done too, and
        # so does one opening a sentence alone (a run-in head: `“土陶+文旅”，塑造特色品牌。`); not
        # one alone inside a sentence (a saying: `地处腹地，“九山半水半分田”，…`) or a modifier
        # (`“七山两岭一分川”的地形`)
        first = QUOTED.match(clause)
        alone = first is not None and not clause[first.end() :].strip()
        if not first or (alone and not opens_sentence) or clause.startswith("的", first.end()):
            return []
        return [(offset + first.start(), offset + _with_kind(clause, first.end()))]
    return [
        (offset + m.start(), offset + _with_kind(clause, m.end()))
        for m in QUOTED.finditer(clause)
        if not clause[max(0, m.start() - 3) : m.start()].endswith(_AWARDED)
    ]


# What a quoted name is a name of, printed right after it (`“夜托”服务`, `“周六解题”活动`): part of it.
_QUOTED_KIND = re.compile(
    rf"(?:改革|机制|模式|工程|行动|计划|体系|平台|制度|品牌|专项|项目|服务|活动|IP|工作法|大赛|旅游季|文化节|"
    rf"[\u4e00-\u9fff]{{0,3}}?(?:服务队|沙龙|工作室|服务站|驿站|论坛|联盟|基金|宣讲团|专班|专栏|栏目))"
    rf"(?={_NAME_STOPS.pattern}|[^\u4e00-\u9fff])"
)


def _with_kind(clause: str, end: int) -> int:
    kind = _QUOTED_KIND.match(clause, end)
    return kind.end() if kind else end


# The title an award or a listing gives (`入选“2024中国改革年度案例”`, `获评“中国好人”`): a result,
# not the name of a piece of work.
_AWARDED = ("入选", "获评", "荣获", "被评为", "评为", "荣膺", "获得", "授予")


# A name may start with digits (`520PARK文创公园`, `5G基站`), not with a count or a share (`39个…`).
_COUNT_FIRST = re.compile(r"[0-9０-９.]+(?:[万亿千百]|余|多|[%％]|[个家项座所条批处套户人名亩次年月日倍])")


def is_name(name: str) -> bool:
    core = name.strip('“”《》"')
    if (
        len(name) > NAME_CHARS
        or len(core) < 3
        or core in _STOP
        or _NOT_NAMES.search(name)
        or _PLAN_PERIOD.match(name)
        or core in _FRAMES
        or _INDICATORS.match(core)
    ):
        return False
    keyword = _KEYWORD_END.search(name)
    if keyword and keyword.end() == len(name) and len(name[: keyword.start()].strip("“”《》 ")) < 2:
        return False
    if _GENERIC.match(re.sub(r"[“”《》\"]", "", name)):
        return False
    if name.endswith("”") and "，" in name:
        return False  # a saying or a line of speech (`“秧好一半禾，苗好七分收”`), unless its kind follows
    return not (
        _COUNT_FIRST.match(name)
        or BUILT_COUNT.match(name)
        or re.search(r"[0-9０-９]{4}年|我市|我县|我区|全市|全县|全区|全省", name)
    )


def is_work_report(article: Article) -> bool:
    """A government work report (政府工作报告): the title says so, or the speech opens `各位代表`.

    Its review lists one piece of work per clause, often with no reform keyword
    (`城市更新深入实施`, `建设47.8万亩高标准农田`), so clause patterns name them. In a newspaper
    feature the same clause shapes are mostly narrative (on the seeds and the dev split they
    cost more precision than they gave recall), so they stay off there."""
    return "工作报告" in article.title or "各位代表" in article.body[:3000]


def is_heading(body: str, sentence: Sentence) -> bool:
    """A line of its own, short and without a full stop: a section heading (`（四）有力有效推进城市
    治理`, `打造一流产业承载平台`) names a field of work, not a piece of work (on the seeds and the
    dev split 1 heading name in 10 was an initiative); its work is named in the text under it.
    `find_candidates` still keeps a heading's name of a program (`PROGRAM`): a plan of
    `六大提升行动` heads each section with one."""
    at_line_start = sentence.start == 0 or body[sentence.start - 1] == "\n"
    at_line_end = sentence.end == len(body) or body[sentence.end] == "\n"
    return (
        at_line_start
        and at_line_end
        and len(sentence.text) <= 40
        and not sentence.text.rstrip().endswith(("。", "；", "！", "？", ";", "!", "?"))
    )


def find_candidates(article: Article) -> list[Candidate]:
    """Initiative candidates in order of first mention, one per reform, from the stretches that
    report what was done (`summarizer.stages.sections`)."""
    body = article.body
    found = _NameIndex()
    all_sentences = sentences(body)
    report = is_work_report(article)
    # the shapes that name a clause's work where it prints no name, the first that gives one; in a
    # feature, a sentence naming no work at all may still say what the locality did
    shapes = (listed_work_names, clause_head_names) if report else (listed_work_names, *FEATURE_SHAPES)
    last_resort = None if report else subject_work_names(_subject_of(article))
    review = review_stretches(body)
    for index, sentence in enumerate(all_sentences):
        if not inside(review, sentence.start):
            continue  # a plan's mention neither names work done nor replaces one that does
        clauses = _clauses(sentence)
        spans = _sentence_names(body, sentence.start, clauses, shapes)
        if not spans and last_resort is not None:
            spans = [s for offset, clause in clauses for s in _names_of(body, last_resort(offset, clause))]
        heading = is_heading(body, sentence)
        nearby: tuple[list[Figure], list[Award]] | None = None  # once per sentence, not per name
        for start, end in spans:
            name = body[start:end]
            if heading and not PROGRAM.search(name):
                continue  # a heading names a field of work, unless it names a program
            nearby = nearby or (nearby_figures(all_sentences, index), nearby_awards(all_sentences, index))
            found.add(Candidate(name, start, end, sentence, *nearby))
    return found.found


def _sentence_names(
    body: str, sentence_start: int, clauses: list[tuple[int, str]], shapes: Sequence[Shape]
) -> list[tuple[int, int]]:
    """The names of each clause of a sentence: those printed, the longest of them (a name inside a
    span that is none survives: `“琢玉工程”` of `加强“琢玉工程”建设`); with none, the clause's shape
    names its work (`推出7批170个人民至上微改革项目`)."""
    spans: list[tuple[int, int]] = []
    for offset, clause in clauses:
        printed = _keyword_names(offset, clause) + _quoted_names(offset, clause, offset == sentence_start)
        spans += _drop_contained(_names_of(body, printed) or _first_shaped(body, shapes, offset, clause))
    return spans


def _subject_of(article: Article) -> str:
    """A pattern of the names the article's locality goes by as a subject (`locality.names_of`:
    `杭州市拱墅区`, 拱墅区, 拱墅), and 该县/全市/我区."""
    names = sorted((n for n in names_of(find_locality(article).name) if len(n) >= 2), key=len, reverse=True)
    return "|".join([*map(re.escape, names), "[该全我][省市县区州旗镇]"])


def _first_shaped(body: str, shapes: Sequence[Shape], offset: int, clause: str) -> list[tuple[int, int]]:
    """The names the first shape that gives any finds in the clause."""
    for shape in shapes:
        if spans := _names_of(body, shape(offset, clause)):
            return spans
    return []


def _names_of(body: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans that are names, sorted, each once."""
    return sorted({(a, b) for a, b in spans if is_name(body[a:b])})


def candidate_at(name: str, start: int, all_sentences: list[Sentence], index: int) -> Candidate:
    """The candidate `name` printed at body offset `start` in sentence `index`, with what it reports."""
    return Candidate(
        name,
        start,
        start + len(name),
        all_sentences[index],
        nearby_figures(all_sentences, index),
        nearby_awards(all_sentences, index),
    )


def add_candidate(found: list[Candidate], candidate: Candidate) -> None:
    """Append, or let a fuller name of the same reform replace the one already found."""
    index = _NameIndex(found)
    index.add(candidate)
    found[:] = index.found


class _NameIndex:
    """Candidates, one per reform: two names are one reform when they differ only in quotes and a
    trailing reform word (`“反向飞地”` and `反向飞地模式`, `县管校聘` and `县管校聘改革`), or when they
    print the same quoted name (`“一照通”` and `“一照通”+“信易批”审批服务改革`); the fuller name
    replaces the first one found, at its place. A name merely inside another (`城市更新` in
    `城市更新条例`, `高标准农田` in `高标准农田建设示范区`) is another reform: both are kept. A few
    dictionary lookups per name, so a page of thousands of names costs a pass over them."""

    def __init__(self, found: list[Candidate] | None = None) -> None:
        self.found: list[Candidate] = []
        self._at: dict[str, int] = {}  # reform key or quoted name -> index in found
        for candidate in found or ():
            self.add(candidate)

    def add(self, candidate: Candidate) -> None:
        keys = [reform_key(candidate.name), *(f"“{q}”" for q in _QUOTED_CORE.findall(candidate.name))]
        index = next((self._at[k] for k in keys if k in self._at), None)
        if index is None:
            index = len(self.found)
            self.found.append(candidate)
        elif len(unquote(candidate.name)) > len(unquote(self.found[index].name)):
            self.found[index] = candidate
        for key in keys:
            self._at.setdefault(key, index)


_QUOTED_CORE = re.compile(r"“([^“”]{2,16})”")
_REFORM_SUFFIX = re.compile(r"(?:改革|模式|机制|工程|行动|试点|品牌|制度|平台|项目|建设|举措|措施|政策)$")


def reform_key(name: str) -> str:
    """What identifies a reform's name: no quotes or spaces, no trailing reform word."""
    key = unquote(name)
    stripped = _REFORM_SUFFIX.sub("", key)
    return stripped if len(stripped) >= 2 else key


def _drop_contained(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans not inside another one, in order; one sorted pass (a clause may hold thousands)."""
    kept, reach = set(), -1
    for span in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if span[1] > reach:  # no earlier span (starting at or before it) reaches its end
            kept.add(span)
            reach = span[1]
    return [s for s in spans if s in kept]


def _sentence_and_next(all_sentences: list[Sentence], index: int) -> list[Sentence]:
    chosen = [all_sentences[index]]
    if (
        index + 1 < len(all_sentences)
        and all_sentences[index + 1].paragraph == all_sentences[index].paragraph
    ):
        chosen.append(all_sentences[index + 1])
    return chosen


def nearby_awards(all_sentences: list[Sentence], index: int) -> list[Award]:
    """Clauses of sentence `index` and the next one in its paragraph that report a recognition."""
    awards = []
    for sentence in _sentence_and_next(all_sentences, index):
        for offset, clause in _clauses(sentence):
            if (award := _AWARD.search(clause)) and not find_figures(clause):
                start, end = _award_window(len(clause), award.start(), award.end())
                awards.append(Award(offset + start, offset + end))
    return awards


def _award_window(length: int, start: int, end: int) -> tuple[int, int]:
    """The whole clause, or a window around the award word when the clause runs on (no punctuation)."""
    if length <= MAX_AWARD_CHARS:
        return 0, length
    left = max(0, start - (MAX_AWARD_CHARS - (end - start)) // 2)
    return left, min(length, left + MAX_AWARD_CHARS)


def nearby_figures(all_sentences: list[Sentence], index: int) -> list[Figure]:
    """Figures of sentence `index` and of the next sentence in the same paragraph."""
    figures: list[Figure] = []
    for sentence in _sentence_and_next(all_sentences, index):
        figures.extend(figure.shifted(sentence.start) for figure in find_figures(sentence.text))
    return figures


def sentence_of(all_sentences: list[Sentence], body_index: int) -> Sentence | None:
    for sentence in all_sentences:
        if sentence.start <= body_index < sentence.end:
            return sentence
    return None
