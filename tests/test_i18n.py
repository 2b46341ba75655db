"""Messages and help in the user's language: Japanese under a Japanese locale, English otherwise.

The catalog is checked against the code (every marked message translated, placeholders kept, the
compiled .mo in step with the .po), the code is checked for messages nobody marked, and the CLI is
run under Japanese and English locales on real inputs, including every case of the bad-input catalogue.
"""

from __future__ import annotations

import ast
import builtins
import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import catalog  # noqa: E402  (tools/catalog.py)
from test_catalogue import CASES  # noqa: E402

PACKAGE = ROOT / "kenpo_plans"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")
# three English words in a row: a sentence nobody translated (ids, options and paths are not words)
ENGLISH_PHRASE = re.compile(r"(?<![\w./'-])[A-Za-z][a-z]+ [a-z]{2,} [a-z]{2,}(?![\w/'-])")


@pytest.fixture(scope="module")
def po():
    return catalog.read_catalog()


@pytest.fixture(scope="module")
def extracted():
    return catalog.extracted()


def test_every_marked_message_has_a_japanese_translation(po, extracted):
    translated = {catalog.first(m.id): catalog.first(m.string) for m in po if m.id}
    fuzzy = {catalog.first(m.id) for m in po if m.id and m.fuzzy}
    missing = sorted({f"{source}: {catalog.first(message)!r}" for source, message, _ in extracted
                      if not translated.get(catalog.first(message)) or catalog.first(message) in fuzzy})
    assert missing == [], "run `python tools/catalog.py update`, then translate:\n" + "\n".join(missing)
    assert len(extracted) > 300  # the CLI's help, click's words and every message of the library


PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}|%\((\w+)\)s")


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text.replace("{{", "").replace("}}", ""))}


def test_translations_keep_their_placeholders(po):
    wrong = []
    for message in po:
        if not message.id or not catalog.first(message.string):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = set().union(*(_placeholders(i) for i in ids))
        used = _placeholders(catalog.first(message.string))
        # a plural message is translated once (Japanese has one form): it may use either form's names
        expected = _placeholders(ids[0]) if len(ids) == 1 else used
        if not used <= allowed or used != expected:
            wrong.append((ids[0], catalog.first(message.string)))
    assert wrong == []


def test_the_compiled_catalog_is_the_po(po):
    with catalog.MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [catalog.first(m.id) for m in po if m.id and catalog.first(m.string) and compiled.gettext(catalog.first(m.id)) != catalog.first(m.string)
             and isinstance(m.id, str)]
    assert stale == [], "run `python tools/catalog.py compile`"


def _english_literals(node: ast.AST) -> list[str]:
    """English prose in string literals under ``node``, except inside _() / N_() calls."""
    found = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in ("_", "N_"):
            continue
        if isinstance(child, ast.Constant) and isinstance(child.value, str) and ENGLISH_PHRASE.search(child.value):
            found.append(child.value)
        found += _english_literals(child)
    return found


def _message_arguments(tree: ast.AST):
    """Expressions that reach a user: exception messages, echoed lines, help texts, problems and warnings."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            raised = getattr(node.exc.func, "id", None)
            if raised not in vars(builtins):  # AttributeError and the like speak to programmers
                yield node.lineno, node.exc.args
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("echo", "secho", "warn", "Problem", "at", "problem", "warning", "error"):
                yield node.lineno, node.args
            yield node.lineno, [k.value for k in node.keywords if k.arg in ("help", "message", "hint", "reason")]


def test_no_message_escapes_the_catalog():
    """A message written in English without _() would reach a Japanese user in English."""
    unmarked = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, arguments in _message_arguments(tree):
            for argument in arguments:
                wrapper = ast.Expression(body=argument)
                for literal in _english_literals(wrapper):
                    unmarked.append(f"{path.relative_to(ROOT)}:{line}: {literal[:70]!r}")
    assert unmarked == []


def _cli(args, language: str, **variables):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "KENPO_PLANS_NO_FORK": "1", "LANG": language, **variables}
    return subprocess.run([sys.executable, "-m", "kenpo_plans.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


COMMANDS = ["validate", "list", "show", "diff", "results", "kpi", "new", "log", "init", "git-setup"]


def _english_sentences(text: str) -> list[str]:
    """English prose left in a help text: example command lines and option names are not prose."""
    prose = []
    for line in text.splitlines():
        if "kenpo-plans " in line:
            continue
        prose += ENGLISH_PHRASE.findall(re.sub(r"--?[\w-]+|<[^>]+>|\[[^\]]+\]|\S+/\S*|\S+\.\w+", " ", line))
    return prose


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_japanese_under_a_japanese_locale(command):
    args = ([command] if command else []) + ["--help"]
    japanese = _cli(args, "ja_JP.UTF-8")
    assert japanese.returncode == 0 and japanese.stdout.startswith("使い方:"), japanese.stderr
    assert "オプション:" in japanese.stdout and "このヘルプを表示して終了します。" in japanese.stdout
    assert _english_sentences(japanese.stdout) == []
    english = _cli(args, "C.UTF-8")
    assert english.stdout.startswith("Usage:") and "Show this message and exit." in english.stdout
    assert "Options:" in english.stdout and _english_sentences(english.stdout)


@pytest.mark.parametrize("variables, japanese", [
    ({"LANG": "ja_JP.UTF-8"}, True),
    ({"LANG": "C.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, True),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, True),
    ({"LANG": "ja_JP.UTF-8", "LC_ALL": "C"}, False),
    ({"LANG": "en_US.UTF-8"}, False),
    ({}, False),
])
def test_the_locale_variables_choose_the_language(variables, japanese, monkeypatch):
    from kenpo_plans.i18n import _

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert (_("wrote {path}") == "{path} を書き出しました") is japanese


def test_a_usage_error_is_japanese(tmp_path):
    result = _cli(["diff", "2018", "2019", "-b", "kagoshima", "-f", "nope"], "ja_JP.UTF-8")
    assert result.returncode == 2
    assert "エラー: '--format' / '-f' の値が正しくありません" in result.stderr
    assert "'kenpo-plans diff --help' で使い方を表示できます。" in result.stderr


def test_a_misspelt_command_is_answered_in_japanese():
    result = _cli(["dif"], "ja_JP.UTF-8")
    assert "コマンド 'dif' はありません。" in result.stderr and "'diff' の誤りではありませんか" in result.stderr


@pytest.mark.parametrize("case", list(CASES))
def test_every_bad_input_is_explained_in_japanese(case, tmp_path, run, monkeypatch):
    """The whole bad-input catalogue under a Japanese locale: located, and in Japanese throughout."""
    import shutil

    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans" / "kagoshima", plans / "kagoshima")
    content, _fragments, line = CASES[case]
    target = plans / "kagoshima" / "2019.yaml"
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    result = run("validate", "--plans-dir", plans)
    assert result.code == 1, result
    lines = [x for x in result.err.splitlines() if x.startswith(str(target))]
    assert lines, result.err
    for message in lines:
        assert re.match(r"\S.*?:\d+:\d+: (エラー|警告): ", message), message
        said = message.split(": ", 1)[1]
        assert JAPANESE.search(said), message
        assert ENGLISH_PHRASE.findall(re.sub(r"'[^']*'|「[^」]*」|\"[^\"]*\"", "", said)) == [], message


def test_a_plan_that_is_fine_is_reported_in_japanese(run, monkeypatch):
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    result = run("validate", ROOT / "plans" / "kagoshima" / "2019.yaml")
    assert result.code == 0 and JAPANESE.search(result.out) and not ENGLISH_PHRASE.search(result.out), result


@pytest.mark.parametrize("width", [80, 100])
def test_japanese_help_fits_the_terminal(width):
    from kenpo_plans.textsafety import columns

    result = _cli(["diff", "--help"], "ja_JP.UTF-8", COLUMNS=str(width))
    prose = [line for line in result.stdout.splitlines() if "kenpo-plans " not in line and not
             line.lstrip().startswith("-")]
    assert prose and all(columns(line) <= width for line in prose), [line for line in prose if columns(line) > width]


def test_wrapping_keeps_every_character_and_japanese_line_rules():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kenpo_plans.helptext import NO_LINE_START, _units, wrap_line
    from kenpo_plans.textsafety import columns

    pieces = st.sampled_from(["計画", "の", "支部", "。", "、", "（", "）", "ＫＰＩ", "kagoshima", " ", "--branch",
                              "2019", "年度", "「", "」", "を", "作ります"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, min_size=1, max_size=60), st.integers(min_value=12, max_value=80))
    def check(parts, width):
        text = "".join(parts)
        lines = wrap_line(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            # only a word that cannot be broken may run past the width
            assert columns(line) <= width or len([u for u in _units(line) if not u.isspace()]) == 1, (line, width)
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, lines

    check()
