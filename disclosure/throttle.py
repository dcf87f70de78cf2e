"""Kept for host projects configured before the middleware moved to ``disclosure.middleware``:
``disclosure.throttle.APIRateLimitMiddleware`` still names the API rate limit."""

from .middleware import APIRateLimitMiddleware

__all__ = ["APIRateLimitMiddleware"]
