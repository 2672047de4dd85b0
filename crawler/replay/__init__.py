"""A loopback news site that replays a JSONL corpus: feeds, sitemap, listing and article pages, for the tests,
the demo and the benchmarks (`thads-monitor replay-site`)."""
