"""Storage: records, tables, queries and migrations. Imports nothing of ours.

Other packages exchange the frozen records of `storage.records`; ORM rows (`*Row`) never leave this package.
"""
