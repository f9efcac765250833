/* dirread: read the *.json files of a local folder for a directory source (the node's pipeline
 * folder) in one bounded pass: every name is counted, the first max_files by name are kept (so
 * a cap always keeps the same files, whatever order readdir gives), each file is read up to a
 * per-file cap, and the pass stops reading once a folder byte budget is spent. It owns no
 * state and never touches curses; the poller's file transport calls it on the UI loop, which
 * is why every limit is small. */
#ifndef R1_DIRREAD_H
#define R1_DIRREAD_H

#include <stddef.h>

#include "sources/source.h"

/* Pipeline files (found-defects D8, D9): a node has a handful; the keys read are tiny. */
#define DIRREAD_MAX_FILES 256                      /* read per pass, the first by name */
#define DIRREAD_MAX_FILE_BYTES (256 * 1024)        /* a bigger file is that file's error */
#define DIRREAD_MAX_PASS_BYTES (8 * 1024 * 1024)   /* the folder's budget per pass */

struct dirread_limits {
    size_t max_files;
    size_t max_file_bytes;
    size_t max_pass_bytes;
};

struct dirread_result {
    struct r1_file *files;   /* owned, sorted by name; body NULL and error set when not read */
    size_t n_files;          /* entries in files: min(n_total, max_files) */
    size_t n_total;          /* *.json names in the folder (hidden ".x.json" ones excluded) */
    size_t n_read;           /* files whose body was read */
};

/* List dir's *.json files and read them within lim (NULL: the DIRREAD_* defaults). Files past
 * max_files get no entry (n_total still counts them); a file over max_file_bytes or not a
 * regular file gets its entry with body NULL and error saying why; files after the pass budget
 * is spent get an entry with error "not read this pass". 0, or -1 with err when the folder
 * cannot be listed. *out is always safe to dirread_free. */
int dirread_json(const char *dir, const struct dirread_limits *lim, struct dirread_result *out,
                 char *err);
void dirread_free(struct dirread_result *r);

#endif
