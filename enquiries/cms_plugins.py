from cms.plugin_base import CMSPluginBase
from cms.plugin_pool import plugin_pool

from enquiries.views import new_enquiry_form
from portal.models import LabelledPlugin


@plugin_pool.register_plugin
class EnquiryFormPlugin(CMSPluginBase):
    """The "Contact us" form, for any CMS page."""

    name = "Enquiry form"
    module = "Enquiries"
    model = LabelledPlugin
    render_template = "enquiries/plugins/enquiry_form.html"
    allow_children = False
    # Each visitor needs their own CSRF and form tokens: a cached copy would hand the
    # second visitor the first one's tokens, and their form would be refused.
    cache = False

    def render(self, context, instance, placeholder):
        context = super().render(context, instance, placeholder)
        context["enquiry_form"] = new_enquiry_form()
        return context

    @staticmethod
    def label(instance):
        return "the form visitors send the clinic an enquiry with"
