#!/usr/bin/python3
"""Writes the dAuth reply fixtures of tests/unit/test_dauth.c: oracle-style envelopes whose
"result" is v2-signed with Python `cryptography` (tests/sim/r1sim.py's Signer, not r1top's
code) by the fixed test key of tests/data/trust (sha256("r1top test oracle key")). The shape
is docs/protocol.md §8.3's (reconstructed: no real reply is public, it holds credentials).
Needs /usr/bin/python3 with `cryptography`. Run from anywhere; rewrites the files here (the
signatures change each run: OpenSSL's ECDSA nonces are random)."""
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives.asymmetric import ec

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sim"))
from r1sim import Signer  # noqa: E402

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
SECRET = int.from_bytes(hashlib.sha256(b"r1top test oracle key").digest(), "big") % N
CERT = ("-----BEGIN CERTIFICATE-----\nMIIBfzCCASWgAwIBAgIUR1TOPtestcertificateAAAAAAAAAAAwCgYIKoZIzj0E\n"
        "-----END CERTIFICATE-----\n")


def result(auth):
    return {"auth": auth,
            "server_info": {"sender_eth_addr": "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69",
                            "sender_type": "sdk", "is_seed_server": False},
            "server_alias": "r1s-test", "server_version": "2.10.0",
            "server_time": "2026-11-30 10:00:00", "server_current_epoch": 556,
            "server_uptime": "3 days, 4:05:06"}


def main():
    signer = Signer(ec.derive_private_key(SECRET, ec.SECP256K1()))
    good = {"error": None, "whitelist": [], "EE_MQTT_HOST": "203.0.113.7", "EE_MQTT_PORT": "8883",
            "EE_MQTT_USER": "sdkuser", "EE_MQTT": "pa\u00dfword \"quoted\"\n", "EE_MQTT_SUBTOPIC": "address",
            "EE_MQTT_CERT": CERT, "EE_GITVER": "abc123", "EE_SECURED": 1, "EE_SUPERVISOR": False}
    cases = {
        "good.json": result(dict(good)),
        "alias.json": result(dict(good, EE_MQTT_SUBTOPIC="alias", EE_MQTT_PORT=18883)),
        "autherror.json": result({"error": "Version check failed: app None sdk None core 1.0.0"}),
        "nocert.json": result({k: v for k, v in good.items() if k != "EE_MQTT_CERT"}),
        "badport.json": result(dict(good, EE_MQTT_PORT="99999")),
    }
    for name, res in cases.items():
        signer.sign(res)
        env = {"result": res, "server_node_addr": signer.address, "evm_network": "mainnet"}
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(env, f, indent=1)
            f.write("\n")
    # changed after signing: the password
    with open(os.path.join(HERE, "good.json")) as f:
        env = json.load(f)
    env["result"]["auth"]["EE_MQTT"] = "attacker"
    with open(os.path.join(HERE, "badsig.json"), "w") as f:
        json.dump(env, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
