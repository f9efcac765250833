#!/usr/bin/python3
# dauthsim.py: a dAuth server for r1top's tests (docs/protocol.md §8.3), on 127.0.0.1.
#
# POST /get_auth_data with {"body": <signed dict>}: the server's checks (EE_SENDER present,
# EE_ETH_SENDER equal to the address derived from it, the signature verifies) and its version
# rule (app and core absent or 0 with an SDK version > 0: an "sdk" requester; all three: a
# "node", which needs a licence the sim never has; anything else is refused). The answer is an
# oracle-style envelope whose signed result holds auth (the broker's EE_MQTT_* values, given on
# the command line) and server_info, as the real one's (the shape of docs/protocol.md §8.3;
# reconstructed, no real reply is public since it holds credentials).
#
# Signatures are made and checked with r1sim.py's Signer and verify_message (Python's
# `cryptography`, not r1top's code). The signing key is fresh each run: tests trust the
# SIGNER printed at start through the config's oracle.trusted.
#
# Faults (--fault): badsig (a signed value changed after signing), autherror (auth holds only
# error, as a rejection does), wrongsigner (signed by a key nobody trusts).
# Prints SIGNER=0xai_... and PORT=<n> once listening; one line per request on --log.
#
# Usage: dauthsim.py --mqtt-host H --mqtt-port P --mqtt-user U --mqtt-password PW --cert PEM
#                    [--fault MODE] [--log FILE] [--lifetime S]

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from r1sim import Signer, pub_to_eth, addr_to_pub, verify_message, utc_str  # noqa: E402

FAULTS = ("none", "badsig", "autherror", "wrongsigner")


def version_above_zero(v):
    """A version string counts when any of its numbers is above 0 ("2.6.29", "0.1.0")."""
    if v in (None, "", 0):
        return False
    try:
        return any(int(p) > 0 for p in str(v).split("."))
    except ValueError:
        return False


def check_request(doc):
    """(sender, None) for an acceptable request, else (sender or None, the refusal text)."""
    body = doc.get("body") if isinstance(doc, dict) else None
    if not isinstance(body, dict):
        return None, "Invalid request: no body"
    sender = body.get("EE_SENDER")
    if not sender:
        return None, "Invalid request signature: no EE_SENDER"
    try:
        eth = pub_to_eth(addr_to_pub(sender))
    except Exception:  # noqa: BLE001
        return sender, "Invalid request signature: bad EE_SENDER"
    if body.get("EE_ETH_SENDER") != eth:
        return sender, "Invalid request signature: EE_ETH_SENDER does not match EE_SENDER"
    ok, detail = verify_message(body)
    if not ok:
        return sender, "Invalid request signature: %s" % detail
    app, sdk, core = (version_above_zero(body.get(k)) for k in
                      ("sender_app_ver", "sender_sdk_ver", "sender_core_ver"))
    if sdk and not app and not core:
        return sender, None
    if app and sdk and core:
        return sender, "Version check failed: node requester without a licence"
    return sender, "Version check failed: app %r sdk %r core %r" % (
        body.get("sender_app_ver"), body.get("sender_sdk_ver"), body.get("sender_core_ver"))


class Handler(BaseHTTPRequestHandler):
    args = None
    signer = None
    other = None
    log = None

    def log_message(self, fmt, *a):  # noqa: N802
        pass

    def do_POST(self):  # noqa: N802
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        try:
            doc = json.loads(raw.decode("utf-8"))
        except Exception:  # noqa: BLE001
            doc = None
        sender, refusal = check_request(doc) if self.path == "/get_auth_data" else (None, "no such path")
        a = self.args
        if a.fault == "autherror" and refusal is None:
            refusal = "Invalid request signature: simulated rejection"
        if refusal:
            auth = {"error": refusal}
        else:
            auth = {"error": None, "whitelist": [], "EE_MQTT_HOST": a.mqtt_host,
                    "EE_MQTT_PORT": str(a.mqtt_port), "EE_MQTT_USER": a.mqtt_user,
                    "EE_MQTT": a.mqtt_password, "EE_MQTT_SUBTOPIC": "address",
                    "EE_MQTT_CERT": open(a.cert).read(), "EE_GITVER": "sim",
                    "EE_SECURED": 1, "EE_SUPERVISOR": False}
        result = {"auth": auth,
                  "server_info": {"sender_eth_addr": pub_to_eth(addr_to_pub(sender)) if sender and not refusal else None,
                                  "sender_type": "sdk", "is_seed_server": False},
                  "server_alias": "dauthsim", "server_version": "sim", "server_time": utc_str(time.time()),
                  "server_current_epoch": 1, "server_uptime": "0:00:01"}
        (self.other if a.fault == "wrongsigner" else self.signer).sign(result)
        if a.fault == "badsig":
            result["server_alias"] = "dauthsiX"
        env = {"result": result, "server_node_addr": self.signer.address, "evm_network": "mainnet"}
        if self.log:
            with open(self.log, "a") as f:
                f.write("%s sender=%s refusal=%s fault=%s\n" % (self.path, sender, refusal, a.fault))
        out = json.dumps(env).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


def main():
    ap = argparse.ArgumentParser(description="dAuth simulator for r1top tests")
    ap.add_argument("--mqtt-host", default="127.0.0.1")
    ap.add_argument("--mqtt-port", type=int, required=True)
    ap.add_argument("--mqtt-user", required=True)
    ap.add_argument("--mqtt-password", required=True)
    ap.add_argument("--cert", required=True, help="the broker certificate (PEM) to hand out")
    ap.add_argument("--fault", choices=FAULTS, default="none")
    ap.add_argument("--log")
    ap.add_argument("--lifetime", type=float, default=120)
    args = ap.parse_args()
    killer = threading.Timer(max(args.lifetime, 0.1), lambda: os._exit(0))
    killer.daemon = True
    killer.start()
    Handler.args = args
    Handler.signer = Signer()
    Handler.other = Signer()
    Handler.log = args.log
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print("SIGNER=%s" % Handler.signer.address)
    print("PORT=%d" % srv.server_address[1], flush=True)
    srv.serve_forever(poll_interval=0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
