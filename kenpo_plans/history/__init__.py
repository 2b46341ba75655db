"""KPI history and branch comparison: every KPI across years (one branch) and across branches (one year)."""
