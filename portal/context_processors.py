from django.conf import settings


def clinic(request):
    """The clinic's name and phone number, shown in the header, footer and error pages."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CLINIC_PHONE": settings.CLINIC_PHONE,
    }
