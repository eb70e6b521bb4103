/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * protocol.c: the guest agent's requests and replies, with json-glib.
 */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "agent/protocol.h"
#include "util/error.h"

/* N's object, or NULL when N is something else. */
static JsonObject *as_object(JsonNode *n)
{
    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* {"execute": COMMAND, "arguments": ARGS} (ARGS taken over; NULL: none). */
static char *request(const char *command, JsonNode *args)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "execute");
    json_builder_add_string_value(b, command);
    if (args) {
        json_builder_set_member_name(b, "arguments");
        json_builder_add_value(b, args);
    }
    json_builder_end_object(b);
    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    return json_generator_to_data(gen, NULL);
}

/* A builder already inside the arguments' object. */
static JsonBuilder *args_begin(void)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_object(b);
    return b;
}

static JsonNode *args_end(JsonBuilder *b)
{
    JsonNode *n;

    json_builder_end_object(b);
    n = json_builder_get_root(b);
    g_object_unref(b);
    return n;
}

static void add_int(JsonBuilder *b, const char *name, long long v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, v);
}

static void add_base64(JsonBuilder *b, const char *name, const void *data, size_t len)
{
    g_autofree char *enc = g_base64_encode(data, len);

    json_builder_set_member_name(b, name);
    json_builder_add_string_value(b, enc);
}

static void add_strv(JsonBuilder *b, const char *name, const char *const *v)
{
    json_builder_set_member_name(b, name);
    json_builder_begin_array(b);
    for (; *v; v++)
        json_builder_add_string_value(b, *v);
    json_builder_end_array(b);
}

char *agent_req_ping(void)
{
    return request("guest-ping", NULL);
}

char *agent_req_exec(const char *const *argv, const char *const *env, const void *input,
                     size_t input_len)
{
    JsonBuilder *b = args_begin();

    json_builder_set_member_name(b, "path");
    json_builder_add_string_value(b, argv[0]);
    add_strv(b, "arg", argv + 1);
    if (env)
        add_strv(b, "env", env);
    if (input)
        add_base64(b, "input-data", input, input_len);
    json_builder_set_member_name(b, "capture-output");
    json_builder_add_boolean_value(b, TRUE);
    return request("guest-exec", args_end(b));
}

char *agent_req_exec_status(long long pid)
{
    JsonBuilder *b = args_begin();

    add_int(b, "pid", pid);
    return request("guest-exec-status", args_end(b));
}

char *agent_req_file_open(const char *path, const char *mode)
{
    JsonBuilder *b = args_begin();

    json_builder_set_member_name(b, "path");
    json_builder_add_string_value(b, path);
    json_builder_set_member_name(b, "mode");
    json_builder_add_string_value(b, mode);
    return request("guest-file-open", args_end(b));
}

char *agent_req_file_write(long long handle, const void *data, size_t len)
{
    JsonBuilder *b = args_begin();

    add_int(b, "handle", handle);
    add_base64(b, "buf-b64", data, len);
    add_int(b, "count", (long long)len);
    return request("guest-file-write", args_end(b));
}

char *agent_req_file_read(long long handle, size_t count)
{
    JsonBuilder *b = args_begin();

    add_int(b, "handle", handle);
    add_int(b, "count", (long long)count);
    return request("guest-file-read", args_end(b));
}

char *agent_req_file_close(long long handle)
{
    JsonBuilder *b = args_begin();

    add_int(b, "handle", handle);
    return request("guest-file-close", args_end(b));
}

char *agent_req_set_time(long long ns)
{
    JsonBuilder *b = args_begin();

    add_int(b, "time", ns);
    return request("guest-set-time", args_end(b));
}

/* Text that comes from the guest (the agent's descriptions, and json-glib's
 * parse errors, which quote the reply), made fit for a one-line message:
 * escaped as C does (a newline becomes \n; quotes and UTF-8 kept) and
 * bounded. Free with g_free(). */
#define GUEST_TEXT_MAX 200
static char *guest_text(const char *text)
{
    char keep[130] = "\"";
    char *escaped;
    int i;

    for (i = 0x80; i <= 0xff; i++)
        keep[i - 0x80 + 1] = (char)i;
    escaped = g_strescape(text, keep);
    if (strlen(escaped) > GUEST_TEXT_MAX)
        strcpy(escaped + GUEST_TEXT_MAX - 3, "...");
    return escaped;
}

/* The parsed reply and its "return" member, or CB_EIO / CB_ELIBVIRT. */
static int reply_return(JsonParser **parser, JsonNode **ret, const char *reply, const char *what)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *text = NULL;
    JsonParser *p = json_parser_new();
    JsonObject *root;
    JsonNode *node, *e, *desc;
    int rc;

    *parser = NULL;
    if (!reply || !json_parser_load_from_data(p, reply, -1, &gerr)) {
        text = guest_text(gerr ? gerr->message : "no reply");
        rc = err_set(CB_EIO, "the guest agent's reply to %s is not JSON: %s", what, text);
        g_object_unref(p);
        return rc;
    }
    node = json_parser_get_root(p);
    root = as_object(node);
    if (root && (e = json_object_get_member(root, "error"))) {
        desc = as_object(e) ? json_object_get_member(as_object(e), "desc") : NULL;
        text = guest_text(desc && JSON_NODE_HOLDS_VALUE(desc) &&
                                  json_node_get_value_type(desc) == G_TYPE_STRING
                              ? json_node_get_string(desc) : "no description");
        rc = err_set(CB_ELIBVIRT, "the guest agent failed %s: %s", what, text);
        g_object_unref(p);
        return rc;
    }
    if (!root || !json_object_has_member(root, "return")) {
        g_object_unref(p);
        return err_set(CB_EIO, "the guest agent's reply to %s has no \"return\" member", what);
    }
    *parser = p;
    *ret = json_object_get_member(root, "return");
    return 0;
}

/* OBJ's MEMBER as an integer; false when absent or not one. */
static bool get_int(JsonObject *obj, const char *member, long long *out)
{
    JsonNode *n = obj ? json_object_get_member(obj, member) : NULL;

    if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
        return false;
    *out = json_node_get_int(n);
    return true;
}

/* The same, required: CB_EIO naming it when absent. */
static int need_int(JsonObject *obj, const char *member, const char *what, long long *out)
{
    *out = 0; /* defined on failure too (gcc -O3 cannot see that callers test rc) */
    if (get_int(obj, member, out))
        return 0;
    return err_set(CB_EIO, "the guest agent's reply to %s has no integer \"%s\"", what, member);
}

static bool get_bool(JsonObject *obj, const char *member)
{
    JsonNode *n = json_object_get_member(obj, member);

    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_BOOLEAN &&
           json_node_get_boolean(n);
}

/* OBJ's base64 MEMBER decoded (NULL, 0 when absent); CB_EIO when it is
 * not a string. */
static int get_base64(JsonObject *obj, const char *member, const char *what, guchar **data,
                      size_t *len)
{
    JsonNode *n = json_object_get_member(obj, member);
    gsize glen = 0;

    *data = NULL;
    *len = 0;
    if (!n)
        return 0;
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
        return err_set(CB_EIO, "the guest agent's reply to %s: \"%s\" is not a string", what,
                       member);
    *data = g_base64_decode(json_node_get_string(n), &glen);
    *len = glen;
    return 0;
}

int agent_reply_int(long long *out, const char *reply, const char *what, const char *member)
{
    JsonParser *p;
    JsonNode *ret;
    int rc;

    if ((rc = reply_return(&p, &ret, reply, what)) < 0)
        return rc;
    if (member) {
        rc = need_int(as_object(ret), member, what, out);
    } else if (JSON_NODE_HOLDS_VALUE(ret) && json_node_get_value_type(ret) == G_TYPE_INT64) {
        *out = json_node_get_int(ret);
    } else {
        rc = err_set(CB_EIO, "the guest agent's reply to %s is not an integer", what);
    }
    g_object_unref(p);
    return rc;
}

/* Keeps at most CAP bytes of DATA as a NUL-terminated string. */
static char *capped(guchar *data, size_t *len, size_t cap, bool *truncated)
{
    char *s;

    if (*len > cap) {
        *len = cap;
        *truncated = true;
    }
    s = g_malloc(*len + 1);
    if (*len)
        memcpy(s, data, *len);
    s[*len] = '\0';
    g_free(data);
    return s;
}

int agent_reply_exec_status(struct agent_exec_status *st, const char *reply, size_t cap)
{
    const char *what = "guest-exec-status";
    guchar *out = NULL, *err = NULL;
    long long v;
    JsonParser *p;
    JsonNode *ret;
    JsonObject *obj;
    int rc;

    memset(st, 0, sizeof(*st));
    if ((rc = reply_return(&p, &ret, reply, what)) < 0)
        return rc;
    if (!(obj = as_object(ret))) {
        g_object_unref(p);
        return err_set(CB_EIO, "the guest agent's reply to %s is not an object", what);
    }
    st->exited = get_bool(obj, "exited");
    if (st->exited) {
        st->exitcode = get_int(obj, "exitcode", &v) ? (int)v : -1;
        st->signal = get_int(obj, "signal", &v) ? (int)v : 0;
        if ((rc = get_base64(obj, "out-data", what, &out, &st->out_len)) == 0)
            rc = get_base64(obj, "err-data", what, &err, &st->err_len);
        st->out_truncated = get_bool(obj, "out-truncated");
        st->err_truncated = get_bool(obj, "err-truncated");
        st->out = capped(out, &st->out_len, cap, &st->out_truncated);
        st->err = capped(err, &st->err_len, cap, &st->err_truncated);
    }
    g_object_unref(p);
    if (rc < 0)
        agent_exec_status_clear(st);
    return rc;
}

void agent_exec_status_clear(struct agent_exec_status *st)
{
    g_free(st->out);
    g_free(st->err);
    memset(st, 0, sizeof(*st));
}

int agent_reply_file_read(unsigned char **data, size_t *len, bool *eof, const char *reply)
{
    const char *what = "guest-file-read";
    JsonParser *p;
    JsonNode *ret;
    JsonObject *obj;
    long long count;
    int rc;

    *data = NULL;
    *len = 0;
    if ((rc = reply_return(&p, &ret, reply, what)) < 0)
        return rc;
    obj = as_object(ret);
    rc = need_int(obj, "count", what, &count);
    if (rc == 0 && (rc = get_base64(obj, "buf-b64", what, data, len)) == 0 && *len != (size_t)count)
        rc = err_set(CB_EIO, "the guest agent's reply to %s says %lld bytes but holds %zu", what,
                     count, *len);
    if (rc == 0)
        *eof = get_bool(obj, "eof");
    g_object_unref(p);
    if (rc < 0) {
        g_free(*data);
        *data = NULL;
        *len = 0;
    }
    return rc;
}

int agent_reply_file_write(size_t *written, const char *reply)
{
    const char *what = "guest-file-write";
    JsonParser *p;
    JsonNode *ret;
    long long count;
    int rc;

    if ((rc = reply_return(&p, &ret, reply, what)) < 0)
        return rc;
    if ((rc = need_int(as_object(ret), "count", what, &count)) == 0 && count < 0)
        rc = err_set(CB_EIO, "the guest agent's reply to %s has a negative count", what);
    if (rc == 0)
        *written = (size_t)count;
    g_object_unref(p);
    return rc;
}
