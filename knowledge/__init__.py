"""Service guides and the Chinese question matcher: a plain library (no web, bot or database imports)."""
