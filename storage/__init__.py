"""Storage: tables, queries and migrations. Imports nothing of ours but `domain`.

Other packages exchange the frozen records of `domain.records`; ORM rows (`*Row`) never leave this package.
The read models of one screen each (triage queue, digest, trend figures, search) are `storage.views`.
"""
