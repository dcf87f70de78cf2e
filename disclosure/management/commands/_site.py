"""Shared argument handling for the plugin's commands: sites, users, dates, working days."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site


def site_for_hostname(hostname: str | None) -> Site:
    if hostname:
        site = Site.objects.filter(hostname=hostname).first()
        if site is None:
            known = ", ".join(Site.objects.values_list("hostname", flat=True)) or "-"
            raise CommandError(
                _("No site with hostname %(hostname)s (known: %(known)s).")
                % {"hostname": hostname, "known": known}
            )
        return site
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise CommandError(_("No default site; pass --site HOSTNAME."))
    return site


def user_named(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No active user called %(name)s.") % {"name": username})
    return user


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}
        ) from error


def parse_working_days(value: str) -> int:
    try:
        count: int | None = int(value)
    except ValueError:
        count = None
    if count is None or count < 0:
        raise CommandError(
            _("“%(value)s” is not a number of working days; give a whole number, 0 or more.")
            % {"value": value}
        )
    return count
