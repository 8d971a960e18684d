"""Work that leaves the visitor's request: run by `manage.py db_worker` in production, at
once with DEBUG on (see TASKS in settings)."""

from django_tasks import task

# The module, not its functions: services enqueues these tasks, so each imports the other.
from enquiries import services
from enquiries.models import Enquiry


@task()
def notify_staff_of_enquiry(enquiry_id):
    """Email staff that the enquiry arrived. A failure leaves it for the retry command."""
    enquiry = Enquiry.objects.filter(pk=enquiry_id).first()
    if enquiry is None:
        # Deleted as spam before the worker came to it.
        return services.Notification.SKIPPED.value
    return services.enquiry_notify_staff(enquiry=enquiry).value
