from django import forms

# Both are drawn by staff_access/code_field.html, which sets the one-time-code hints.


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows now, or one of your backup codes.",
    )


class AuthenticatorAppForm(forms.Form):
    code = forms.CharField(
        label="Code from the app", max_length=10, help_text="The 6 digits the app shows for this portal."
    )
