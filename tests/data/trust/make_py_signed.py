#!/usr/bin/python3
"""Writes py_signed_v2.json: an oracle-style envelope whose "result" is signed the way the
Ratio1 Python SDK's sign() signs (docs/protocol.md §3.2-§3.3, v2), with `cryptography` (OpenSSL) rather
than r1top's code, so the C verifier is checked against an independent signer.
The wire text uses ensure_ascii=True and indentation, as some Python senders do, so the C
reader must decode \\uXXXX escapes (surrogate pairs too) before canonicalising.
Needs /usr/bin/python3 with `cryptography` (Debian: python3-cryptography).
Run: /usr/bin/python3 tests/data/trust/make_py_signed.py   (rewrites the fixture; the
signature changes each run because OpenSSL's ECDSA nonces are random)."""
import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pycanon import dict_to_json  # noqa: E402
from pykeccak import keccak256  # noqa: E402

NON_DATA = ["EE_SIGN", "EE_SENDER", "EE_HASH", "SIGN_CANON_V", "EE_ETH_SIGN", "EE_ETH_SENDER"]
# A fixed test key (not secret): sha256("r1top test oracle key") mod n.
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
SECRET = int.from_bytes(hashlib.sha256(b"r1top test oracle key").digest(), "big") % N


def eth_address(pub):
    raw = pub.public_bytes(serialization.Encoding.X962,
                           serialization.PublicFormat.UncompressedPoint)[1:]
    hexaddr = keccak256(raw)[-20:].hex()
    check = keccak256(hexaddr.encode()).hex()
    return "0x" + "".join(c.upper() if c in "abcdef" and int(check[i], 16) >= 8 else c
                          for i, c in enumerate(hexaddr))


def node_address(pub):
    comp = pub.public_bytes(serialization.Encoding.X962,
                            serialization.PublicFormat.CompressedPoint)
    return "0xai_" + base64.urlsafe_b64encode(comp).decode()


def sign_v2(key, d):
    """The SDK's sign(dct, add_data=True, use_digest=True) for canon v2."""
    d["SIGN_CANON_V"] = "v2"
    data = {k: v for k, v in d.items() if k not in NON_DATA}
    data["SIGN_CANON_V"] = "v2"
    text = dict_to_json(data)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    der = key.sign(digest, ec.ECDSA(hashes.SHA256()))
    pub = key.public_key()
    d["EE_SIGN"] = base64.urlsafe_b64encode(der).decode()
    d["EE_SENDER"] = node_address(pub)
    d["EE_ETH_SENDER"] = eth_address(pub)
    d["EE_ETH_SIGN"] = "0xBEEF"
    d["EE_HASH"] = digest.hex()
    return text


def write_key_fixtures(key):
    """The same test key as the SDK writes it (PKCS#8) and in SEC1 form, one encrypted
    copy, and a key on the wrong curve (P-256): identity.c's loader fixtures."""
    plain = serialization.NoEncryption()
    files = {
        "key_pkcs8.pem": key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8, plain),
        "key_sec1.pem": key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.TraditionalOpenSSL,
                                          plain),
        "key_encrypted.pem": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"not-the-password")),
        "key_p256.pem": ec.derive_private_key(SECRET % (2 ** 200), ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, plain),
    }
    for name, data in files.items():
        with open(os.path.join(HERE, name), "wb") as fh:
            fh.write(data)


def main():
    key = ec.derive_private_key(SECRET, ec.SECP256K1())
    write_key_fixtures(key)
    result = {
        "node": "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty",
        "node_eth_address": "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69",
        "node_alias": "nodé-😀 \"quoted\"\tand/slash",
        "last_epoch_id": 438, "last_epoch_val": 255, "last_epoch_prc": 1.0,
        "epochs": [436, 437, 438], "epochs_vals": [0, 250, 255],
        "from_epoch": 436, "to_epoch": 438,
        "node_last_seen_sec": 4.1, "resources": {"cpu_cores": 8, "mem_gb": 31.25,
                                                 "gpu": None, "disk_prc": 1e-05,
                                                 "bytes_total": 1e+16},
        "tags": ["IS_KYB", "DC:ro\u2028x", "ctl\x01\x1f\x7f"],
        "node_is_online": True, "node_version": "2.9.370", "node_is_oracle": False,
        "node_license_info": None, "node_licese_info": None,
        "oracle": {"current_epoch": 439, "manager": {"certainty": {"436": 0.98, "437": 0.0},
                                                     "valid": True,
                                                     "supervisor_min_avail_prc": 0.9}},
        "server_alias": "r1s-test", "server_current_epoch": 439,
        "server_uptime": "5 days, 1:02:03", "big": 123456789012345678901234567890,
        "neg_zero": -0.0, "\u00e9cl\u00e9": "\U0001d11e",
    }
    text = sign_v2(key, result)
    env = {"result": result, "server_node_addr": result["EE_SENDER"], "evm_network": "devnet"}
    out = os.path.join(HERE, "py_signed_v2.json")
    with open(out, "w", encoding="ascii") as fh:
        json.dump(env, fh, ensure_ascii=True, indent=1)
        fh.write("\n")
    with open(os.path.join(HERE, "py_signed_v2.canon"), "w", encoding="utf-8") as fh:
        fh.write(text)
    print("wrote", out, "and key_*.pem; signer", result["EE_SENDER"], result["EE_ETH_SENDER"])


if __name__ == "__main__":
    main()
