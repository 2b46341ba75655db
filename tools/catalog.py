"""Keep the message catalogs in step with the code (needs Babel: pip install -e .[test]).

    python tools/catalog.py update           extract every marked message (ours and click's), add the new
                                             ones to the Japanese catalog, compile the .mo
    python tools/catalog.py todo [PATH...]   the messages still without a translation, as a JSON object
                                             {msgid: ""} to fill in (only those from PATH... when given)
    python tools/catalog.py strings PATH...  every marked message of those source files, as {msgid: ""}
                                             (reads no catalog: safe while others edit it)
    python tools/catalog.py merge FILE.json  put translations from {msgid: msgstr} into the catalog, compile
    python tools/catalog.py compile          only write the .mo from the .po

The .mo is committed, so an installed wheel needs no Babel; tests/test_i18n.py fails when a marked
message has no translation, a translation drops a placeholder, or the .mo is older than the .po.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kenpo_plans"
LOCALE = PACKAGE / "locale"
DOMAIN = "kenpo-plans"
PO = LOCALE / "ja" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def first(value) -> str:
    """The text of a msgid or msgstr, singular or plural (a tuple), or ""."""
    if isinstance(value, (tuple, list)):
        return value[0] if value and value[0] else ""
    return value or ""


def extracted() -> list[tuple[str, str | tuple[str, str], int]]:
    """(source, message, line) for every marked message of kenpo_plans and of click."""
    import click

    found = []
    for root, label in ((PACKAGE, "kenpo_plans"), (Path(click.__file__).parent, "click")):
        for filename, lineno, message, _comments, _context in extract_from_dir(
                str(root), method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.append((f"{label}/{filename}", message, lineno))
    return found


def read_catalog() -> Catalog:
    if PO.exists():
        with PO.open("rb") as handle:
            return read_po(handle, locale="ja", domain=DOMAIN)
    return new_catalog()


def new_catalog() -> Catalog:
    return Catalog(locale="ja", domain=DOMAIN, project="kenpo-plans", version="1", copyright_holder="kenpo-plans",
                   msgid_bugs_address="", fuzzy=False)


def write_catalog(catalog: Catalog) -> None:
    PO.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=False, omit_header=False, include_lineno=False)
    PO.write_bytes(buffer.getvalue())
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    MO.write_bytes(buffer.getvalue())


def update() -> Catalog:
    catalog = read_catalog()
    template = new_catalog()
    template.creation_date = catalog.creation_date  # no churn in the .po when nothing changed
    for source, message, lineno in extracted():
        template.add(message, locations=[(source, lineno)])
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    write_catalog(catalog)
    return catalog


def todo(paths: list[str]) -> dict[str, str]:
    catalog = read_catalog()
    wanted = set()
    for source, message, _ in extracted():
        if not paths or any(source.endswith(p) or p in source for p in paths):
            wanted.add(first(message))
    return {first(m.id): "" for m in catalog if m.id and first(m.id) in wanted and not first(m.string)}


def merge(files: list[str]) -> int:
    catalog = read_catalog()
    filled = 0
    for name in files:
        translations = json.loads(Path(name).read_text(encoding="utf-8"))
        for message in catalog:
            key = first(message.id)
            if key and translations.get(key):
                message.string = translations[key] if isinstance(message.id, str) else (translations[key],)
                message.flags.discard("fuzzy")
                filled += 1
    write_catalog(catalog)
    return filled


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "update":
        catalog = update()
        missing = sum(1 for m in catalog if m.id and not first(m.string))
        print(f"{len(catalog)} messages, {missing} without a Japanese translation", file=sys.stderr)
    elif command == "todo":
        print(json.dumps(todo(argv[1:]), ensure_ascii=False, indent=1))
    elif command == "strings":
        found = {first(m): "" for source, m, _ in extracted() if any(p in source for p in argv[1:])}
        print(json.dumps(found, ensure_ascii=False, indent=1))
    elif command == "merge":
        print(f"{merge(argv[1:])} translations merged", file=sys.stderr)
    elif command == "compile":
        write_catalog(read_catalog())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
