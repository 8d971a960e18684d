"""The consent wording a visitor agrees to. Change the version whenever the wording
changes: each enquiry keeps the version its sender agreed to."""

CONSENT_WORDING_VERSION = "2026-12"
CONSENT_WORDING = (
    "I agree that the clinic may store and use what I have written in this form, including "
    "information about my health or the health of the person I am asking about, and how it is "
    "safe to contact me, to reply to me."
)
PRIVACY_NOTICE_URL = "/privacy-notice/"
