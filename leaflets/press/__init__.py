"""PDF/X for the printer, the screen twin, their checks, sheets and the bundle."""
