#!/usr/bin/env python3
# rpcsim.py: an Ethereum JSON-RPC simulator for r1top's chain source (docs/protocol.md §6.4).
# HTTP on 127.0.0.1 (a random port), Python standard library only. It answers single and
# batched (JSON array) requests: eth_chainId (--chain-id, default Base 8453) and eth_call for
#   PoAIManager.getNodePoAIRewards(address)   -> (uint256 usdc, uint256 r1)
#   Reader.getNodeLicenseDetails(address)      -> the 12-field licence tuple (§5.2)
#   ND.calculateRewards((uint256,address,uint256,uint256,bytes)[]) -> (licenceId, rewards)[]:
#       computed here as the ND contract does (§5.4: per epoch 1458508188386985115 * avail / 255,
#       capped at assigned - claimed), or the node's "nd_calc" figure when the fixture forces one
#   MND.calculateRewards(same) -> (licenceId, rewards, carryover, withheld)[] from the node's
#       "mnd_calc": [rewards, carryover, withheld]
#   (the argument is decoded here by hand, a second independent reading of the ABI)
#   Reader.getWalletNodes(address)             -> address[]: the wallet's nodes (fixture
#                                                 "wallets"; an unknown wallet -> [], as the
#                                                 contract answers; "revert" as a wallet's
#                                                 list reverts the call)
# from a per-node fixture (--fixture FILE, JSON), ABI-encoded by tests/sim/abienc.py, an encoder
# written independently of r1top's src/chain/abi.c; selectors are computed here with the trust
# fixtures' plain-Python Keccak. A call to an unknown node, an unknown selector or the wrong
# contract reverts (code 3, with an Error(string) reason).
#
# Fixture: {"contracts": {"poai_manager": "0x..", "reader": "0x.."},
#           "nodes": {"<eth address, any case>" | "*": {"poai": [usdc_micro, r1_wei],
#                     "licence": {"licenseType", "licenseId", "owner", "nodeAddress",
#                     "totalAssignedAmount", "totalClaimedAmount", "lastClaimEpoch",
#                     "assignTimestamp", "lastClaimOracle", "isBanned", "usdcPoaiRewards",
#                     "r1PoaiRewards"}, "nd_calc": wei, "mnd_calc": [r, c, w]}},
#  "wallets": {"<wallet address, any case>": ["<node eth address>", ...] | "revert"}}
# "*" answers any address not listed (a big fleet); its nodeAddress "" becomes the address asked.
#
# Faults (--fault MODE, or GET /_sim/fault?mode=MODE at run time):
#   none          answer everything
#   ratelimit     the whole batch refused: one error object, code -32005
#   ratelimit_one the first eth_call of each batch answers -32005, the rest normally
#   slow          every reply after --slow-s seconds (default 30)
#   garbage       a body that is not JSON
#   oversize      a valid reply padded past 1 MiB
# GET /_sim/chain?id=N changes the chain id at run time; GET /_sim/calc lists the
# calculateRewards calls as decoded here ({"calls": [{"contract", "params": [{"licence", "node",
# "from", "to", "packed"}]}]}).
# Every request except /_sim/* is recorded: GET /_sim/requests returns
# {"requests": [{"method", "path", "t", "calls", "body"}...]} (add ?clear=1 to forget them).
#
# Usage: rpcsim.py --fixture FILE [--chain-id N] [--fault MODE] [--lifetime S]
#   prints "PORT=<n>" on stdout once listening; exits after --lifetime seconds.

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "data", "trust"))
import abienc  # noqa: E402
from pykeccak import keccak256  # noqa: E402

FAULTS = ("none", "ratelimit", "ratelimit_one", "slow", "garbage", "oversize")
LICENCE_TYPES = ["(uint8,uint256,address,address,uint256,uint256,uint256,uint256,address,bool,"
                 "uint256,uint256)"]
LICENCE_KEYS = ("licenseType", "licenseId", "owner", "nodeAddress", "totalAssignedAmount",
                "totalClaimedAmount", "lastClaimEpoch", "assignTimestamp", "lastClaimOracle",
                "isBanned", "usdcPoaiRewards", "r1PoaiRewards")


CALC_SIGNATURE = "calculateRewards((uint256,address,uint256,uint256,bytes)[])"
ND_MAX_PER_EPOCH = 1458508188386985115


def decode_compute_params(data):
    """(uint256,address,uint256,uint256,bytes)[] as the ABI lays it out: offset, length, the
    elements' offsets (from after the length word), each tuple's head and its bytes' tail."""
    def word(off):
        if off + 32 > len(data):
            raise Revert("argument cut short")
        return int.from_bytes(data[off:off + 32], "big")
    base = word(0)
    n = word(base)
    out = []
    for i in range(n):
        t = base + 32 + word(base + 32 + 32 * i)
        lic, node, frm, to, boff = (word(t + 32 * k) for k in range(5))
        blen = word(t + boff)
        packed = data[t + boff + 32:t + boff + 32 + blen]
        if len(packed) != blen:
            raise Revert("bytes cut short")
        out.append((lic, "0x%040x" % node, frm, to, list(packed)))
    return out


def selector(signature):
    return keccak256(signature.encode())[:4].hex()


class Revert(Exception):
    pass


def revert_data(reason):
    """Error(string), as Solidity's require() reverts."""
    return "0x" + selector("Error(string)") + abienc.encode(["bytes"], [reason.encode()]).hex()


class World:
    def __init__(self, args):
        with open(args.fixture) as f:
            fx = json.load(f)
        self.contracts = {k: v.lower() for k, v in fx.get("contracts", {}).items()}
        self.nodes = {k.lower(): v for k, v in fx.get("nodes", {}).items()}
        self.wallets = {k.lower(): v for k, v in fx.get("wallets", {}).items()}
        self.chain_id = args.chain_id
        self.fault = args.fault
        self.slow_s = args.slow_s
        self.requests = []
        self.lock = threading.Lock()
        self.reads = {
            selector("getNodePoAIRewards(address)"): ("poai_manager", self.poai),
            selector("getNodeLicenseDetails(address)"): ("reader", self.licence),
            selector("getWalletNodes(address)"): ("reader", self.wallet_nodes),
        }
        self.calc_sel = selector(CALC_SIGNATURE)
        self.calc_calls = []   # (contract, [(licence, node, from, to, packed)...]) as asked

    def node(self, addr):
        n = self.nodes.get(addr.lower()) or self.nodes.get("*")
        if n is None:
            raise Revert("unknown node")
        return n

    def poai(self, addr):
        usdc, r1 = self.node(addr)["poai"]
        return abienc.encode(["uint256", "uint256"], [int(usdc), int(r1)])

    def wallet_nodes(self, addr):
        nodes = self.wallets.get(addr.lower(), [])
        if nodes == "revert":
            raise Revert("wallet read refused")
        return abienc.encode(["address[]"], [nodes])

    def licence(self, addr):
        lic = dict(self.node(addr)["licence"])
        if not lic.get("nodeAddress"):
            lic["nodeAddress"] = addr
        vals = [lic[k] for k in LICENCE_KEYS]
        vals = [int(v) if isinstance(v, (int, str)) and k not in ("owner", "nodeAddress", "lastClaimOracle") else v
                for k, v in zip(LICENCE_KEYS, vals)]
        return abienc.encode(LICENCE_TYPES, [tuple(vals)])

    def calculate(self, contract, args):
        """calculateRewards on the ND or the MND contract."""
        params = decode_compute_params(args)
        with self.lock:
            self.calc_calls.append((contract, params))
        out = []
        for lic_id, node, frm, to, packed in params:
            n = self.node(node)
            lic = n["licence"]
            if int(lic["licenseId"]) != lic_id:
                raise Revert("licence %d is not node %s's" % (lic_id, node))
            if to < frm or len(packed) != to - frm + 1:
                raise Revert("availabilities do not match the epochs")
            if contract == "nd":
                if "nd_calc" in n:
                    paid = int(n["nd_calc"])
                else:
                    paid = sum(ND_MAX_PER_EPOCH * a // 255 for a in packed)
                    left = int(lic["totalAssignedAmount"]) - int(lic["totalClaimedAmount"])
                    paid = min(paid, left)
                out.append((lic_id, paid))
            else:
                r, c, w = (int(x) for x in n["mnd_calc"])
                out.append((lic_id, r, c, w))
        if contract == "nd":
            return abienc.encode(["(uint256,uint256)[]"], [out])
        return abienc.encode(["(uint256,uint256,uint256,uint256)[]"], [out])

    def eth_call(self, params):
        call = params[0]
        data = call.get("data") or call.get("input") or ""
        if not data.startswith("0x") or len(data) < 10:
            raise Revert("no selector")
        sel, args = data[2:10], bytes.fromhex(data[10:])
        if sel == self.calc_sel:
            to = call.get("to", "").lower()
            which = [c for c in ("nd", "mnd") if self.contracts.get(c) == to]
            if not which:
                raise Revert("no calculateRewards on " + call.get("to", "?"))
            return "0x" + self.calculate(which[0], args).hex()
        if sel not in self.reads:
            raise Revert("unknown selector 0x" + sel)
        contract, fn = self.reads[sel]
        if call.get("to", "").lower() != self.contracts.get(contract, "?"):
            raise Revert("no such function on " + call.get("to", "?"))
        if len(args) != 32 or any(args[:12]):
            raise Revert("bad address argument")
        return "0x" + fn("0x" + args[12:].hex()).hex()

    def answer(self, req, first_call):
        rid = req.get("id")
        m = req.get("method")
        try:
            if m == "eth_chainId":
                return {"jsonrpc": "2.0", "id": rid, "result": hex(self.chain_id)}
            if m == "eth_call":
                if self.fault == "ratelimit_one" and first_call:
                    return {"jsonrpc": "2.0", "id": rid,
                            "error": {"code": -32005, "message": "limit exceeded"}}
                return {"jsonrpc": "2.0", "id": rid, "result": self.eth_call(req.get("params") or [{}])}
            return {"jsonrpc": "2.0", "id": rid,
                    "error": {"code": -32601, "message": "method not found"}}
        except Revert as e:
            return {"jsonrpc": "2.0", "id": rid, "error": {"code": 3, "message": "execution reverted: " + str(e),
                                                          "data": revert_data(str(e))}}


class Handler(BaseHTTPRequestHandler):
    world = None

    def log_message(self, fmt, *a):  # noqa: N802
        pass

    def _send(self, code, body, ctype="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, code, obj):
        self._send(code, json.dumps(obj).encode())

    def do_GET(self):  # noqa: N802
        w = self.world
        u = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        if u.path == "/_sim/requests":
            with w.lock:
                reqs = list(w.requests)
                if q.get("clear") in ("1", "true", "yes"):
                    w.requests.clear()
            return self._json(200, {"requests": reqs})
        if u.path == "/_sim/fault":
            if q.get("mode") not in FAULTS:
                return self._json(400, {"error": "modes: " + ", ".join(FAULTS)})
            with w.lock:
                w.fault = q["mode"]
            return self._json(200, {"fault": w.fault})
        if u.path == "/_sim/calc":
            with w.lock:
                calls = [{"contract": c, "params": [
                    {"licence": p[0], "node": p[1], "from": p[2], "to": p[3], "packed": p[4]}
                    for p in ps]} for c, ps in w.calc_calls]
            return self._json(200, {"calls": calls})
        if u.path == "/_sim/chain":
            with w.lock:
                w.chain_id = int(q.get("id", "8453"))
            return self._json(200, {"chain_id": w.chain_id})
        self._json(404, {"error": "JSON-RPC is POST /"})

    def do_POST(self):  # noqa: N802
        w = self.world
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            doc = json.loads(body)
        except ValueError:
            doc = None
        calls = len(doc) if isinstance(doc, list) else 1
        with w.lock:
            w.requests.append({"method": "POST", "path": self.path, "t": time.time(),
                               "calls": calls, "body": body.decode("utf-8", "replace")})
            fault = w.fault
        if fault == "slow":
            time.sleep(w.slow_s)
        if fault == "garbage":
            return self._send(200, b"\x00\xffnot json <html>", "text/html")
        if doc is None:
            return self._json(200, {"jsonrpc": "2.0", "id": None,
                                    "error": {"code": -32700, "message": "parse error"}})
        if fault == "ratelimit":
            return self._json(200, {"jsonrpc": "2.0", "id": None,
                                    "error": {"code": -32005, "message": "rate limit exceeded"}})
        if isinstance(doc, list):
            out, first = [], True
            for req in doc:
                out.append(w.answer(req, first and req.get("method") == "eth_call"))
                first = first and req.get("method") != "eth_call"
            out.reverse()   # any order: clients match answers by id
        else:
            out = w.answer(doc, True)
        raw = json.dumps(out).encode()
        if fault == "oversize":
            raw = raw[:-1] + b"," + json.dumps({"jsonrpc": "2.0", "id": 99999, "result": "0x" + "00" * (600 * 1024)}).encode() + b"]"
        self._send(200, raw)


def main():
    ap = argparse.ArgumentParser(description="JSON-RPC simulator for r1top's chain source")
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--chain-id", type=int, default=8453)
    ap.add_argument("--fault", default="none", choices=FAULTS)
    ap.add_argument("--slow-s", type=float, default=30.0)
    ap.add_argument("--lifetime", type=float, default=300.0)
    args = ap.parse_args()
    Handler.world = World(args)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Timer(args.lifetime, srv.shutdown).start()
    print("PORT=%d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
