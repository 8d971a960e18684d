"""Side effects, such as an email, that follow a saved change once it has committed."""

from django.db import transaction


def after_commit(func, /, *args, **kwargs):
    """Call `func(*args, **kwargs)` once the current transaction commits. If it raises, the
    error is logged and goes no further: what was saved stands, and the person who saved it
    is not shown an error page for an email that could not be sent.

    Django is given a plain function, not a functools.partial: Django 5.2 logs a failed
    callback under its `__qualname__`, which a partial lacks, so the failure would escape as
    an AttributeError after all (Django ticket #36487)."""

    def callback():
        func(*args, **kwargs)

    callback.__qualname__ = func.__qualname__
    transaction.on_commit(callback, robust=True)
