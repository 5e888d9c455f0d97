"""Reporting: pure aggregation (summary) and the renderers (terminal, CSV, JSON).

Import the submodules directly: `auditor.report.summary`, `.terminal`, `.csvout`, `.jsonout`.
"""
