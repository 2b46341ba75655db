"""The one round-trip YAML writer for everything that writes plans and results files.

ruamel.yaml in round-trip mode keeps the comments and the layout people gave a file; every writer
(next year's draft, a first plan, an imported plan, an imported results sheet, a report's skeleton) sets it
up here, once, so all of them indent and quote alike and never re-wrap a long Japanese sentence.  The
schema line that points editors at schemas/ is written here too.
"""

from __future__ import annotations

import io

PLAN_SCHEMA = "plan.schema.json"
RESULTS_SCHEMA = "results-file.schema.json"


def schema_line(schema: str) -> str:
    """The first line of a plan or results file: editors validate and complete it against schemas/."""
    return f"# yaml-language-server: $schema=../../schemas/{schema}\n"


def round_trip():
    """A ruamel.yaml round-trip loader and dumper: comments, quotes and key order kept."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long Japanese sentence
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str):
    """The round-trip tree of ``text`` (CommentedMap and CommentedSeq: comments come along)."""
    return round_trip().load(text)


def dump(data, schema: str | None = None, header: str = "", block_style: bool = False) -> str:
    """``data`` as YAML text, after the schema line (when ``schema`` is given) and ``header`` (comment lines).

    ``block_style`` writes plain dicts and lists (not read round-trip) in block style too."""
    yaml = round_trip()
    if block_style:
        yaml.default_flow_style = False
    out = io.StringIO()
    out.write(schema_line(schema) if schema else "")
    out.write(header)
    yaml.dump(data, out)
    return out.getvalue()


def flow(mapping) -> object:
    """A mapping written on one line ({id: …, actual: …}), as a list of figures reads best."""
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap(mapping)
    node.fa.set_flow_style()
    return node


def comment_before(node, key, lines: list[str], indent: int) -> None:
    """Comment lines above ``key`` of a mapping (or index of a sequence), each at ``indent`` columns."""
    node.yaml_set_comment_before_after_key(key, before="\n".join(lines), indent=indent)


def comment_after(node, key, lines: list[str], indent: int) -> None:
    """Comment lines below the value of ``key``, each at ``indent`` columns: what to fill in under it."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    text = "".join(f"\n{' ' * indent}# {line}" for line in lines) + "\n"
    node.ca.items[key] = [None, None, CommentToken(text, CommentMark(0), None), None]
