# The HTTP cache in front of the public site (Varnish 7, VCL 4.1), shipped with
# wagtail-disclosure. README.md, "Deployment", says how to run it.
#
# It keeps only what the application says may be kept, for as long as it says:
#
# * an answer carrying `Surrogate-Control: max-age=N` (disclosure.frontend_cache): the ones the
#   application's page cache would keep (anonymous, 200, no Set-Cookie, no CSRF token, not
#   private), N being the seconds until the next midnight in Asia/Shanghai, because an item's
#   standing (due soon, overdue) changes with the day even when nothing is published;
# * the collected static files under /static/, for as long as their Cache-Control says.
#
# Nothing else is stored. Requests with a session cookie or an Authorization header, the
# admin and every method but GET and HEAD go to the application untouched and are never
# answered from the cache. Cached answers are keyed like the page cache: host, path with its
# query string, and the two display choices (简/繁 and large text), the only cookies a cached
# answer depends on.
#
# Cleared by the application (Wagtail's frontend cache, WAGTAILFRONTENDCACHE, set from
# VARNISH_URL) with `BAN` once every change that shows on the public site is committed: it
# drops every stored answer, as the page cache starts a new generation. `PURGE <url>` drops
# every variant of one URL on its host (any port). Both only on the listening address named
# "purge" (`-a purge=127.0.0.1:6091`, which VARNISH_URL names) and only from the addresses of
# `disclosure_purgers`.
#
# The application servers and the purging addresses live in disclosure-backends.vcl, found on
# Varnish's vcl_path (by default /etc/varnish): edit that one, keep this one as shipped.

vcl 4.1;

import std;

include "disclosure-backends.vcl";

sub vcl_recv {
    # Headers this file uses to carry state are its own, never a client's.
    unset req.http.X-Disclosure-Cookie;
    unset req.http.X-Disclosure-Display;
    unset req.http.X-Disclosure-Ban;
    unset req.http.X-Disclosure-Swapped;
    if (req.method == "BAN" || req.method == "PURGE") {
        # Only on the listening address named "purge" (varnishd -a purge=127.0.0.1:6091), and
        # only from disclosure_purgers: a TLS proxy on this machine makes every visitor's
        # request come from 127.0.0.1, but on the public address.
        if (local.socket != "purge" || client.ip !~ disclosure_purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.method == "BAN") {
            set req.http.X-Disclosure-Ban = "obj.status != 0";
        } else {
            set req.http.X-Disclosure-Ban = "obj.http.X-Disclosure-Host == "
                + regsub(std.tolower(req.http.Host), ":[0-9]+$", "")
                + " && obj.http.X-Disclosure-Url == " + req.url;
        }
        if (std.ban(req.http.X-Disclosure-Ban)) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin (Wagtail's, Django's), a session (SESSION_COOKIE_NAME), a token.
    if (req.url ~ "^/(admin|django-admin)(/|\?|$)"
        || req.http.Authorization
        || req.http.Cookie ~ "(^|;)\s*sessionid\s*=") {
        return (pass);
    }
    # The display choices (disclosure/display.py), reduced to what changes the page, in one
    # order: the key, and what `Vary: Cookie` compares. The visitor's own cookies go to the
    # application on a miss (a form page keeps the visitor's CSRF cookie); they change
    # nothing in an answer that may be kept.
    if (req.http.Cookie) {
        set req.http.X-Disclosure-Cookie = req.http.Cookie;
        set req.http.X-Disclosure-Display = "";
        if (req.http.Cookie ~ "(^|;)\s*disclosure_script=zh-Hant\s*(;|$)") {
            set req.http.X-Disclosure-Display = "disclosure_script=zh-Hant";
        }
        if (req.http.Cookie ~ "(^|;)\s*disclosure_large_text=1\s*(;|$)") {
            set req.http.X-Disclosure-Display = regsub(
                req.http.X-Disclosure-Display + "; disclosure_large_text=1", "^; ", "");
        }
        if (req.http.X-Disclosure-Display == "") {
            unset req.http.Cookie;
        } else {
            set req.http.Cookie = req.http.X-Disclosure-Display;
        }
        unset req.http.X-Disclosure-Display;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.Host) {
        hash_data(std.tolower(req.http.Host));
    } else {
        hash_data(server.ip);
    }
    if (req.http.Cookie) {
        hash_data(req.http.Cookie);
    }
    return (lookup);
}

sub vcl_backend_fetch {
    # The application gets the visitor's own cookies; the answer is kept under the display
    # choices alone (vcl_backend_response puts them back before Vary: Cookie is recorded).
    if (bereq.http.X-Disclosure-Cookie) {
        if (bereq.http.Cookie) {
            set bereq.http.X-Disclosure-Display = bereq.http.Cookie;
        }
        set bereq.http.Cookie = bereq.http.X-Disclosure-Cookie;
        set bereq.http.X-Disclosure-Swapped = "1";
        unset bereq.http.X-Disclosure-Cookie;
    }
}

sub vcl_backend_response {
    if (bereq.http.X-Disclosure-Swapped) {
        if (bereq.http.X-Disclosure-Display) {
            set bereq.http.Cookie = bereq.http.X-Disclosure-Display;
        } else {
            unset bereq.http.Cookie;
        }
        unset bereq.http.X-Disclosure-Display;
        unset bereq.http.X-Disclosure-Swapped;
    }
    # What a ban names (the host without its port): kept on the stored object, so that
    # Varnish's lurker can test bans without a request.
    set beresp.http.X-Disclosure-Host = regsub(std.tolower(bereq.http.Host), ":[0-9]+$", "");
    set beresp.http.X-Disclosure-Url = bereq.url;
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Surrogate-Control ~ "(?i)(^|[,\s])max-age=[0-9]+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, "(?i)^.*max-age=([0-9]+).*$", "\1s"), 0s);
        # Not a moment past midnight: yesterday's standings are not served while refetching.
        set beresp.grace = 0s;
        unset beresp.http.Surrogate-Control;
        return (deliver);
    }
    if (bereq.url ~ "^/static/" && beresp.status == 200) {
        # Varnish's built-in rules: the TTL of the file's Cache-Control.
        return (deliver);
    }
    # The application did not say that this answer may be kept.
    set beresp.uncacheable = true;
    set beresp.ttl = 120s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Disclosure-Host;
    unset resp.http.X-Disclosure-Url;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } else if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
