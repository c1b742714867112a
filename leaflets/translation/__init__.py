"""Catalogs: extraction, merge, checks, and the rules a translation follows."""
