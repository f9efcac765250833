/* config_append: adds node entries to the user's config file without rewriting it. The new
 * `- name: ...` entries go right after the last entry of the file's block `nodes:` list, in the
 * indentation that list already uses (or a `nodes:` block is appended at the end); every other
 * byte of the file, comments and blank lines included, stays as it was. A flow-style list
 * (`nodes: [...]`) is refused. The plan is pure (bytes in, bytes out); config_append_file does
 * the careful write. Called by app.c (the w key) and main.c (--import-r1setup --write). */
#ifndef R1_CONFIG_APPEND_H
#define R1_CONFIG_APPEND_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* What changes: new = old[0, cut_from) + old[cut_to, at) + text + old[at, len). Only an
 * empty `nodes: []` or `nodes: ~` is cut (the token and the spaces before it); otherwise
 * cut_from == cut_to and the old file is kept whole around the inserted text. */
struct config_append_edit {
    size_t cut_from, cut_to;
    size_t at;  /* where the new lines go, as a byte offset in the old file */
    char *text; /* the inserted bytes, xmalloc'd; config_append_edit_free */
    size_t text_len;
};

/* Where and what to insert to add nodes[0..n) to the config file buf (name for messages).
 * Refuses (-1, err) a file that does not load (config_load_buffer's message), a flow-style
 * list, a name or address the file already has, and anything whose result would not load back
 * with exactly these nodes appended. 0 and *edit filled on success. */
int config_append_plan(const char *buf, size_t len, const struct r1_node_cfg *nodes, size_t n,
                       const char *name, struct config_append_edit *edit, char *err);
/* The whole new file; xmalloc'd, NUL-terminated, *out_len without the NUL. */
char *config_append_apply(const char *buf, size_t len, const struct config_append_edit *edit,
                          size_t *out_len);
void config_append_edit_free(struct config_append_edit *edit);

#define CONFIG_APPEND_DOCKER_SOCKET "/var/run/docker.sock" /* the docker block's default */

/* The entries as YAML lines: "- " at dash_col, keys at key_col (> dash_col), each line ended by
 * eol. name, then address / eth_address / status when set, and a docker block when container
 * is set (its socket only when not the default). status_url must be in the form the loader
 * keeps (file://, ssh:// or sftp://, ending in '/'), or the plan's check refuses it. Values
 * are quoted when plain YAML would misread them. Returns an xmalloc'd string. */
char *config_append_entries(const struct r1_node_cfg *nodes, size_t n, int dash_col, int key_col,
                            const char *eol);

/* Append nodes to the file at path (a symlink is followed: its target is written). Reads the
 * file, plans, writes the result to a temporary file in the same folder with the file's mode,
 * fsyncs it, checks the file has not changed since it was read (bytes, size, mtime) and renames
 * it into place; an insertion at the very end is an O_APPEND write instead. A missing file is
 * created (mode 0600, its folder 0700) holding just the nodes. 0, or -1 with err and nothing
 * changed. */
int config_append_file(const char *path, const struct r1_node_cfg *nodes, size_t n, char *err);

/* "2 nodes (gpu-1, gpu-2) to /home/me/.config/r1top/config.yaml": for questions and the log;
 * at most four names, then "and N more". */
void config_append_describe(const struct r1_node_cfg *nodes, size_t n, const char *path, char *dst,
                            size_t dst_size);

/* A node the person typed: "ADDRESS [NAME]", ADDRESS a 0xai_ node address (the key must be a
 * curve point) or an ETH address (0x + 40 hex; mixed case must carry its EIP-55 checksum).
 * Without NAME the name is the address shortened ("0xai_AjcITh..bmty"). 0 and *out filled, or
 * -1 with err saying what an address looks like. */
int config_append_parse_node(const char *text, struct r1_node_cfg *out, char *err);

#endif
