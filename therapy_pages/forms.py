from django import forms

MAX_QUERY_LENGTH = 200
# Deep enough for any real search; a limit keeps a crafted address from costing much.
MAX_PAGE = 50


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search this site",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Use fewer words: up to {MAX_QUERY_LENGTH} characters."},
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_page(self):
        return self.cleaned_data["page"] or 1
