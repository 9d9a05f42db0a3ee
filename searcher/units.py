"""Units stage (part of the corpus model): printed responsible-unit lists -> normalised unit names.

The plans list the units responsible for a task the way officials write them, with the shared
part of a name said once: ``省发展改革委、交通运输厅`` means 省发展改革委 and 省交通运输厅, and
``广州、深圳、珠海市`` means 广州市, 深圳市 and 珠海市. :func:`normalise_units` spells every name
out, so that one body has one name across all plans; the printed form stays in the provision's
text (and in :attr:`searcher.corpus.Units.printed`).

Rules, applied within one task's list (lead units first, then participating units, in order):

1. **A scope carries forward.** A department named without its scope (ending in 厅, 委, 局 or
   办 and starting with no scope of its own) takes the scope of the nearest unit before it
   that has one: 省, 省委 (a party office: 办 and 委 keep 省委, a government 厅 or 局 takes 省),
   or a city (广州市). Units with a scope of their own that is not a province or city
   government's (海关总署广东分署, 广东证监局, 国家…) neither take nor pass one.
2. **市 carries back.** Bare place names (two or three characters, no organisational ending)
   directly before a unit ``X市`` are cities too: they take 市.
3. **Aliases** listed in the catalog (``[units.aliases]``, e.g. ``"省医保局" = "省医疗保障局"``)
   map a short form to the form used elsewhere.

>>> normalise_units(["省发展改革委", "交通运输厅"], ["省委宣传部", "外办", "广州", "深圳", "珠海市"])
(['省发展改革委', '省交通运输厅'], ['省委宣传部', '省委外办', '广州市', '深圳市', '珠海市'])
"""
from __future__ import annotations

import re

# Scopes a name can start with; only the first kind carries over to a bare name after it.
_CARRYING_SCOPE = re.compile(r"^(省委|省|[\u4e00-\u9fff]{2,3}市(?=.))")
# Guangdong's 21 prefecture-level cities and the two SARs: a name starting with one is a local body.
PLACES = ("广州", "深圳", "珠海", "汕头", "佛山", "韶关", "湛江", "肇庆", "江门", "茂名", "惠州", "梅州", "汕尾",
          "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮", "香港", "澳门")
_OWN_SCOPE = re.compile(r"^(团省委|中共|国家|中国|广东|海关|人民银行|民航|大湾区|[\u4e00-\u9fff]{2,3}[市区县]|"
                        + "|".join(PLACES) + ")")
_DEPARTMENT_END = ("厅", "委", "局", "办")
_ORGANISATION_END = re.compile(r"(厅|委|局|办|部|署|行|会|院|所|府|处|中心|公司|集团|分行|政府)$")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,3}$")


def _scope(name: str) -> str | None:
    """The scope a name carries over to bare names after it, "" if it has one that does not carry."""
    match = _CARRYING_SCOPE.match(name)
    if match:
        return match.group(1)
    return "" if _OWN_SCOPE.match(name) else None


def _carried(name: str, scope: str) -> str:
    """A bare department name with the scope carried over to it."""
    if scope == "省委" and name.endswith(("厅", "局")):
        scope = "省"          # 省委宣传部、公安厅: the 厅 is the provincial government's
    return scope + name


def normalise_units(lead: list[str], participating: list[str],
                    aliases: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """Spell out every name of a task's unit lists (see the module docstring for the rules)."""
    names = list(lead) + list(participating)
    out: list[str] = []
    scope: str | None = None
    for name in names:
        own = _scope(name)
        if own is None and name.endswith(_DEPARTMENT_END) and scope:
            name = _carried(name, scope)
        elif own:
            scope = own
        out.append(name)
    for index in range(len(out) - 1, 0, -1):     # rule 2, right to left so that 市 passes through a run
        after = out[index]
        before = out[index - 1]
        if after.endswith("市") and _PLACE.match(before) and not before.endswith("市") \
                and not _ORGANISATION_END.search(before) and _PLACE.match(after[:-1] or "x"):
            out[index - 1] += "市"
    if aliases:
        out = [aliases.get(name, name) for name in out]
    return out[:len(lead)], out[len(lead):]


def unit_table(provisions) -> list[dict]:
    """Every responsible unit with the number of tasks it leads and takes part in, overall and per document.

    A *task* is a provision with a list of responsible units; a unit named as lead and again as
    participant in one task counts once, as lead. Sorted by tasks involved, then name. The unit
    filter, the /units page and its JSON twin all count with this function.
    """
    table: dict[str, dict] = {}
    for provision in provisions:
        if not provision.units:
            continue
        roles = dict.fromkeys(provision.units.participating, "participating")
        roles.update(dict.fromkeys(provision.units.lead, "lead"))
        for name, role in roles.items():
            row = table.setdefault(name, {"name": name, "lead": 0, "participating": 0, "docs": {}})
            row[role] += 1
            per_doc = row["docs"].setdefault(provision.doc_id, {"lead": 0, "participating": 0})
            per_doc[role] += 1
    rows = sorted(table.values(), key=lambda row: (-(row["lead"] + row["participating"]), row["name"]))
    for row in rows:
        row["tasks"] = row["lead"] + row["participating"]
    return rows
