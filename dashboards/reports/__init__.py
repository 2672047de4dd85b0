"""Periodic reports: media trends and response timeliness for a week, month, quarter or year, as a Vietnamese
administrative report (DOCX, with charts) and its annex of tables (XLSX).

Entry points: `dashboards.reports.build.build_report` (command line, web app) and
`dashboards.reports.mailing.run_report` (the scheduled e-mail to leaders). This package's `__init__` imports
nothing, so that reading `dashboards.reports.settings` does not load matplotlib.
"""
