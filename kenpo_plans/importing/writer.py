"""The imported plan as a plan file: keys in the order people write them, and the unplaced lines as comments.

The report of lines the recogniser could not place goes at the end of the file as YAML comments, each
with its place in the source, so whoever checks the import sees what to move by hand and nothing is lost.
"""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..plan import yamlwriter
from .recognize import Unplaced

_ORDER = ("id", "label", "title", "heading", "text", "marker", "qualitative", "groups", "goals", "notes", "targets",
          "breakdown", "blocks", "items", "measures", "kpis")
_FLOW = ("groups", "goals")


def _node(data):
    if isinstance(data, dict):
        out = CommentedMap()
        for key in sorted(data, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER)):
            value = _node(data[key])
            if key in _FLOW and isinstance(value, CommentedSeq):
                value.fa.set_flow_style()
            out[key] = value
        return out
    if isinstance(data, list):
        return CommentedSeq(_node(x) for x in data)
    return data


def plan_yaml(plan: dict, branch_id: str, branch_name: str, fiscal_year: int, source: str,
              unplaced: list[Unplaced]) -> str:
    """The text of the plan file."""
    top = CommentedMap()
    top["branch"] = CommentedMap([("id", branch_id), ("name", branch_name)])
    top["fiscal_year"] = fiscal_year
    top["title"] = plan["title"]
    top["status"] = plan.get("status", "final")
    document = {k: v for k, v in plan.get("document", {}).items() if v}
    if document:
        top["document"] = _node(document)
    top["sections"] = _node(plan.get("sections", []))
    header = f"# 出典: {_one_line(source)}（kenpo-plans import で取り込み）\n"
    return yamlwriter.dump(top, yamlwriter.PLAN_SCHEMA, header) + unplaced_comments(unplaced)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def unplaced_comments(unplaced: list[Unplaced]) -> str:
    if not unplaced:
        return "# 取り込めなかった行: なし\n"
    lines = [f"# 取り込めなかった行（{len(unplaced)} 行）: 計画に入れるものは手で移してください。"]
    lines += [f"#   {u.place}（{u.reason}）: {_one_line(u.text)}" for u in unplaced]
    return "\n".join(lines) + "\n"
