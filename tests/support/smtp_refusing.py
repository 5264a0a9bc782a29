"""An SMTP handler for aiosmtpd that answers like real mail servers do when they refuse:
for a recipient whose address starts with "bounce" a permanent 550 (the mailbox does not
exist), for one starting with "later" a temporary 451 the first time and acceptance after
that; everything accepted is stored in a Maildir, as aiosmtpd.handlers.Mailbox does.

    PYTHONPATH=tests/support python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_refusing.Refusing MAILDIR
"""

import mailbox


class Refusing:
    def __init__(self, maildir):
        self.mailbox = mailbox.Maildir(maildir)
        self.deferred = set()

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("The Maildir to store mail in is required")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("bounce"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("later") and address not in self.deferred:
            self.deferred.add(address)
            return "451 4.3.2 Please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mailbox.add(envelope.original_content)
        return "250 Message accepted for delivery"
