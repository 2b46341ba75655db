"""KPI targets and the figures inside plan text.

``parse_target`` reads the numeric target a KPI sentence sets
(「…を95.4％以上とする。」 → ≥ 95.4 %); ``extract_figures`` finds every
number with its unit in a text, keeping its exact span so the diff can
compare figures as whole tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from ..i18n import N_

RELATIONS = {"以上": "ge", "以下": "le", "超": "gt", "未満": "lt", "を上回る": "gt", "を下回る": "lt"}
RELATION_SYMBOLS = {"ge": "≥", "le": "≤", "gt": ">", "lt": "<", "eq": "="}  # JSON and English output only
RELATION_WORDS = {"ge": "以上", "le": "以下", "gt": "超", "lt": "未満", "eq": ""}  # what the plans write

# Counting units seen in plans; longest first so 事業所 wins over 所.
UNITS = ("ポイント", "事業所", "か所", "箇所", "機関", "団体", "件数", "人", "件", "円", "社", "回", "名", "日", "倍", "所", "%", "pt")
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# A number starts only where a run of digits starts (lookbehind) and its parts never give back what they
# took (possessive): with both, matching is linear however long a run of digits or commas is.
_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})++(?:\.\d++)?+(?![\d,])|\d++(?:\.\d++)?+)"
_REL = "|".join(sorted(RELATIONS, key=len, reverse=True))

_PREVIOUS_YEAR = re.compile(
    rf"(?:対)?前年(?:度)?(?:の)?(?:実績値?)?\s?(?:\(\s?(?P<num>{_NUMBER})\s?(?P<unit>{_UNIT})?\s?\))?\s?(?:を)?\s?(?P<rel>{_REL})"
)
_ABSOLUTE = re.compile(rf"(?P<num>{_NUMBER})(?P<mult>[万千億]{{1,2}})?\s?(?P<unit>{_UNIT})?\s?(?P<rel>{_REL})")
_PLAIN = re.compile(rf"(?P<num>{_NUMBER})(?P<mult>[万千億]{{1,2}})?\s?(?P<unit>{_UNIT})")

# Figures are found in the original text, full-width forms included, so spans stay exact.
# textdiff tokenizes with the same pattern, so a diff and the figures it reports agree.
_D = "[0-9０-９]"
FIGURE = re.compile(
    rf"{_D}{{1,3}}(?:[,，]{_D}{{3}})+(?:[.．]{_D}+)?|{_D}+(?:[.．]{_D}+)?"
)
_FIGURE_UNIT = re.compile(rf"\s*(％|{_UNIT})")


@dataclass(frozen=True)
class Target:
    relation: str  # ge / le / gt / lt / eq
    value: int | float | None  # for previous_year: the quoted last-year figure, if any
    unit: str | None
    basis: str = "absolute"  # or previous_year

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Target":
        return cls(
            relation=data["relation"],
            value=data.get("value"),
            unit=data.get("unit"),
            basis=data.get("basis", "absolute"),
        )

    def describe_ja(self) -> str:
        """The way plans write targets: 95.4%以上, 対前年度（0.359%）以上, 100%, 20%以下."""
        figure = "" if self.value is None else f"{format_number(self.value)}{self.unit or ''}"
        word = RELATION_WORDS[self.relation]
        if self.basis == "previous_year":
            return f"対前年度{f'（{figure}）' if figure else ''}{word}"
        return f"{figure}{word}"

    def describe(self, compact: bool = False) -> str:
        """'≥ 95.4%', '≥ 対前年度 (0.359%)'; compact, for tables: '≥95.4%', '≥対前年度（0.359%）'."""
        symbol = RELATION_SYMBOLS[self.relation]
        gap = "" if compact else " "
        figure = "" if self.value is None else f"{format_number(self.value)}{self.unit or ''}"
        if self.basis == "previous_year":
            quoted = (f"（{figure}）" if compact else f" ({figure})") if figure else ""
            return f"{symbol}{gap}対前年度{quoted}"
        return f"{symbol}{gap}{figure}".strip()


@dataclass(frozen=True)
class Figure:
    value: int | float
    unit: str | None
    start: int
    end: int  # span of the number itself in the original text
    raw: str
    unit_end: int  # end of the unit after the number (== end when there is none)


# 1兆円 is 13 digits; a longer run is an id or a slip, never a figure, and reading it would hit Python's
# int-string conversion limit (4,300 digits) or overflow a float to inf, which JSON cannot carry.
MAX_FIGURE_DIGITS = 20


class FigureTooLong(ValueError):
    """A run of digits longer than any figure (``MAX_FIGURE_DIGITS``): text, never a number."""


def digit_count(raw: str) -> int:
    return sum(1 for char in raw if char.isdigit())


def to_number(raw: str) -> int | float:
    """'1,915' → 1915, '０．３５９' → 0.359; raises ``FigureTooLong`` for a run of digits no figure has."""
    if digit_count(raw) > MAX_FIGURE_DIGITS:
        raise FigureTooLong(raw[:40])
    plain = unicodedata.normalize("NFKC", raw).replace(",", "")
    return float(plain) if "." in plain else int(plain)


def too_long_figures(text: str) -> list[str]:
    """The runs of digits in ``text`` too long to be a figure (what a message quotes, shortened)."""
    return [match.group()[:20] + "…" for match in FIGURE.finditer(text)
            if digit_count(match.group()) > MAX_FIGURE_DIGITS]


def format_number(value: int | float) -> str:
    if isinstance(value, float):
        return f"{value:,.{_decimals(value)}f}"
    return f"{value:,}"


def _decimals(value: float) -> int:
    text = repr(value)
    return max(1, len(text.split(".")[1])) if "." in text else 1


def _normalize(text: str) -> str:
    # Runs of spaces become one, so no two \s* in a pattern can share a long run between them.
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text))


_SPACES = re.compile(r"\s+")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=。)", text) if s.strip()]


@dataclass(frozen=True)
class Reading:
    """What a KPI sentence says about its target: the target, or why it cannot be read for certain."""

    target: Target | None
    unreadable: str | None = None  # a reason from UNREADABLE when the sentence has a target we will not guess


# Reasons shown to the user: marked here, translated with _() where a message shows them.
UNREADABLE = {
    "growth": N_("a change relative to last year (前年度比・ポイント向上・倍), not a level"),
    "minus": N_("a negative figure (▲, △, －, マイナス)"),
    "range": N_("a range (〜, から…まで), not one bound"),
    "fraction": N_("a fraction (分の, /)"),
    "negation": N_("a negated bound whose figure is not plain (「95％を下回らない」 and 「20％を超えない」 are read)"),
    "approximate": N_("an approximate figure (約, 程度, おおむね)"),
    "relative": N_("a bound against another figure (全国平均 …) that the sentence does not give"),
    "compound": N_("several targets in one sentence"),
    "too_long": N_("a run of more than 20 digits, longer than any figure"),
}


def _negated_verbs(*verbs: tuple[str, str]) -> str:
    """「下回らない」「下回らず」「下回ることのない」…: each verb (negative stem, plain form) negated."""
    return "|".join(rf"{stem}(?:ない|ず|ぬ)|{plain}こと(?:のない|がない|はない|なく)" for stem, plain in verbs)


# Verbs that say a figure must not be fallen below (→ 以上) or gone over (→ 以下) when negated.
_BELOW = _negated_verbs(("下回ら", "下回る"), ("割り込ま", "割り込む"), ("割込ま", "割込む"), ("割ら", "割る"),
                        ("切ら", "切る"))
_OVER = _negated_verbs(("上回ら", "上回る"), ("超え", "超える"), ("超過し", "超過する"), ("超さ", "超す"))
# What such a verb bounds: a figure (its digit or unit), last year's figure quoted in brackets, or last year
# itself (前年度, 前年度実績), optionally as its level (「80％の水準を割り込まない」).
_BOUNDED = rf"(?P<head>\d|{_UNIT}|\)|前年度?|実績値?)(?:\s?の\s?水準)?\s?(?:を|より)?\s?"
# Negations that say the plain bound the other way round: 「80％を割り込まないようにする」 is 80％以上.
_NEGATED = [(re.compile(rf"{_BOUNDED}(?:{_BELOW})"), r"\g<head>以上"),
            (re.compile(rf"{_BOUNDED}(?:{_OVER})"), r"\g<head>以下")]
# Such a verb left over bounds something else (「80％という目標を割り込まない」): no plain bound to read.
_NEGATED_ELSEWHERE = re.compile(rf"(?:を|より)\s?(?:{_BELOW}|{_OVER})")
_TRAPS = [
    ("growth", re.compile(r"前年(?:度)?(?:比|対比)|ポイント以上(?:の)?(?:向上|上昇|増加|改善|引き?上げ|低減|減少)|"
                          r"(?:以上|以下)(?:の)?(?:増加|減少|向上|上昇|改善|低減)|倍|"
                          r"前年(?:度)?(?:より|から)[^。\d]{0,30}\d")),
    ("minus", re.compile(r"[▲△−\-]\s?\d|マイナス")),
    ("range", re.compile(r"\d\s?[%％]?\s?[〜～~]\s?\d|\d[^。]{0,6}から[^。]{0,12}\d[^。]{0,6}まで|\d[^。]{0,6}から\d")),
    ("fraction", re.compile(r"分の|\d\s?/\s?\d")),
    ("approximate", re.compile(r"約\s?\d|\d[^。、]{0,4}(?:程度|前後)|おおむね|概ね")),
    ("negation", re.compile(r"(?:以上|以下|超|未満)(?:と)?(?:ならない|しない|とならない)")),
    ("relative", re.compile(r"(?:全国平均|平均値|全国水準)(?:以上|以下|を上回|を下回)")),
]
# A figure in goal position ends the clause or is joined to the next goal (「65％以上及び…30％以上とする」);
# bounds joined to a condition of the KPI's name are conditions too, and are blanked out before this.
_GOAL_END = re.compile(r"\s?(?:とする|とし|を目指す|を目標|よう|。|$|、|かつ|又は|または|及び|および|並びに|ならびに)")


def read_target(text: str) -> Reading:
    """Read a KPI sentence's target (see ``_read_target``); a run of digits too long for a figure is unreadable."""
    try:
        return _read_target(text)
    except FigureTooLong:
        return Reading(None, "too_long")


def _read_target(text: str) -> Reading:
    """Read a KPI sentence's target; say why when it cannot be read for certain.

    The target is the last bound in the first sentence that has one, because Japanese puts the goal
    right before とする and conditions before it (「3部位以上、かつ月15日以上の…割合について対前年度以下
    とする」).  Brackets are asides (「96.0％以上（前年度95.0％以上）」) unless they quote last year's figure
    (「対前年度（0.359%）以上」).  A bound inside the KPI's name (「受診率80%以上の事業所数」) is a condition,
    not a goal; a negated 「割り込まない」 is 以上, 「超過しない」 以下.  What would be a guess — a growth rate, a range, a negative or
    approximate figure, two goals in one sentence — is unreadable, never a confident wrong answer.
    """
    for sentence in _sentences(_normalize(text)):
        sentence = _without_asides(sentence)
        for pattern, word in _NEGATED:
            sentence = pattern.sub(word, sentence)
        if _NEGATED_ELSEWHERE.search(sentence) and re.search(r"\d", sentence):
            return Reading(None, "negation")
        for reason, pattern in _TRAPS:
            if pattern.search(sentence):
                return Reading(None, reason)
        sentence = _without_name_conditions(sentence)
        goals = _goal_bounds(sentence)
        if len({(g.relation, g.value, g.unit, g.basis) for g in goals}) > 1:
            return Reading(None, "compound")
        target = _last_bound(sentence) or _plain_figure(sentence)
        if target:
            return Reading(target)
    return Reading(None)


def parse_target(text: str) -> Target | None:
    """The target a KPI sentence sets, or None when it sets none or none can be read for certain."""
    return read_target(text).target


_QUOTED_PREVIOUS = re.compile(r"前年(?:度)?(?:の)?(?:実績|実績値)?\s?$")
_QUOTED_TARGET = re.compile(r"\s?(?:KPI|目標)\s?[:：]")


def _without_asides(sentence: str) -> str:
    """Drop bracketed asides; keep a bracket that quotes last year's figure right after 前年度
    (「対前年度（0.359%）以上」) or that quotes the target itself (「（KPI：95.0%以上）」).

    One pass over the characters with the positions of the open brackets: a bracket that closes is either
    kept or cut off the end of the output, and only its first and the 12 characters before it are looked
    at, so nesting of any depth, closed or not, costs linear time.  An unclosed bracket is text.
    """
    out: list[str] = []
    opened: list[int] = []  # where each open bracket stands in ``out``
    for char in sentence:
        if char == ")" and opened:
            start = opened.pop()
            before = "".join(out[max(0, start - 12):start])
            inner_start = "".join(out[start + 1:start + 12])
            if _QUOTED_PREVIOUS.search(before) or _QUOTED_TARGET.match(inner_start):
                out.append(")")
            else:
                del out[start:]  # each character is cut at most once
            continue
        if char == "(":
            opened.append(len(out))
        out.append(char)
    return "".join(out)


# A bound followed by の (or である, となる) and a noun naming what is counted is a condition inside the
# KPI's name (「使用割合80%以上の広域連合数」, 「受診率80%以上の事業所の割合」), not its target.
# The noun is short (at most 40 characters read), so many bounds in a row cost linear time.
_OF_NOUN = re.compile(r"\s?(?:の|である|となる|となった|となっている)\s?(?P<noun>[^をがはにで、。,:\d\s]{1,40}+)")
_COUNTED = re.compile(r"(?:数|割合|比率|率|事業所|支部|保険者|市町村|広域連合|団体|医療機関|自治体|企業)$")
# …unless the noun is the rate the figure itself sets: 「80％以上の受診率を目指す」 (no indicator before the figure).
_RATE = re.compile(r"(?:率|割合|比率)$")
_NAMED_BEFORE = re.compile(r"(?:率|割合|比率|数|額)\s?(?:が|は|の)?\s?$")
# A bound joined to such a condition is one too: 「受診率50%以上、かつ受診者数100人以上の事業所数」.
_JOINED = re.compile(r"\s?、?\s?(?:かつ|又は|または|及び|および|並びに|ならびに)")
_CONDITION = "〈条件〉"  # what a condition becomes: no figure, no bound


def _without_name_conditions(sentence: str) -> str:
    """Blank out the bounds that are conditions inside the KPI's name, so only goals are left to read.

    「受診率80%以上の事業所数を100事業所以上とする」 keeps 100事業所以上; 「使用割合80%以上の広域連合数」
    keeps no figure at all.
    """
    spans: list[tuple[int, int, bool]] = []  # start, end, whether the figure is a rate or last year's
    for match in _ABSOLUTE.finditer(sentence):
        spans.append((match.start(), match.end(), match["unit"] == "%"))
    for match in _PREVIOUS_YEAR.finditer(sentence):
        spans.append((match.start(), match.end(), True))
    spans.sort()
    items = [span for i, span in enumerate(spans) if i == 0 or span[0] >= spans[i - 1][1]]
    conditions = []
    next_is_condition = False
    for start, end, rate in reversed(items):
        condition = False
        noun = _OF_NOUN.match(sentence, end)
        if noun and _COUNTED.search(noun["noun"]):
            named_before = _NAMED_BEFORE.search(sentence[max(0, start - 6):start])
            condition = not (rate and _RATE.search(noun["noun"]) and not named_before)  # not the rate's own figure
        elif next_is_condition and _JOINED.match(sentence, end):
            condition = True
        if condition:
            conditions.append((start, end))
        next_is_condition = condition
    pieces, kept_from = [], 0
    for start, end in reversed(conditions):  # left to right, joined once: linear however many there are
        pieces += [sentence[kept_from:start], _CONDITION]
        kept_from = end
    return "".join(pieces) + sentence[kept_from:]


def _goal_bounds(sentence: str) -> list[Target]:
    """The targets the sentence sets at the end of a clause: more than one different is a compound goal."""
    goals = []
    for match in _ABSOLUTE.finditer(sentence):
        if match["unit"] is not None and _GOAL_END.match(sentence, match.end()):
            goals.append(Target(RELATIONS[match["rel"]], _scaled(match), match["unit"]))
    for match in _PREVIOUS_YEAR.finditer(sentence):
        if _GOAL_END.match(sentence, match.end()):
            goals.append(Target(RELATIONS[match["rel"]], None, None, "previous_year"))
    for match in _PLAIN.finditer(sentence):  # a figure with no bound is a goal too: 「…65%以上、…30%とする」
        if _GOAL_END.match(sentence, match.end()):
            goals.append(Target("eq", _scaled(match), match["unit"]))
    return goals


_MULTIPLIERS = {"万": 10_000, "千": 1_000, "億": 100_000_000}


def _scaled(match: re.Match) -> int | float:
    """1.5万人 → 15000: the figure times its multiplier, exactly."""
    value = to_number(match["num"])
    multiplier = 1
    for char in match.groupdict().get("mult") or "":
        multiplier *= _MULTIPLIERS[char]  # 3千万 = 3 × 1,000 × 10,000
    if multiplier == 1:
        return value
    from decimal import Decimal

    scaled = Decimal(unicodedata.normalize("NFKC", match["num"]).replace(",", "")) * multiplier
    return int(scaled) if scaled == scaled.to_integral_value() else float(scaled)


def _last_bound(sentence: str) -> Target | None:
    found: list[tuple[int, Target]] = []
    for match in _PREVIOUS_YEAR.finditer(sentence):
        value = to_number(match["num"]) if match["num"] else None
        target = Target(RELATIONS[match["rel"]], value, match["unit"], "previous_year")
        found.append((match.end(), target))
    for match in _ABSOLUTE.finditer(sentence):
        if match["unit"] is None and not _ends_clause(sentence, match.end()):
            continue  # a bare number before 以上 is a condition (「4件以下」 has a unit; 「3以上」 rarely a goal)
        target = Target(RELATIONS[match["rel"]], _scaled(match), match["unit"])
        found.append((match.end(), target))
    if not found:
        return None
    return max(found, key=lambda pair: pair[0])[1]


def _ends_clause(sentence: str, end: int) -> bool:
    return re.match(r"\s*(?:とする|を目指す|。|$)", sentence[end:]) is not None


def _plain_figure(sentence: str) -> Target | None:
    """A figure with no bound is the target itself: 「100％とする」, 「：100%」, 「1,500人」."""
    matches = list(_PLAIN.finditer(sentence))
    if not matches:
        return None
    match = matches[-1]
    return Target("eq", _scaled(match), match["unit"])


def extract_figures(text: str) -> list[Figure]:
    """Every number in ``text`` with the unit right after it, spans in the original text."""
    figures = []
    for match in FIGURE.finditer(text):
        try:
            value = to_number(match.group())
        except FigureTooLong:
            continue  # text, not a figure: validate names it (too_long_figures)
        unit, unit_end = unit_at(text, match.end())
        figures.append(Figure(value, unit, match.start(), match.end(), match.group(), unit_end))
    return figures


def unit_at(text: str, pos: int) -> tuple[str | None, int]:
    """The counting unit starting at ``pos`` (％ read as %) and where it ends; (None, pos) if none."""
    match = _FIGURE_UNIT.match(text, pos)
    if not match:
        return None, pos
    return ("%" if match.group(1) == "％" else match.group(1)), match.end()


def round_delta(old: float, new: float) -> int | float:
    places = max(_places(old), _places(new))
    delta = round(new - old, places)
    return int(delta) if places == 0 else delta


def _places(value: int | float) -> int:
    return 0 if isinstance(value, int) else _decimals(value)
