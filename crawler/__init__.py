"""Collection: spiders, feeds, extraction, dedup and evidence snapshots. Imports `storage` only."""
