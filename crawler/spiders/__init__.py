"""One generic spider per kind of feed (RSS/Atom, news sitemap, listing page); outlets are data, not code."""
