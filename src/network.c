#include "network.h"

#include <string.h>

/* Seed oracles hard-coded in the SDK's EVM_NET_CONSTANTS (docs/protocol.md §1.3). */
static const char *const mainnet_oracles[] = {
    "0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if", /* r1s-01 */
    "0xai_AzySbyf7ggk1UOWkujAy6GFFmDy2MID8Jz7gqxZaDhy8", /* r1s-02 */
    "0xai_Apkb2i2m8zy8h2H4zAhEnZxgV1sLKAPhjD29B1I_I9z7", /* r1s-03 */
    "0xai_AgNhMIJZkkWdrTjnmrqdOa6hzAXkoXPNV4Zbvbm_piYJ", /* r1s-04 */
    NULL,
};
static const char *const testnet_oracles[] = {
    "0xai_Amfnbt3N-qg2-qGtywZIPQBTVlAnoADVRmSAsdDhlQ-6",
    "0xai_A61eKDV1otIH6uWy3zDlbJNJUWayp1jAsirOuYxztf82",
    NULL,
};
static const char *const devnet_oracles[] = {
    "0xai_AhIQz47-2dpbncDTODXcP7_cByr0_CI9VEB1dCXnbbG7",
    "0xai_AgnygSlY8BwnmaCj6mItg36JHlG_Lh3UqqFaTPbuNzy0",
    NULL,
};

const char *const network_contract_names[R1_CONTRACT_COUNT] = {
    [R1_CONTRACT_READER] = "reader",
    [R1_CONTRACT_ND] = "nd",
    [R1_CONTRACT_MND] = "mnd",
    [R1_CONTRACT_POAI_MANAGER] = "poai_manager",
    [R1_CONTRACT_CONTROLLER] = "controller",
};

#define MAINNET_RPC "https://base-rpc.publicnode.com"
#define SEPOLIA_RPC "https://base-sepolia-testnet.api.pocket.network"

/* Genesis 2025-05-23 16:00:00 UTC = 1748016000; devnet 2026-05-01 16:00:00 UTC = 1777651200
 * with 4-hour epochs since its 2026-05-15 reset (docs/protocol.md §1.2); dAuth URLs §1.1; chains,
 * RPCs and contracts §6.1-§6.2. The mainnet PoAI manager is the address the notes give, which is
 * also testnet's MND: §6.2 flags it as a possible slip, and chain.contracts.poai_manager
 * overrides it. */
static const struct r1_network networks[R1_NET_COUNT] = {
    {R1_NET_MAINNET,
     "mainnet",
     "https://oracle.ratio1.ai",
     "https://explorer.ratio1.ai",
     1748016000,
     86400,
     0.90,
     mainnet_oracles,
     "https://dauth.ratio1.ai/get_auth_data",
     8453,
     MAINNET_RPC,
     {[R1_CONTRACT_READER] = "0xa2fDD4c7E93790Ff68a01f01AA789D619F12c6AC",
      [R1_CONTRACT_ND] = "0xE658DF6dA3FB5d4FBa562F1D5934bd0F9c6bd423",
      [R1_CONTRACT_MND] = "0x0C431e546371C87354714Fcc1a13365391A549E2",
      [R1_CONTRACT_POAI_MANAGER] = "0xa8d7FFCE91a888872A9f5431B4Dd6c0c135055c1",
      [R1_CONTRACT_CONTROLLER] = "0x90dA5FdaA92edDC80FB73114fb7FE7D97f2be017"}},
    {R1_NET_TESTNET,
     "testnet",
     "https://testnet-oracle.ratio1.ai",
     "https://testnet-explorer.ratio1.ai",
     1748016000,
     86400,
     0.60,
     testnet_oracles,
     "https://testnet-dauth.ratio1.ai/get_auth_data",
     84532,
     SEPOLIA_RPC,
     {[R1_CONTRACT_READER] = "0xd1c7Dca934B37FAA402EB2EC64F6644d6957bE3b",
      [R1_CONTRACT_ND] = "0x18E86a5829CA1F02226FA123f30d90dCd7cFd0ED",
      [R1_CONTRACT_MND] = "0xa8d7FFCE91a888872A9f5431B4Dd6c0c135055c1",
      [R1_CONTRACT_POAI_MANAGER] = "0x68f825aA8fD4Af498c2998F4b165F103080574d4",
      [R1_CONTRACT_CONTROLLER] = "0x63BEC1B3004154698830C7736107E7d3cfcbde79"}},
    {R1_NET_DEVNET,
     "devnet",
     "https://devnet-oracle.ratio1.ai",
     "https://devnet-explorer.ratio1.ai",
     1777651200,
     4 * 3600,
     0.60,
     devnet_oracles,
     "https://devnet-dauth.ratio1.ai/get_auth_data",
     84532,
     SEPOLIA_RPC,
     {[R1_CONTRACT_READER] = "0x85D8B51f266b95aA6B5B3bB3909D6d5da9A54908",
      [R1_CONTRACT_ND] = "0xB6b6539e702074902EB796a84443395A686F82d6",
      [R1_CONTRACT_MND] = "0xC53D1163c54139520991F757eaFa605E5fa00786",
      [R1_CONTRACT_POAI_MANAGER] = "0x7e3fda628DfF6C84e7E7cC8cC6F4C032b9fBef88",
      [R1_CONTRACT_CONTROLLER] = "0x9100E251109A9a7086A5499B10A4800583e69792"}},
};

const struct r1_network *network_get(enum r1_net id)
{
    if ((int)id < 0 || id >= R1_NET_COUNT)
        return &networks[R1_NET_MAINNET];
    return &networks[id];
}

const struct r1_network *network_by_name(const char *name)
{
    for (int i = 0; i < R1_NET_COUNT; i++)
        if (name && strcmp(name, networks[i].name) == 0)
            return &networks[i];
    return NULL;
}
