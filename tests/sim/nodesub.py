#!/usr/bin/python3
# nodesub.py: a simulated edge node on the MQTT broker, for r1top's tests of signed commands.
#
# It does what a node does with a command (docs/protocol.md §8.6-§8.7): it subscribes to
# naeural/<its 0xai>/config, and accepts a message only when its signature verifies, its EE_ID
# is the node's address and its sender is in the node's allowed list (compared by key, as the
# node does); anything else is dropped, with a line on stdout saying why. An accepted STOP or
# RESTART is confirmed with one signed notification on naeural/notif (the body of §8.7, at the
# top level of the message). Before the real confirmation it publishes a forged one (same
# text with " FORGED", same ids, signed by another key), which a client that does not check
# the signer would take.
#
# paho is not used (not packaged here): a minimal MQTT 3.1.1 client over TLS follows
# (CONNECT, SUBSCRIBE QoS 0, PUBLISH QoS 0). Signing is r1sim.py's (Python `cryptography`).
# Prints ADDRESS=0xai_..., then READY=1 once subscribed; ACCEPTED/DROPPED lines after.
#
# Usage: nodesub.py --port P --cafile PEM --user U --password PW [--allowed 0xai_...]...
#                   [--host 127.0.0.1] [--lifetime S]

import argparse
import datetime
import json
import os
import socket
import ssl
import struct
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from r1sim import Signer, addr_to_pub, verify_message  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402


def say(line):
    print(line, flush=True)


def utf8(s):
    b = s.encode("utf-8")
    return struct.pack("!H", len(b)) + b


def packet(ptype_flags, body):
    n, rl = len(body), b""
    while True:
        d, n = n % 128, n // 128
        rl += bytes([d | (0x80 if n else 0)])
        if not n:
            break
    return bytes([ptype_flags]) + rl + body


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("broker closed the connection")
        buf += chunk
    return buf


def read_packet(sock):
    first = read_exact(sock, 1)[0]
    mult, length = 1, 0
    while True:
        d = read_exact(sock, 1)[0]
        length += (d & 0x7F) * mult
        mult *= 128
        if not d & 0x80:
            break
    return first, read_exact(sock, length)


def key_bytes(addr):
    try:
        return addr_to_pub(addr).public_bytes(serialization.Encoding.X962,
                                              serialization.PublicFormat.CompressedPoint)
    except Exception:  # noqa: BLE001
        return None


class Node:
    def __init__(self, args):
        self.args = args
        self.signer = Signer()
        self.forger = Signer()
        self.allowed = {key_bytes(a) for a in args.allowed}
        ctx = ssl.create_default_context(cafile=args.cafile)
        raw = socket.create_connection((args.host, args.port), timeout=30)
        self.sock = ctx.wrap_socket(raw, server_hostname=args.host)
        self.lock = threading.Lock()

    def send(self, data):
        with self.lock:
            self.sock.sendall(data)

    def connect(self):
        cid = "nodesub-%s" % os.urandom(4).hex()
        var = utf8("MQTT") + bytes([4, 0xC2]) + struct.pack("!H", 0)  # user+pw+clean, no keepalive
        self.send(packet(0x10, var + utf8(cid) + utf8(self.args.user) + utf8(self.args.password)))
        t, body = read_packet(self.sock)
        if t >> 4 != 2 or body[1] != 0:
            raise RuntimeError("CONNACK refused: %r" % body)
        self.send(packet(0x82, struct.pack("!H", 1) + utf8("naeural/%s/config" % self.signer.address) + b"\x00"))
        t, body = read_packet(self.sock)
        if t >> 4 != 9 or body[2] == 0x80:
            raise RuntimeError("SUBACK refused: %r" % body)

    def publish(self, topic, msg):
        self.send(packet(0x30, utf8(topic) + json.dumps(msg).encode("utf-8")))

    def notification(self, cmd, signer, suffix=""):
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        msg = {"EE_EVENT_TYPE": "NOTIFICATION", "EE_ID": "nodesub", "EE_TIMESTAMP": now,
               "MODULE": "Orchestrator", "NOTIFICATION_TYPE": "NORMAL",
               "NOTIFICATION": "  Running '%s' command in main loop received from '%s'%s"
                               % (cmd.get("ACTION"), cmd.get("INITIATOR_ID"), suffix),
               "NOTIFICATION_CODE": None, "NOTIFICATION_TAG": None, "INFO": None,
               "STREAM_NAME": None, "TIMESTAMP": now, "ERROR_CODE": None,
               "INITIATOR_ID": cmd.get("INITIATOR_ID"), "SESSION_ID": cmd.get("SESSION_ID")}
        return signer.sign(msg)

    def on_command(self, payload):
        try:
            cmd = json.loads(payload.decode("utf-8"))
        except Exception as e:  # noqa: BLE001
            return say("DROPPED not JSON: %r" % e)
        ok, detail = verify_message(cmd)
        if not ok:
            return say("DROPPED bad signature: %s" % detail)
        if cmd.get("EE_ID") not in (self.signer.address, self.signer.eth_address, "nodesub"):
            return say("DROPPED EE_ID %s is not this node" % cmd.get("EE_ID"))
        if key_bytes(cmd.get("EE_SENDER", "")) not in self.allowed:
            return say("DROPPED Sender is not authorized: %s" % cmd.get("EE_SENDER"))
        if cmd.get("ACTION") not in ("STOP", "RESTART"):
            return say("DROPPED action %s not simulated" % cmd.get("ACTION"))
        say("ACCEPTED %s from %s session %s encrypted %s" % (cmd["ACTION"], cmd["EE_SENDER"],
                                                             cmd.get("SESSION_ID"), cmd.get("EE_IS_ENCRYPTED")))
        self.publish("naeural/notif", self.notification(cmd, self.forger, " FORGED"))
        self.publish("naeural/notif", self.notification(cmd, self.signer))

    def run(self):
        self.connect()
        say("READY=1")
        self.sock.settimeout(None)
        while True:
            t, body = read_packet(self.sock)
            if t >> 4 != 3:
                continue
            qos = (t >> 1) & 3
            tlen = struct.unpack("!H", body[:2])[0]
            off = 2 + tlen + (2 if qos else 0)
            self.on_command(body[off:])


def main():
    ap = argparse.ArgumentParser(description="simulated node subscriber for r1top tests")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cafile", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--allowed", action="append", default=[])
    ap.add_argument("--lifetime", type=float, default=120)
    args = ap.parse_args()
    killer = threading.Timer(max(args.lifetime, 0.1), lambda: os._exit(0))
    killer.daemon = True
    killer.start()
    node = Node(args)
    say("ADDRESS=%s" % node.signer.address)
    try:
        node.run()
    except (EOFError, OSError, RuntimeError) as e:
        say("ENDED %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
