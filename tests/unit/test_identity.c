/* Unit tests for identity.c and the whoami/keygen commands of trust.c: the operator's key in
 * the Ratio1 SDK's PEM format. Key fixtures in tests/data/trust/key_*.pem were written by
 * Python `cryptography` (make_py_signed.py) for one fixed test key, whose addresses the SDK's
 * own derivation gives as TEST_KEY_NODE / TEST_KEY_ETH. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "trust/crypto.h"
#include "trust/identity.h"
#include "trust/trust.h"
#include "util.h"

#define TEST_KEY_HEX "0202e9d3fe18b6a9733ecf7c0b26a24ebd065a15f8c77ec71ea6d26e62d7626f"
#define TEST_KEY_NODE "0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB"
#define TEST_KEY_ETH "0x4882001412da8fbB3A18A971c7a33eb4e71Ea106"

struct tmp {
    char dir[64];
    char path[128];
};

static int setup_tmp(void **state)
{
    struct tmp *t = xcalloc(1, sizeof(*t));
    r1_strlcpy(t->dir, "/tmp/r1top-test-identity-XXXXXX", sizeof(t->dir));
    if (!mkdtemp(t->dir))
        return -1;
    snprintf(t->path, sizeof(t->path), "%s/key.pem", t->dir);
    *state = t;
    return 0;
}

static int teardown_tmp(void **state)
{
    struct tmp *t = *state;
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir); /* our own mkdtemp directory */
    int rc = system(cmd);
    free(t);
    return rc == 0 ? 0 : -1;
}

/* Copy a committed fixture (git keeps it 0644) into the temp dir with the given mode. */
static void copy_fixture(const char *name, const char *dst, mode_t mode)
{
    char src[512], *buf, err[R1_ERR_MAX];
    size_t len;
    double mtime;
    snprintf(src, sizeof(src), "%s/trust/%s", R1_TEST_DATA, name);
    if (r1_read_file(src, 1 << 16, &buf, &len, &mtime, err) != 0)
        fail_msg("%s", err);
    unlink(dst);
    FILE *f = fopen(dst, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
    free(buf);
    assert_int_equal(chmod(dst, mode), 0);
}

static void assert_loads_test_key(const char *path)
{
    unsigned char sk[32], want[32];
    char err[R1_ERR_MAX] = "", node[ETH_NODE_ADDR_BUF], eth[ETH_ADDR_BUF];
    size_t n;
    if (identity_load(path, sk, err) != 0)
        fail_msg("%s", err);
    assert_int_equal(crypto_hex_decode(TEST_KEY_HEX, 64, want, 32, &n), 0);
    assert_memory_equal(sk, want, 32);
    assert_int_equal(identity_names(sk, node, eth, err), 0);
    assert_string_equal(node, TEST_KEY_NODE);
    assert_string_equal(eth, TEST_KEY_ETH);
}

static void test_identity_loads_the_sdk_pkcs8_pem(void **state)
{
    struct tmp *t = *state;
    copy_fixture("key_pkcs8.pem", t->path, 0600);
    assert_loads_test_key(t->path);
}

static void test_identity_loads_a_sec1_ec_private_key(void **state)
{
    struct tmp *t = *state;
    copy_fixture("key_sec1.pem", t->path, 0400);
    assert_loads_test_key(t->path);
}

static void test_identity_refuses_a_0644_key_and_says_chmod_600(void **state)
{
    struct tmp *t = *state;
    static const mode_t modes[] = {0644, 0640, 0604, 0620, 0602, 0660};
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        copy_fixture("key_pkcs8.pem", t->path, modes[i]);
        unsigned char sk[32];
        char err[R1_ERR_MAX] = "";
        assert_int_equal(identity_load(t->path, sk, err), -1);
        assert_non_null(strstr(err, "chmod 600"));
        assert_non_null(strstr(err, t->path));
    }
}

static void test_identity_refuses_encrypted_wrong_curve_and_garbage(void **state)
{
    struct tmp *t = *state;
    unsigned char sk[32];
    char err[R1_ERR_MAX];

    copy_fixture("key_encrypted.pem", t->path, 0600);
    assert_int_equal(identity_load(t->path, sk, err), -1);
    assert_non_null(strstr(err, "password-protected"));

    copy_fixture("key_p256.pem", t->path, 0600); /* a valid key, on P-256 */
    assert_int_equal(identity_load(t->path, sk, err), -1);
    assert_non_null(strstr(err, "not a secp256k1"));

    copy_fixture("py_signed_v2.canon", t->path, 0600); /* not a key at all */
    assert_int_equal(identity_load(t->path, sk, err), -1);
    assert_non_null(strstr(err, "no PEM private key"));

    assert_int_equal(identity_load("/nonexistent/r1top/key.pem", sk, err), -1);
    assert_non_null(strstr(err, "cannot open"));

    assert_int_equal(identity_load(t->dir, sk, err), -1); /* a directory */
}

static void test_identity_keygen_creates_a_0600_pkcs8_that_loads_back(void **state)
{
    struct tmp *t = *state;
    unsigned char sk[32], again[32];
    char err[R1_ERR_MAX] = "";
    mode_t old_umask = umask(0); /* a careless umask must not widen the file */
    int rc = identity_keygen(t->path, sk, err);
    umask(old_umask);
    if (rc != 0)
        fail_msg("%s", err);
    struct stat st;
    assert_int_equal(stat(t->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *buf;
    size_t len;
    double mtime;
    assert_int_equal(r1_read_file(t->path, 1 << 16, &buf, &len, &mtime, err), 0);
    /* PKCS#8, as the SDK writes and reads it, not SEC1 */
    assert_true(strncmp(buf, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
    free(buf);
    assert_int_equal(identity_load(t->path, again, err), 0);
    assert_memory_equal(sk, again, 32);
    /* a second key is different */
    char second[160];
    snprintf(second, sizeof(second), "%s/second.pem", t->dir);
    assert_int_equal(identity_keygen(second, again, err), 0);
    assert_memory_not_equal(sk, again, 32);
}

static void test_identity_keygen_never_overwrites(void **state)
{
    struct tmp *t = *state;
    copy_fixture("key_pkcs8.pem", t->path, 0600);
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    assert_int_equal(identity_keygen(t->path, sk, err), -1);
    assert_non_null(strstr(err, "already exists"));
    assert_loads_test_key(t->path); /* untouched */
    /* nor follows a symlink planted where the key should go */
    char link_path[160];
    snprintf(link_path, sizeof(link_path), "%s/link.pem", t->dir);
    assert_int_equal(symlink("/nonexistent-target", link_path), 0);
    assert_int_equal(identity_keygen(link_path, sk, err), -1);
}

/* D16: `whoami --identity FIFO` blocked forever in open(). A FIFO, a folder or a device is
 * refused at once as not a regular file; the alarm turns a hang back into a failure. */
static void test_D16_identity_fifo_refused(void **state)
{
    struct tmp *t = *state;
    char fifo[160];
    snprintf(fifo, sizeof(fifo), "%s/fifo.pem", t->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    unsigned char sk[32];
    char err[R1_ERR_MAX] = "";
    alarm(5);
    assert_int_equal(identity_load(fifo, sk, err), -1);
    alarm(0);
    char want[R1_ERR_MAX];
    snprintf(want, sizeof(want), "identity: %s is not a regular file", fifo);
    assert_string_equal(err, want);
    /* through whoami, as the defect was found */
    FILE *out = tmpfile();
    alarm(5);
    assert_int_equal(trust_cmd_whoami(fifo, out, err), -1);
    alarm(0);
    fclose(out);
    assert_non_null(strstr(err, "not a regular file"));
    assert_int_equal(identity_load(t->dir, sk, err), -1);
    assert_non_null(strstr(err, "not a regular file"));
    assert_int_equal(identity_load("/dev/null", sk, err), -1);
    assert_non_null(strstr(err, "not a regular file"));
}

/* D24: a key file another user owns was loaded as one's own (only its mode was checked). */
static void test_D24_identity_refuses_key_owned_by_another_user(void **state)
{
    struct tmp *t = *state;
    copy_fixture("key_pkcs8.pem", t->path, 0600);
    unsigned char sk[32];
    char err[R1_ERR_MAX] = "";
    uid_t other = geteuid() == 0 ? 65534 : 0;
    if (geteuid() == 0) {
        assert_int_equal(chown(t->path, other, (gid_t)-1), 0);
    } else {
        /* unprivileged: a root-owned readable file shows the check comes before the PEM */
        r1_strlcpy(t->path, "/etc/passwd", sizeof(t->path));
    }
    assert_int_equal(identity_load(t->path, sk, err), -1);
    char want[R1_ERR_MAX];
    snprintf(want, sizeof(want), "identity: %s belongs to another user (uid %u); a key must be "
             "your own file (mode 0600)", t->path, (unsigned)other);
    assert_string_equal(err, want);
}

/* D24: keygen wrote keys into world-writable folders, where another user can rename the key
 * away and put their own in its place. A sticky folder (/tmp) does not allow that. */
static void test_D24_keygen_refuses_world_writable_folder(void **state)
{
    struct tmp *t = *state;
    unsigned char sk[32];
    char err[R1_ERR_MAX] = "", want[R1_ERR_MAX];
    assert_int_equal(chmod(t->dir, 0777), 0);
    assert_int_equal(identity_keygen(t->path, sk, err), -1);
    snprintf(want, sizeof(want), "keygen: %s can be written by other users (mode 0777), who "
             "could replace the key; choose a private folder (chmod 700) such as ~/.ratio1",
             t->dir);
    assert_string_equal(err, want);
    assert_int_equal(access(t->path, F_OK), -1);   /* nothing was written */
    assert_int_equal(chmod(t->dir, 0773), 0);       /* writable by others, not by the group */
    assert_int_equal(identity_keygen(t->path, sk, err), -1);
    assert_int_equal(chmod(t->dir, 01777), 0);
    if (identity_keygen(t->path, sk, err) != 0)
        fail_msg("%s", err);
    unsigned char back[32];
    assert_int_equal(identity_load(t->path, back, err), 0);
    assert_memory_equal(back, sk, 32);
    assert_int_equal(chmod(t->dir, 0700), 0);
}

static void test_whoami_prints_the_node_and_eth_address(void **state)
{
    struct tmp *t = *state;
    copy_fixture("key_pkcs8.pem", t->path, 0600);
    char *out_buf = NULL, err[R1_ERR_MAX];
    size_t out_len = 0;
    FILE *out = open_memstream(&out_buf, &out_len);
    assert_int_equal(trust_cmd_whoami(t->path, out, err), 0);
    fclose(out);
    assert_non_null(strstr(out_buf, "node address  " TEST_KEY_NODE "\n"));
    assert_non_null(strstr(out_buf, "eth address   " TEST_KEY_ETH "\n"));
    free(out_buf);

    chmod(t->path, 0644);
    out = open_memstream(&out_buf, &out_len);
    assert_int_equal(trust_cmd_whoami(t->path, out, err), -1);
    fclose(out);
    assert_string_equal(out_buf, "");
    assert_non_null(strstr(err, "chmod 600"));
    free(out_buf);
}

static void test_keygen_default_path_is_under_home_dot_ratio1(void **state)
{
    struct tmp *t = *state;
    char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
    setenv("HOME", t->dir, 1);
    char path[256], err[R1_ERR_MAX], *out_buf = NULL;
    size_t out_len = 0;
    assert_int_equal(identity_default_path(path, sizeof(path), err), 0);
    char want[256];
    snprintf(want, sizeof(want), "%s/.ratio1/_naeural.pem", t->dir);
    assert_string_equal(path, want);

    FILE *out = open_memstream(&out_buf, &out_len);
    int rc = trust_cmd_keygen(NULL, out, err);
    fclose(out);
    if (rc != 0)
        fail_msg("%s", err);
    assert_non_null(strstr(out_buf, want));
    free(out_buf);
    struct stat st;
    snprintf(want, sizeof(want), "%s/.ratio1", t->dir);
    assert_int_equal(stat(want, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    out = open_memstream(&out_buf, &out_len);
    assert_int_equal(trust_cmd_whoami(NULL, out, err), 0); /* default path again */
    fclose(out);
    assert_non_null(strstr(out_buf, "node address  0xai_"));
    free(out_buf);
    /* the second keygen to the same default path is refused */
    out = open_memstream(&out_buf, &out_len);
    assert_int_equal(trust_cmd_keygen(NULL, out, err), -1);
    fclose(out);
    free(out_buf);

    if (old_home) {
        setenv("HOME", old_home, 1);
        free(old_home);
    } else {
        unsetenv("HOME");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity_loads_the_sdk_pkcs8_pem, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_identity_loads_a_sec1_ec_private_key, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_identity_refuses_a_0644_key_and_says_chmod_600,
                                        setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_identity_refuses_encrypted_wrong_curve_and_garbage,
                                        setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_identity_keygen_creates_a_0600_pkcs8_that_loads_back,
                                        setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_identity_keygen_never_overwrites, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_D16_identity_fifo_refused, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_D24_identity_refuses_key_owned_by_another_user,
                                        setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_D24_keygen_refuses_world_writable_folder, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_whoami_prints_the_node_and_eth_address, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_keygen_default_path_is_under_home_dot_ratio1,
                                        setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
