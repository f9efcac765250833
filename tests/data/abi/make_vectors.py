#!/usr/bin/env python3
"""Writes vectors.txt, the fixed ABI vectors of tests/unit/test_abi.c, with the independent
Python encoder tests/sim/abienc.py (not r1top's C codec). Run from anywhere:
    python3 tests/data/abi/make_vectors.py > tests/data/abi/vectors.txt
Each line is "name hex". The values are repeated by hand in test_abi.c, which decodes each hex
and compares, or encodes the values and compares with the hex."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'sim'))
import abienc  # noqa: E402

NODE = '0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69'
OWNER = '0x00000000000000000000000000000000000000ff'
ORACLE = '0xabcdef0123456789abcdef0123456789abcdef01'
ND_ASSIGNED = 1575188843457943924600
LICENCE_TYPES = ('(uint8,uint256,address,address,uint256,uint256,uint256,uint256,address,bool,'
                 'uint256,uint256)')

VECTORS = [
    # getNodePoAIRewards(address) -> (uint256 usdc, uint256 r1)
    ('poai_args', ['address'], [NODE]),
    ('poai_result', ['uint256', 'uint256'], [1234567, 98765432109876543210]),
    # getNodeLicenseDetails(address) -> one static tuple of 12 words
    ('licence_result', [LICENCE_TYPES],
     [(1, 42, OWNER, NODE, ND_ASSIGNED, 1458508188386985115, 180, 1748016000, ORACLE, False,
       1234567, 98765432109876543210)]),
    # calculateRewards on ND and MND
    ('pairs_result', ['(uint256,uint256)[]'], [[(7, 100), (8, 2 ** 100), (9, 0)]]),
    ('quads_result', ['(uint256,uint256,uint256,uint256)[]'], [[(1, 2, 3, 4), (5, 6, 7, 8)]]),
    ('addresses_result', ['address[]'], [[NODE, OWNER]]),
    ('bytes_result', ['bytes'], [bytes(range(1, 34))]),
    ('u256_max', ['uint256'], [2 ** 256 - 1]),
    # calculateRewards(ComputeRewardsParams[]) arguments, bytes of 3 and 33
    ('compute_params_args', ['(uint256,address,uint256,uint256,bytes)[]'],
     [[(42, NODE, 170, 172, bytes([255, 128, 0])),
       (7, OWNER, 1, 33, bytes(range(33)))]]),
    ('compute_params_empty', ['(uint256,address,uint256,uint256,bytes)[]'], [[]]),
    # one licence's claim over epochs 180..184, as test_calc.c builds it from the model
    ('calc_one_args', ['(uint256,address,uint256,uint256,bytes)[]'],
     [[(42, NODE, 180, 184, bytes([255, 128, 0, 255, 17]))]]),
]

for name, types, values in VECTORS:
    print(name, abienc.encode(types, values).hex())
