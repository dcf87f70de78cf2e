# Where disclosure.vcl sends what it does not answer itself, and who may clear it. Copy both
# files to /etc/varnish/ (Varnish's vcl_path) and edit this one for your hosts.
#
# One application server (gunicorn) on this machine:

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .first_byte_timeout = 300s;
}

# Several application servers, sharing PostgreSQL and Redis: one backend each, with a probe,
# and a director that spreads the requests over the healthy ones. Replace the backend above by:
#
# import directors;
#
# probe disclosure_alive {
#     .url = "/static/disclosure/disclosure.css";
#     .interval = 5s;
#     .timeout = 2s;
#     .window = 5;
#     .threshold = 3;
# }
# backend app1 { .host = "10.0.0.11"; .port = "8000"; .probe = disclosure_alive; }
# backend app2 { .host = "10.0.0.12"; .port = "8000"; .probe = disclosure_alive; }
#
# sub vcl_init {
#     new application = directors.round_robin();
#     application.add_backend(app1);
#     application.add_backend(app2);
# }
#
# sub vcl_recv {
#     # Only choose the backend here: disclosure.vcl's own vcl_recv follows.
#     set req.backend_hint = application.backend();
# }

# The addresses allowed to BAN and PURGE: this machine, and every application server (each
# bans on the changes it commits, through VARNISH_URL).
acl disclosure_purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}
