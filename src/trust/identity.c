#include "identity.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#include <openssl/core_names.h>
#else
#include <openssl/ec.h>
#endif

#include "util.h"

int identity_default_path(char *out, size_t out_size, char *err)
{
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || !*home)
        return r1_err(err, "identity: no home directory (HOME is unset); pass --identity FILE");
    if ((size_t)snprintf(out, out_size, "%s/%s", home, IDENTITY_DEFAULT_FILE) >= out_size)
        return r1_err(err, "identity: home directory path is too long");
    return 0;
}

/* An encrypted key would need a prompt; r1top reads only plain keys, like the SDK's
 * default (no PEM password configured). */
static int no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return -1;
}

/* The secret scalar of an EC key on secp256k1, as 32 big-endian bytes. */
static int pkey_secret(EVP_PKEY *pkey, unsigned char seckey[32])
{
    int rc = -1;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    char group[64];
    size_t group_len = 0;
    BIGNUM *bn = NULL;
    if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC &&
        EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &group_len) == 1 &&
        strcmp(group, SN_secp256k1) == 0 &&
        EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &bn) == 1 &&
        BN_bn2binpad(bn, seckey, 32) == 32)
        rc = 0;
    BN_clear_free(bn);
#else
    const EC_KEY *ec = EVP_PKEY_get0_EC_KEY(pkey);
    const BIGNUM *bn = ec ? EC_KEY_get0_private_key(ec) : NULL;
    if (ec && bn && EC_GROUP_get_curve_name(EC_KEY_get0_group(ec)) == NID_secp256k1 &&
        BN_bn2binpad(bn, seckey, 32) == 32)
        rc = 0;
#endif
    return rc;
}

int identity_load(const char *path, unsigned char seckey[32], char *err)
{
    /* O_NONBLOCK (D16): open() on a FIFO with no writer would wait forever; a key is a regular
     * file, anything else is refused below. Symlinks are followed (keys are often linked into
     * ~/.ratio1); the checks apply to the file they lead to. */
    int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return r1_err(err, "identity: cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return r1_err(err, "identity: %s is not a regular file", path);
    }
    /* fstat on the open descriptor, not stat on the name: no window to swap the file.
     * D24: a key another user owns can be read or replaced by them, whatever its mode. */
    if (st.st_uid != geteuid()) {
        close(fd);
        return r1_err(err,
                      "identity: %s belongs to another user (uid %u); a key must be your own "
                      "file (mode 0600)",
                      path, (unsigned)st.st_uid);
    }
    if (st.st_mode & 077) {
        close(fd);
        return r1_err(err,
                      "identity: %s is accessible by other users (mode %04o); run "
                      "'chmod 600 %s' and try again",
                      path, (unsigned)(st.st_mode & 07777), path);
    }
    char *buf = xmalloc(IDENTITY_PEM_MAX);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, IDENTITY_PEM_MAX - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            OPENSSL_cleanse(buf, IDENTITY_PEM_MAX);
            free(buf);
            return r1_err(err, "identity: cannot read %s: %s", path, strerror(e));
        }
        if (r == 0 || (n += (size_t)r) == IDENTITY_PEM_MAX)
            break;
    }
    close(fd);
    int rc = -1;
    if (n == IDENTITY_PEM_MAX) {
        r1_err(err, "identity: %s is larger than %d bytes: not a key file", path, IDENTITY_PEM_MAX);
        goto done;
    }
    BIO *bio = BIO_new_mem_buf(buf, (int)n);
    EVP_PKEY *pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL) : NULL;
    BIO_free(bio);
    if (!pkey) {
        buf[n] = '\0'; /* n < IDENTITY_PEM_MAX here */
        if (strstr(buf, "ENCRYPTED"))
            r1_err(err,
                   "identity: %s is password-protected; r1top reads unencrypted keys "
                   "only",
                   path);
        else
            r1_err(err, "identity: %s holds no PEM private key ('BEGIN PRIVATE KEY')", path);
        goto done;
    }
    rc = pkey_secret(pkey, seckey);
    EVP_PKEY_free(pkey);
    if (rc != 0) {
        r1_err(err, "identity: %s is not a secp256k1 EC key (Ratio1 keys are)", path);
        goto done;
    }
    unsigned char pub[ETH_PUBKEY_LEN];
    if (eth_pubkey_from_seckey(seckey, pub) != 0) {
        OPENSSL_cleanse(seckey, 32);
        rc = r1_err(err, "identity: %s holds an invalid secp256k1 secret", path);
    }
done:
    OPENSSL_cleanse(buf, IDENTITY_PEM_MAX);
    free(buf);
    return rc;
}

static EVP_PKEY *generate_key(void)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
    if (ctx && EVP_PKEY_keygen_init(ctx) == 1 &&
        EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_secp256k1) == 1 &&
        EVP_PKEY_CTX_set_ec_param_enc(ctx, OPENSSL_EC_NAMED_CURVE) == 1)
        EVP_PKEY_keygen(ctx, &pkey);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Create path for the new key, relative to its folder opened once, so the folder checked is
 * the folder written (D24): in a folder other users may write to and that is not sticky, they
 * could rename the key away and read or replace it. A folder shared with one's own group only
 * (user-private groups) is fine. Returns the fd, -1 with errno set (open failed), or -2 with
 * err set (the folder is refused). */
static int keygen_create(const char *path, char *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!slash)
        r1_strlcpy(dir, ".", sizeof(dir));
    else if (slash == path)
        r1_strlcpy(dir, "/", sizeof(dir));
    else if ((size_t)(slash - path) < sizeof(dir))
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    else
        return r1_err(err, "keygen: %s: path too long", path) - 1;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    struct stat st;
    if (fstat(dfd, &st) != 0) {
        int e = errno;
        close(dfd);
        errno = e;
        return -1;
    }
    bool others = (st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != getegid());
    if (others && !(st.st_mode & S_ISVTX)) {
        close(dfd);
        return r1_err(err,
                      "keygen: %s can be written by other users (mode %04o), who could replace "
                      "the key; choose a private folder (chmod 700) such as ~/.ratio1",
                      dir, (unsigned)(st.st_mode & 07777)) - 1;
    }
    int fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int e = errno;
    close(dfd);
    errno = e;
    return fd;
}

int identity_keygen(const char *path, unsigned char seckey[32], char *err)
{
    EVP_PKEY *pkey = generate_key();
    if (!pkey)
        return r1_err(err, "keygen: OpenSSL could not generate a secp256k1 key");
    /* PKCS#8, unencrypted: what the SDK's _sk_to_text() writes and loads */
    BIO *bio = BIO_new(BIO_s_mem());
    char *pem = NULL;
    long pem_len = 0;
    int rc = -1;
    if (!bio || PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL) != 1 ||
        (pem_len = BIO_get_mem_data(bio, &pem)) <= 0 || pkey_secret(pkey, seckey) != 0) {
        r1_err(err, "keygen: OpenSSL could not encode the key");
        goto done;
    }
    int fd = keygen_create(path, err);
    if (fd == -2)
        goto done;
    if (fd < 0) {
        if (errno == EEXIST)
            r1_err(err,
                   "keygen: %s already exists; r1top never overwrites a key (move it "
                   "away first if you really mean to replace it)",
                   path);
        else
            r1_err(err, "keygen: cannot create %s: %s", path, strerror(errno));
        goto done;
    }
    /* O_CREAT's mode is cut by the umask only, never widened; fchmod makes it exact */
    if (fchmod(fd, 0600) != 0 || write_all(fd, pem, (size_t)pem_len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(path);
        r1_err(err, "keygen: cannot write %s: %s", path, strerror(e));
        goto done;
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(path);
        r1_err(err, "keygen: cannot write %s: %s", path, strerror(e));
        goto done;
    }
    rc = 0;
done:
    if (pem && pem_len > 0)
        OPENSSL_cleanse(pem, (size_t)pem_len);
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    if (rc != 0)
        OPENSSL_cleanse(seckey, 32);
    return rc;
}

int identity_names(const unsigned char seckey[32], char node_addr[ETH_NODE_ADDR_BUF],
                   char eth_addr[ETH_ADDR_BUF], char *err)
{
    unsigned char pub[ETH_PUBKEY_LEN];
    if (eth_pubkey_from_seckey(seckey, pub) != 0)
        return r1_err(err, "identity: invalid secp256k1 secret");
    eth_node_addr_format(pub, node_addr);
    if (eth_node_addr_to_eth(node_addr, eth_addr) != 0)
        return r1_err(err, "identity: cannot derive the ETH address");
    return 0;
}
