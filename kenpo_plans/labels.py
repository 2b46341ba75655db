"""The documents' Japanese words, once: kinds of change, directions, statuses, periods, achievement.

Every renderer (text, JSON, HTML, PDF, Word, Excel, charts) and the results' JSON contract read their
labels here, so 「未達成」 or 「第1四半期」 cannot be spelt two ways in two documents.  These words are
the documents' own and stay Japanese in every locale (messages to the user go through i18n instead).
"""

from __future__ import annotations

# --- plans and their 新旧対照表 ---
STATUS_LABELS = {"draft": "案", "final": "確定"}
OLD_WORDS = ("旧", "現")  # the old side's heading (旧 by default; 現 where the old plan is the current one)
OLD_WORD = OLD_WORDS[0]
STATUS_MARKS = {"added": "（新設）", "removed": "（削除）"}
KIND_LABELS = {
    "added": "新設",
    "removed": "削除",
    "moved": "移動",
    "renamed": "名称変更",
    "modified": "修正",
    "punctuation": "句読点のみ",
    "renumbered": "番号変更",
    "formatting": "表記のみ",
    "not_in_old": "旧資料に記載なし",
    "not_in_new": "新資料に記載なし",
}
# the 備考 column (--remarks), as the 新旧対照表 convention writes the kinds of change
REMARK_LABELS = {"added": "（新設）", "removed": "（削除）", "moved": "（移動）", "renamed": "（修正）",
                 "modified": "（修正）", "punctuation": "（修正）", "renumbered": "（番号変更）", "formatting": "（表記）",
                 "not_in_old": "（旧資料に記載なし）", "not_in_new": "（新資料に記載なし）"}
NODE_LABELS = {"section": "区分", "measure": "施策", "block": "見出し", "item": "取組", "target": "数値目標",
               "kpi": "ＫＰＩ"}
DIRECTION_LABELS = {"raised": "引上げ", "lowered": "引下げ", "unchanged": "変更なし", "changed": "形式変更",
                    "added": "新設", "removed": "削除"}
# a target moved the way that asks more of the branch (一者応札 20%以下→15%以下) or less (郵送化率 95→93)
STRICTNESS_LABELS = {True: "厳格化", False: "緩和"}


def direction_label(direction: str, stricter: bool | None) -> str:
    """「引下げ・厳格化」: the way the figure moved, and whether that asks more or less of the branch."""
    label = DIRECTION_LABELS.get(direction, "")
    return f"{label}・{STRICTNESS_LABELS[stricter]}" if label and stricter is not None else label
# a measure's tags as the plans write them: 〈Ⅰ、Ⅱ、Ⅲ〉 goals, 【企画総務G・保健G】 groups (open, between, close)
TAG_FORMS = {"goals": ("〈", "、", "〉"), "groups": ("【", "・", "】")}
FIELD_LABELS = {"goals": "目標", "groups": "担当"}
LIST_CHANGE_WORDS = {"added": "を追加", "removed": "を削除", "none": "なし"}
METADATA_LABELS = {"title": "表題", "branch_name": "支部名", "status": "状態", "document_number": "資料番号",
                   "document_date": "資料の日付"}

# --- results and progress ---
PERIOD_LABELS = {"q1": "第1四半期", "q2": "第2四半期", "q3": "第3四半期", "h1": "上期", "year": "年度実績"}
ACHIEVED = {True: "達成", False: "未達成", None: "判定なし"}
PROVISIONAL = "暫定"  # an accumulating KPI before the year is over
INTERIM = "年度途中"  # a figure of a quarter or half-year report, not the year's result
REASON_LABELS = {
    "qualitative": "定性的な目標",
    "per_branch": "支部ごとに設定する目標",
    "compound": "複数の目標を含む",
    "no_target": "数値目標なし",
    "no_actual": "実績なし",
    "pending": "算出予定",
    "no_previous": "前年度実績が不明",
    "unit_mismatch": "単位が目標と異なる",
    "interim": "暫定（年度途中）",
}
BASIS_LABELS = {
    "target": "計画の目標値",
    "previous_year_results": "前年度実績（前年度の実績ファイル）",
    "previous_year_quoted": "前年度実績（ＫＰＩに記載の数値）",
    "previous_year_printed": "前年度実績（報告書に記載の数値）",
}
RATING_BASIS_LABELS = {"computed": "数値", "rank": "全国順位", "judgement": "支部の判断"}

# --- the plan itself (show --format pdf|html|docx) ---
KPI_HEADING = "《ＫＰＩ》"
# a KPI's target printed on a line of its own (the target column of the office's table), and the words of a year
# that sets none: ``import`` reads both back
KPI_TARGET_LABEL = "目標："
KPI_NO_TARGET_LABEL = "目標なし："
# where a line stands in a source document (import's report of unplaced lines, written into the plan file)
PLACE_LINE = "{line}行"
PLACE_PAGE_LINE = "{page}頁 {line}行"
PLACE_PARAGRAPH = "段落 {n}"
PLACE_UNDER = "「{title}」の中"  # a node the import dropped, placed by the nearest words above it
PLACE_TABLE_CELL = "表{t} {r}行{c}列"
# a Word document that still holds tracked changes, read with every one accepted (import's report)
REVISIONS_ACCEPTED = "変更履歴 挿入 {inserted}・削除 {deleted}・移動 {moved}"

# --- a plan's history and the plans list (log, git's diff driver, list): lines beside the documents' own ---
CREATED_SUMMARY = "新規作成（施策 {measures}件、ＫＰＩ {kpis}件）"
MERGE_SUMMARY = "マージ: {summary}"  # a merge commit, against its first parent
CREATED = "新規作成"
DELETED = "削除"
WHOLE_PLAN = "{verb}: {title}（施策 {measures}件）"
RESULTS_COLUMN = "実績"
# the running head of the 新旧対照表 as Word revisions (diff -f docx --track-changes)
REVISIONS_HEADER = "{branch}　{title}　新旧対照（{old}からの変更を変更履歴で表示）"
# a Word/PDF/text plan diffed as it is (diff old.docx new.docx): what its reading left out or guessed, in the table
DOCUMENT_SIDES = {"old": "旧", "new": "新"}
READ_LEFT_OUT = "{side}の文書（{file}）: 計画として読めなかった {count} 行はこの対照表に入っていません。最初は {first}"
READ_GUESSED = "{side}の文書（{file}）: 推測で読んだところが {count} か所あります。最初は {first}"
READ_CHECK = "（確かめるには kenpo-plans import {file} --dry-run）"
# a warning printed in the 新旧対照表 itself
REVERSED_YEARS = ("旧に新しい年度（{old}）、新に古い年度（{new}）を指定しています。"
                  "年度の順を確かめてください（例: kenpo-plans diff {first} {second}）。")

# --- the review site (kenpo-plans site) ---
SITE_INDEX_TITLE = "協会けんぽ 支部事業計画 一覧"
SITE_KPI_TITLE = "ＫＰＩ（推移と支部間の比較）"
SITE_SEARCH_TITLE = "検索"
REPORT_KINDS = {"year": "結果"}  # a year-end report is a result; any other period's is progress
PROGRESS = "進捗"
