/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_agent_protocol.c: the guest agent's JSON protocol without libvirt:
 * the requests as the agent reads them, the replies as it writes them
 * (qemu-ga 7.2's shapes), base64 both ways, the output caps, and replies
 * that are errors or malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include "agent/protocol.h"
#include <cloubed/errors.h>

/* REQ parsed: its "execute" must be COMMAND; returns its "arguments"
 * (NULL when none), valid while *P lives. */
static JsonObject *parse_req(JsonParser **p, const char *req, const char *command)
{
    JsonObject *root;

    *p = json_parser_new();
    assert_true(json_parser_load_from_data(*p, req, -1, NULL));
    root = json_node_get_object(json_parser_get_root(*p));
    assert_string_equal(json_object_get_string_member(root, "execute"), command);
    return json_object_has_member(root, "arguments")
               ? json_object_get_object_member(root, "arguments") : NULL;
}

static void assert_b64(JsonObject *args, const char *member, const void *want, size_t len)
{
    gsize n = 0;
    guchar *got = g_base64_decode(json_object_get_string_member(args, member), &n);

    assert_int_equal(n, len);
    assert_memory_equal(got, want, len);
    g_free(got);
}

static void test_requests(void **state)
{
    static const char *const argv[] = { "/bin/sh", "-c", "echo \"$X\"", NULL };
    static const char *const env[] = { "X=a b", "PATH=/bin", NULL };
    static const unsigned char input[] = { 'i', 0, 0xff, '\n' };
    JsonParser *p;
    JsonObject *a;
    JsonArray *arr;
    char *req;

    (void)state;
    req = agent_req_ping();
    assert_null(parse_req(&p, req, "guest-ping"));
    g_object_unref(p);
    g_free(req);

    req = agent_req_exec(argv, env, input, sizeof(input));
    a = parse_req(&p, req, "guest-exec");
    assert_string_equal(json_object_get_string_member(a, "path"), "/bin/sh");
    arr = json_object_get_array_member(a, "arg");
    assert_int_equal(json_array_get_length(arr), 2);
    assert_string_equal(json_array_get_string_element(arr, 0), "-c");
    assert_string_equal(json_array_get_string_element(arr, 1), "echo \"$X\"");
    arr = json_object_get_array_member(a, "env");
    assert_int_equal(json_array_get_length(arr), 2);
    assert_string_equal(json_array_get_string_element(arr, 0), "X=a b");
    assert_b64(a, "input-data", input, sizeof(input));
    assert_true(json_object_get_boolean_member(a, "capture-output"));
    g_object_unref(p);
    g_free(req);

    /* no env, no input: the members are absent, not empty */
    req = agent_req_exec(argv + 2, NULL, NULL, 0);
    a = parse_req(&p, req, "guest-exec");
    assert_int_equal(json_array_get_length(json_object_get_array_member(a, "arg")), 0);
    assert_false(json_object_has_member(a, "env"));
    assert_false(json_object_has_member(a, "input-data"));
    g_object_unref(p);
    g_free(req);

    req = agent_req_exec_status(4242);
    a = parse_req(&p, req, "guest-exec-status");
    assert_int_equal(json_object_get_int_member(a, "pid"), 4242);
    g_object_unref(p);
    g_free(req);

    req = agent_req_file_open("/tmp/a \"b\"", "w");
    a = parse_req(&p, req, "guest-file-open");
    assert_string_equal(json_object_get_string_member(a, "path"), "/tmp/a \"b\"");
    assert_string_equal(json_object_get_string_member(a, "mode"), "w");
    g_object_unref(p);
    g_free(req);

    req = agent_req_file_write(7, input, sizeof(input));
    a = parse_req(&p, req, "guest-file-write");
    assert_int_equal(json_object_get_int_member(a, "handle"), 7);
    assert_int_equal(json_object_get_int_member(a, "count"), sizeof(input));
    assert_b64(a, "buf-b64", input, sizeof(input));
    g_object_unref(p);
    g_free(req);

    req = agent_req_file_read(7, 1 << 20);
    a = parse_req(&p, req, "guest-file-read");
    assert_int_equal(json_object_get_int_member(a, "count"), 1 << 20);
    g_object_unref(p);
    g_free(req);

    req = agent_req_file_close(7);
    a = parse_req(&p, req, "guest-file-close");
    assert_int_equal(json_object_get_int_member(a, "handle"), 7);
    g_object_unref(p);
    g_free(req);

    /* nanoseconds since the epoch, past 2^53: an exact JSON integer */
    req = agent_req_set_time(1764892800123456789LL);
    a = parse_req(&p, req, "guest-set-time");
    assert_int_equal(json_object_get_int_member(a, "time"), 1764892800123456789LL);
    assert_non_null(strstr(req, "1764892800123456789"));
    g_object_unref(p);
    g_free(req);
}

static void test_reply_int(void **state)
{
    long long v = 0;

    (void)state;
    assert_int_equal(agent_reply_int(&v, "{\"return\":{\"pid\":135}}", "guest-exec", "pid"), 0);
    assert_int_equal(v, 135);
    assert_int_equal(agent_reply_int(&v, "{\"return\": 1000}", "guest-file-open", NULL), 0);
    assert_int_equal(v, 1000);
    /* the wrong shapes */
    assert_int_equal(agent_reply_int(&v, "{\"return\":{}}", "guest-exec", "pid"), CB_EIO);
    assert_non_null(strstr(cb_error_last()->message, "no integer \"pid\""));
    assert_int_equal(agent_reply_int(&v, "{\"return\":\"x\"}", "guest-file-open", NULL), CB_EIO);
    assert_int_equal(agent_reply_int(&v, "{}", "guest-exec", "pid"), CB_EIO);
    assert_non_null(strstr(cb_error_last()->message, "no \"return\""));
    assert_int_equal(agent_reply_int(&v, "{\"return\":", "guest-exec", "pid"), CB_EIO);
    assert_non_null(strstr(cb_error_last()->message, "reply to guest-exec is not JSON"));
    assert_int_equal(agent_reply_int(&v, NULL, "guest-exec", "pid"), CB_EIO);
    /* an error reply keeps the agent's description */
    assert_int_equal(agent_reply_int(&v, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                                         "\"open failed: No such file\"}}",
                                     "guest-file-open", NULL), CB_ELIBVIRT);
    assert_string_equal(cb_error_last()->message,
                        "the guest agent failed guest-file-open: open failed: No such file");
    /* what the guest says stays one line (fuzz-agent-reply found a newline
     * quoted by json-glib's parse error), UTF-8 kept */
    assert_int_equal(agent_reply_int(&v, "{\"error\":{\"desc\":\"two\\nlines \u201cq\u201d\"}}",
                                     "guest-exec", "pid"), CB_ELIBVIRT);
    assert_string_equal(cb_error_last()->message,
                        "the guest agent failed guest-exec: two\\nlines \u201cq\u201d");
    assert_int_equal(agent_reply_int(&v, "{\"return\":{\"a\n\":1}}", "guest-exec", "pid"),
                     CB_EIO);
    assert_null(strchr(cb_error_last()->message, '\n'));
    assert_int_equal(agent_reply_int(&v, "{\"error\":[1]}", "guest-exec", "pid"), CB_ELIBVIRT);
    assert_string_equal(cb_error_last()->message,
                        "the guest agent failed guest-exec: no description");
}

static void test_reply_exec_status(void **state)
{
    struct agent_exec_status st;

    (void)state;
    /* running: nothing else */
    assert_int_equal(agent_reply_exec_status(&st, "{\"return\":{\"exited\":false}}", 100), 0);
    assert_false(st.exited);
    assert_null(st.out);
    agent_exec_status_clear(&st);

    /* exited: "out\n" and "err\n", base64 */
    assert_int_equal(agent_reply_exec_status(&st, "{\"return\":{\"exitcode\":3,\"exited\":true,"
                                                  "\"out-data\":\"b3V0Cg==\","
                                                  "\"err-data\":\"ZXJyCg==\"}}", 100), 0);
    assert_true(st.exited);
    assert_int_equal(st.exitcode, 3);
    assert_int_equal(st.signal, 0);
    assert_string_equal(st.out, "out\n");
    assert_int_equal(st.out_len, 4);
    assert_string_equal(st.err, "err\n");
    assert_false(st.out_truncated || st.err_truncated);
    agent_exec_status_clear(&st);

    /* no output at all: empty strings, not NULL */
    assert_int_equal(agent_reply_exec_status(&st, "{\"return\":{\"exitcode\":0,\"exited\":true}}",
                                             100), 0);
    assert_string_equal(st.out, "");
    assert_int_equal(st.err_len, 0);
    agent_exec_status_clear(&st);

    /* killed by a signal */
    assert_int_equal(agent_reply_exec_status(&st, "{\"return\":{\"signal\":9,\"exited\":true}}",
                                             100), 0);
    assert_int_equal(st.exitcode, -1);
    assert_int_equal(st.signal, 9);
    agent_exec_status_clear(&st);

    /* the cap: "out\n" cut to 2 bytes; the agent's own truncation flag kept */
    assert_int_equal(agent_reply_exec_status(&st, "{\"return\":{\"exitcode\":0,\"exited\":true,"
                                                  "\"out-data\":\"b3V0Cg==\",\"err-data\":\"ZQ==\","
                                                  "\"err-truncated\":true}}", 2), 0);
    assert_int_equal(st.out_len, 2);
    assert_string_equal(st.out, "ou");
    assert_true(st.out_truncated);
    assert_string_equal(st.err, "e");
    assert_true(st.err_truncated);
    agent_exec_status_clear(&st);

    /* binary output keeps its NUL bytes */
    assert_int_equal(agent_reply_exec_status(&st, "{\"return\":{\"exitcode\":0,\"exited\":true,"
                                                  "\"out-data\":\"YQBi\"}}", 100), 0);
    assert_int_equal(st.out_len, 3);
    assert_memory_equal(st.out, "a\0b", 4);
    agent_exec_status_clear(&st);

    assert_int_equal(agent_reply_exec_status(&st, "{\"return\":[]}", 100), CB_EIO);
    assert_int_equal(agent_reply_exec_status(&st, "{\"return\":{\"exited\":true,\"out-data\":1}}",
                                             100), CB_EIO);
    assert_non_null(strstr(cb_error_last()->message, "\"out-data\" is not a string"));
    assert_null(st.out);
}

static void test_reply_files(void **state)
{
    unsigned char *data = NULL;
    size_t len = 0, written = 0;
    bool eof = false;

    (void)state;
    assert_int_equal(agent_reply_file_read(&data, &len, &eof, "{\"return\":{\"count\":6,"
                                           "\"buf-b64\":\"aGVsbG8K\",\"eof\":false}}"), 0);
    assert_int_equal(len, 6);
    assert_memory_equal(data, "hello\n", 6);
    assert_false(eof);
    g_free(data);
    assert_int_equal(agent_reply_file_read(&data, &len, &eof, "{\"return\":{\"count\":0,"
                                           "\"buf-b64\":\"\",\"eof\":true}}"), 0);
    assert_int_equal(len, 0);
    assert_true(eof);
    g_free(data);
    /* a count that does not match the data */
    assert_int_equal(agent_reply_file_read(&data, &len, &eof, "{\"return\":{\"count\":5,"
                                           "\"buf-b64\":\"aGVsbG8K\",\"eof\":true}}"), CB_EIO);
    assert_null(data);
    assert_int_equal(len, 0);

    assert_int_equal(agent_reply_file_write(&written, "{\"return\":{\"count\":4,\"eof\":false}}"),
                     0);
    assert_int_equal(written, 4);
    assert_int_equal(agent_reply_file_write(&written, "{\"return\":{}}"), CB_EIO);
}

/* Large data survives base64 both ways: a request's chunk, a reply's. */
static void test_base64_round_trip(void **state)
{
    size_t n = (1 << 20) + 3, i, len = 0;
    unsigned char *buf = g_malloc(n), *back = NULL;
    g_autofree char *req = NULL, *enc = NULL, *reply = NULL;
    JsonParser *p;
    bool eof;

    (void)state;
    for (i = 0; i < n; i++)
        buf[i] = (unsigned char)(i * 7 + (i >> 8));
    req = agent_req_file_write(1, buf, n);
    assert_b64(parse_req(&p, req, "guest-file-write"), "buf-b64", buf, n);
    g_object_unref(p);
    enc = g_base64_encode(buf, n);
    reply = g_strdup_printf("{\"return\":{\"count\":%zu,\"buf-b64\":\"%s\",\"eof\":true}}", n, enc);
    assert_int_equal(agent_reply_file_read(&back, &len, &eof, reply), 0);
    assert_int_equal(len, n);
    assert_memory_equal(back, buf, n);
    g_free(back);
    g_free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requests),
        cmocka_unit_test(test_reply_int),
        cmocka_unit_test(test_reply_exec_status),
        cmocka_unit_test(test_reply_files),
        cmocka_unit_test(test_base64_round_trip),
    };
    return cmocka_run_group_tests_name("guest agent protocol", tests, NULL, NULL);
}
