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

/* Genesis 2025-05-23 16:00:00 UTC = 1748016000; devnet 2026-05-01 16:00:00 UTC = 1777651200
 * with 4-hour epochs since its 2026-05-15 reset (docs/protocol.md §1.2); dAuth URLs §1.1. */
static const struct r1_network networks[R1_NET_COUNT] = {
    {R1_NET_MAINNET, "mainnet", "https://oracle.ratio1.ai", "https://explorer.ratio1.ai",
     1748016000, 86400, 0.90, mainnet_oracles, "https://dauth.ratio1.ai/get_auth_data"},
    {R1_NET_TESTNET, "testnet", "https://testnet-oracle.ratio1.ai",
     "https://testnet-explorer.ratio1.ai", 1748016000, 86400, 0.60, testnet_oracles,
     "https://testnet-dauth.ratio1.ai/get_auth_data"},
    {R1_NET_DEVNET, "devnet", "https://devnet-oracle.ratio1.ai", "https://devnet-explorer.ratio1.ai",
     1777651200, 4 * 3600, 0.60, devnet_oracles, "https://devnet-dauth.ratio1.ai/get_auth_data"},
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
