"""Workbook features: what-if widgets, rendered pages and shared live HTML files."""
