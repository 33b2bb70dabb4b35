"""Names from the shape of a clause, where a clause holds no keyword or quoted name: in a
government work report, the clauses that report one piece of work (`城市更新深入实施`,
`建设47.8万亩高标准农田`, `防风化债取得阶段性成效`); elsewhere, a named facility built
(`建成浙东运河博物馆`) or counted work (`全县共组建社区服务工作组28个`). Pure: a clause in, spans of
names (offsets from `offset`) out."""

from __future__ import annotations

import re
from collections.abc import Callable

from summarizer.core.models import NAME_CHARS
from summarizer.stages.names import ORDINAL, trim_lead

# A clause that reports one piece of work done: `<name><adverb><status>` (`城市更新深入实施`,
# `京津冀协同发展深入拓展`) or `<adverb><action><quantity><name>` (`建设47.8万亩高标准农田`,
# `扎实开展党史学习教育`). Used only where a clause holds no keyword or quoted name that is a name.
_ADVERBS = (
    "深入|扎实|有序|稳步|加快|加速|全面|持续|顺利|有效|成功|圆满|不断|基本|率先|实质性|纵深|高效|"
    "进一步|积极|着力|大力|加紧|已|均|先后|相继|陆续|正式|初步|正在|全部|稳健|已经|累计|高质量|高标准|高水平"
)
_STATUS = (
    "推进|实施|建设|开展|拓展|推开|举办|运行|盘活|布局|落地|提速|通车|投用|投产|上线|开工|扩面|"
    "启用|运营|运行|铺开|完成|落户|开诊|开馆|建成|投运|投入|使用|融合|成势|形成|出圈|入轨|"
    # what a report says of work that came off (`“河北净菜”在京津深受欢迎` has its subject first)
    "取得(?:新|重大)?(?:突破|成效|进展)|成效(?:显著|明显)|成果丰硕|走在(?:全国|全省)?前列|影响广泛|"
    "深受欢迎|惊艳|震撼人心|焕新|擦亮|实现全覆盖|全覆盖"
)
_HEAD_STATUS = re.compile(rf"^(?P<name>.{{3,24}}?)(?:{_ADVERBS})*(?:{_STATUS})+$")
# `<name><adverb><result>…`: a clause that opens with a piece of work and goes on to say it was
# finished or came off (`防风化债取得阶段性成效`, `个人养老金制度全面实施、开户602万人`). Only
# verbs of work done: with `达到`, `提高`, `突破`, `保持`, `入选` the clause is mostly a
# locality-wide indicator or a standard (`优良天数比例达到77%`, `最低工资标准每月提高183元`;
# on the dev split 50 of 177 such names were initiatives).
_RESULTS = (
    "建成|投运|投产|开通|通车|通水|启动|开工|落户|贯通|交付|升空|首播|升格|全面实施|"
    "取得(?:重大|阶段性|突破性|决定性)?(?:成效|进展|战果|胜利|突破)"
)
_HEAD_RESULT = re.compile(rf"^(?P<name>[^0-9０-９]{{2,19}}?[^0-9０-９、])(?:{_ADVERBS}|实现)*(?:{_RESULTS})")
_ACTIONS = (
    "实施|推进|推动|开展|建设|新建成|新建|建成|完成|启动|举办|办好|打造|筹建|改造|培育|组建|设立|出台|"
    "健全|构建|创建|开通|引进|引入|导入|建立|推行|承办|审议通过|新开工|整治|治理|修复|加大|提升|提高|"
    "增设|布局|新增|打通|推广|承接|争取|新改扩建|改扩建|新改造|推出|选派|引育|投入"
)
_QUANTITY = (
    r"(?:[0-9０-９.]+|[一二三四五六七八九十百千]+)(?:万|亿)?(?:余|多)?"
    r"(?:亩|个|家|项|条|座|所|处|批|套|间|公里|千米|户|人|次|名|辆|张|栋|台|套（间）)"
)
# The action, then up to two counts (`推出7批170个人民至上“微改革”项目`, `新选派601名…`).
_ACTS_AND_COUNTS = (
    rf"(?:{_ADVERBS})*新?(?:{_ACTIONS})+"
    rf"(?:{_QUANTITY}|(?:[0-9０-９.]+|[一二三四五六七八九十百千]+)(?:万|亿)?(?:余|多)?){{0,2}}"
)
_ACTION_HEAD = re.compile(rf"^(?:我们|全省|全市|全区|全县)?{_ACTS_AND_COUNTS}")
# In a feature the same counted work often follows its doer or its time (`全县共组建社区服务工作组28个`,
# `5年来完成森林抚育1031.1万亩`, `沧县建成非遗传承基地、传习所和研究室20余处`): up to 8 characters.
_SUBJECT_ACTION = re.compile(rf"^(?:[^，、]{{0,8}}?(?:共|累计|已|先后|新)?)?{_ACTS_AND_COUNTS}")
_LISTED_QUANTITY = re.compile(rf"{_QUANTITY}(?:（[^（）]{{1,4}}）)?、")
_TAIL = re.compile(rf"(?:任务|工作|力度|等|(?:超|近|约|达)?(?:{_QUANTITY}|[0-9０-９.]+[多余]?[万亿]?元))$")
# Not a name: a clause fragment (opens with a particle or conjunction), a slogan of direction, a
# count (`养老机构357家`), or a whole clause with a subject and verb.
_NOT_HEAD_NAMES = re.compile(
    r"^[了和与及的为并将其后向居由从对在把被让使]|新格局$|新高地$|增长极$|新赛道$|新成效$|生态圈$|"
    r"[0-9０-９]+(?:万|亿)?(?:余|多)?[亩个家项条座所处批套间户人次名]|正$|再$|向$|共$|超过$|以上$|^分点|总投资"
)


def _worked_on(clause: str, start: int) -> tuple[int, int]:
    """What an action head's clause works on, from `start`: its tail and the items after the first cut."""
    end = len(clause)
    if t := _TAIL.search(clause, start):
        end = t.start()
    if q := _LISTED_QUANTITY.search(clause, start, end):
        end = q.start()  # `改造城镇老旧小区7323个、棚户区5.2万套`: the first item names the work
    return start, end


_COUNT = re.compile(_QUANTITY)


def counted_work_names(offset: int, clause: str) -> list[tuple[int, int]]:
    """Outside work reports, a clause that counts the work it did names that work, as a span
    (`完成森林抚育1031.1万亩`, `全县共组建社区服务工作组28个`): the fresh pages' labelers marked these,
    and on the seeds, the dev split and four sets of pages they gained as much as they cost in
    precision (initiative F1 0.500 -> 0.521 on eight pages, 0.585 -> 0.597 on five; outcome F1 up on each)."""
    if len(clause) > 40 or not _COUNT.search(clause):
        return []
    if m := _SUBJECT_ACTION.match(clause):
        start, end = _worked_on(clause, m.end())
        if 3 <= end - start <= 20 and not _NOT_HEAD_NAMES.search(clause[start:end]):
            return [(offset + start, offset + end)]
    return []


def clause_head_names(offset: int, clause: str) -> list[tuple[int, int]]:
    if len(clause) > 40:
        return []
    if ordinal := ORDINAL.match(clause):  # `二是国际…合作中心正式运行`: the item, not its number
        shift = ordinal.end()
        return [(offset + shift + s, offset + shift + e) for s, e in clause_head_names(0, clause[shift:])]
    start, end = -1, -1
    if m := _HEAD_STATUS.match(clause):
        start, end = trim_lead(m["name"]), m.end("name")
    elif m := _ACTION_HEAD.match(clause):
        start, end = _worked_on(clause, m.end())
    elif m := _HEAD_RESULT.match(clause):  # after the action head: `累计新建成…` is an action
        start, end = trim_lead(m["name"]), m.end("name")
    if 3 <= end - start <= 20 and not _NOT_HEAD_NAMES.search(clause[start:end]):
        return [(offset + start, offset + end)]
    return []


# Outside work reports, a clause that ends by building a named facility names it (`建成浙东运河博物馆`,
# `成立河南省农业科学院西峡分院`): 3 of 3 were initiatives on seeds and dev. So does one that sets up
# a counted body (`成立20个助企服务工作组`; unseen pages).
# What a named facility's name ends with, in both shapes below.
_PLACE_KINDS = "馆|院|园|中心|基地|学校|公司|街区|景区|小镇|综合体|园区"
_BUILT_FACILITY = re.compile(
    r"^(?:[^，]{0,8}?)(?:打造|建成|成立|设立|组建|建设|新建|引进|落地)"
    rf"(?:{_QUANTITY})?"
    rf"(?P<name>[^，、]{{2,20}}?(?:{_PLACE_KINDS}|站|学院|分院|工作组|专班|小组|服务队|联盟|驿站))$"
)


_FACILITY_KINDS = (
    f"{_PLACE_KINDS}|工厂|厂|产线|生产线|项目|实验室|研究院|"
    "科学城|装置|酒店|机场|码头|枢纽|水库|高铁|铁路|高速公路|高速|大桥"
)
# A clause whose subject is a named facility or project that opened, was finished or moved in
# (`蔡志忠美术馆在高平正式开馆`, `比亚迪合肥基地落户长丰县下塘镇`, `…的ITO靶材项目建成投产`).
_DONE = (
    "建成投产|完成并投产|竣工投用|投入运营|投入使用|建成通车|建成|投产|通线|开馆|开业|开城|落户|下线|揭牌|"
    "开园|竣工|投用|投运|启用|通车|入驻"
)
_DONE_WORD = re.compile(_DONE)
_FACILITY_DONE = re.compile(
    rf"^(?:[^，]*的)?(?P<name>[^，、的在于]{{3,24}}?(?:{_FACILITY_KINDS}))(?:在[^，]{{2,8}}?|于[^，]{{1,6}}?)?"
    rf"(?:{_ADVERBS})*(?:{_DONE})"
)


# Not a facility's name: a count, a pronoun or a time word, or two things joined (`这座新馆`,
# `随后该公司`, `截至目前已有30个项目`, `企业和项目`).
_NOT_FACILITY = re.compile(r"[0-9０-９]|^(?:这|该|那|其|随后|目前|截至|越来越多|一大批|一批|多个)|和|及|与")


def opens_as_done(name: str, text: str) -> bool:
    """Whether `text`, which starts with `name`, says that facility or project opened, was finished
    or moved in (`渝缅集团国际航空物流结算中心项目落户`)."""
    m = _FACILITY_DONE.match(text) if _DONE_WORD.search(text, len(name)) else None
    return m is not None and m.start("name") == 0 and m.end("name") == len(name)


def built_facility_names(offset: int, clause: str) -> list[tuple[int, int]]:
    """The facility a clause ends by building, or opens with as finished, as a span."""
    if m := _BUILT_FACILITY.match(clause):
        return [(offset + m.start("name"), offset + m.end("name"))]
    if _DONE_WORD.search(clause) and (m := _FACILITY_DONE.match(clause)):
        start = m.start("name") + trim_lead(m["name"])
        if not _NOT_FACILITY.search(clause[start : m.end("name")]):
            return [(offset + start, offset + m.end("name"))]
    return []


# A clause listing works by name, then their kind (`中兰高铁、乌玛高速…等交通项目开工或通车`,
# `圆满举办4届南博会、3届华商聚云南…等系列活动`): the list names the work, whole
# where it fits a name, else its first item (as labelers name them: `中兰高铁等交通项目`).
_LISTED_WORKS = re.compile(
    rf"^(?:(?:{_ADVERBS})*(?:{_ACTIONS})(?:{_QUANTITY}|[0-9０-９]+届)?)?"
    r"(?P<first>[^、，等]{2,20}?)、[^，]*?等(?:[^、，等]{0,6}?)(?:项目|活动|工程|大会|赛事)"
)
_ACTS = re.compile(rf"{_ACTIONS}|通过|支持|组织|吸引|参加|参与|踊跃|带动|鼓励|引导|动员")


def listed_work_names(offset: int, clause: str) -> list[tuple[int, int]]:
    """The works a clause lists by name before their kind, as one span (or the first item's)."""
    m = _LISTED_WORKS.match(clause) if "、" in clause and "等" in clause else None
    if not m or _ACTS.search(m["first"]) or _ACTS.search(clause, m.end("first"), m.end()):
        return []  # `园区先后引进中嶒能源、…`, `组织党员、干部等参加志愿活动`: a clause, not a list of works
    start = m.start("first") + trim_lead(m["first"])  # `持续做靓火锅美食文化节、…` names the festival
    end = m.end() if m.end() - start <= NAME_CHARS else m.end("first")
    return [(offset + start, offset + end)]


# Outside work reports, a clause whose subject is the locality itself says what it did: the verb
# and its object name the work (`嘉鱼县推动蔬菜产业链条向上下游延伸`, `遵义正深入推进大数据与实体经济深度融合`).
_SUBJECT_VERBS = (
    "推动|推进|实施|开展|建设|打造|培育|组建|设立|出台|健全|构建|创建|建立|推行|探索|完善|深化|加快|发展|"
    "做大做强|做强|做优|引进|搭建|强化|优化|提升"
)
_SUBJECT_ADVERBS = "大力|积极|持续|加快|全面|深入|着力|不断|坚持|扎实|还|也|先后|正|已"
# Not a piece of work: a plan (`…发展目标`), a title (`深化改革工作综述`), a clause leading to
# another (`…的基础上`, `…的同时`) or an exhortation (`…刻不容缓`).
_NOT_SUBJECT_WORK = re.compile(r"(?:目标|任务|综述|基础上|同时)$|刻不容缓")


def subject_work_names(subject: str) -> Shape:
    """The shape of a clause opened by `subject` (a pattern of the locality's names) and a verb of
    work: the verb and its object, as a span."""
    clause_of_work = re.compile(
        rf"^(?:{subject})(?:[\u4e00-\u9fff]{{0,6}}?(?:{_SUBJECT_ADVERBS}))?"
        rf"(?P<name>(?:{_SUBJECT_VERBS})[^，]{{3,16}})$"
    )

    def names(offset: int, clause: str) -> list[tuple[int, int]]:
        m = clause_of_work.match(clause)
        if not m or _NOT_SUBJECT_WORK.search(m["name"]):
            return []
        return [(offset + m.start("name"), offset + m.end("name"))]

    return names


# A shape: a clause (at body offset `offset`) in, spans of the names its shape gives out.
Shape = Callable[[int, str], list[tuple[int, int]]]
# Outside work reports, the shapes of a clause that name its work, in order: a facility built or
# opened, then counted work.
FEATURE_SHAPES: tuple[Shape, ...] = (built_facility_names, counted_work_names)
