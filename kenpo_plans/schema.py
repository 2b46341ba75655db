"""Structural validation of a plan against ``schemas/plan.schema.json``.

jsonschema's messages are written for programmers; this module turns each
error into a located ``Problem`` a planning officer can act on (unknown
key → the key it probably meant, wrong type → what was expected).
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any, Iterable

from .errors import Problem
from .loader import RawPlan
from .resources import load_schema

PLAN_SCHEMA = "plan.schema.json"

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (lines starting with '- ')",
    "object": "a mapping (key: value lines)",
    "null": "nothing",
}


def format_path(path: Iterable) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (dict, list)):
        return _TYPE_NAMES["object" if isinstance(value, dict) else "array"]
    shown = str(value)
    return repr(shown if len(shown) <= 40 else shown[:40] + "…")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " Did you mean 'measures'?" for the closest choice, or nothing."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


@lru_cache(maxsize=None)
def _fast_validator(name: str):
    """jsonschema-rs accepts a valid plan in a fraction of the time python-jsonschema takes to import."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.Draft202012Validator(load_schema(name))


# JSON Schema counts 2019.0 as an integer; a fiscal year or a rank written so is a slip, not a year.
WHOLE_NUMBER_KEYS = ("fiscal_year", "rank", "branches_achieved")


def whole_number_problems(raw: RawPlan) -> list[Problem]:
    problems = []

    def walk(node: Any, path: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in WHOLE_NUMBER_KEYS and isinstance(value, float):
                    line, column = raw.where(path + (key,))
                    problems.append(Problem(raw.file, line, column, format_path(path + (key,)),
                                            f"expected a whole number, got {value!r}; write it without a decimal point."))
                walk(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + (index,))

    walk(raw.data, ())
    return problems


def schema_problems(raw: RawPlan, schema: str = PLAN_SCHEMA) -> list[Problem]:
    """Every schema violation, located; the common case (a valid file) takes the fast path."""
    fast = _fast_validator(schema)
    if fast is not None and fast.is_valid(raw.data):
        return whole_number_problems(raw)
    # python-jsonschema gives the detail (validator, schema, instance) the messages are built from.
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema(schema))
    problems: dict[tuple, Problem] = {}
    for error in validator.iter_errors(raw.data):
        for path, message in _explain(error):
            line, column = raw.where(path)
            problem = Problem(raw.file, line, column, format_path(path), message)
            problems.setdefault((path, message), problem)
    found = list(problems.values()) + whole_number_problems(raw)
    return sorted(found, key=lambda p: (p.line or 0, p.column or 0))


def _explain(error: Any) -> list[tuple[tuple, str]]:
    path = tuple(error.absolute_path)
    validator = error.validator
    schema = error.schema
    if validator == "oneOf":
        # A figure is text or a mapping: explain the branch the writer evidently chose.
        branch = 1 if isinstance(error.instance, dict) else 0
        inner = [e for e in error.context if e.schema_path and e.schema_path[0] == branch]
        if inner and isinstance(error.instance, dict):
            return [item for e in inner for item in _explain(e)]
        return [(path, f"expected text as printed (e.g. 65.8％) or a mapping {{text: …, as_of: …}}, "
                       f"got {_describe_value(error.instance)}.")]
    if validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        return [
            (path + (key,), f"unknown key '{key}'.{did_you_mean(key, allowed)} Allowed here: {', '.join(allowed)}.")
            for key in extra
        ]
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [(path, f"missing required key '{missing}'.")]
    if validator == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return [(path, f"expected {wanted}, got {_describe_value(error.instance)}.")]
    if validator == "enum":
        options = [str(o) for o in error.validator_value]
        return [(path, f"{_describe_value(error.instance)} is not allowed; use one of {', '.join(options)}."
                 f"{did_you_mean(error.instance, options)}")]
    if validator == "minLength":
        return [(path, "must not be empty.")]
    if validator == "pattern":
        return [(path, f"{_describe_value(error.instance)} is not a valid id: use lowercase letters, digits and "
                 "'-' (e.g. receipt-tenken).")]
    if validator == "uniqueItems":
        return [(path, "lists the same value twice.")]
    if validator in ("minimum", "maximum"):
        return [(path, f"{error.instance} is out of range ({validator} {error.validator_value}).")]
    return [(path, error.message)]
