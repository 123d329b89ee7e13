from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class LockoutMessageMixin:
    """An authentication form that says when the account is locked."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # django-axes flags the request once the account is locked (org.backends.LockoutBackend): the same
            # message for a username that exists and one that does not, so it tells a guesser nothing.
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(locked_message(), code="locked") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


def locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed sign-ins: this account is locked for %(minutes)d minute after the last attempt. "
        "An administrator can unlock it.",
        "Too many failed sign-ins: this account is locked for %(minutes)d minutes after the last attempt. "
        "An administrator can unlock it.",
        minutes,
    ) % {"minutes": minutes}


class TokenForm(forms.Form):
    """The six digits an authenticator app shows."""

    token = forms.CharField(
        label=_("Code from the authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("Enter the digits the app shows."), code="invalid")
        return token
