/* dirread: one bounded pass over a folder's *.json files (dirread.h).
 * The names are kept in a max-heap of max_files entries while readdir streams them, so the
 * kept set is the first max_files by name in any folder size, with memory for max_files names
 * only. Found-defects D8: the old reader cut the folder at 256 in readdir order before sorting,
 * so which pipelines were shown depended on the file system; D9: it read every file whole. */
#include "dirread.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const struct dirread_limits default_limits = {
    DIRREAD_MAX_FILES, DIRREAD_MAX_FILE_BYTES, DIRREAD_MAX_PASS_BYTES,
};

/* "x.json", not hidden ("." files are editors' and rsync's temporaries). */
static bool is_json_name(const char *name)
{
    size_t l = strlen(name);
    return l >= 6 && name[0] != '.' && strcmp(name + l - 5, ".json") == 0 &&
           l < sizeof(((struct r1_file *)0)->name);
}

/* Max-heap of names by strcmp: heap[0] is the largest kept, the one a smaller name evicts. */
struct name_heap {
    char **v;
    size_t n, cap;
};

static void heap_swap(char **a, char **b)
{
    char *t = *a;
    *a = *b;
    *b = t;
}

static void heap_sift_down(struct name_heap *h, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, big = i;
        if (l < h->n && strcmp(h->v[l], h->v[big]) > 0)
            big = l;
        if (r < h->n && strcmp(h->v[r], h->v[big]) > 0)
            big = r;
        if (big == i)
            return;
        heap_swap(&h->v[i], &h->v[big]);
        i = big;
    }
}

static void heap_offer(struct name_heap *h, const char *name)
{
    if (h->cap == 0)
        return;
    if (h->n < h->cap) {
        size_t i = h->n++;
        h->v[i] = xstrdup(name);
        while (i > 0 && strcmp(h->v[(i - 1) / 2], h->v[i]) < 0) {
            heap_swap(&h->v[(i - 1) / 2], &h->v[i]);
            i = (i - 1) / 2;
        }
    } else if (strcmp(name, h->v[0]) < 0) {
        free(h->v[0]);
        h->v[0] = xstrdup(name);
        heap_sift_down(h, 0);
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int dirread_json(const char *dir, const struct dirread_limits *lim, struct dirread_result *out,
                 char *err)
{
    memset(out, 0, sizeof(*out));
    if (!lim)
        lim = &default_limits;
    DIR *d = opendir(dir);
    if (!d)
        return r1_err(err, "cannot list %s: %s", dir, strerror(errno));
    struct name_heap h = {xcalloc(lim->max_files ? lim->max_files : 1, sizeof(char *)), 0,
                          lim->max_files};
    size_t total = 0;
    struct dirent *de;
    for (;;) {
        errno = 0;
        de = readdir(d);
        if (!de)
            break;
        if (!is_json_name(de->d_name))
            continue;
        total++;
        heap_offer(&h, de->d_name);
    }
    int list_errno = errno;
    closedir(d);
    if (list_errno != 0) {
        for (size_t i = 0; i < h.n; i++)
            free(h.v[i]);
        free(h.v);
        return r1_err(err, "cannot list %s: %s", dir, strerror(list_errno));
    }
    qsort(h.v, h.n, sizeof(*h.v), cmp_names);

    out->files = xcalloc(h.n ? h.n : 1, sizeof(*out->files));
    out->n_files = h.n;
    out->n_total = total;
    size_t spent = 0;
    bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
    for (size_t i = 0; i < h.n; i++) {
        struct r1_file *f = &out->files[i];
        r1_strlcpy(f->name, h.v[i], sizeof(f->name));
        free(h.v[i]);
        if (spent >= lim->max_pass_bytes) {
            /* the next pass reads it again from the start of the list: a folder this big is
             * reported ("N of M read"), not read in full on the UI loop */
            char budget[24];
            r1_fmt_bytes(budget, sizeof(budget), (double)lim->max_pass_bytes);
            snprintf(f->error, sizeof(f->error), "%.120s: not read this pass (the folder's %s "
                     "budget was spent on the files before it)", f->name, budget);
            continue;
        }
        char path[R1_URL_MAX + 512];
        snprintf(path, sizeof(path), "%s%s%s", dir, slash ? "" : "/", f->name);
        /* r1_read_file opens non-blocking and refuses anything but a regular file, and reads
         * at most max_file_bytes + 1 of a bigger one before refusing it */
        if (r1_read_file(path, lim->max_file_bytes, &f->body, &f->len, &f->mtime, f->error) < 0) {
            f->body = NULL;
            continue;
        }
        spent += f->len;
        out->n_read++;
    }
    free(h.v);
    return 0;
}

void dirread_free(struct dirread_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_files; i++)
        free(r->files[i].body);
    free(r->files);
    memset(r, 0, sizeof(*r));
}
