/* allowed: the node's allowed list (`authorized_addrs`, printed by `get_allowed` inside the
 * container: docs/protocol.md §8.2) parsed into entries, and the checks on what a person types
 * before `add_allowed` or `change_alias` is sent. Pure: no I/O. The entries that the protocol
 * manages (the network's oracles, which the node re-adds by itself) are marked here so no
 * screen offers to remove them. Used by actions.c (the exec output), the allowed-list screen,
 * the CLI and the JSON export. */
#ifndef R1_ALLOWED_H
#define R1_ALLOWED_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

#define R1_ALIAS_MAX_LEN 15   /* the node cuts longer aliases (§8.1) */

struct r1_allowed_entry {
    char addr[R1_ADDR_MAX];     /* 0xai_..., as the file has it */
    char alias[R1_NAME_MAX];    /* "" when none; sanitised */
    char eth[R1_ADDR_MAX];      /* the 0x address the node wrote after " # ", "" if none */
    bool valid;                 /* false: a line the node marked INVALID, or one r1top cannot read */
    bool oracle;                /* a known oracle of the network: managed by the protocol */
    bool is_me;                 /* r1top's own identity */
    char text[R1_REASON_MAX];   /* invalid lines: the line and the reason, sanitised */
};

struct r1_allowed {
    struct r1_allowed_entry *v;
    size_t n, cap;
    size_t n_valid;
    double read_at;             /* wall clock of the get_allowed that filled it */
    bool me_known;              /* is_me was decided (r1top has an identity) */
    bool me_listed;             /* r1top's identity is in the list */
};

/* Parse get_allowed's output into out (emptied first). is_oracle(addr, ctx) marks protocol
 * entries (NULL: none marked); me is r1top's own 0xai address or NULL. Lines of comments and
 * blank lines are skipped; "# <line> # INVALID: <reason>" lines become invalid entries, and so
 * does a line whose first word is not a node address. At most 4096 entries are kept. */
void allowed_parse(const char *text, size_t len, bool (*is_oracle)(const char *addr, void *ctx),
                   void *ctx, const char *me, struct r1_allowed *out);
void allowed_free(struct r1_allowed *a);

/* Input checks, before anything is sent to a node. 0, or -1 with err in words. */
int allowed_check_address(const char *addr, char *err);   /* a 0xai_ node address (a curve point) */
int allowed_check_alias(const char *alias, char *err);    /* 1..15 of [A-Za-z0-9_.-] */

#endif
