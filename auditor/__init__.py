"""linkedin-audit: find the sensitive content in a LinkedIn data export and when it was exposed."""

__version__ = "0.3.0"
