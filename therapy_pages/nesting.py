"""
The editor enforces each plugin's parent and child rules; `cms.api.add_plugin` does not.
Code that builds pages adds plugins through `add_nested_plugin`, so it follows the same rules.
"""

from cms.api import add_plugin
from cms.plugin_pool import plugin_pool


class NestingError(ValueError):
    pass


def check_nesting(slot, plugin_type, parent_type=None):
    """Raise NestingError unless a `plugin_type` may go under `parent_type` (None: the placeholder)."""
    plugin_class = plugin_pool.get_plugin(plugin_type)
    allowed_parents = plugin_class.get_parent_classes(slot)
    if parent_type is None:
        if plugin_class.get_require_parent(slot) or allowed_parents:
            raise NestingError(f"{plugin_type} must go inside one of {allowed_parents}.")
        return
    if allowed_parents and parent_type not in allowed_parents:
        raise NestingError(f"{plugin_type} may only go inside {allowed_parents}, not {parent_type}.")
    parent_class = plugin_pool.get_plugin(parent_type)
    if not parent_class.allow_children:
        raise NestingError(f"{parent_type} cannot hold other plugins.")
    allowed_children = parent_class.get_child_class_overrides(slot)
    if allowed_children and plugin_type not in allowed_children:
        raise NestingError(f"{parent_type} may only hold {allowed_children}, not {plugin_type}.")


def add_nested_plugin(placeholder, plugin_type, language, parent=None, **data):
    """`add_plugin`, refusing what the editor would refuse."""
    check_nesting(placeholder.slot, plugin_type, parent.plugin_type if parent else None)
    return add_plugin(placeholder, plugin_type, language, target=parent, **data)
