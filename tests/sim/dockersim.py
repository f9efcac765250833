#!/usr/bin/python3
# dockersim.py: a Docker Engine API simulator on a unix socket, for r1top's tests of the
# docker source (GET /containers/<name>/json), of the actions (POST .../restart), and of the
# manage actions: Docker exec of the node's own commands and the container's log.
#
# It serves one container (the node's, "edge_node" unless --container says otherwise) with the
# payload shapes the real engine writes (API 1.43, Docker 24): the inspect object, 204 for a
# done restart/stop/start, 304 for a stop of a stopped (start of a running) container, and
# errors as {"message": "..."} (404 "No such container: x", 409, 500). A request path may carry
# a /v1.NN version prefix, as with the real engine; r1top sends none.
#
# Exec (docs/protocol.md §8.1), as the engine runs it:
#   POST /containers/<c>/exec {"Cmd": [...], ...} -> 201 {"Id": <64 hex>}; 409 {"message":
#        "Container <id> is not running"} when the container is stopped
#   POST /exec/<id>/start {"Detach": false, "Tty": false} -> the connection is hijacked:
#        "HTTP/1.1 200 OK" with no length and, as moby writes it for a client that asks for no
#        upgrade, Content-Type application/vnd.docker.raw-stream though the body is framed (a
#        101 answer to an upgrade says application/vnd.docker.multiplexed-stream); the output
#        as 8-byte-header frames (stdout 1, stderr 2), then the close
#   GET  /exec/<id>/json -> {"ID", "Running", "ExitCode" (null until it ran), "ProcessConfig"...}
# The node's commands are simulated in Python with its scripts' behaviour: get_allowed prints
# the allowed list (§8.2); add_allowed ADDRESS [ALIAS] cuts the alias to 15 characters with a
# warning on stderr, refuses an address or an alias already listed ("Error: Address already
# exists: X" / "Error: Alias already exists: X", exit 1), appends "ADDRESS  ALIAS", and prints
# the node's info (the real one first waits 3 s); the node then normalises the file (each
# valid line "<addr>[  <alias>] # <0xETH>", each invalid one "# <line> # INVALID: <reason>");
# change_alias NEW sets EE_ID (at most 15 characters, else exit 1); `docker ps ...` lists the
# node's container apps (car_...). Any other command fails as the real engine does: the OCI
# runtime's "executable file not found in $PATH" on stdout and exit code 126.
# The allowed list starts with two valid entries (r1s-01, an oracle of mainnet r1top knows,
# normalised; one written by update_allowed_batch with one space and no ETH) and one line the
# node marked INVALID.
#
# Logs: GET /containers/<c>/logs?stdout=1&stderr=1[&timestamps=1][&tail=N|all][&since=S.NNN]
# answers the container's lines as frames (chunked, as the engine streams it, Content-Type
# application/vnd.docker.multiplexed-stream: API >= 1.42, no TTY), each "TS text\n"
# with timestamps=1 (RFC 3339, nine fraction digits); since is inclusive, as the engine's. The
# log starts with 20 lines a second apart and grows by one line every --log-every seconds (0:
# only on demand). GET /_sim/log?line=TEXT[&stream=stderr][&count=N] adds lines now (TEXT
# URL-encoded, may hold any byte); GET /_sim/log lists them ({"lines": [{"t_ns", "stream",
# "text"}...]}); /_sim/log?every=S changes the growth.
#
# Faults, from the command line (--fault) or at run time (GET /_sim/fault?mode=MODE):
#   biglabels  the inspect reply is over 300 KiB (thousands of labels): regression of D1, a
#              use-after-free on every reply of 256 KiB or more
#   hang       restart/stop/start and exec create are read and never answered (the client's
#              timeout ends them)
#   exechang   exec start is read and never answered
#   exec409    exec create answers 409 "Container <id> is not running" although it runs
#   nocmds     the container has none of the node's commands (not an edge node image): every
#              exec fails with exit 126, "executable file not found in $PATH"
#   logslow    the logs are answered 2 s late (a read in flight when a signal comes)
#   404        the container does not exist: every /containers/<name>/... is a 404
#   409        restart/stop/start answer 409 Conflict (the container is marked for removal)
#   500        restart/stop/start answer 500 (the engine failed)
#   none       no fault
# Every request except /_sim/* is recorded (method, path with its query, time, and the body
# of a POST): GET /_sim/requests returns them as JSON ({"requests": [{"method", "path", "t",
# "body"}...]}; add ?clear=1 to forget them after answering). GET /_sim/state returns the
# container's inspect object without being recorded; GET /_sim/allowed the allowed list
# ({"lines": [the file's lines], "entries": [{"addr", "alias", "eth", "valid"}...]}) and the
# node's alias ({"ee_id"}).
#
# Python 3 standard library only (and the trust fixtures' plain-Python Keccak, for the ETH
# addresses the node writes). Usage:
#   dockersim.py --socket PATH [--container NAME] [--fault MODE] [--socket-mode 0660]
#                [--state running|exited] [--restart-count N] [--exit-code N] [--oom]
#                [--log-every S] [--lifetime S] [--verbose]
#     prints "SOCKET=<path>" on stdout once listening; exits after --lifetime seconds
#   dockersim.py --socket PATH --call [METHOD] PATH [BODY]
#     one request to a running simulator: prints the body, exit 0 on a 2xx answer, else 1

import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import select
import signal
import socket
import socketserver
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

# Keccak-256 (Ethereum's padding; hashlib.sha3_256 is not it): the trust fixtures' plain
# Python one, independent of r1top's src/keccak.c
# Python 3 caches compiled modules next to them: not in the source tree
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "trust"))
from pykeccak import keccak256  # noqa: E402

API_VERSION = "1.43"
ENGINE_VERSION = "24.0.7"
FAULTS = ("biglabels", "hang", "exechang", "exec409", "nocmds", "logslow", "404", "409", "500")
NEVER = "0001-01-01T00:00:00Z"  # Go's zero time.Time, as the engine writes "never"


def rfc3339_nano(t_ns):
    """Go's time.RFC3339Nano in UTC: nanoseconds with the trailing zeros dropped."""
    s, ns = divmod(t_ns, 1_000_000_000)
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s))
    frac = ("%09d" % ns).rstrip("0")
    return base + ("." + frac if frac else "") + "Z"


def rfc3339_fixed(t_ns):
    """The logs' timestamps: Go's RFC3339NanoFixed, always nine fraction digits."""
    s, ns = divmod(t_ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%09dZ" % ns


# ---------------------------------------------------------------------------------------
# Node addresses: "0xai_" + base64url of the compressed secp256k1 public key (33 bytes); the
# node writes each one's ETH address (keccak of the point, EIP-55 case) after " # ".
_P = 2 ** 256 - 2 ** 32 - 977


def node_addr_eth(addr):
    """The EIP-55 ETH address of a 0xai_ node address, or None when it is not a curve point."""
    if not addr.startswith("0xai_") or len(addr) != 49:
        return None
    try:
        raw = base64.urlsafe_b64decode(addr[5:] + "=" * (-len(addr[5:]) % 4))
    except (ValueError, TypeError):
        return None
    if len(raw) != 33 or raw[0] not in (2, 3):
        return None
    x = int.from_bytes(raw[1:], "big")
    if x >= _P:
        return None
    rhs = (pow(x, 3, _P) + 7) % _P
    y = pow(rhs, (_P + 1) // 4, _P)
    if y * y % _P != rhs:
        return None
    if (y & 1) != (raw[0] & 1):
        y = _P - y
    hexa = keccak256(x.to_bytes(32, "big") + y.to_bytes(32, "big"))[12:].hex()
    h = keccak256(hexa.encode()).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(h[i], 16) >= 8 else c
                          for i, c in enumerate(hexa))


ORACLE_R1S_01 = "0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if"  # mainnet seed oracle
OWNER_ADDR = "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"
MAX_ALIAS_LENGTH = 15
ALLOWED_FILE = "/edge_node/_local_cache/authorized_addrs"
STARTUP_FILE = "/edge_node/_local_cache/config_startup.json"


def allowed_entry(line):
    """A line of the file as get_allowed's reader sees it (§8.2): None for comments."""
    line = line.strip()
    if not line:
        return None
    if line.startswith("#"):
        if "# INVALID:" not in line[1:]:
            return None
        return {"addr": None, "alias": None, "eth": None, "valid": False, "line": line}
    words = line.split()
    alias = words[1] if len(words) > 1 and words[1] != "#" else None
    eth = words[words.index("#") + 1] if "#" in words and words.index("#") + 1 < len(words) else None
    return {"addr": words[0], "alias": alias, "eth": eth, "valid": True, "line": line}


def normalise_line(line):
    """What the node's _load_and_maybe_create_allowed makes of one line."""
    if not line.strip() or line.lstrip().startswith("#"):
        return line
    words = line.split()
    if "#" in words:
        words = words[:words.index("#")]
    addr, alias = words[0], (words[1] if len(words) > 1 else None)
    eth = node_addr_eth(addr)
    if eth is None:
        return "# %s # INVALID: %s is not a valid node address" % (line.strip(), addr)
    return "%s%s # %s" % (addr, "  " + alias if alias else "", eth)


def frame(stream, data):
    """One frame of the multiplexed stream: stream, three zero bytes, big-endian length."""
    return bytes([stream, 0, 0, 0]) + len(data).to_bytes(4, "big") + data


class Container:
    """The one container the engine knows, as its inspect object describes it."""

    def __init__(self, name, state, restart_count, exit_code=0, oom=False):
        self.name = name
        self.id = hashlib.sha256(("r1top-dockersim:" + name).encode()).hexdigest()
        self.image_id = "sha256:" + hashlib.sha256(b"ratio1/edge_node:mainnet").hexdigest()
        now = time.time_ns()
        self.created_ns = now - 9 * 86400 * 1_000_000_000 - 123_456_789
        self.restart_count = restart_count
        self.pid = 4242
        self.exit_code = 0
        self.oom = False
        if state == "running":
            self.running = True
            # up for 5 h 3 min; an odd nanosecond part, as a real one has
            self.started_ns = now - (5 * 3600 + 180) * 1_000_000_000 - 987_654_321
            self.finished_ns = None
        else:
            self.running = False
            self.started_ns = now - 2 * 86400 * 1_000_000_000
            self.finished_ns = now - 3600 * 1_000_000_000
            self.pid = 0
            # how the last run ended (the node's codes: r1top's docs/protocol.md §7.3)
            self.exit_code = exit_code
            self.oom = oom
        self.big_labels = False

    def start(self):
        self.running = True
        self.started_ns = time.time_ns()
        self.pid += 17
        self.exit_code = 0
        self.oom = False

    def stop(self):
        self.running = False
        self.finished_ns = time.time_ns()
        self.pid = 0
        self.exit_code = 0

    def labels(self):
        labels = {
            "maintainer": "Ratio1 <support@ratio1.ai>",
            "org.opencontainers.image.source": "https://github.com/Ratio1/edge_node",
            "org.opencontainers.image.version": "2.9.123",
        }
        if self.big_labels:
            # D1: a reply of 256 KiB or more once went through freed memory; 4000 labels of
            # about 100 bytes each make the inspect about 440 KiB.
            for i in range(4000):
                labels["ai.ratio1.sim.label.%04d" % i] = ("value-%04d-" % i) + "x" * 64
        return labels

    def inspect(self):
        return {
            "Id": self.id,
            "Created": rfc3339_nano(self.created_ns),
            "Path": "/bin/sh",
            "Args": ["-c", "python3 device.py"],
            "State": {
                "Status": "running" if self.running else "exited",
                "Running": self.running,
                "Paused": False,
                "Restarting": False,
                "OOMKilled": self.oom,
                "Dead": False,
                "Pid": self.pid,
                "ExitCode": self.exit_code,
                "Error": "",
                "StartedAt": rfc3339_nano(self.started_ns),
                "FinishedAt": rfc3339_nano(self.finished_ns) if self.finished_ns else NEVER,
            },
            "Image": self.image_id,
            "ResolvConfPath": "/var/lib/docker/containers/%s/resolv.conf" % self.id,
            "HostnamePath": "/var/lib/docker/containers/%s/hostname" % self.id,
            "HostsPath": "/var/lib/docker/containers/%s/hosts" % self.id,
            "LogPath": "/var/lib/docker/containers/%s/%s-json.log" % (self.id, self.id),
            "Name": "/" + self.name,
            "RestartCount": self.restart_count,
            "Driver": "overlay2",
            "Platform": "linux",
            "MountLabel": "",
            "ProcessLabel": "",
            "AppArmorProfile": "docker-default",
            "ExecIDs": None,
            "HostConfig": {
                "Binds": ["/var/cache/edge_node:/edge_node/_local_cache"],
                "NetworkMode": "default",
                "RestartPolicy": {"Name": "always", "MaximumRetryCount": 0},
                "AutoRemove": False,
                "Privileged": False,
            },
            "Mounts": [{
                "Type": "bind",
                "Source": "/var/cache/edge_node",
                "Destination": "/edge_node/_local_cache",
                "Mode": "",
                "RW": True,
                "Propagation": "rprivate",
            }],
            "Config": {
                "Hostname": self.id[:12],
                "Domainname": "",
                "User": "",
                "Tty": False,
                "OpenStdin": False,
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "EE_ID=sim-edge-01"],
                "Cmd": ["python3", "device.py"],
                "Image": "ratio1/edge_node:mainnet",
                "WorkingDir": "/edge_node",
                "Entrypoint": None,
                "Labels": self.labels(),
            },
            "NetworkSettings": {
                "Bridge": "",
                "SandboxID": hashlib.sha256(self.id.encode()).hexdigest(),
                "Ports": {},
                "IPAddress": "172.17.0.2" if self.running else "",
                "Gateway": "172.17.0.1" if self.running else "",
                "MacAddress": "02:42:ac:11:00:02" if self.running else "",
            },
        }


class World:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.container = Container(args.container, args.state, args.restart_count,
                                   args.exit_code, args.oom)
        self.fault = None
        self.set_fault(args.fault)
        self.requests = []
        self.verbose = args.verbose
        # the node's authorized_addrs, line by line (§8.2)
        self.allowed = [
            normalise_line(ORACLE_R1S_01 + "  r1s-01"),
            OWNER_ADDR + " owner-laptop",   # update_allowed_batch's one space, not normalised yet
            "# 0xai_Az3rTYnotAKey  old-box # INVALID: 0xai_Az3rTYnotAKey is not a valid node address",
        ]
        self.ee_id = "sim-edge-01"
        self.execs = {}
        # the container's log: (t_ns, stream, text bytes), oldest first
        self.logs = []
        self.log_seq = 0
        self.log_every = max(args.log_every, 0.0)
        now = time.time_ns()
        for i in range(20):
            self.add_log_line(now - (20 - i) * 1_000_000_000 - 123_456, 1, None)
        self.apps = [  # docker ps -a inside the node: its inner daemon's containers
            ("3f2a9c1b7d4e", "ratio1/car-llm:1.4.2", '"python3 -m app"', "3 hours ago",
             "Up 3 hours", "0.0.0.0:8080->8080/tcp", "car_llm_a1b2c3"),
            ("7c1d5e8f9a0b", "ratio1/car-web:0.9.0", '"node server.js"', "2 days ago",
             "Exited (0) 2 days ago", "", "car_web_old"),
            ("9a8b7c6d5e4f", "redis:7", '"docker-entrypoint.s..."', "9 days ago",
             "Up 3 hours", "6379/tcp", "infra_redis"),
        ]

    def set_fault(self, mode):
        if mode in (None, "", "none", "off"):
            mode = None
        self.fault = mode
        self.container.big_labels = mode == "biglabels"

    def add_log_line(self, t_ns, stream, text):
        """Append a line (lock held by the caller once serving); None: the next generated one."""
        if self.logs and t_ns <= self.logs[-1][0]:
            t_ns = self.logs[-1][0] + 1
        if text is None:
            self.log_seq += 1
            text = ("[EE][%s][MAIN] heartbeat %04d sent, 3 pipelines, 0 errors"
                    % (time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t_ns // 10 ** 9)),
                       self.log_seq)).encode()
        self.logs.append((t_ns, stream, text))

    # -- the node's commands, inside the container (lock held) ------------------------------

    def node_info(self):
        return json.dumps({"address": "0xai_AsimNodeAddr", "alias": self.ee_id,
                           "version_short": "v2.9.123", "is_supervisor": False}, indent=2)

    def run_exec(self, cmd):
        """(exit code, [(stream, bytes)...]) of one command, as its script would answer."""
        frames = []

        def out(text):
            frames.append((1, (text + "\n").encode()))

        def err(text):
            frames.append((2, (text + "\n").encode()))

        name, args = cmd[0], cmd[1:]
        known = ("get_allowed", "add_allowed", "change_alias", "docker")
        if self.fault == "nocmds" or name not in known:
            # the engine's answer for a missing executable: the runtime's error on stdout
            frames.append((1, ('OCI runtime exec failed: exec failed: unable to start container '
                               'process: exec: "%s": executable file not found in $PATH: '
                               'unknown\r\n' % name).encode()))
            return 126, frames
        if name == "get_allowed":
            for line in self.allowed:
                out(line)
            return 0, frames
        if name == "add_allowed":
            if not args:
                err("Usage: /usr/local/bin/add_allowed <address> [alias]")
                return 1, frames
            address, alias = args[0], (args[1] if len(args) > 1 else None)
            if alias and len(alias) > MAX_ALIAS_LENGTH:
                err("Warning: Alias '%s' exceeds %d characters, truncating to '%s'"
                    % (alias, MAX_ALIAS_LENGTH, alias[:MAX_ALIAS_LENGTH]))
                alias = alias[:MAX_ALIAS_LENGTH]
            for line in self.allowed:
                if line.startswith(address + " ") or line.strip() == address:
                    err("Error: Address already exists: %s" % address)
                    return 1, frames
            if alias:
                # The script looks for " <alias>" at a line's end, which a normalised line
                # (" # <0xETH>" after the alias) never has; the simulator checks the alias
                # word itself, which is what the script means to refuse.
                for line in self.allowed:
                    e = allowed_entry(line)
                    if re.search(" %s$" % re.escape(alias), line) or (e and e["alias"] == alias):
                        err("Error: Alias already exists: %s" % alias)
                        return 1, frames
            self.allowed.append("%s  %s" % (address, alias) if alias else address)
            # the node re-reads the file on its next check and rewrites it (§8.2)
            self.allowed = [normalise_line(line) for line in self.allowed]
            out(self.node_info())
            return 0, frames
        if name == "change_alias":
            if len(args) != 1 or not args[0]:
                err("Usage: /usr/local/bin/change_alias <new_alias>")
                return 1, frames
            if len(args[0]) > MAX_ALIAS_LENGTH:
                err("Error: Alias '%s' is longer than %d characters" % (args[0], MAX_ALIAS_LENGTH))
                return 1, frames
            self.ee_id = args[0]
            out("EE_ID set to '%s' in %s; restart the node for it to take effect"
                % (args[0], STARTUP_FILE))
            return 0, frames
        # docker, inside the node: its inner daemon's containers
        if not args or args[0] != "ps":
            err("docker: '%s' is not a docker command.\nSee 'docker --help'"
                % (args[0] if args else ""))
            return 1, frames
        show_all, name_filter, i = False, None, 1
        while i < len(args):
            if args[i] in ("-a", "--all"):
                show_all = True
            elif args[i] in ("-f", "--filter") and i + 1 < len(args):
                i += 1
                if args[i].startswith("name="):
                    name_filter = args[i][5:]
            i += 1
        rows = [("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES")]
        for a in self.apps:
            if not show_all and not a[4].startswith("Up"):
                continue
            if name_filter and name_filter not in a[6]:
                continue
            rows.append(a)
        widths = [max(len(r[k]) for r in rows) for k in range(6)]
        for r in rows:
            out("".join(r[k].ljust(widths[k] + 3) for k in range(6)) + r[6])
        return 0, frames


VERSION_PREFIX = re.compile(r"^/v1\.[0-9]+(?=/)")
CONTAINER_PATH = re.compile(r"^/containers/([^/]+)/(json|restart|stop|start|exec|logs)$")
EXEC_PATH = re.compile(r"^/exec/([^/]+)/(start|json)$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the engine (and curl) expect
    server_version = "Docker/%s" % ENGINE_VERSION
    sys_version = "(linux)"
    world = None  # set in main()

    def address_string(self):
        # a unix peer has no host (client_address is ""), which the base class would index
        return "unix"

    def log_message(self, fmt, *args):
        if self.world.verbose:
            sys.stderr.write("dockersim: %s\n" % (fmt % args))

    # -- replies ---------------------------------------------------------------------------

    def _headers(self, code, length, ctype="application/json"):
        self.send_response(code)
        self.send_header("Api-Version", API_VERSION)
        self.send_header("Docker-Experimental", "false")
        self.send_header("Ostype", "linux")
        if length is not None:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _json(self, code, obj):
        # the engine's encoder ends every JSON document with a newline
        body = (json.dumps(obj, separators=(",", ":")) + "\n").encode("utf-8")
        self._headers(code, len(body))
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, code, text):
        body = text.encode("utf-8")
        self._headers(code, len(body), "text/plain; charset=utf-8")
        self.wfile.write(body)

    def _empty(self, code):
        # 204 and 304 carry neither a body nor a length
        self._headers(code, None)

    def _error(self, code, message):
        self._json(code, {"message": message})

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _hang(self):
        """Read the request and never answer: wait until the client gives up and closes."""
        self.close_connection = True
        conn = self.connection
        while True:
            r, _, _ = select.select([conn], [], [], 1.0)
            if r:
                try:
                    if not conn.recv(4096):
                        return
                except OSError:
                    return

    # -- routing ---------------------------------------------------------------------------

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def _dispatch(self):
        body = self._read_body()
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        q = dict(urllib.parse.parse_qsl(url.query))
        w = self.world
        if path.startswith("/_sim/"):
            return self._control(path, q)
        with w.lock:
            rec = {"method": self.command, "path": self.path, "t": time.time()}
            if self.command == "POST":
                rec["body"] = body.decode("utf-8", "replace")
            w.requests.append(rec)
            fault = w.fault
        path = VERSION_PREFIX.sub("", path)
        if path == "/_ping":
            return self._text(200, "OK")
        if path == "/version":
            return self._json(200, {"Version": ENGINE_VERSION, "ApiVersion": API_VERSION,
                                    "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64"})
        m = EXEC_PATH.match(path)
        if m:
            return self._exec(urllib.parse.unquote(m.group(1)), m.group(2), fault)
        m = CONTAINER_PATH.match(path)
        if not m:
            return self._error(404, "page not found")
        name, op = urllib.parse.unquote(m.group(1)), m.group(2)
        c = w.container
        if fault == "404" or name not in (c.name, "/" + c.name) and not (
                len(name) >= 1 and c.id.startswith(name)):
            return self._error(404, "No such container: %s" % name)
        want = "GET" if op in ("json", "logs") else "POST"
        if self.command != want and not (want == "GET" and self.command == "HEAD"):
            return self._error(405, "method not allowed")
        if op == "json":
            with w.lock:
                obj = c.inspect()
            return self._json(200, obj)
        if op == "logs":
            return self._logs(q)
        if op == "exec":
            return self._exec_create(body, fault)
        # restart / stop / start
        if fault == "hang":
            return self._hang()
        if fault == "409":
            return self._error(409, "Cannot %s container %s: container is marked for removal "
                                    "and cannot be started" % (op, name))
        if fault == "500":
            return self._error(500, "Cannot %s container %s: tried to kill container, but did "
                                    "not receive an exit event" % (op, name))
        with w.lock:
            if op == "restart":
                # A restart asked through the API is not counted in RestartCount: that counts
                # the restart policy's restarts only, as the real engine does.
                if c.running:
                    c.stop()
                c.start()
                return self._empty(204)
            if op == "stop":
                if not c.running:
                    return self._empty(304)
                c.stop()
                return self._empty(204)
            if c.running:
                return self._empty(304)
            c.start()
            return self._empty(204)

    # -- exec --------------------------------------------------------------------------------

    def _exec_create(self, body, fault):
        w = self.world
        if fault == "hang":
            return self._hang()
        try:
            cfg = json.loads(body.decode("utf-8") or "{}")
        except ValueError as e:
            return self._error(400, "invalid character in JSON: %s" % e)
        cmd = cfg.get("Cmd") if isinstance(cfg, dict) else None
        if not cmd or not isinstance(cmd, list) or not all(isinstance(x, str) for x in cmd):
            return self._error(400, "No exec command specified")
        with w.lock:
            c = w.container
            if fault == "exec409" or not c.running:
                return self._error(409, "Container %s is not running" % c.id)
            exec_id = os.urandom(32).hex()
            w.execs[exec_id] = {"cmd": cmd, "running": False, "exit_code": None,
                                "started": False}
        return self._json(201, {"Id": exec_id})

    def _exec(self, exec_id, op, fault):
        w = self.world
        with w.lock:
            ex = w.execs.get(exec_id)
        if ex is None:
            return self._error(404, "No such exec instance: %s" % exec_id)
        if op == "json":
            if self.command not in ("GET", "HEAD"):
                return self._error(405, "method not allowed")
            with w.lock:
                return self._json(200, {
                    "CanRemove": False, "ContainerID": w.container.id, "DetachKeys": "",
                    "ExitCode": ex["exit_code"], "ID": exec_id, "OpenStderr": True,
                    "OpenStdin": False, "OpenStdout": True, "Running": ex["running"],
                    "Pid": 0 if not ex["running"] else 5151,
                    "ProcessConfig": {"tty": False, "entrypoint": ex["cmd"][0],
                                      "arguments": ex["cmd"][1:], "privileged": False}})
        if self.command != "POST":
            return self._error(405, "method not allowed")
        if fault == "exechang":
            return self._hang()
        with w.lock:
            if ex["started"]:
                return self._error(409, "Exec command %s has already run" % exec_id)
            if not w.container.running:
                return self._error(409, "Container %s is not running" % w.container.id)
            ex["started"] = True
            code, frames = w.run_exec(ex["cmd"])
            ex["exit_code"] = code
        # The engine hijacks the connection and writes the head itself, no length: without an
        # Upgrade header (r1top sends none) "200 OK" and Content-Type raw-stream although the
        # body is framed (only the 101 answer to an upgrade says multiplexed-stream, from API
        # 1.42), then the headers its middleware had set, the frames, the close.
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 OK\r\n"
                         b"Content-Type: application/vnd.docker.raw-stream\r\n"
                         b"Api-Version: " + API_VERSION.encode() + b"\r\n"
                         b"Docker-Experimental: false\r\n"
                         b"Ostype: linux\r\n"
                         b"Server: Docker/" + ENGINE_VERSION.encode() + b" (linux)\r\n\r\n")
        for stream, data in frames:
            self.wfile.write(frame(stream, data))
        self.wfile.flush()

    # -- logs --------------------------------------------------------------------------------

    def _logs(self, q):
        w = self.world
        want = set()
        if q.get("stdout") in ("1", "true"):
            want.add(1)
        if q.get("stderr") in ("1", "true"):
            want.add(2)
        if not want:
            return self._error(400, "Bad parameters: you must choose at least one stream")
        since_ns = None
        if q.get("since"):
            m = re.match(r"^(\d+)(?:\.(\d{1,9}))?$", q["since"])
            if not m:
                return self._error(400, 'invalid value for "since": %s' % q["since"])
            since_ns = int(m.group(1)) * 10 ** 9 + int((m.group(2) or "0").ljust(9, "0"))
        tail = q.get("tail", "all")
        with w.lock:
            lines = [x for x in w.logs if x[1] in want]
        if tail != "all":
            try:
                n = int(tail)
            except ValueError:
                n = -1
            if n >= 0:
                lines = lines[-n:] if n else []
        if since_ns is not None:
            # inclusive: the engine skips only lines before since
            lines = [x for x in lines if x[0] >= since_ns]
        ts = q.get("timestamps") in ("1", "true")
        with w.lock:
            slow = w.fault == "logslow"
        if slow:
            time.sleep(2.0)
        self.send_response(200)
        self.send_header("Api-Version", API_VERSION)
        self.send_header("Docker-Experimental", "false")
        self.send_header("Ostype", "linux")
        self.send_header("Content-Type", "application/vnd.docker.multiplexed-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for t_ns, stream, text in lines:
            payload = ((rfc3339_fixed(t_ns) + " ").encode() if ts else b"") + text + b"\n"
            data = frame(stream, payload)
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _control(self, path, q):
        w = self.world
        if path == "/_sim/fault":
            mode = q.get("mode", "none")
            if mode not in FAULTS + ("none", "off", ""):
                return self._json(400, {"error": "unknown fault %r" % mode})
            with w.lock:
                w.set_fault(mode)
                return self._json(200, {"fault": w.fault})
        if path == "/_sim/requests":
            with w.lock:
                reqs = list(w.requests)
                if q.get("clear") in ("1", "true", "yes"):
                    w.requests.clear()
            return self._json(200, {"requests": reqs})
        if path == "/_sim/state":
            with w.lock:
                return self._json(200, w.container.inspect())
        if path == "/_sim/allowed":
            with w.lock:
                lines = list(w.allowed)
                ee_id = w.ee_id
            entries = []
            for line in lines:
                e = allowed_entry(line)
                if e:
                    entries.append({k: e[k] for k in ("addr", "alias", "eth", "valid")})
            return self._json(200, {"lines": lines, "entries": entries, "ee_id": ee_id})
        if path == "/_sim/log":
            with w.lock:
                if "every" in q:
                    w.log_every = max(float(q["every"]), 0.0)
                if "line" in q:
                    stream = 2 if q.get("stream") == "stderr" else 1
                    # the text as given, any byte (latin-1 keeps a %1b as the byte 0x1b)
                    raw = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query,
                                                      encoding="latin-1"))["line"].encode("latin-1")
                    for _ in range(int(q.get("count", "1"))):
                        w.add_log_line(time.time_ns(), stream, raw)
                out = [{"t_ns": t, "ts": rfc3339_fixed(t), "stream": st,
                        "text": tx.decode("utf-8", "replace")} for t, st, tx in w.logs]
            return self._json(200, {"lines": out, "every": w.log_every})
        return self._json(404, {"error": "no such control path"})


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    allow_reuse_address = True


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=10):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.unix_path)
        self.sock = s


def call(sock_path, method, path, body=None):
    conn = UnixHTTPConnection(sock_path)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body.encode() if body is not None else None,
                     headers=headers)
        r = conn.getresponse()
        body = r.read()
    finally:
        conn.close()
    sys.stdout.write(body.decode("utf-8", "replace"))
    return 0 if 200 <= r.status < 300 else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description="Docker Engine API simulator for r1top tests")
    ap.add_argument("--socket", required=True, help="the unix socket to listen on (or to --call)")
    ap.add_argument("--container", default="edge_node")
    ap.add_argument("--fault", default=None, choices=FAULTS + ("none",))
    ap.add_argument("--socket-mode", default="0660", help="octal mode of the socket (0600: D28)")
    ap.add_argument("--state", default="running", choices=("running", "exited"))
    ap.add_argument("--restart-count", type=int, default=3)
    ap.add_argument("--exit-code", type=int, default=0, help="with --state exited: the last run's code")
    ap.add_argument("--oom", action="store_true", help="with --state exited: the kernel killed it (OOMKilled)")
    ap.add_argument("--log-every", type=float, default=1.0,
                    help="add a line to the container's log every S seconds (0: only on demand)")
    ap.add_argument("--lifetime", type=float, default=300.0, help="exit by itself after S seconds")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--call", nargs="+", metavar="ARG",
                    help="[METHOD] PATH [BODY]: one request, then exit")
    args = ap.parse_args(argv)

    if args.call:
        method, path = ("GET", args.call[0]) if len(args.call) == 1 else args.call[:2]
        body = args.call[2] if len(args.call) > 2 else None
        try:
            return call(args.socket, method.upper(), path, body)
        except OSError as e:
            sys.stderr.write("dockersim: %s: %s\n" % (args.socket, e))
            return 2

    world = World(args)
    Handler.world = world
    try:
        os.unlink(args.socket)
    except FileNotFoundError:
        pass
    srv = Server(args.socket, Handler)
    os.chmod(args.socket, int(args.socket_mode, 8))

    def bye():
        try:
            os.unlink(args.socket)
        except OSError:
            pass
        os._exit(0)

    # never outlive the test that started us
    killer = threading.Timer(max(args.lifetime, 0.1), bye)
    killer.daemon = True
    killer.start()
    signal.signal(signal.SIGTERM, lambda *_: bye())

    def grow():
        # the container keeps logging: a line every log_every seconds (0: paused)
        last = time.monotonic()
        while True:
            time.sleep(0.05)
            with world.lock:
                every = world.log_every
                if every > 0 and time.monotonic() - last >= every:
                    world.add_log_line(time.time_ns(), 1, None)
                    last = time.monotonic()
                elif every <= 0:
                    last = time.monotonic()

    threading.Thread(target=grow, daemon=True).start()
    print("SOCKET=%s" % args.socket, flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    bye()
    return 0


if __name__ == "__main__":
    sys.exit(main())
