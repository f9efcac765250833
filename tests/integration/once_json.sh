#!/bin/sh
# once_json.sh: the real r1top binary against tests/sim/r1sim.py, `--once --json`, no faults.
# Every figure r1top reports is checked against what the simulator served.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
sim_require

T=$(tmpdir)
trap 'sim_stop; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

plan 69

# 1. the simulator signs exactly like Ratio1's SDK: the three dAuth vectors verify with its verifier
if "$PY" "$SIM" --selftest >"$T/selftest.txt" 2>&1; then ok "r1sim --selftest (vectors, signer, faults)"
else fail "r1sim --selftest"; diag "$(grep -v '^ok' "$T/selftest.txt")"; fi

sim_start "$T/a" || { fail "simulator started"; exit 1; }
ok "simulator started on port $SIM_PORT (signer $SIM_SIGNER)"
sim_config "$T/a/r1top.yaml"
r1top_once "$T/a/out.json" "$T/a/r1top.yaml"
O=$T/a/out.json

check "exit status 0 (rc=$R1_RC)" [ "$R1_RC" -eq 0 ]
[ "$R1_RC" -eq 0 ] || diag "stderr:" "$(head -c 2000 "$O.err")"
jcheck "stdout is one JSON object" "$O" 'isinstance(d, dict)'
jcheck "top-level keys" "$O" 'all(k in d for k in ("r1top_version","generated_at_unix_s","network","oracle_url","ok","epoch","nodes"))'
jcheck "ok is true" "$O" 'd["ok"] is True'
jcheck "network mainnet" "$O" 'd["network"] == "mainnet"'
jcheck "oracle_url is the sim" "$O" 'd["oracle_url"].rstrip("/") == "'"$SIM_URL"'"'
jcheck "generated_at is now" "$O" 'abs(d["generated_at_unix_s"] - __import__("time").time()) < 120'

# epoch
jcheck "epoch.current from the oracle" "$O" 'd["epoch"]["current"] == info["current_epoch"]'
jcheck "epoch.clock_current agrees" "$O" 'd["epoch"]["clock_current"] == info["current_epoch"]'
jcheck "epoch.length_s 86400" "$O" 'd["epoch"]["length_s"] == 86400'
jcheck "epoch.remaining_s in range" "$O" '0 < d["epoch"]["remaining_s"] <= 86400'
jcheck "epoch.remaining_s matches the clock" "$O" 'abs(d["epoch"]["remaining_s"] - (86400 - (d["generated_at_unix_s"] - 1748016000) % 86400)) < 120'
jcheck "epoch.error null" "$O" 'd["epoch"]["error"] is None'

# identity
jcheck "one node" "$O" 'len(d["nodes"]) == 1'
jcheck "node name" "$O" 'n["name"] == "sim-node"'
jcheck "node address from local_info" "$O" 'n["address"] == info["node"]["address"]'
jcheck "node eth_address" "$O" 'n["eth_address"] == info["node"]["eth_address"]'
jcheck "node alias" "$O" 'n["alias"] == info["node"]["alias"]'
jcheck "node online" "$O" 'n["online"] == "online"'

# sources
jcheck "all five sources present" "$O" 'set(("node_info","node_history","streams","oracle_last","oracle_range")) <= set(src)'
jcheck "every source ok, no error" "$O" 'all(s["ok"] is True and s["error"] is None for s in src.values())'
jcheck "every source has an update time" "$O" 'all(isinstance(s["updated_at_unix_s"], (int, float)) for s in src.values())'
jcheck "oracle sources name the sim" "$O" 'src["oracle_last"]["source"].startswith("'"$SIM_URL"'")'
jcheck "file sources name the folder" "$O" '"'"$T/a/state/_data"'" in src["node_info"]["source"]'

# status file (local_info.json)
S='n["status_file"]'
jcheck "status_file.error null" "$O" "$S"'["error"] is None'
jcheck "status_file.version" "$O" "$S"'["version"] in ("v2.9.370", info["node"]["version_long"])'
jcheck "status_file.current_epoch" "$O" "$S"'["current_epoch"] == info["current_epoch"]'
jcheck "status_file.current_epoch_avail_prc" "$O" 'abs('"$S"'["current_epoch_avail_prc"] - 98.71) < 0.01 or abs('"$S"'["current_epoch_avail_prc"] - 0.9871) < 0.0001'
jcheck "status_file.last_epochs = sim's last 5" "$O" '[(e["epoch"], e["avail_u8"]) for e in '"$S"'["last_epochs"]] == [(int(k), v) for k, v in sorted(info["claim_range_vals"].items())][-5:]'
jcheck "status_file.whitelist_count 2" "$O" "$S"'["whitelist_count"] == 2'
jcheck "status_file.r1fs_online" "$O" "$S"'["r1fs_online"] is True'
jcheck "status_file.file_age_s fresh" "$O" '0 <= '"$S"'["file_age_s"] < 60'

# history (local_history.json)
H='n["history"]'
jcheck "history.uptime_s = 123:04:05" "$O" "$H"'["uptime_s"] == info["node"]["uptime_s"] == 443045'
jcheck "history.cpu_load_pct latest" "$O" 'abs('"$H"'["cpu_load_pct"] - 37.5) < 0.01'
jcheck "history.mem_used/total_gb" "$O" 'abs('"$H"'["mem_used_gb"] - 21.5) < 0.01 and abs('"$H"'["mem_total_gb"] - 62.7) < 0.01'
jcheck "history.gpu_load_pct/temp_c" "$O" 'abs('"$H"'["gpu_load_pct"] - 42) < 0.01 and abs('"$H"'["gpu_temp_c"] - 67) < 0.01'

# licence (oracle, include_bc_info)
L='n["licence"]'
jcheck "licence.type ND, id" "$O" "$L"'["type"] == "ND" and '"$L"'["id"] == info["license"]["licenseId"]'
jcheck "licence.total_assigned_wei exact" "$O" "$L"'["total_assigned_wei"] == "1575188843457943924600"'
jcheck "licence.total_claimed_wei exact" "$O" "$L"'["total_claimed_wei"] == str(info["license"]["totalClaimedAmount"])'
jcheck "licence owner/node_address" "$O" "$L"'["owner"].lower() == info["license"]["owner"].lower() and '"$L"'["node_address"].lower() == info["node"]["eth_address"].lower()'
jcheck "licence.last_claim_epoch" "$O" "$L"'["last_claim_epoch"] == info["license"]["lastClaimEpoch"]'
jcheck "licence.assign_timestamp / last_claim_oracle" "$O" "$L"'["assign_timestamp_unix_s"] == 1748600123 and '"$L"'["last_claim_oracle"].lower() == info["license"]["lastClaimOracle"].lower()'
jcheck "licence banned false, valid true" "$O" "$L"'["banned"] is False and '"$L"'["valid"] is True'
jcheck "licence PoAI rewards" "$O" 'str('"$L"'["poai_usdc_micro"]) == "12500000" and str('"$L"'["poai_r1_wei"]) == "3210000000000000000"'

# availability (oracle)
A='n["availability"]'
jcheck "availability.online" "$O" "$A"'["online"] is True and '"$A"'["oracle_error"] is None'
jcheck "availability.last_epoch = last synced" "$O" "$A"'["last_epoch"] == info["last_synced_epoch"]'
jcheck "availability.last_epoch_avail_u8 254" "$O" "$A"'["last_epoch_avail_u8"] == info["claim_range_vals"][str(info["last_synced_epoch"])] == 254'
jcheck "availability.last_epoch_avail_prc" "$O" 'abs('"$A"'["last_epoch_avail_prc"] - 254/255) < 1e-3 or abs('"$A"'["last_epoch_avail_prc"] - 25400/255) < 0.1'
jcheck "availability.epochs = the oracle's values" "$O" 'len('"$A"'["epochs"]) > 0 and all(info["claim_range_vals"].get(str(e["epoch"]), e["avail_u8"]) == e["avail_u8"] for e in '"$A"'["epochs"]) and any(e["avail_u8"] < 255 for e in '"$A"'["epochs"])'
jcheck "availability.server_alias" "$O" "$A"'["server_alias"] == "r1sim-oracle"'
# trust: the sim signs with a fresh key that the config lists under oracle: trusted:
jcheck "availability.trust verified" "$O" "$A"'["trust"] == "verified" and '"$A"'["verified"] is True'
jcheck "availability.trust_reason empty" "$O" "$A"'["trust_reason"] in (None, "")'
jcheck "availability.signer is the sim's ($SIM_SIGNER)" "$O" "$A"'["signer"] == "'"$SIM_SIGNER"'"'
jcheck "epochs_range.trust verified" "$O" "$A"'["epochs_range"]["trust"] == "verified" and '"$A"'["epochs_range"]["verified"] is True and '"$A"'["epochs_range"]["trust_reason"] in (None, "")'
jcheck "epochs_range.signer is the sim's" "$O" "$A"'["epochs_range"]["signer"] == "'"$SIM_SIGNER"'"'
jcheck "epochs_range covers the chart" "$O" "$A"'["epochs_range"]["to_epoch"] == info["last_synced_epoch"] and '"$A"'["epochs_range"]["from_epoch"] <= info["license"]["lastClaimEpoch"]'
diag "availability: trust=$(jget "$O" 'n["availability"]["trust"]') signer=$(jget "$O" 'n["availability"]["signer"]')"

# workloads (streams): the deeployed app, no admin pipeline, no secrets
W='n["workloads"]'
jcheck "workloads.error null" "$O" "$W"'["error"] is None and '"$W"'["unreadable_files"] in (0, [], None)'
jcheck "deeployed container app listed" "$O" 'any(i["instance_id"] == "CONTAINER_APP_2f710e" and i["pipeline"] == "myapp_3e02d52" and i["signature"] == "CONTAINER_APP_RUNNER" for i in '"$W"'["instances"])'
jcheck "its image, port, job_id" "$O" '[(i["image"], i["port"], i["job_id"]) for i in '"$W"'["instances"] if i["instance_id"] == "CONTAINER_APP_2f710e"] == [("tvitalii/ratio1-drive", 3333, 66)]'
jcheck "worker app listed (job 67)" "$O" 'any(i["instance_id"] == "WORKER_APP_9c8d7e" and i["job_id"] == 67 for i in '"$W"'["instances"])'
jcheck "admin_pipeline never listed" "$O" 'not any(i["pipeline"] == "admin_pipeline" or i["instance_id"].endswith("_INST") for i in '"$W"'["instances"])'
if grep -q SIMSECRET "$O" "$O.err"; then fail "no secret value anywhere in the output"; diag "$(grep -o '.\{40\}SIMSECRET.\{20\}' "$O" | head -3)"
else ok "no secret value anywhere in the output"; fi

# rewards: ND claimable = sum(ND_MAX_RELEASE_PER_DAY * v // 255) over [lastClaimEpoch, current-1], capped
EXP=$("$PY" -c '
import json,sys
i = json.load(open(sys.argv[1]))
vals = [i["claim_range_vals"][str(e)] for e in range(i["license"]["lastClaimEpoch"], i["current_epoch"])]
s = sum(1458508188386985115 * v // 255 for v in vals)
print(min(s, i["license"]["totalAssignedAmount"] - i["license"]["totalClaimedAmount"]))' "$T/a/info.json")
R='n["rewards"]'
jcheck "rewards.poa_claimable_wei = $EXP" "$O" 'str('"$R"'["poa_claimable_wei"]) == "'"$EXP"'"'
jcheck "rewards range and not capped" "$O" "$R"'["poa_from_epoch"] == info["license"]["lastClaimEpoch"] and '"$R"'["poa_to_epoch"] == info["current_epoch"] - 1 and '"$R"'["poa_capped"] is False'
diag "rewards: $(jget "$O" 'n["rewards"]')"

# a second sim whose licence is nearly fully claimed: the claimable amount is capped
sim_start "$T/b" --claimed-wei 1570188843457943924600 || fail "second simulator"
sim_config "$T/b/r1top.yaml"
r1top_once "$T/b/out.json" "$T/b/r1top.yaml"
check "capped run exit 0 (rc=$R1_RC)" [ "$R1_RC" -eq 0 ]
jcheck "capped: poa_capped true, claimable = assigned - claimed" "$T/b/out.json" "$R"'["poa_capped"] is True and str('"$R"'["poa_claimable_wei"]) == "5000000000000000000"'
jcheck "capped: its own fresh signer verified" "$T/b/out.json" "$A"'["verified"] is True and '"$A"'["signer"] == "'"$SIM_SIGNER"'" and '"$A"'["epochs_range"]["verified"] is True'
sim_stop
done_testing
