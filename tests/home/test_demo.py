import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from disclosure.models import CatalogCategoryPage, CatalogItemPage, Department, PublicationPage
from home.demo import DEMO_PASSWORD, DEMO_STAGES, DEPARTMENTS, load_demo

ARTICLE_SIX_CATEGORIES = [
    "机构概况",
    "科室分布与标识导引",
    "服务内容与流程",
    "公共卫生与应急",
    "医保价格收费",
    "健康科普",
    "招标采购",
    "行风廉政",
    "咨询投诉",
]


def test_demo_has_the_departments_catalog_and_two_years_of_publications(demo_site, demo_index):
    assert [d.name for d in Department.objects.filter(site=demo_site)] == [
        n for n, _ in DEPARTMENTS
    ]
    categories = set(
        CatalogCategoryPage.objects.child_of(demo_index).values_list("title", flat=True)
    )
    assert set(ARTICLE_SIX_CATEGORIES) <= categories
    assert CatalogItemPage.objects.descendant_of(demo_index).count() == 43
    dates = PublicationPage.objects.descendant_of(demo_index).values_list(
        "publication_date", flat=True
    )
    assert (max(dates) - min(dates)).days > 600


def test_loading_the_demo_twice_gives_the_same_site(demo_site):
    before = Page.objects.count(), PublicationPage.objects.count()
    said = []
    summary = load_demo(progress=said.append)
    assert summary.publications_created == 0
    assert (Page.objects.count(), PublicationPage.objects.count()) == before
    # Each step says where it is, in Chinese, as it starts.
    steps = [line for line in said if line.startswith("[")]
    assert [line.split("]")[0] for line in steps] == [
        f"[{n}/{DEMO_STAGES}" for n in range(1, DEMO_STAGES + 1)
    ]
    assert steps[0] == f"[1/{DEMO_STAGES}] 机构、科室与账号"
    assert "  目录事项 43/43，已建公开信息 0 条" in said  # nothing new on a second run


@pytest.mark.parametrize(
    "username",
    [
        "admin",
        "office",
        "office-deputy",
        "supervisor",
        "leader",
        "medical-editor",
        "medical-head",
        "finance-editor",
        "finance-head",
    ],
)
def test_every_demo_account_can_log_in_to_the_admin(db, client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_department_editors_may_edit_only_their_own_items(demo_item):
    editor = get_user_model().objects.get(username="medical-editor")
    assert demo_item("专家出诊信息").permissions_for_user(editor).can_add_subpage()
    assert not demo_item("药品价格").permissions_for_user(editor).can_add_subpage()
    assert not demo_item("专家出诊信息").permissions_for_user(editor).can_publish()
