/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * http_server.c: the installer HTTP server: what the testbed says is served
 * (http_paths.c), read-only (GET and HEAD), for iPXE scripts, kernels and
 * preseed files.
 *
 * Files are opened with openat2(RESOLVE_BENEATH) from the served root the
 * request maps to: the kernel itself refuses "..", absolute paths and
 * symbolic links that lead out of it, however they are encoded in the URL.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <microhttpd.h>

#include "util/error.h"
#include "serve/http_paths.h"
#include "serve/http_server.h"
#include "util/ipv4.h"
#include "util/util.h"

struct http_server {
    cb_testbed *tb;
    struct MHD_Daemon *daemon;
    int rootfd;           /* the testbed directory */
    struct http_map map;  /* what is served, fixed at start */
    char address[IPV4_STRLEN];
    unsigned port;
    struct http_server *next;
};

static const struct {
    const char *ext;
    const char *type;
} content_types[] = {
    { "html", "text/html; charset=utf-8" }, { "htm", "text/html; charset=utf-8" },
    { "txt", "text/plain; charset=utf-8" }, { "ipxe", "text/plain; charset=utf-8" },
    { "cfg", "text/plain; charset=utf-8" }, { "conf", "text/plain; charset=utf-8" },
    { "ks", "text/plain; charset=utf-8" },  { "preseed", "text/plain; charset=utf-8" },
    { "seed", "text/plain; charset=utf-8" }, { "sh", "text/x-shellscript; charset=utf-8" },
    { "yaml", "application/yaml" },         { "yml", "application/yaml" },
    { "json", "application/json" },         { "xml", "application/xml" },
    { "iso", "application/x-iso9660-image" }, { "gz", "application/gzip" },
    { "xz", "application/x-xz" },           { "tar", "application/x-tar" },
    { "img", "application/octet-stream" },  { "efi", "application/efi" },
};

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    size_t i;

    if (dot && (!slash || dot > slash))
        for (i = 0; i < ARRAY_SIZE(content_types); i++)
            if (strcasecmp(dot + 1, content_types[i].ext) == 0)
                return content_types[i].type;
    return "application/octet-stream";
}

/* O_NONBLOCK: opening a FIFO without a writer would block the request's
 * thread for ever, and MHD_stop_daemon() (cb_testbed_free) waits for it.
 * Whatever is not a regular file is refused after fstat. */
#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

/* Without openat2 (kernels before 5.6, valgrind): resolve, check that the
 * result is still inside ROOT, then open. Weaker (the path could change in
 * between), so only a fallback. */
static int open_beneath_fallback(const char *root, const char *path)
{
    char *joined = str_printf("%s/%s", root, path), *real = joined ? realpath(joined, NULL) : NULL;
    size_t n = strlen(root);
    int fd = -1, e = ENOENT;

    if (real && strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0'))
        fd = open(real, OPEN_FLAGS), e = errno;
    else if (real)
        e = EXDEV;
    else
        e = errno;
    free(real);
    free(joined);
    errno = e;
    return fd;
}

static int openat2_beneath(int dirfd, const char *path, int flags)
{
    struct open_how how = {
        .flags = (unsigned)flags,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* Opens REL beneath served root ROOT: a template output as the exact file
 * (not through a final symbolic link), a directory's file beneath that
 * directory. */
static int open_served(const struct http_server *s, size_t root, const char *rel)
{
    const struct http_root *r = &s->map.roots[root];
    int dfd, fd, e;

    if (r->is_file) {
        fd = openat2_beneath(s->rootfd, rel, OPEN_FLAGS | O_NOFOLLOW);
        if (fd < 0 && errno == ENOSYS)
            fd = open_beneath_fallback(s->tb->m.dir, rel);
        return fd;
    }
    dfd = openat2_beneath(s->rootfd, *r->prefix ? r->prefix : ".",
                          O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 && errno == ENOSYS) {
        char *dir = str_printf("%s/%s", s->tb->m.dir, r->prefix);
        fd = dir ? open_beneath_fallback(dir, rel) : -1;
        e = errno;
        free(dir);
        errno = e;
        return fd;
    }
    if (dfd < 0)
        return -1;
    fd = openat2_beneath(dfd, rel, OPEN_FLAGS);
    e = errno;
    close(dfd);
    errno = e;
    return fd;
}

/* A copy of TEXT fit for one log line: control characters, non-ASCII
 * bytes, quotes and backslashes as \xHH, so that a URL cannot end the line
 * and forge another, nor pass for the end of the quoted request. */
static char *log_escape(const char *text)
{
    GString *b = g_string_new(NULL);
    const unsigned char *p;

    for (p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
            g_string_append_printf(b, "\\x%02x", *p);
        else
            g_string_append_c(b, (char)*p);
    return gstring_steal(b);
}

/* One access-log line per request. */
static void access_log(const struct http_server *s, const char *client, const char *method,
                       const char *url, unsigned status, long long bytes)
{
    char *m = log_escape(method), *u = log_escape(url);

    tb_log(s->tb, CB_LOG_INFO, "http %s:%u: %s \"%s %s\" %u %lld", s->address, s->port, client,
           m ? m : "?", u ? u : "?", status, bytes);
    free(m);
    free(u);
}

static enum MHD_Result reply(struct http_server *s, struct MHD_Connection *conn, const char *client,
                             const char *method, const char *url, unsigned status, const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
                                                             MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret;

    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    access_log(s, client, method, url, status, (long long)strlen(text));
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    struct http_server *s = cls;
    const union MHD_ConnectionInfo *ci;
    struct MHD_Response *r;
    char client[INET6_ADDRSTRLEN] = "?";
    char *rel = NULL;
    size_t root = 0;
    struct stat st;
    enum MHD_Result ret;
    int fd, rc;

    (void)version;
    (void)upload;
    (void)upload_size;
    if (!*state) { /* first call for this request: headers only */
        *state = s;
        return MHD_YES;
    }
    if ((ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS)) &&
        ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, client,
                  sizeof(client));
    if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
        return reply(s, conn, client, method, url, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    /* What the testbed does not serve is "not found", whether it exists
     * or not: the reply tells nothing about the rest of the directory. */
    if ((rc = http_resolve(&s->map, url, &root, &rel)) < 0)
        return rc == CB_ENOMEM ? MHD_NO
                               : reply(s, conn, client, method, url, MHD_HTTP_NOT_FOUND, "not found\n");
    fd = open_served(s, root, rel);
    free(rel);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return reply(s, conn, client, method, url, MHD_HTTP_NOT_FOUND, "not found\n");
        return reply(s, conn, client, method, url, MHD_HTTP_FORBIDDEN, "forbidden\n");
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return reply(s, conn, client, method, url, MHD_HTTP_FORBIDDEN, "only files are served\n");
    }
    /* The response owns fd from here, and sets Content-Length. */
    if (!(r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd))) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(url));
    ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    access_log(s, client, method, url, MHD_HTTP_OK, (long long)st.st_size);
    return ret;
}

static void server_free(struct http_server *s)
{
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    if (s->rootfd >= 0)
        close(s->rootfd);
    http_map_free(&s->map);
    free(s);
}

int cb_testbed_http_start(cb_testbed *tb, const char *address, unsigned int port,
                          unsigned int flags)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    struct http_server *s;
    int fd = -1, one = 1, rc = 0;

    CHECK_FLAGS(flags, CB_HTTP_ALLOW_WILDCARD);
    if (!tb)
        return ARG_FAIL(tb);
    if (!address)
        return ARG_FAIL(address);
    if ((rc = pid_check(tb->opt.pid)) < 0)
        return rc;
    if (port == 0)
        port = tb->m.http_port;
    if (port > 65535 || inet_pton(AF_INET, address, &sa.sin_addr) != 1)
        return err_set(CB_EINVAL, "cannot serve HTTP on %s:%u: not an IPv4 address and port",
                       address, port);
    /* Every interface of the host, its public ones included: only when
     * asked for in so many words. */
    if (sa.sin_addr.s_addr == htonl(INADDR_ANY) && !(flags & CB_HTTP_ALLOW_WILDCARD))
        return err_set(CB_EINVAL, "cannot serve HTTP on %s:%u: a wildcard address serves every "
                       "interface (pass CB_HTTP_ALLOW_WILDCARD to mean it)", address, port);
    sa.sin_port = htons((uint16_t)port);
    pthread_mutex_lock(&tb->rt.http_lock);
    for (s = tb->rt.http; s; s = s->next)
        if (strcmp(s->address, address) == 0 && s->port == port)
            goto out; /* already serving there */
    if (!(s = calloc(1, sizeof(*s)))) {
        rc = err_oom();
        goto out;
    }
    s->tb = tb;
    s->port = port;
    s->rootfd = -1;
    if ((rc = http_map_build(&tb->m, &s->map)) < 0)
        goto fail;
    snprintf(s->address, sizeof(s->address), "%s", address);
    if ((s->rootfd = open(tb->m.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        rc = err_set(CB_EIO, "cannot serve %s: %s", tb->m.dir, strerror(errno));
        goto fail;
    }
    /* Our own socket: a port in use is then an error with its reason. */
    if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
        rc = err_set(errno == EADDRINUSE ? CB_ECONFLICT : CB_EIO, "cannot serve HTTP on %s:%u: %s%s",
                     address, port, strerror(errno),
                     errno == EADDRNOTAVAIL ? " (no interface has that address yet: create the "
                                              "network first, with cb_network_create or a boot)" : "");
        goto fail;
    }
    s->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL, handle, s,
                                 MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, 4u,
                                 MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
    if (!s->daemon) {
        rc = err_set(CB_ERROR, "cannot serve HTTP on %s:%u: libmicrohttpd did not start", address,
                     port);
        goto fail;
    }
    fd = -1; /* the daemon's now */
    s->next = tb->rt.http;
    tb->rt.http = s;
    tb_log(tb, CB_LOG_INFO, "serving %zu template outputs and directories of %s over HTTP on "
           "http://%s:%u/", s->map.n_roots, tb->m.dir, address, port);
    goto out;
fail:
    if (fd >= 0)
        close(fd);
    server_free(s);
out:
    pthread_mutex_unlock(&tb->rt.http_lock);
    return rc;
}

void http_stop_all(cb_testbed *tb)
{
    struct http_server *s, *next;

    pthread_mutex_lock(&tb->rt.http_lock);
    for (s = tb->rt.http; s; s = next) {
        next = s->next;
        tb_log(tb, CB_LOG_INFO, "stopped serving HTTP on http://%s:%u/", s->address, s->port);
        server_free(s);
    }
    tb->rt.http = NULL;
    pthread_mutex_unlock(&tb->rt.http_lock);
}

int cb_testbed_http_stop(cb_testbed *tb, unsigned int flags)
{
    CHECK_FLAGS(flags, 0);
    if (!tb)
        return ARG_FAIL(tb);
    http_stop_all(tb);
    return 0;
}

int cb_domain_http_start(cb_domain *d, unsigned int flags)
{
    char addr[IPV4_STRLEN];
    size_t i;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    /* The host's side of the domain's first network that has an address. */
    for (i = 0; i < d->netifs.n; i++)
        if (d->netifs.v[i].net->has_ip) {
            ipv4_format(d->netifs.v[i].net->ip, addr);
            return cb_testbed_http_start(d->tb, addr, 0, 0);
        }
    return err_set(CB_ENOTFOUND, "HTTP server not launched because no host IP address on "
                                 "networks connected to domain %s", d->name);
}

unsigned int cb_testbed_http_port(const cb_testbed *tb)
{
    return tb ? tb->m.http_port : 0;
}
