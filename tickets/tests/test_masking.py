"""One masking of personal data for the ticket page, the staff API, the admin and the alerts."""

import pytest

from tickets.masking import mask_name, mask_phone


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("13812345678", "138****5678"),
        ("+8613812345678", "+86*******5678"),
        ("57812345", "******45"),
        ("1234567", "*****67"),
        ("12345", "***45"),
        ("1234", "****"),
        ("12", "**"),
        (" 13812345678 ", "138****5678"),
        ("", ""),
    ],
)
def test_mask_phone_shows_a_short_number_at_most_its_last_two_digits(phone, shown):
    assert mask_phone(phone) == shown


@pytest.mark.parametrize(("name", "shown"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("张", "张*"), ("", "")])
def test_mask_name_keeps_only_the_first_character(name, shown):
    assert mask_name(name) == shown
