"""Excel results import under hostile and damaged workbooks, and the -o path of every import (#27 C, D and
the loose ends; #31 point 4: a new period is normal, --force replaces one, backups outside plans/).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from openpyxl import Workbook

import hostile
from conftest import PLANS, ROOT
from kenpo_plans.importing import guard
from kenpo_plans.results.validate import read_results_file

LIMIT_SECONDS = 10


@pytest.fixture
def kumamoto(tmp_path):
    root = tmp_path / "plans"
    (root / "kumamoto").mkdir(parents=True)
    for name in ("2023.yaml", "2024.yaml"):
        shutil.copy(PLANS / "kumamoto" / name, root / "kumamoto" / name)
    return root


def _rows():
    return [["ＫＰＩ名", "R6実績", "評価"],
            ["サービススタンダード（現金給付の申請受付から支給までの標準期間10日間）の達成率", "100%", "Ａ"],
            ["現金給付等の申請に係る郵送化率", "93.5%", "Ｂ"]]


def workbook(path, rows=None, title="R6実績", hidden_first=None):
    book = Workbook()
    sheet = book.active
    if hidden_first is not None:
        sheet.title = "旧データ"
        for row in hidden_first:
            sheet.append(row)
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet(title)
    else:
        sheet.title = title
    for row in rows or _rows():
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def importing(run, kumamoto):
    def invoke(sheet, *extra, period="q2"):
        before = {p: p.read_bytes() for p in kumamoto.rglob("*") if p.is_file()}
        result, seconds = hostile.timed(run, "import", sheet, "-b", "kumamoto", "-y", "2024", "--period", period,
                                        "--plans-dir", kumamoto, *extra)
        assert result.code in (0, 1, 2), result
        assert "internal error" not in result.err and "Traceback" not in result.err, result
        assert seconds < LIMIT_SECONDS, (seconds, result)
        assert "/tmp/tmp" not in result.out + result.err, result  # never a scratch copy's name
        if result.code:
            after = {p: p.read_bytes() for p in kumamoto.rglob("*") if p.is_file()}
            assert after == before, result  # nothing written
        return result

    return invoke


def _written(kumamoto):
    results, problems = read_results_file(kumamoto / "kumamoto" / "2024.results.yaml")
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    return results


def test_the_clean_sheet_imports(importing, kumamoto, tmp_path):
    assert importing(workbook(tmp_path / "r.xlsx")).code == 0
    assert [k.id for k in _written(kumamoto).report("q2").kpis]


def test_a_cell_at_f1048576_costs_nothing(importing, kumamoto, tmp_path):
    path = workbook(tmp_path / "far.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active["F1048576"] = "x"
    book.save(path)
    result = importing(path)
    assert result.code == 0, result


def test_a_hidden_first_sheet_is_skipped_and_named(importing, kumamoto, tmp_path):
    stale = [["ＫＰＩ名", "R6実績"], ["現金給付等の申請に係る郵送化率", "1%"]]
    result = importing(workbook(tmp_path / "h.xlsx", hidden_first=stale))
    assert result.code == 0 and "旧データ" in result.out and "hidden" in result.out, result
    actual = {k.id: k.actual.text for k in _written(kumamoto).report("q2").kpis if k.actual}
    assert "1%" not in actual.values() and "100%" in actual.values()


def test_only_a_hidden_sheet_is_refused(importing, kumamoto, tmp_path):
    path = workbook(tmp_path / "only.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.create_sheet("メモ")
    book["R6実績"].sheet_state = "hidden"
    book.save(path)
    result = importing(path)
    assert result.code == 1 and "R6実績" in result.err and "hidden" in result.err, result


def _patched_value(path, old: bytes, new: bytes):
    sheet = hostile.part(path, "xl/worksheets/sheet1.xml")
    assert old in sheet
    return hostile.rezip(path, path.with_name("patched.xlsx"), {"xl/worksheets/sheet1.xml": sheet.replace(old, new)})


@pytest.mark.parametrize("value", [b"1e309", b"-1E+309"])
def test_a_non_finite_figure_is_reported_not_written(importing, kumamoto, tmp_path, value):
    rows = _rows()
    rows[1][1] = 0.5
    path = _patched_value(workbook(tmp_path / "inf.xlsx", rows), b"<v>0.5</v>", b"<v>" + value + b"</v>")
    result = importing(path)
    text = (kumamoto / "kumamoto" / "2024.results.yaml").read_text(encoding="utf-8") if result.code == 0 else ""
    assert "inf" not in text.lower() and "nan" not in text.lower()
    assert "row 2" in result.out + result.err, result


def test_a_date_in_the_results_column_is_reported_not_written(importing, kumamoto, tmp_path):
    import datetime

    rows = _rows()
    rows[1][1] = datetime.date(2024, 9, 30)
    result = importing(workbook(tmp_path / "date.xlsx", rows))
    assert "row 2" in result.out + result.err and "date" in result.out + result.err, result
    if result.code == 0:
        assert "2024-09-30" not in (kumamoto / "kumamoto" / "2024.results.yaml").read_text(encoding="utf-8")


def test_an_off_scale_rating_writes_nothing(importing, kumamoto, tmp_path):
    shutil.copy(PLANS / "kumamoto" / "2024.results.yaml", kumamoto / "kumamoto" / "2024.results.yaml")
    rows = _rows()
    rows[1][2] = "Ｚ"
    result = importing(workbook(tmp_path / "z.xlsx", rows), period="year", *("--force",))
    assert result.code == 1 and "2024.results.yaml" in result.err, result


def test_a_workbook_bomb_is_refused(importing, tmp_path):
    path = workbook(tmp_path / "bomb.xlsx")
    hostile.zeros_part(path, "xl/media/image1.png", guard.MAX_PART_BYTES + 1024 * 1024)
    result = importing(path)
    assert result.code == 1 and "MB" in result.err, result


def test_a_password_protected_workbook_says_so(importing, tmp_path):
    protected = tmp_path / "protected.xlsx"
    protected.write_bytes(guard.CFB_MAGIC + b"\0" * 4096)
    result = importing(protected)
    assert result.code == 1 and "password" in result.err, result


def test_a_fifo_named_xlsx_is_refused_at_once(kumamoto, tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "kenpo_plans", "import", str(fifo), "-b", "kumamoto", "-y", "2024",
                             "--period", "q2", "--plans-dir", str(kumamoto)], capture_output=True, text=True,
                            timeout=LIMIT_SECONDS, cwd=ROOT, env={**os.environ, "LANG": "C.UTF-8"})
    assert result.returncode == 1 and "named pipe" in result.stderr, result


# --- the -o path ----------------------------------------------------------------------------------------------


def test_results_import_refuses_a_plan_file_as_output(importing, kumamoto, tmp_path):
    result = importing(workbook(tmp_path / "r.xlsx"), "-o", kumamoto / "kumamoto" / "2024.yaml", "--force")
    assert result.code == 1 and "plan" in result.err, result


def test_results_import_refuses_its_input_as_output(importing, tmp_path):
    sheet = workbook(tmp_path / "r.xlsx")
    result = importing(sheet, "-o", sheet, "--force")
    assert result.code == 1 and "input" in result.err, result


def test_results_import_names_a_directory_output(importing, tmp_path):
    (tmp_path / "out").mkdir()
    result = importing(workbook(tmp_path / "r.xlsx"), "-o", tmp_path / "out", "--force")
    assert result.code == 1 and "directory" in result.err, result


@pytest.mark.parametrize("case", ["input", "directory"])
def test_plan_import_refuses_its_input_or_a_directory_as_output(run, tmp_path, case):
    document = hostile.plan_docx(tmp_path / "in.docx")
    original = document.read_bytes()
    target = document if case == "input" else tmp_path / "out"
    if case == "directory":
        target.mkdir()
    result = run("import", document, "-b", "kagoshima", "-y", "2019", "-o", target, "--force",
                 "--plans-dir", tmp_path / "plans")
    assert result.code == 1 and "internal error" not in result.err, result
    assert (case in result.err) and document.read_bytes() == original, result
    assert not list(tmp_path.glob("*.bak")) and not list(tmp_path.glob("out/*"))


# --- #31 point 4: periods, backups, titles, --dry-run --------------------------------------------------------


def test_a_new_period_is_added_without_force_and_the_kept_ones_are_named(importing, kumamoto, tmp_path):
    shutil.copy(PLANS / "kumamoto" / "2024.results.yaml", kumamoto / "kumamoto" / "2024.results.yaml")
    result = importing(workbook(tmp_path / "r.xlsx", title="第2四半期"))
    assert result.code == 0, result
    results = _written(kumamoto)
    assert [r.period for r in results.reports] == ["year", "q2"]
    assert "year" in result.out  # the period kept
    assert results.report("q2").title.count("第2四半期") == 1, results.report("q2").title


def test_force_replaces_one_period_and_keeps_the_backup_outside_plans(importing, kumamoto, tmp_path):
    shutil.copy(PLANS / "kumamoto" / "2024.results.yaml", kumamoto / "kumamoto" / "2024.results.yaml")
    sheet = workbook(tmp_path / "r.xlsx")
    refused = importing(sheet, period="year")
    assert refused.code == 1 and "--force" in refused.err and "year" in refused.err, refused
    done = importing(sheet, "--force", period="year")
    assert done.code == 0, done
    assert not list(kumamoto.rglob("*.bak"))
    backups = list((kumamoto.parent / ".kenpo-plans-backup").rglob("2024.results.yaml.*.bak"))
    assert len(backups) == 1 and str(backups[0].name) in done.out + done.err


def test_dry_run_prints_the_same_summary_as_a_real_run(importing, kumamoto, tmp_path):
    sheet = workbook(tmp_path / "r.xlsx", rows=_rows() + [["存在しないＫＰＩ", "1%", ""]])
    dry = importing(sheet, "--dry-run")
    real = importing(sheet)
    assert dry.code == real.code == 0
    summary = [line for line in real.out.splitlines() if line.strip()]
    assert summary and all(line in dry.out.splitlines() for line in summary), (dry.out, real.out)
