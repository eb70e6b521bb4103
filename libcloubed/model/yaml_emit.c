/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml_emit.c: YAML text through libyaml's emitter, event by event.
 */
#include <string.h>

#include "model/yaml_emit.h"
#include "util/error.h"
#include "util/util.h"

struct yemit {
    yaml_emitter_t e;
    GString *out;
    bool failed;
};

static int write_cb(void *data, unsigned char *buf, size_t len)
{
    g_string_append_len(((struct yemit *)data)->out, (const char *)buf, (gssize)len);
    return 1;
}

static void emit(struct yemit *y, yaml_event_t *ev)
{
    if (y->failed || !yaml_emitter_emit(&y->e, ev))
        y->failed = true;
}

struct yemit *yemit_new(void)
{
    struct yemit *y = g_new0(struct yemit, 1);
    yaml_event_t ev;

    y->out = g_string_new(NULL);
    yaml_emitter_initialize(&y->e);
    yaml_emitter_set_output(&y->e, write_cb, y);
    yaml_emitter_set_unicode(&y->e, 1);
    yaml_emitter_set_width(&y->e, -1); /* no folding of long lines (keys, commands) */
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(y, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    emit(y, &ev);
    return y;
}

static void scalar(struct yemit *y, const char *text, size_t len, yaml_scalar_style_t style)
{
    yaml_event_t ev;

    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)len, 1, 1,
                                      style))
        y->failed = true;
    else
        emit(y, &ev);
}

void yemit_scalar(struct yemit *y, const char *text, bool plain)
{
    scalar(y, text, strlen(text), plain ? YAML_ANY_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE);
}

void yemit_pair(struct yemit *y, const char *key, const char *value)
{
    yemit_scalar(y, key, true);
    yemit_scalar(y, value, false);
}

void yemit_map_start(struct yemit *y)
{
    yaml_event_t ev;

    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    emit(y, &ev);
}

void yemit_map_end(struct yemit *y)
{
    yaml_event_t ev;

    yaml_mapping_end_event_initialize(&ev);
    emit(y, &ev);
}

void yemit_seq_start(struct yemit *y, bool flow)
{
    yaml_event_t ev;

    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE
                                                                   : YAML_BLOCK_SEQUENCE_STYLE);
    emit(y, &ev);
}

void yemit_seq_end(struct yemit *y)
{
    yaml_event_t ev;

    yaml_sequence_end_event_initialize(&ev);
    emit(y, &ev);
}

void yemit_node(struct yemit *y, ydoc *doc, const ynode *node)
{
    size_t i;

    switch (node->type) {
    case YAML_SCALAR_NODE:
        /* Its own style: a plain `true` stays a boolean for cloud-init,
         * a quoted "true" a string. */
        scalar(y, node->data.scalar.value, node->data.scalar.length,
               node->style == YAML_PLAIN_SCALAR_STYLE ? YAML_ANY_SCALAR_STYLE
                                                      : (yaml_scalar_style_t)node->style);
        break;
    case YAML_SEQUENCE_NODE:
        yemit_seq_start(y, false);
        for (i = 0; i < yseq_len(node); i++)
            yemit_node(y, doc, yseq_at(doc, node, i));
        yemit_seq_end(y);
        break;
    case YAML_MAPPING_NODE:
        yemit_map_start(y);
        for (i = 0; i < ymap_len(node); i++) {
            const yaml_node_pair_t *p = ymap_pair(doc, node, i);
            yemit_node(y, doc, ydoc_node(doc, p->key));
            yemit_node(y, doc, ydoc_node(doc, p->value));
        }
        yemit_map_end(y);
        break;
    default:
        y->failed = true;
    }
}

char *yemit_finish(struct yemit *y)
{
    yaml_event_t ev;
    char *text = NULL;

    yaml_document_end_event_initialize(&ev, 1);
    emit(y, &ev);
    yaml_stream_end_event_initialize(&ev);
    emit(y, &ev);
    if (!y->failed)
        yaml_emitter_flush(&y->e);
    yaml_emitter_delete(&y->e);
    if (y->failed) {
        g_string_free(y->out, TRUE);
        err_set(CB_EINVAL, "cannot write YAML: the emitter refused an event");
    } else {
        text = gstring_steal(y->out);
    }
    g_free(y);
    return text;
}
