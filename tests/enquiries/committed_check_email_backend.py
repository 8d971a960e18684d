"""An email backend for tests that records, for each staff email, whether its enquiry was
already committed when the email was sent, as another database connection sees it."""

import re
import threading

from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.db import connection

from enquiries.models import Enquiry

REFERENCE = re.compile(r"ENQ-\w+")
# (reference, committed) for each email sent, oldest first.
sent = []


class EmailBackend(LocmemEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            reference = REFERENCE.search(message.subject).group()
            sent.append((reference, _seen_from_another_connection(reference)))
        return super().send_messages(email_messages)


def _seen_from_another_connection(reference):
    seen = []

    def look():
        # A new thread has its own database connection, outside the sender's transaction.
        try:
            seen.append(Enquiry.objects.filter(reference=reference).exists())
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return seen == [True]
