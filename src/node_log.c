/* node_log: the node's own log file (node_log.h). */
#include "node_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonutil.h"
#include "model.h"
#include "util.h"

#define POINTER_MAX 4096
#define TAIL_MAX (256 * 1024)
/* where the node's cache folder is inside its container (§4.1) */
#define CONTAINER_LC "/edge_node/_local_cache/"

/* Open path for reading, a regular file only. The descriptor, or -1 with err. */
static int open_file(const char *path, struct stat *st, char *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return r1_err(err, "cannot read %.150s: %s", path, strerror(errno));
    if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return r1_err(err, "%.150s is not a regular file", path);
    }
    return fd;
}

/* At most cap bytes at start into a new NUL-terminated buffer; NULL with err. */
static char *read_at(int fd, const char *path, off_t start, size_t cap, size_t *len, char *err)
{
    char *buf = xmalloc(cap + 1);
    ssize_t n = pread(fd, buf, cap, start);
    if (n < 0) {
        free(buf);
        r1_err(err, "cannot read %.150s: %s", path, strerror(errno));
        return NULL;
    }
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static char *read_part(const char *path, size_t cap, size_t *len, char *err)
{
    struct stat st;
    int fd = open_file(path, &st, err);
    if (fd < 0)
        return NULL;
    char *buf = read_at(fd, path, 0, cap, len, err);
    close(fd);
    return buf;
}

int node_log_path(const char *status_dir_url, char *dst, size_t n, char *err)
{
    if (strncmp(status_dir_url, "file://", 7) != 0)
        return r1_err(err, "the node's log file is read only for a node whose files are on this "
                           "host (a file:// status folder)");
    /* <LC>/_data/ -> <LC>/ */
    char lc[R1_URL_MAX];
    r1_strlcpy(lc, status_dir_url + 7, sizeof(lc));
    size_t l = strlen(lc);
    while (l && lc[l - 1] == '/')
        lc[--l] = '\0';
    char *slash = strrchr(lc, '/');
    if (!slash || strcmp(slash, "/_data") != 0)
        return r1_err(err, "the status folder %.120s is not <cache>/_data/", status_dir_url + 7);
    slash[1] = '\0';
    char ptr_path[R1_URL_MAX + 16];
    snprintf(ptr_path, sizeof(ptr_path), "%s_logs/EE.txt", lc);
    size_t len;
    char *text = read_part(ptr_path, POINTER_MAX, &len, err);
    if (!text)
        return -1;
    char perr[R1_ERR_MAX], cur[R1_URL_MAX] = "";
    cJSON *doc = json_parse(text, len, perr);
    free(text);
    bool ok = doc && json_get_str(doc, "CURRENT_LOG", cur, sizeof(cur));
    cJSON_Delete(doc);
    if (!ok)
        return r1_err(err, "%.150s holds no CURRENT_LOG", ptr_path);
    /* only a file inside the node's _logs folder: the pointer is the node's to write, not a
     * way to make r1top read any file */
    const char *rest = strncmp(cur, CONTAINER_LC "_logs/", strlen(CONTAINER_LC "_logs/")) == 0
                           ? cur + strlen(CONTAINER_LC)
                           : NULL;
    if (!rest || strstr(rest, "..") || strchr(rest + 6, '/'))
        return r1_err(err, "%.150s points outside the node's _logs folder", ptr_path);
    snprintf(dst, n, "%s%s", lc, rest);
    return 0;
}

int node_log_read(const char *path, size_t max_lines, struct node_log_pos *pos,
                  struct r1_logbuf *out, char *err)
{
    struct stat st;
    int fd = open_file(path, &st, err);
    if (fd < 0)
        return -1;
    bool fresh = strcmp(pos->path, path) != 0 || pos->ino != (unsigned long long)st.st_ino ||
                 st.st_size < pos->off || st.st_size - pos->off > TAIL_MAX;
    off_t start = fresh ? (st.st_size > TAIL_MAX ? st.st_size - TAIL_MAX : 0) : pos->off;
    size_t len;
    char *text = read_at(fd, path, start, TAIL_MAX, &len, err);
    close(fd);
    if (!text)
        return -1;
    /* whole lines only: one still being written is read when it ends */
    size_t whole = len;
    while (whole && text[whole - 1] != '\n')
        whole--;
    const char *from = text;
    if (fresh) {
        /* the last max_lines lines; a line cut by the start of the read is dropped */
        size_t lines = 0;
        for (size_t i = whole; i > 0; i--)
            if (text[i - 1] == '\n' && i != whole && ++lines >= max_lines) {
                from = text + i;
                break;
            }
        if (from == text && start > 0) {
            const char *nl = memchr(text, '\n', whole);
            from = nl ? nl + 1 : text + whole;
        }
        logbuf_clear(out);
        r1_strlcpy(pos->path, path, sizeof(pos->path));
        pos->ino = (unsigned long long)st.st_ino;
    }
    logbuf_add_text(out, from, whole - (size_t)(from - text), false);
    pos->off = (long long)start + (long long)whole;
    free(text);
    return 0;
}
