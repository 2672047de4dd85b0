"""The web app (FastAPI + Jinja2): triage, cases, articles, search, trends, and a small JSON API."""
