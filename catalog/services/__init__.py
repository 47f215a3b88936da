"""Writes: every change to the catalog goes through a function here, each in one transaction.

``importer`` turns files into catalog rows (``import_paths``); ``editing`` saves staff edits,
settles conflicts and keeps manual edges' counts right; ``rows`` writes a definition's rows
and everything derived from them, for both; ``exporting`` writes the catalog back out as
files; ``rendering`` fills a definition's rendered-HTML cache. Views, the admin and the
management commands call these and write nothing themselves.
"""
