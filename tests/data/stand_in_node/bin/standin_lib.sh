# shellcheck shell=sh disable=SC2034 # the variables are for the commands that source it
# standin_lib.sh: what the stand-in node's commands share (sourced, not run). The layout is
# the real image's: <LC> = /edge_node/_local_cache (docs/protocol.md §4.1), the status files
# in <LC>/_data, the allowed list in <LC>/authorized_addrs (§8.2).
LC=${STANDIN_LC:-/edge_node/_local_cache}
INFO=$LC/_data/local_info.json
ALLOWED=$LC/authorized_addrs
STARTUP=$LC/config_startup.json
# the stand-in's own controls: the exit code the node ends with next (read once, then removed)
EXIT_FILE=$LC/stand_in_exit_code
# 0xai address -> 0x ETH address. The real node derives the ETH address from the public key
# the 0xai address encodes (keccak); busybox cannot, so the stand-in knows the addresses of
# tests/data (the netmon vector's network and the node_files node) and no others.
KNOWN=/edge_node/stand_in/known_addrs

# the node's log format: [EE][YYYY-MM-DD HH:MM:SS] message
log() { echo "[EE][$(date -u '+%Y-%m-%d %H:%M:%S')] $*"; }

# the alias in config_startup.json (EE_ID), empty when none
startup_alias() {
    sed -n 's/^[[:space:]]*"EE_ID"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$STARTUP" 2>/dev/null | head -n 1
}

# normalize_allowed: rewrite the allowed list as the node does when it (re)reads it
# (_load_and_maybe_create_allowed): a valid line becomes "<0xai_addr>[ <alias>] # <0xETH>",
# keeping the spacing its writer used before the alias; an invalid one becomes
# "# <original line> # INVALID: <reason>"; comment lines stay, blank lines go.
normalize_allowed() {
    [ -f "$ALLOWED" ] || : >"$ALLOWED"
    awk -v known="$KNOWN" '
        BEGIN { while ((getline l < known) > 0) { split(l, f, " "); eth[f[1]] = f[2] } }
        /^[ \t]*$/ { next }
        /^[ \t]*#/ { print; next }
        {
            orig = $0
            s = $0
            i = index(s, " # ")
            if (i) s = substr(s, 1, i - 1)
            sub(/^[ \t]+/, "", s)
            sub(/[ \t]+$/, "", s)
            n = split(s, t, /[ \t]+/)
            addr = t[1]
            alias = n >= 2 ? t[2] : ""
            reason = ""
            if (substr(addr, 1, 5) != "0xai_" || length(addr) != 49 || substr(addr, 6) ~ /[^A-Za-z0-9_-]/)
                reason = "not a node address (0xai_ and 44 base64url characters)"
            else if (n > 2)
                reason = "more than an address and an alias"
            else if (length(alias) > 15)
                reason = "alias longer than 15 characters"
            else if (addr in seen)
                reason = "address already listed"
            else if (!(addr in eth))
                reason = "cannot derive the ETH address (the stand-in knows only tests/data addresses)"
            if (reason != "") { print "# " orig " # INVALID: " reason; next }
            seen[addr] = 1
            print s " # " eth[addr]
        }' "$ALLOWED" >"$ALLOWED.tmp" && mv "$ALLOWED.tmp" "$ALLOWED"
}

# allowed_has FIELD VALUE: VALUE is the address (FIELD 1) or alias (FIELD 2) of a listed entry
allowed_has() {
    [ -f "$ALLOWED" ] || return 1
    awk -v f="$1" -v v="$2" '
        /^[ \t]*#/ { next }
        { s = $0; i = index(s, " # "); if (i) s = substr(s, 1, i - 1)
          n = split(s, t, /[ \t]+/); if (t[1] == "") { for (k = 1; k < n; k++) t[k] = t[k + 1]; n-- }
          if (n >= f && t[f] == v) found = 1 }
        END { exit !found }' "$ALLOWED"
}
