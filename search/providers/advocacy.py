"""Providers for the advocacy app, added as its models land."""


def providers():
    return []
