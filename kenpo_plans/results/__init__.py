"""Results and progress reports: read beside their plan, validated, and each KPI judged against the plan's target."""
