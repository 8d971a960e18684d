import logging
import re

_QUERY_STRING = re.compile(r"\?\S*")


class WithoutQueryStrings(logging.Filter):
    """Leave query strings out of logged request lines: the site search's words travel in
    them, and what a visitor searched for must never reach a log."""

    def filter(self, record):
        if isinstance(record.args, tuple):
            record.args = tuple(
                _QUERY_STRING.sub("", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused request is logged as its one line: a 403 is an answer, not a fault, and
    its traceback only buries the real errors."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
