"""Plain data (a diff, an evaluated report, a KPI view) turned into documents: text, JSON, HTML, PDF, Word, Excel."""
