from django.db import migrations

# Department and office groups used to hold their document permissions (add, change, choose)
# on the root collection: every institution's staff could choose, change and download every
# other institution's documents. Each institution now has a collection of its own; this moves
# the groups' permissions there, and each document used by the pages of one institution only
# into that institution's collection. Documents used by several institutions, or by none,
# stay where they are (for a superuser to file).

DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail's collections use


def _step(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEPLEN, "0")


def _add_child(Collection, parent, name: str):
    """treebeard's ``add_child`` for the historical model, which does not have it."""
    last = (
        Collection.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
        .order_by("-path")
        .first()
    )
    number = int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    child = Collection.objects.create(
        name=name, path=parent.path + _step(number), depth=parent.depth + 1, numchild=0
    )
    parent.numchild += 1
    parent.save(update_fields=["numchild"])
    return child


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Department = apps.get_model("disclosure", "Department")
    Document = apps.get_model("wagtaildocs", "Document")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    InstitutionSettings = apps.get_model("disclosure", "InstitutionSettings")
    Page = apps.get_model("wagtailcore", "Page")
    Permission = apps.get_model("auth", "Permission")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    Site = apps.get_model("wagtailcore", "Site")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
        )
    )
    collection_by_root_path = {}
    for site in Site.objects.select_related("root_page").order_by("pk"):
        institution = InstitutionSettings.objects.filter(site=site).first()
        groups = {institution.office_group_id} - {None} if institution else set()
        for editors, heads in Department.objects.filter(site=site).values_list(
            "editors_group_id", "heads_group_id"
        ):
            groups |= {editors, heads} - {None}
        if not groups:
            continue  # not set up as an institution: its collection is made on first use
        if institution is None:
            institution = InstitutionSettings.objects.create(site=site)
        if institution.document_collection_id is None:
            institution.document_collection = _add_child(
                Collection, root, site.site_name or site.hostname
            )
            institution.save(update_fields=["document_collection"])
        collection = institution.document_collection
        collection_by_root_path[site.root_page.path] = collection
        held = GroupCollectionPermission.objects.filter(
            collection=root, group_id__in=groups, permission__in=permissions
        )
        for group_id, permission_id in held.values_list("group_id", "permission_id"):
            GroupCollectionPermission.objects.get_or_create(
                group_id=group_id, collection=collection, permission_id=permission_id
            )
        held.delete()

    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    document_type = ContentType.objects.filter(app_label="wagtaildocs", model="document").first()
    if page_type is None or document_type is None:
        return
    uses = ReferenceIndex.objects.filter(
        base_content_type=page_type, to_content_type=document_type
    ).values_list("object_id", "to_object_id")
    page_ids = {page_id for page_id, _document in uses}
    paths = dict(
        Page.objects.filter(pk__in=[int(pk) for pk in page_ids if pk.isdigit()]).values_list(
            "pk", "path"
        )
    )
    homes = sorted(collection_by_root_path, key=len, reverse=True)
    owners = {}
    for page_id, document_id in uses:
        path = paths.get(int(page_id)) if page_id.isdigit() else None
        home = next((root_path for root_path in homes if path and path.startswith(root_path)), None)
        owners.setdefault(document_id, set()).add(home)
    for document in Document.objects.filter(collection=root):
        homes_of_document = owners.get(str(document.pk), set())
        if len(homes_of_document) == 1 and None not in homes_of_document:
            document.collection = collection_by_root_path[homes_of_document.pop()]
            document.save(update_fields=["collection"])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0012_institution_document_collection"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
