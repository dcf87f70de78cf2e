"""How a person is named on the admin's records: by their full name, their login a detail."""

from __future__ import annotations


def full_name(user) -> str:
    """``user``'s full name as Wagtail's admin shows it (``get_full_name``), or their login
    when the account holds no name; "" for no user."""
    if user is None:
        return ""
    return (user.get_full_name() or "").strip() or user.get_username()
