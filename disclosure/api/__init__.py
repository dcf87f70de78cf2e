"""Layer 4: the disclosure API (django-ninja), audience-aware, beside Wagtail's v3 pages API.

Mount ``disclosure.api.urls`` (the example site uses ``/api/disclosure/v1/``). Every read goes
through the selectors, which decide what the caller may see; this package only shapes answers.
"""
