"""What the words of a question say about its topic, beyond the classifier's scores: a vague family of services
("那个补贴的事儿") is asked about, not handed to a person; a rural resident's pension is the resident pension; a
card that stopped working is a card problem, not a first application; a death in the family is met with condolence.

Each rule only moves the decision among the services the guides hold; emergencies and an explicit request for a
person are decided before any of this.
"""

from __future__ import annotations

import dataclasses
import re

from assistant import intents
from knowledge.decision import Decision, Scored
from knowledge.schema import Guide

# Words that name a family of services without saying which one: the citizen is asked which they mean.
FAMILIES: dict[str, tuple[str, ...]] = {
    "补贴": ("补贴", "补助", "津贴", "救助"),
    "社保卡": ("社保卡",),
    "社保": ("社保", "社会保险"),
    "身份证": ("身份证",),
    "养老金": ("养老金", "养老保险"),
    "公积金": ("公积金",),
    "医保": ("医保",),
}
_FAMILY_WORDS = {word: family for family, words in FAMILIES.items() for word in words}
_FAMILY = re.compile("|".join(sorted(_FAMILY_WORDS, key=len, reverse=True)))
VAGUE = 12  # characters: a question this short that names only a family is asked about
BEREAVEMENT_GUIDES = ("death-deregistration", "funeral-services", "survivor-funeral-subsidy", "property-inheritance")

_KIN = r"(爸|妈|父亲|母亲|老伴|丈夫|妻子|老公|老婆|爷爷|奶奶|姥姥|姥爷|外公|外婆|公公|婆婆|儿子|女儿|老人|家里人|亲人)"
_BEREAVED = re.compile(rf"去世|过世|离世|逝世|病故|病逝|亡故|故去|死了|死亡|后事|丧事|丧葬|遗属|抚恤"
                       rf"|{_KIN}[^。]{{0,4}}(走了|没了)(?![^。]{{0,6}}(回来|回家|找|半天|多久|一会|出去|去哪|影))")

_RURAL = re.compile(r"农村|农民|种地|务农|村里|村上|乡下|老家村|没上过班|没单位|没有单位|没工作过|城乡居民|新农保|农保")
_CLAIMING = re.compile(r"领|办|申请|到岁数|到年龄|满60|到60|60岁|交")
_CHECKING = re.compile(r"查|到账|涨|调整|少了|多少钱")
EMPLOYEE_PENSION = "pension-claim"
PENSION_INQUIRY = "pension-inquiry"
RESIDENT_PENSION = "resident-pension-enroll"

_CARD = re.compile(r"社保卡")
_STOPPED = re.compile(r"用不了|不能用|不好用|刷不了|刷不出|刷不上|读不出|读不了|失灵|坏了|消磁|没反应|锁了|被锁|"
                      r"冻结|失效|不管用|插不进|取不出钱|突然不行")
FIRST_CARD = "social-security-card-apply"


def bereaved(text: str) -> bool:
    """The question speaks of a death in the family: the answer begins with condolence."""
    return _BEREAVED.search(text) is not None


def steer(text: str, decision: Decision, guides: dict[str, Guide]) -> Decision:
    """The decision, moved where the question's words say it belongs (or as it was)."""
    for rule in (_rural_pension, _stopped_card, _vague_family, _bereavement):
        steered = rule(text, decision, guides)
        if steered is not None:
            return steered
    return decision


def _rural_pension(text: str, decision: Decision, guides: dict[str, Guide]) -> Decision | None:
    """"我是农村的，养老金怎么领": the employee pension is for those who paid through work."""
    if RESIDENT_PENSION not in guides or decision.action not in ("answer", "clarify") or not _RURAL.search(text):
        return None
    claiming = decision.label == PENSION_INQUIRY and _CLAIMING.search(text) and not _CHECKING.search(text)
    if decision.label != EMPLOYEE_PENSION and not claiming:
        return None
    return dataclasses.replace(decision, label=RESIDENT_PENSION, action="answer",
                               ranking=_first(decision.ranking, (RESIDENT_PENSION,)), reason="topic:rural-pension")


def _stopped_card(text: str, decision: Decision, guides: dict[str, Guide]) -> Decision | None:
    """"社保卡用不了了": the card they have is the problem (activate, unlock, replace), not a first card."""
    if not (_CARD.search(text) and _STOPPED.search(text)):
        return None
    ranking = tuple(s for s in decision.ranking if s.id != FIRST_CARD) + tuple(
        s for s in decision.ranking if s.id == FIRST_CARD)
    if decision.label != FIRST_CARD:
        return dataclasses.replace(decision, ranking=ranking) if decision.action == "clarify" else None
    best = next(s for s in ranking if s.id in guides and "社保卡" in guides[s.id].title)
    return dataclasses.replace(decision, label=best.id, ranking=ranking, reason="topic:card-stopped")


def _vague_family(text: str, decision: Decision, guides: dict[str, Guide]) -> Decision | None:
    """"问下那个补贴的事儿": a family of services named, none of them: ask which, rather than hand over."""
    if decision.reason.startswith("rule:") or decision.reason == "empty":
        return None
    if decision.action == "human" and intents.mentions_a_person(text):
        return None  # "高龄津贴的事叫个人来跟俺说": a person, as asked
    # A long question says more than its family word: the classifier's own choices stand.
    vague = decision.action in ("human", "out_of_scope") or (decision.action == "clarify" and len(text) <= VAGUE)
    if not vague:
        return None
    found = _FAMILY.search(text)
    if found is None:
        return None
    words = FAMILIES[_FAMILY_WORDS[found.group()]]
    members = tuple(g.id for g in guides.values() if any(w in g.title for w in words))
    return _asking(decision, members, "topic:family")


def _bereavement(text: str, decision: Decision, guides: dict[str, Guide]) -> Decision | None:
    """"我爸去世了，要办什么手续": the few things a family does after a death, to choose from."""
    if decision.action not in ("human", "out_of_scope") or decision.reason.startswith("rule:") or not bereaved(text):
        return None
    if decision.action == "human" and intents.mentions_a_person(text):
        return None
    return _asking(decision, tuple(g for g in BEREAVEMENT_GUIDES if g in guides), "topic:bereavement")


def _asking(decision: Decision, members: tuple[str, ...], reason: str) -> Decision | None:
    if len(members) < 2:
        return None
    ranking = _first(decision.ranking, members)
    return dataclasses.replace(decision, label=ranking[0].id, action="clarify", confidence=ranking[0].score,
                               ranking=ranking, reason=reason)


def _first(ranking: tuple[Scored, ...], ids: tuple[str, ...]) -> tuple[Scored, ...]:
    """These labels first (best scored first), then the rest as they were; a label missing is added at score 0."""
    scores = dict(ranking)
    chosen = tuple(sorted((Scored(i, scores.get(i, 0.0)) for i in ids), key=lambda s: -s.score))
    return chosen + tuple(s for s in ranking if s.id not in ids)
