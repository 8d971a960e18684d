from django import forms

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search this site",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Use fewer words: up to {MAX_QUERY_LENGTH} characters."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "true"}),
    )
