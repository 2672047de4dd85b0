"""Routes by resource: sign-in, pages, triage, cases, articles, search, trends, API."""
