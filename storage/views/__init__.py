"""Screen read models: what one screen, message or export shows, read in as few statements as it needs.

`storage/` proper keeps the tables, the migrations and the queries that record and look up the system's state
(articles, stories, cases, deadlines, the outbox, …) for every package. The modules here answer one screen each and
change with it: the triage queue and its filters (`queue`, `queue_filters`), the daily digest (`digest`), the trend
figures of the web app and the periodic reports (`stats`), full-text search (`search`) and a communication
incident's timeline (`incident_timeline`). They stay inside `storage` (not beside their screens in `dashboards/` or
`alerts/`) because they are SQL over the ORM rows, which never leave this package; what they return is frozen
records and small dataclasses, as every storage query does.
"""
