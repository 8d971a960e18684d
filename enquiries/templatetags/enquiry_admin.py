from django import template
from django.urls import reverse

from enquiries import selectors

register = template.Library()


@register.inclusion_tag("enquiries/admin/counts.html", takes_context=True)
def enquiry_counts(context):
    """New and overdue enquiries, for the admin index; nothing for staff who may not see them."""
    if not context["request"].user.has_perm("enquiries.view_enquiry"):
        return {"counts": None}
    return {
        "counts": selectors.enquiry_counts(),
        "changelist_url": reverse("admin:enquiries_enquiry_changelist"),
    }
