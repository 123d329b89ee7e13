"""The span of dates Hotline accepts from anyone: the API's times and every HTML form's dates and times.

Hotline's records start after 2000 and its deadlines run at most a few years ahead. Outside this span a date
is a typing slip, and some are worse: a day in year 1 has no UTC moment in Shanghai's time (OverflowError),
9999-12-31 has no "next working day", and before 1901 Shanghai kept local mean time (+08:05:43).
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def year_in_range(value: dt.date) -> bool:
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def _check(value) -> None:
    if value is None:
        return
    within = year_in_range(value)
    if within and isinstance(value, dt.datetime):
        try:
            value.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            within = False
    if not within:
        raise ValidationError(
            _("Give a date between the years %(earliest)d and %(latest)d."),
            code="out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


class BoundedDateField(forms.DateField):
    """A form's date, refused (a form error, never a 500) outside EARLIEST_YEAR–LATEST_YEAR."""

    def validate(self, value):
        super().validate(value)
        _check(value)


class BoundedDateTimeField(forms.DateTimeField):
    """A form's date and time (in the current time zone), refused outside EARLIEST_YEAR–LATEST_YEAR."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        _check(value)
