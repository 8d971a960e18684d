"""The model of the CMS plugins that have no settings of their own (a list, a form), so that
each is labelled by what it holds, as django CMS labels a plugin with a model by its text."""

from cms.models import CMSPlugin


class LabelledPlugin(CMSPlugin):
    """A plugin with no fields, labelled on the structure board, in the editor's dialog and in
    version comparisons by its plugin class's `label(instance)` rather than by its database id."""

    class Meta:
        proxy = True
        verbose_name = "part with no settings"
        verbose_name_plural = "parts with no settings"

    def __str__(self):
        return self.plugin_class.label(self)
