"""Providers for the forum app, added as its models land."""


def providers():
    return []
