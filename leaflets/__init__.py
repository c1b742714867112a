"""leaflets: campaign texts in YAML and gettext catalogs, typeset into print-ready leaflets."""

__version__ = "0.1.0"
