import re
from django.urls import reverse
from wagtail.models import Page


def test_explore(client, demo_site, demo_item, login, django_assert_max_num_queries):
    out = open("/tmp/scratch/explore.txt", "w")
    r = client.get(reverse("disclosure:search"), {"q": "收费"})
    out.write("=== 收费\n" + r.content.decode() + "\n")
    r = client.get(reverse("disclosure:search"), {"q": "a"})
    out.write("=== a\n" + r.content.decode() + "\n")
    r = client.get(reverse("disclosure:search"), {"q": "2025"})
    out.write("=== 2025\n" + r.content.decode() + "\n")
    r = client.get(reverse("disclosure:search"), {"q": "<script>alert(1)</script>收费"})
    out.write("=== xss\n" + r.content.decode() + "\n")
    r = client.get("/api/disclosure/v1/search/", {"q": "收费"})
    out.write("=== api\n" + r.content.decode() + "\n")
    r = client.get("/api/disclosure/v1/search/", {"q": "a"})
    out.write("=== api a\n" + str(r.status_code) + r.content.decode() + "\n")
    r = client.get("/api/disclosure/v1/search/", {"q": "收费", "date_from": "2025-02-01", "date_to": "2025-01-01"})
    out.write("=== api dates\n" + str(r.status_code) + r.content.decode() + "\n")
    r = client.get("/api/v3/pages/", {"search": "收费"})
    out.write("=== v3\n" + str(r.status_code) + r.content.decode() + "\n")
    out.write("=== backend\n" + repr(list(Page.objects.search("收费"))) + "\n")
    out.write(repr(list(Page.objects.live().search("门诊收费")[:10])) + "\n")
    login("office")
    r = client.get("/admin/pages/search/", {"q": "收费"})
    out.write("=== admin\n" + str(r.status_code) + r.content.decode() + "\n")
    client.logout()
    client.cookies["disclosure_script"] = "zh-Hant"
    r = client.get("/")
    out.write("=== home trad\n" + str(r.status_code) + str(r.headers) + r.content.decode() + "\n")
    r = client.get(demo_item("收费依据与费用查询").url)
    out.write("=== item trad\n" + str(r.status_code) + str(r.headers) + r.content.decode() + "\n")
    out.close()
