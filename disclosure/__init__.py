"""wagtail-disclosure: hospital information disclosure (医疗卫生机构信息公开) for Wagtail."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wagtail-disclosure")
except PackageNotFoundError:  # a checkout on the path without being installed
    __version__ = "0+unknown"
