from cms.sitemaps import CMSSitemap


class PublishedPagesSitemap(CMSSitemap):
    """django CMS's published, public, non-redirecting pages, at the address they were asked for.

    The sites framework's domain is a database row nobody remembers to set; the host the
    request came to has already passed ALLOWED_HOSTS."""

    def __init__(self, domain):
        self.domain = domain

    def get_domain(self, site=None):
        return self.domain
