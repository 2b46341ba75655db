"""Structural validation of a plan against ``schemas/plan.schema.json``.

jsonschema's messages are written for programmers; this module turns each
error into a located ``Problem`` a planning officer can act on (unknown
key → the key it probably meant, wrong type → what was expected).
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any, Iterable

from ..errors import Problem
from ..i18n import N_, _, listing
from ..resources import load_schema
from .reading import RawPlan

PLAN_SCHEMA = "plan.schema.json"

# What each JSON type is called in a message (marked here, translated where shown: _type_name).
_TYPE_NAMES = {
    "string": N_("text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "array": N_("a list (lines starting with '- ')"),
    "object": N_("a mapping (key: value lines)"),
    "null": N_("nothing"),
}


def _type_name(name: str) -> str:
    return _(_TYPE_NAMES[name]) if name in _TYPE_NAMES else name


def format_path(path: Iterable) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _describe_value(value: Any) -> str:
    if value is None:
        return _("nothing (the value is empty)")
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (dict, list)):
        return _type_name("object" if isinstance(value, dict) else "array")
    shown = str(value)
    return repr(shown if len(shown) <= 40 else shown[:40] + "…")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " Did you mean 'measures'?" for the closest choice, or nothing."""
    from rapidfuzz import fuzz, process

    # rapidfuzz's ratio (on the longest common subsequence) is never below difflib's, so this keeps every
    # choice difflib could pick, found in C: thousands of unknown ids cost milliseconds, not seconds.
    likely = [choice for choice, _score, _index in process.extract(
        str(word), list(choices), scorer=fuzz.ratio, score_cutoff=59.9, limit=None)]
    close = difflib.get_close_matches(str(word), likely, n=1, cutoff=0.6)
    return _(" Did you mean '{choice}'?").format(choice=close[0]) if close else ""


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
                                            _("expected a whole number, got {value!r}; write it without a "
                                              "decimal point.").format(value=value)))
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


def _number_as_text_hint(value: Any) -> str | None:
    """A number written as text in a way that looks right to the writer: full-width digits (２０２５, which
    the eye cannot tell from 2025) or an era year (令和7年度), named in words with the figure to write."""
    import unicodedata

    from .era import EraError, parse_fiscal_year

    if not isinstance(value, str) or len(value) > 40:
        return None
    plain = unicodedata.normalize("NFKC", value).strip().replace(",", "")
    if plain != value.strip() and plain.lstrip("-").replace(".", "", 1).isdigit():
        return _("'{value}' is written in full-width digits; write {plain} (half-width digits).").format(
            value=value, plain=plain)
    try:
        year = parse_fiscal_year(value)
    except EraError:
        return None
    if year is not None and not plain.isdigit():
        return _("'{value}' is an era year; write the Western year {year} here (令和7年度 → 2025).").format(
            value=value, year=year)
    return None


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
        return [(path, _("expected text as printed (e.g. 65.8％) or a mapping {{text: …, as_of: …}}, "
                         "got {value}.").format(value=_describe_value(error.instance)))]
    if validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        return [
            (path + (key,), _("unknown key '{key}'.{hint} Allowed here: {allowed}.").format(
                key=key, hint=did_you_mean(key, allowed), allowed=listing(allowed)))
            for key in extra
        ]
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [(path, _("missing required key '{key}'.").format(key=missing))]
    if validator == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = _type_name(names[0]) if names else ""
        for name in names[1:]:
            wanted = _("{first} or {second}").format(first=wanted, second=_type_name(name))
        hint = _number_as_text_hint(error.instance) if {"integer", "number"} & set(names) else None
        if hint:
            return [(path, _("expected {wanted}: {hint}").format(wanted=wanted, hint=hint))]
        return [(path, _("expected {wanted}, got {value}.").format(wanted=wanted,
                                                                  value=_describe_value(error.instance)))]
    if validator == "enum":
        options = [str(o) for o in error.validator_value]
        return [(path, _("{value} is not allowed; use one of {options}.{hint}").format(
            value=_describe_value(error.instance), options=listing(options),
            hint=did_you_mean(error.instance, options)))]
    if validator == "minLength":
        return [(path, _("must not be empty."))]
    if validator == "pattern":
        return [(path, _("{value} is not a valid id: use lowercase letters, digits and "
                         "'-' (e.g. receipt-tenken).").format(value=_describe_value(error.instance)))]
    if validator == "uniqueItems":
        return [(path, _("lists the same value twice."))]
    if validator == "minimum":
        return [(path, _("{value} is too small: the least allowed is {limit}.").format(
            value=error.instance, limit=error.validator_value))]
    if validator == "maximum":
        return [(path, _("{value} is too large: the most allowed is {limit}.").format(
            value=error.instance, limit=error.validator_value))]
    return [(path, _explain_size(error) or _explain_other(error))]


def _explain_size(error: Any) -> str | None:
    """How many entries, keys or characters there are against how many the schema allows."""
    limit, instance = error.validator_value, error.instance
    count = len(instance) if isinstance(instance, (list, dict, str)) else None
    if error.validator == "minItems":
        return _("the list is empty; it needs at least one entry.") if count == 0 else _(
            "lists {count} entries; at least {limit} are needed.").format(count=count, limit=limit)
    if error.validator == "maxItems":
        return _("lists {count} entries; at most {limit} are allowed here.").format(count=count, limit=limit)
    if error.validator == "minProperties":
        return _("has {count} keys; at least {limit} are needed.").format(count=count, limit=limit)
    if error.validator == "maxProperties":
        return _("has {count} keys; at most {limit} are allowed here.").format(count=count, limit=limit)
    if error.validator == "maxLength":
        return _("is {count} characters long; at most {limit} are allowed here.").format(count=count, limit=limit)
    return None


def _explain_other(error: Any) -> str:
    """Any other rule, worded in the user's language: never jsonschema's English sentence with a Python repr."""
    value = _describe_value(error.instance)
    if error.validator == "exclusiveMinimum":
        return _("{value} is too small: it must be more than {limit}.").format(value=value, limit=error.validator_value)
    if error.validator == "exclusiveMaximum":
        return _("{value} is too large: it must be less than {limit}.").format(value=value, limit=error.validator_value)
    if error.validator == "const":
        return _("{value} is not allowed; write {expected}.").format(
            value=value, expected=_describe_value(error.validator_value))
    return _("{value} does not fit here (the rule '{rule}' of the format); see docs/plan-format.md and "
             "docs/results-format.md.").format(value=value, rule=error.validator)
