"""The form token: a signed, one-time key issued when the form is shown.

It carries the moment the form was shown, so a form sent faster than a person could fill
it in can be recognised, and a random key, so sending the same form twice finds the
first enquiry instead of creating a second one.
"""

import secrets
import time
from dataclasses import dataclass

from django.core import signing

SALT = "enquiries.form-token"


@dataclass(frozen=True)
class FormToken:
    key: str
    issued_at: float

    def seconds_since_issued(self):
        return time.time() - self.issued_at


def issue_form_token(*, now=None):
    issued_at = now if now is not None else time.time()
    return signing.dumps({"key": secrets.token_urlsafe(24), "issued_at": issued_at}, salt=SALT)


def read_form_token(value):
    """The token's contents, or None if it is missing or was not signed by us."""
    try:
        data = signing.loads(value or "", salt=SALT)
        return FormToken(key=str(data["key"]), issued_at=float(data["issued_at"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
