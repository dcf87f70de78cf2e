"""Login lockouts in the admin (登录锁定): an office sees and lifts the lockouts of its own
institutions' staff only, never a superuser's, another institution's or an unknown name's; each
unlock is on the audit trail of the account's institution."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from disclosure.models import AuditEntry, InstitutionSettings
from disclosure.selectors.audit import audit_entries_visible_to
from disclosure.services.departments import ensure_department, ensure_office_group
from disclosure.services.lockouts import LOCKOUT_LIFT_ACTION
from home.demo import DEMO_PASSWORD

LOCKOUTS = "/admin/disclosure/lockouts/"
AUDIT_REPORT = "/admin/reports/disclosure-audit/"
ADDRESS = "192.0.2.10"


def _locked_out(username: str, *, address: str = ADDRESS, user_agent: str = "", failures=5):
    """What django-axes writes for ``failures`` failed logins of ``username`` from ``address``."""
    return AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent=user_agent,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/admin/login/",
        failures_since_start=failures,
    )


def _as(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _listed(client: Client) -> set[str]:
    response = client.get(LOCKOUTS)
    assert response.status_code == 200
    return {attempt.username for attempt in response.context["attempts"]}


@pytest.fixture
def other_institution(fresh_site, django_user_model):
    """A second hospital with an editor (its staff) and a disclosure office member."""
    editor = django_user_model.objects.create_user("other-editor", password=DEMO_PASSWORD)
    editor.groups.add(ensure_department(site=fresh_site, name="内科").editors_group)
    office = django_user_model.objects.create_user("other-office", password=DEMO_PASSWORD)
    office.groups.add(ensure_office_group(site=fresh_site))
    return fresh_site


@pytest.fixture
def lockouts(other_institution, django_user_model):
    """One lockout each: the demo hospital's staff, the other hospital's staff, a superuser
    (who is also in the demo's office group), and a name no account has."""
    demo_office = InstitutionSettings.objects.get(site__is_default_site=True).office_group
    django_user_model.objects.create_superuser("superuser-2", password=DEMO_PASSWORD).groups.add(
        demo_office
    )
    return {
        name: _locked_out(name)
        for name in ("finance-editor", "other-editor", "superuser-2", "admin", "nobody-here")
    }


def test_an_office_member_sees_only_their_institutions_staff_lockouts(lockouts):
    assert _listed(_as("office")) == {"finance-editor"}
    assert _listed(_as("other-office")) == {"other-editor"}


def test_a_superuser_sees_every_lockout(lockouts):
    assert _listed(_as("admin")) == set(lockouts)


def test_the_offices_page_names_nobody_outside_its_staff(lockouts):
    page = _as("office").get(LOCKOUTS).content.decode()
    assert "finance-editor" in page
    for hidden in ("other-editor", "superuser-2", "nobody-here"):
        assert hidden not in page


@pytest.mark.parametrize("username", ["other-editor", "superuser-2", "admin", "nobody-here"])
def test_an_office_member_cannot_lift_a_lockout_outside_their_staff(lockouts, username):
    attempt = lockouts[username]
    response = _as("office").post(f"{LOCKOUTS}{attempt.pk}/unlock/")
    # The same answer as for a lockout that does not exist: nothing is revealed.
    assert response.status_code == 404
    assert _as("office").post(f"{LOCKOUTS}999999/unlock/").status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not AuditEntry.objects.filter(action=LOCKOUT_LIFT_ACTION).exists()


def test_an_office_member_lifts_their_own_staffs_lockout(lockouts):
    response = _as("office").post(f"{LOCKOUTS}{lockouts['finance-editor'].pk}/unlock/")
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="finance-editor").exists()
    assert AccessAttempt.objects.filter(username="other-editor").exists()


def test_the_unlock_is_on_the_audit_trail_of_the_accounts_institution(lockouts, demo_site):
    _as("office").post(f"{LOCKOUTS}{lockouts['finance-editor'].pk}/unlock/")
    entry = AuditEntry.objects.get(action=LOCKOUT_LIFT_ACTION)
    assert (entry.username, entry.site_id) == ("office", demo_site.pk)
    assert entry.data == {"username": "finance-editor", "ip_address": ADDRESS}
    # The demo's supervisor reads it in Reports → 审计记录, with who, whose lock and from where.
    report = _as("supervisor").get(AUDIT_REPORT, {"action": LOCKOUT_LIFT_ACTION})
    row = report.content.decode()
    assert "finance-editor" in row and ADDRESS in row
    assert [e.username for e in report.context["object_list"]] == ["office"]
    # The other hospital's office does not.
    other_office = get_user_model().objects.get(username="other-office")
    assert not audit_entries_visible_to(other_office).filter(pk=entry.pk).exists()


def test_a_superusers_unlock_of_an_account_of_no_institution_keeps_its_address_from_the_offices(
    lockouts,
):
    _as("admin").post(f"{LOCKOUTS}{lockouts['superuser-2'].pk}/unlock/")
    entry = AuditEntry.objects.get(action=LOCKOUT_LIFT_ACTION)
    assert (entry.username, entry.site_id, entry.object_repr) == ("admin", None, "superuser-2")
    assert entry.data == {"username": "superuser-2", "ip_address": ADDRESS}
    report = _as("office").get(AUDIT_REPORT, {"action": LOCKOUT_LIFT_ACTION})
    assert ADDRESS not in report.content.decode()


@override_settings(
    AXES_ENABLED=True,
    AUTHENTICATION_BACKENDS=[
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ],
)
def test_after_an_unlock_one_typo_does_not_lock_the_person_out_again(db):
    # Axes adds up the failures of one name from one address across browsers: 4 + 1 locks.
    _locked_out("finance-editor", user_agent="Firefox", failures=4)
    shown = _locked_out("finance-editor", user_agent="Chrome", failures=1)
    _locked_out("finance-editor", address="192.0.2.99", failures=5)

    def log_in(password=DEMO_PASSWORD, address=ADDRESS):
        return Client().post(
            "/admin/login/",
            {"username": "finance-editor", "password": password},
            REMOTE_ADDR=address,
        )

    assert log_in().status_code == 429
    _as("office").post(f"{LOCKOUTS}{shown.pk}/unlock/")
    assert log_in("wrong-password").status_code == 200
    assert log_in().status_code == 302
    # The same name from another address stays locked.
    assert log_in(address="192.0.2.99").status_code == 429
