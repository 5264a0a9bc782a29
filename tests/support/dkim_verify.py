"""Verifies the DKIM signature of a message the way a receiving mail server does, with
dkimpy, except that the public key comes from the command line instead of DNS.

    python3 dkim_verify.py MESSAGE_FILE SELECTOR._domainkey.DOMAIN "v=DKIM1; k=rsa; p=..."

Prints what it found and exits 0 when the signature verifies, 1 when it does not.
"""

import logging
import sys

import dkim


def main():
    path, name, record = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(path, "rb") as f:
        raw = f.read()
    asked = []

    def dnsfunc(qname, timeout=5):
        asked.append(qname)
        wanted = name.rstrip(".") + "."
        asked_name = qname.decode() if isinstance(qname, bytes) else qname
        if asked_name == wanted:
            return record.encode()
        return None

    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format="%(message)s")
    ok = dkim.verify(raw, logger=logging.getLogger("dkim"), dnsfunc=dnsfunc)
    print(f"verified={ok} asked={asked}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
