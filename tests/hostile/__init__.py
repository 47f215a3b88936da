"""Hostile inputs for the security suite: files written into a temporary tree at test time.

``tree`` builds the tree (nothing large is committed: the 50 MiB file and the files at each
size limit are generated when a test asks for them); ``checks`` walks HTML, JSON and HTTP
responses for anything active that imported content could have smuggled in.
"""
