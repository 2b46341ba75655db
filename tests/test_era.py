import pytest

from kenpo_plans.plan import era


@pytest.mark.parametrize(
    "year, prefer, expected",
    [
        (1989, None, "平成元年度"),
        (2018, None, "平成30年度"),
        (2019, None, "平成31年度"),
        (2019, "heisei", "平成31年度"),
        (2019, "reiwa", "令和元年度"),
        (2020, None, "令和2年度"),
        (2021, None, "令和3年度"),
        (2024, None, "令和6年度"),
    ],
)
def test_format_fiscal_year(year, prefer, expected):
    assert era.format_fiscal_year(year, prefer) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("平成31年度", 2019),
        ("平成３１年度", 2019),
        ("令和元年度", 2019),
        ("令和1年度", 2019),
        ("令和３年度", 2021),
        ("R3", 2021),
        ("H30", 2018),
        ("2019", 2019),
        ("２０１９", 2019),
        ("2019年度", 2019),
        ("平成 31年度 事業計画（鹿児島支部）新旧対照表（案）", 2019),
        ("令和6年度熊本支部事業実施結果", 2024),
        ("事業計画", None),
        ("ＣＫＤ受診勧奨", None),
    ],
)
def test_parse_fiscal_year(text, expected):
    assert era.parse_fiscal_year(text) == expected


def test_era_year_zero_is_rejected():
    with pytest.raises(era.EraError):
        era.parse_fiscal_year("令和0年度")


def test_overlap_year_cannot_take_a_wrong_era():
    with pytest.raises(era.EraError):
        era.format_fiscal_year(2021, "heisei")


def test_short_year_matches_column_headers_of_seed_003():
    # 新（31年度） 旧（30年度）
    assert era.short_year(2019) == "31"
    assert era.short_year(2018) == "30"
    assert era.short_year(2019, "reiwa") == "元"


def test_round_trip_every_year_of_the_reiwa_and_heisei_eras():
    for year in range(1989, 2060):
        assert era.parse_fiscal_year(era.format_fiscal_year(year)) == year
