"""Providers for the trainings app, added as its models land."""


def providers():
    return []
