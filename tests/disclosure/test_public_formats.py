"""Money reads as money and the phone keyboard comes up where a phone number is asked for."""

from __future__ import annotations

from disclosure.models import ProcurementNoticePage, RequestCentrePage


def test_amounts_read_as_money(demo_site, client):
    notice = ProcurementNoticePage.objects.live().filter(budget__gte=100000).order_by("pk").first()
    html = client.get(notice.url).content.decode()
    assert f"{notice.budget:,.2f}元" in html  # 4,200,000.00元, not 4200000.00


def test_phone_fields_bring_up_the_number_pad(demo_site, client):
    centre = RequestCentrePage.objects.live().get()
    for form in ("request/", "consultation/"):
        html = client.get(centre.url + form).content.decode()
        phone = (
            html.split('name="phone"', 1)[0].rsplit("<input", 1)[1]
            + html.split('name="phone"', 1)[1].split(">", 1)[0]
        )
        assert (
            'type="tel"' in phone and 'inputmode="tel"' in phone and 'autocomplete="tel"' in phone
        )
