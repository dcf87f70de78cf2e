from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...models import AuditChainHead, AuditEntry
from ...services.audit import verify
from ...services.visibility import visibility_problems


class Command(BaseCommand):
    help = (
        "Check the audit trail: the hash chain of audit entries, every page log entry, model log "
        "entry and history row against its recorded digest, the content of every revision that "
        "was published, and that every live disclosure page has its live revision with the "
        "approvals it needs (or an emergency publication); and every page's stored readers against "
        "who may read it. Exits non-zero with a report when one check fails."
    )

    def handle(self, *args, **options):
        problems = [*verify(), *visibility_problems()]
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                _("The audit check failed: %(count)s problem(s).") % {"count": len(problems)}
            )
        head = AuditChainHead.objects.first()
        self.stdout.write(
            _(
                "Audit trail intact: %(count)s entries. Chain head: entry %(seq)s, %(hash)s. "
                "Keep this line somewhere else to detect a rewrite of the whole chain later."
            )
            % {
                "count": AuditEntry.objects.count(),
                "seq": head.seq if head else 0,
                "hash": head.hash if head else "-",
            }
        )
