"""ruamel's round-trip YAML set up the way plan and results files are written: what is read back is written
as it was (comments, key order, quoting, layout), so an edit by the tool changes only what it meant to."""

from __future__ import annotations


def round_trip_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long Japanese sentence
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml
