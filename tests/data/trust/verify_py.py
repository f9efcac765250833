#!/usr/bin/python3
"""Verifies signed messages the way the Ratio1 Python SDK's verify() does (docs/protocol.md §3.4), with `cryptography` (OpenSSL) and nothing of r1top's: the check that what r1top
signs (sig_sign) is accepted by Python nodes and oracles.
Usage: /usr/bin/python3 tests/data/trust/verify_py.py FILE...
       /usr/bin/python3 tests/data/trust/verify_py.py --key PEM   (print the key's 0xai_
       address as the SDK derives it: checks that `r1top keygen` files load in Python)
Each FILE is a signed JSON object or an envelope {"result": {...}}. Prints one line per file;
exits 0 only if all verify. tests/data/trust/r1top_signed_v2.json is a committed r1top-signed
example; test_sig writes a fresh one to $R1_SIGNED_OUT when that variable is set."""
import base64
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pycanon import dict_to_json  # noqa: E402

NON_DATA = ["EE_SIGN", "EE_SENDER", "EE_HASH", "SIGN_CANON_V", "EE_ETH_SIGN", "EE_ETH_SENDER"]


def verify(d):
    sender, signature = d.get("EE_SENDER"), d.get("EE_SIGN")
    if sender is None or signature is None:
        return False, "unsigned"
    for prefix in ("0xai_", "aixp_"):
        if sender.startswith(prefix):
            sender = sender[len(prefix):]
    pub = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(),
                                                       base64.urlsafe_b64decode(sender))
    der = base64.urlsafe_b64decode(signature)
    canon_v = d.get("SIGN_CANON_V")
    if canon_v is None:
        forms = [("unversioned", False, False), ("unversioned/legacy", True, False)]
    elif canon_v == "v2":
        forms = [("v2", False, True)]
    elif canon_v == "v1":
        forms = [("v1", True, False)]
    else:
        return False, "unknown SIGN_CANON_V %r" % (canon_v,)
    why = "no form"
    for name, legacy, keep_canon in forms:
        data = {k: v for k, v in d.items() if k not in NON_DATA}
        if keep_canon:
            data["SIGN_CANON_V"] = canon_v
        text = dict_to_json(data, legacy=legacy).encode("utf-8")
        digest = hashlib.sha256(text)
        if d.get("EE_HASH"):
            if digest.hexdigest() != d["EE_HASH"]:
                why = "EE_HASH mismatch"
                continue
            signed = digest.digest()
        else:
            signed = text
        try:
            pub.verify(der, signed, ec.ECDSA(hashes.SHA256()))
            return True, name
        except InvalidSignature:
            why = "signature does not verify"
    return False, why


def key_address(pem_path):
    from cryptography.hazmat.primitives import serialization
    with open(pem_path, "rb") as fh:
        key = serialization.load_pem_private_key(fh.read(), password=None)
    if not isinstance(key.curve, ec.SECP256K1):
        raise SystemExit("%s: not a secp256k1 key" % pem_path)
    comp = key.public_key().public_bytes(serialization.Encoding.X962,
                                         serialization.PublicFormat.CompressedPoint)
    return "0xai_" + base64.urlsafe_b64encode(comp).decode()


def main(files):
    if len(files) == 2 and files[0] == "--key":
        print(key_address(files[1]))
        return 0
    if not files:
        print(__doc__.strip().splitlines()[3].strip())
        return 2
    bad = 0
    for fn in files:
        with open(fn, encoding="utf-8") as fh:
            d = json.load(fh)
        if "EE_SIGN" not in d and isinstance(d.get("result"), dict):
            d = d["result"]
        ok, why = verify(d)
        print("%s: %s (%s)" % (fn, "VALID" if ok else "INVALID", why))
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
