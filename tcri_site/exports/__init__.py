"""Prepared downloads: files too long to build in a request (large CSV exports, a zip of a
session's certificates) are built by the worker, kept privately for a while, and fetched by
the person who asked for them once they are ready."""
