"""`python -m crawler`: the crawl process (crawler/process.py), as crawler/run.py starts it.

Under this name, not `python -m crawler.process`: multiprocessing starts each extraction worker by running the
parent's main module again when it was given by name (`-m crawler.process`: Scrapy, Twisted and the rest imported
in every worker for nothing), but never a module named `__main__`.
"""

from __future__ import annotations

import sys

from crawler.process import main

if __name__ == "__main__":
    sys.exit(main())
