"""An SMTP handler for aiosmtpd that takes its time: it waits a while (in seconds, the first
argument) before accepting each message, as a busy mail server does, and stores what it
accepted in a Maildir (the second argument), as aiosmtpd.handlers.Mailbox does. Connections
are served at the same time, so several senders each wait their own while.

    PYTHONPATH=tests/support python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_slow.Slow 0.05 MAILDIR
"""

import asyncio
import mailbox


class Slow:
    def __init__(self, delay, maildir):
        self.delay = delay
        self.mailbox = mailbox.Maildir(maildir)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 2:
            parser.error("Give the delay in seconds and the Maildir to store mail in")
        return cls(float(args[0]), args[1])

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.mailbox.add(envelope.original_content)
        return "250 Message accepted for delivery"
