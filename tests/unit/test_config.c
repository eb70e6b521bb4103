/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_config.c: a table of testbed files, valid and invalid. Each invalid
 * one names the message it must produce and the line and column it must
 * point at; each warning case the warning it must log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "test_helpers.h"

struct yaml_case {
    const char *name;
    const char *yaml;
    int code;           /* expected return code */
    const char *text;   /* expected in the error message, or in a warning */
    int line, column;   /* expected position of an error; 0: not checked */
    char *(*gen)(void); /* builds a file too large to write here, instead of yaml */
};

#define OK(n, y) { n, y, 0, NULL, 0, 0, NULL }
#define WARN(n, y, w) { n, y, 0, w, 0, 0, NULL }
#define BAD(n, y, m, l, c) { n, y, CB_ECONFIG, m, l, c, NULL }
#define GEN_OK(n, g) { n, NULL, 0, NULL, 0, 0, g }
#define GEN_BAD(n, g, m, l, c) { n, NULL, CB_ECONFIG, m, l, c, g }

#define T "testbed: tb\n"
#define NETS0 "networks: []\n"
#define DOMS0 "domains: []\n"
/* lines 1-3 */
#define HEAD T NETS0 DOMS0
/* a network "net" 10.0.0.1/24 with DHCP: lines 2-7 */
#define NET                                                                    \
    "networks:\n"                                                              \
    "  - name: net\n"                                                          \
    "    address: 10.0.0.1/24\n"                                               \
    "    dhcp:\n"                                                              \
    "      start: 10.0.0.100\n"                                                \
    "      end: 10.0.0.200\n"
/* the start of a domain "vm": two lines */
#define DOM "domains:\n  - name: vm\n"
/* the rest of a valid domain without netifs: three lines */
#define CPUMEM "    cpu: 1\n    memory: 1\n"
#define NODISK "    disks: []\n"
#define NONIF "    netifs: []\n"

#define TEN(x) "[" x ", " x ", " x ", " x ", " x ", " x ", " x ", " x ", " x ", " x "]"
/* Eight anchors, each merging the previous one ten times: 10^8 mappings. */
#define MERGE_BOMB                                                             \
    "x-0: &a0 {k: 1}\n"                                                        \
    "x-1: &a1 {<<: " TEN("*a0") "}\n"                                          \
    "x-2: &a2 {<<: " TEN("*a1") "}\n"                                          \
    "x-3: &a3 {<<: " TEN("*a2") "}\n"                                          \
    "x-4: &a4 {<<: " TEN("*a3") "}\n"                                          \
    "x-5: &a5 {<<: " TEN("*a4") "}\n"                                          \
    "x-6: &a6 {<<: " TEN("*a5") "}\n"                                          \
    "x-7: &a7 {<<: " TEN("*a6") "}\n"                                          \
    "x-8: &a8 {<<: " TEN("*a7") "}\n"

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
    char *s = malloc(hl + n * ul + tl + 1);

    assert_non_null(s);
    memcpy(s, head, hl);
    for (i = 0; i < n; i++)
        memcpy(s + hl + i * ul, unit, ul);
    memcpy(s + hl + n * ul, tail, tl + 1);
    return s;
}

/* 160 KB of '[': libyaml alone took 33 s on it. */
static char *deep_flow(void)
{
    return repeat(HEAD "x: ", "[", 160000, "\n");
}

/* Block sequences nested by "- " on one line, past the limit. */
static char *deep_block(void)
{
    return repeat(HEAD "x:\n", "- ", 5000, "a\n");
}

/* A 10 MB testbed name: the error quotes 64 characters of it. */
static char *huge_name(void)
{
    return repeat("testbed: ", "a", 10u << 20, " b\n" NETS0 DOMS0);
}

/* 5000 domains merging one anchor: a real testbed stays within the limits. */
static char *many_domains(void)
{
    return repeat(T NET "x-common: &common\n  cpu: 1\n  memory: 1\n  netifs:\n"
                  "    - network: net\n  disks: []\n  templates:\n    vars: {a: 1, b: 2}\n"
                  "domains:\n",
                  "  - <<: *common\n    name: vm@@@@\n", 5000, "");
}

/* many_domains() with unique names: the @@@@ become 0000, 0001... */
static char *many_domains_named(void)
{
    char *s = many_domains(), *p = s;
    unsigned i = 0;

    while ((p = strstr(p, "@@@@"))) {
        char num[5];
        snprintf(num, sizeof(num), "%04u", i++ % 10000);
        memcpy(p, num, 4);
    }
    return s;
}

static const struct yaml_case cases[] = {
    /* --- loading ----------------------------------------------------------------------- */
    BAD("empty file", "", "is not a valid YAML file for Cloubed", 1, 1),
    BAD("scalar document", "<epic>\n  <fail/>\n</epic>\n", "is not a valid YAML file for Cloubed", 1, 1),
    BAD("list document", "- a\n- b\n", "is not a valid YAML file for Cloubed", 1, 1),
    BAD("syntax error", T "networks: [a\n" DOMS0, "may not be valid YAML content", 0, 0),
    BAD("tab indentation", T "networks:\n\t- name: a\n" DOMS0, "may not be valid YAML content", 0, 0),
    BAD("two documents", HEAD "---\ntestbed: other\n", "expected a single document", 5, 1),
    BAD("not UTF-8", "testbed: \xff\xfe\n", "may not be valid YAML content", 0, 0),
    BAD("duplicate top-level key", T "testbed: again\n" NETS0 DOMS0, "key 'testbed' of the top level is given twice", 2, 1),
    BAD("complex key", T NETS0 DOMS0 "? [a, b]\n: c\n", "keys of the top level must be strings", 4, 3),
    /* --- top level --------------------------------------------------------------------- */
    OK("minimal", HEAD),
    BAD("testbed missing", NETS0 DOMS0, "testbed parameter is missing", 1, 1),
    BAD("testbed list", "testbed: [a]\n" NETS0 DOMS0, "format of the testbed parameter is not valid", 1, 10),
    BAD("testbed null", "testbed: ~\n" NETS0 DOMS0, "format of the testbed parameter is not valid", 1, 10),
    BAD("testbed with space", "testbed: my bed\n" NETS0 DOMS0, "testbed name 'my bed' is not valid", 1, 10),
    OK("testbed yes is a string", "testbed: yes\n" NETS0 DOMS0),
    OK("testbed date is a string", "testbed: 2020-10-10\n" NETS0 DOMS0),
    BAD("networks missing", T DOMS0, "networks parameter is missing", 1, 1),
    BAD("networks scalar", T "networks: fail\n" DOMS0, "format of networks parameter is not valid", 2, 11),
    BAD("networks null", T "networks:\n" DOMS0, "format of networks parameter is not valid", 0, 0),
    BAD("domains missing", T NETS0, "domains parameter is missing", 1, 1),
    BAD("domains mapping", T NETS0 "domains: {}\n", "format of domains parameter is not valid", 3, 10),
    OK("http root", HEAD "http: {root: www}\n"),
    OK("http root and port", HEAD "http: {root: www, port: 8080}\n"),
    BAD("http scalar", HEAD "http: www\n", "format of the http section is not valid", 4, 7),
    BAD("http root list", HEAD "http: {root: []}\n", "format of the root parameter of the http section is not valid", 4, 14),
    BAD("http root empty", HEAD "http: {root: ''}\n", "format of the root parameter of the http section is not valid (it is empty)", 4, 14),
    BAD("http root outside", HEAD "http: {root: ../srv}\n", "root ../srv of the http section is outside the testbed directory", 4, 14),
    BAD("http root absolute outside", HEAD "http: {root: /}\n", "root / of the http section is outside the testbed directory", 4, 14),
    BAD("http root state dir", HEAD "http: {root: .cloubed/tb}\n", "root .cloubed/tb of the http section is in the state directory .cloubed", 4, 14),
    BAD("http root in default pool", HEAD "http: {root: pool/x}\n", "root pool/x of the http section is in storage pool pool", 4, 14),
    BAD("http port and http_port", HEAD "http_port: 80\nhttp: {port: 81}\n", "port parameter of the http section and the http_port parameter are both given", 5, 14),
    BAD("http port text", HEAD "http: {port: web}\n", "port parameter of the http section 'web' is not a TCP port", 4, 14),
    WARN("http unknown key", HEAD "http: {roots: www}\n", "unknown key 'roots' in the http section is ignored (did you mean 'root'?)"),
    WARN("unknown top-level key", HEAD "storagepool: []\n", "unknown key 'storagepool' in the top level is ignored (did you mean 'storagepools'?)"),
    WARN("unknown key without hint", HEAD "frobnicate: 1\n", "4:1: unknown key 'frobnicate' in the top level is ignored\n"),
    /* --- storage pools ----------------------------------------------------------------- */
    OK("pools empty list", HEAD "storagepools: []\n"),
    BAD("pools scalar", HEAD "storagepools: fail\n", "format of storagepools parameter is not valid", 4, 15),
    BAD("pools null", HEAD "storagepools:\n", "format of storagepools parameter is not valid", 0, 0),
    BAD("pool item scalar", HEAD "storagepools:\n  - foo\n", "the format of one storage pool object is not valid", 5, 5),
    BAD("pool item null", HEAD "storagepools:\n  -\n", "the format of one storage pool object is not valid", 0, 0),
    BAD("pool without name", HEAD "storagepools:\n  - path: /tmp\n", "one storage pool object does not have a name", 5, 5),
    BAD("pool name list", HEAD "storagepools:\n  - name: [a]\n    path: /tmp\n", "the format of one storage pool object is not valid", 5, 11),
    BAD("pool name with slash", HEAD "storagepools:\n  - name: a/b\n    path: /tmp\n", "name 'a/b' of one storage pool object is not valid", 5, 11),
    OK("pool name 42 is text", HEAD "storagepools:\n  - name: 42\n    path: /tmp\n"),
    BAD("pool path missing", HEAD "storagepools:\n  - name: p\n", "path parameter is missing on storage pool p", 5, 5),
    BAD("pool path empty", HEAD "storagepools:\n  - name: p\n    path: ''\n", "format of the path parameter on storage pool p is not valid (it is empty)", 6, 11),
    BAD("pool path list", HEAD "storagepools:\n  - name: p\n    path: []\n", "format of the path parameter on storage pool p is not valid", 6, 11),
    BAD("pool duplicate", HEAD "storagepools:\n  - name: p\n    path: a\n  - name: p\n    path: b\n", "duplicate storage pool name p (first defined at line 5)", 7, 5),
    WARN("pool unknown key", HEAD "storagepools:\n  - name: p\n    path: a\n    pth: b\n", "unknown key 'pth' in storage pool p is ignored (did you mean 'path'?)"),
    /* --- storage volumes --------------------------------------------------------------- */
    OK("volume in default pool", HEAD "storagevolumes:\n  - name: v\n    size: 1\n"),
    BAD("volumes scalar", HEAD "storagevolumes: 3\n", "format of storagevolumes parameter is not valid", 4, 17),
    BAD("volume item scalar", HEAD "storagevolumes:\n  - v\n", "the format of one storage volume object is not valid", 5, 5),
    BAD("volume size missing", HEAD "storagevolumes:\n  - name: v\n", "size parameter of storage volume v is missing", 5, 5),
    BAD("volume size text", HEAD "storagevolumes:\n  - name: v\n    size: fail\n", "format of size parameter of storage volume v is not valid", 6, 11),
    BAD("volume size float", HEAD "storagevolumes:\n  - name: v\n    size: 10.5\n", "format of size parameter of storage volume v is not valid", 6, 11),
    BAD("volume size zero", HEAD "storagevolumes:\n  - name: v\n    size: 0\n", "size parameter of storage volume v must be a positive number of GiB", 6, 11),
    BAD("volume size negative", HEAD "storagevolumes:\n  - name: v\n    size: -5\n", "must be a positive number of GiB", 6, 11),
    BAD("volume size huge", HEAD "storagevolumes:\n  - name: v\n    size: 99999999999999\n", "size parameter of storage volume v is too large", 6, 11),
    BAD("volume without pool, no pools", HEAD "storagepools: []\nstoragevolumes:\n  - name: v\n    size: 1\n", "storagepool parameter of storage volume v is missing (there is no storage pool)", 6, 5),
    BAD("volume without pool, two pools", HEAD "storagepools:\n  - {name: a, path: a}\n  - {name: b, path: b}\nstoragevolumes:\n  - name: v\n    size: 1\n", "storagepool parameter of storage volume v is missing (there are several storage pools)", 8, 5),
    BAD("volume unknown pool", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    storagepool: nope\n", "storage pool nope not found in configuration", 7, 18),
    BAD("volume pool list", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    storagepool: []\n", "format of storagepool parameter of storage volume v is not valid", 7, 18),
    BAD("volume format vmdk", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    format: vmdk\n", "value of format parameter of storage volume v is not valid", 7, 13),
    BAD("volume format list", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    format: []\n", "format of format parameter of storage volume v is not valid", 7, 13),
    BAD("volume backing unknown", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    backing: nope\n", "storage volume nope not found in configuration (backing of storage volume v)", 7, 14),
    BAD("volume backing null", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    backing:\n", "format of backing parameter of storage volume v is not valid", 0, 0),
    BAD("volume backing itself", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    backing: v\n", "backing chain of storage volume v loops back on itself", 7, 14),
    BAD("volume backing loop", HEAD "storagevolumes:\n  - {name: a, size: 1, backing: b}\n  - {name: b, size: 1, backing: a}\n", "loops back on itself", 5, 33),
    OK("volume mode", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    mode: \"0640\"\n"),
    BAD("volume mode not octal", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    mode: \"0689\"\n", "value of mode parameter of storage volume v is not valid (an octal file mode such as 0600)", 7, 11),
    BAD("volume mode too large", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    mode: 7777\n", "value of mode parameter of storage volume v is not valid", 7, 11),
    BAD("raw volume with backing", HEAD "storagevolumes:\n  - {name: a, size: 1}\n  - {name: b, size: 1, format: raw, backing: a}\n", "storage volume b has a backing volume, which needs format qcow2, not raw", 6, 46),
    BAD("volume duplicate inline", HEAD "storagevolumes:\n  - {name: v, size: 1}\ndomains:\n  - name: vm\n" CPUMEM NONIF "    disks:\n      - {device: vda, name: v, size: 1}\n", "key 'domains' of the top level is given twice", 0, 0),
    BAD("volume duplicate with inline", T NETS0 "storagevolumes:\n  - {name: v, size: 1}\n" DOM CPUMEM NONIF "    disks:\n      - {device: vda, name: v, size: 1}\n", "duplicate storage volume name v (first defined at line 4)", 11, 9),
    /* --- networks ---------------------------------------------------------------------- */
    OK("network with dhcp", T NET DOMS0),
    BAD("network item scalar", T "networks:\n  - net\n" DOMS0, "the format of one network object is not valid", 3, 5),
    BAD("network without name", T "networks:\n  - forward: nat\n" DOMS0, "one network object does not have a name", 3, 5),
    BAD("network duplicate", T "networks:\n  - name: n\n  - name: n\n" DOMS0, "duplicate network name n (first defined at line 3)", 4, 5),
    OK("forward none", T "networks:\n  - name: n\n    forward: none\n" DOMS0),
    BAD("forward upper case", T "networks:\n  - name: n\n    forward: NAT\n" DOMS0, "Forward parameter of network n is not valid", 4, 14),
    BAD("forward null", T "networks:\n  - name: n\n    forward:\n" DOMS0, "Forward parameter format of network n is not valid", 0, 0),
    BAD("bridge with nat", T "networks:\n  - name: n\n    forward: nat\n    bridge: br0\n" DOMS0, "Bridge parameter has no sense on network n with forwarding mode nat", 5, 13),
    BAD("bridge without forward", T "networks:\n  - name: n\n    bridge: br0\n" DOMS0, "Bridge parameter has no sense on network n with forwarding mode None", 4, 13),
    BAD("bridge mode without bridge", T "networks:\n  - name: n\n    forward: bridge\n" DOMS0, "Bridge parameter is missing on network n with bridge forwarding mode", 3, 5),
    BAD("bridge name too long", T "networks:\n  - name: n\n    forward: bridge\n    bridge: a-very-long-bridge0\n" DOMS0, "Bridge parameter of network n is not a valid interface name", 5, 13),
    OK("bridge mode", T "networks:\n  - name: n\n    forward: bridge\n    bridge: br0\n" DOMS0),
    BAD("address in bridge mode", T "networks:\n  - name: n\n    forward: bridge\n    bridge: br0\n    address: 10.0.0.1/24\n" DOMS0, "address parameter has no sense on network n with bridge forwarding mode", 6, 14),
    BAD("address text", T "networks:\n  - name: n\n    address: fail\n" DOMS0, "address parameter on network n is not a valid network address", 4, 14),
    BAD("address prefix 35", T "networks:\n  - name: n\n    address: 192.168.0.1/35\n" DOMS0, "address parameter on network n is not a valid network address", 4, 14),
    BAD("address octet 260", T "networks:\n  - name: n\n    address: 260.0.0.1/24\n" DOMS0, "is not a valid network address", 4, 14),
    BAD("address IPv6", T "networks:\n  - name: n\n    address: fd00::1/64\n" DOMS0, "address parameter on network n is an IPv6 address: IPv6 networks are not supported", 4, 14),
    BAD("address without prefix", T "networks:\n  - name: n\n    address: 10.0.0.1\n" DOMS0, "it needs a prefix length, as in 10.0.0.1/24", 4, 14),
    BAD("address is the network address", T "networks:\n  - name: n\n    address: 10.0.0.0/24\n" DOMS0, "address parameter on network n is the network or broadcast address of 10.0.0.0/24", 4, 14),
    BAD("address /31", T "networks:\n  - name: n\n    address: 10.0.0.1/31\n" DOMS0, "leaves no address for guests", 4, 14),
    OK("address with dotted netmask", T "networks:\n  - name: n\n    address: 10.0.0.1/255.255.255.0\n" DOMS0),
    BAD("address non-contiguous netmask", T "networks:\n  - name: n\n    address: 10.0.0.1/255.0.255.0\n" DOMS0, "is not a valid network address", 4, 14),
    WARN("deprecated ip_host and netmask", T "networks:\n  - name: n\n    ip_host: 10.0.0.1\n    netmask: 255.255.255.0\n" DOMS0, "4:14: ip_host/netmask network parameters are deprecated, please use address parameter instead"),
    BAD("ip_host without netmask", T "networks:\n  - name: n\n    ip_host: 10.0.0.1\n" DOMS0, "ip_host cannot be set without netmask parameter on network n", 4, 14),
    BAD("netmask without ip_host", T "networks:\n  - name: n\n    netmask: 255.255.255.0\n" DOMS0, "netmask cannot be set without ip_host parameter on network n", 4, 14),
    BAD("ip_host text", T "networks:\n  - name: n\n    ip_host: fail\n    netmask: 255.255.255.0\n" DOMS0, "ip_host parameter on network n is not a valid IPv4 address", 4, 14),
    BAD("ip_host 999", T "networks:\n  - name: n\n    ip_host: 999.1.1.1\n    netmask: 255.255.255.0\n" DOMS0, "ip_host parameter on network n is not a valid IPv4 address", 4, 14),
    BAD("netmask text", T "networks:\n  - name: n\n    ip_host: 10.0.0.1\n    netmask: fail\n" DOMS0, "netmask parameter on network n is not a valid IPv4 netmask", 5, 14),
    BAD("ip_host in bridge mode", T "networks:\n  - name: n\n    forward: bridge\n    bridge: br0\n    ip_host: 10.0.0.1\n" DOMS0, "ip_host and netmask parameters have no sense on network n with bridge forwarding mode", 6, 14),
    BAD("dhcp without address", T "networks:\n  - name: n\n    dhcp: {start: 10.0.0.2, end: 10.0.0.3}\n" DOMS0, "dhcp service cannot be set-up on network n without ip_host and netmask", 4, 11),
    BAD("dhcp list", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp: [a]\n" DOMS0, "format of dhcp section of network n is not valid", 5, 11),
    BAD("dhcp null", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp:\n" DOMS0, "format of dhcp section of network n is not valid", 0, 0),
    BAD("dhcp without end", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp:\n      start: 10.0.0.2\n" DOMS0, "end parameter must be defined in dhcp section of network n", 6, 7),
    BAD("dhcp end 42", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp: {start: 10.0.0.2, end: 42}\n" DOMS0, "end parameter in dhcp section of network n is not a valid IPv4 address", 5, 34),
    BAD("dhcp end list", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp: {start: 10.0.0.2, end: []}\n" DOMS0, "end parameter format in dhcp section of network n is not valid", 5, 34),
    BAD("dhcp start outside subnet", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp: {start: 10.0.1.2, end: 10.0.0.9}\n" DOMS0, "start parameter in dhcp section of network n (10.0.1.2) is not a host address of the network 10.0.0.0/24", 5, 19),
    BAD("dhcp end broadcast", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp: {start: 10.0.0.2, end: 10.0.0.255}\n" DOMS0, "end parameter in dhcp section of network n (10.0.0.255) is not a host address", 5, 34),
    BAD("dhcp start after end", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp: {start: 10.0.0.9, end: 10.0.0.2}\n" DOMS0, "dhcp range of network n is empty: start 10.0.0.9 comes after end 10.0.0.2", 5, 11),
    WARN("dhcp unknown key", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    dhcp: {start: 10.0.0.2, end: 10.0.0.9, stop: 10.0.0.9}\n" DOMS0, "unknown key 'stop' in dhcp section of network n is ignored"),
    BAD("domain without dhcp", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    domain: lab\n" DOMS0, "domain parameter cannot be set-up on network n without dhcp", 5, 13),
    BAD("domain list", T NET "    domain: [a]\n" DOMS0, "format of domain parameter of network net is not valid", 8, 13),
    BAD("domain with space", T NET "    domain: my lab\n" DOMS0, "domain parameter of network net is not a valid DNS domain name", 8, 13),
    BAD("pxe without dhcp", T "networks:\n  - name: n\n    address: 10.0.0.1/24\n    pxe: boot.ipxe\n" DOMS0, "pxe service cannot be set-up on network n without dhcp", 5, 10),
    BAD("pxe without file", T NET "    pxe: tftp/\n" DOMS0, "pxe parameter of network net must specify a boot file", 8, 10),
    BAD("pxe list", T NET "    pxe: []\n" DOMS0, "format of pxe parameter of network net is not valid", 8, 10),
    OK("pxe file only", T NET "    pxe: boot.ipxe\n" DOMS0),
    WARN("pxe deprecated mapping", T NET "    pxe:\n      tftp_dir: tftp\n      boot_file: boot.ipxe\n" DOMS0, "pxe parameter format with tftp_dir and boot_file parameters is deprecated"),
    BAD("pxe mapping without boot_file", T NET "    pxe:\n      tftp_dir: tftp\n" DOMS0, "boot_file parameter must be defined in pxe section of network net", 9, 7),
    BAD("pxe mapping empty tftp_dir", T NET "    pxe:\n      tftp_dir: ''\n      boot_file: a\n" DOMS0, "tftp_dir parameter format in pxe section of network net is not valid (it is empty)", 9, 17),
    BAD("networks overlap", T "networks:\n  - name: a\n    address: 10.0.0.1/16\n  - name: b\n    address: 10.0.5.1/24\n" DOMS0, "address 10.0.5.1/24 of network b overlaps address 10.0.0.1/16 of network a", 6, 14),
    WARN("network unknown key", T "networks:\n  - name: n\n    adress: 10.0.0.1/24\n" DOMS0, "4:5: unknown key 'adress' in network n is ignored (did you mean 'address'?)"),
    /* --- domains ----------------------------------------------------------------------- */
    OK("domain minimal", T NETS0 DOM CPUMEM NONIF NODISK),
    BAD("domain item scalar", T NETS0 "domains:\n  - vm\n", "the format of one domain object is not valid", 4, 5),
    BAD("domain without name", T NETS0 "domains:\n  - cpu: 1\n", "one domain object does not have a name", 4, 5),
    BAD("domain duplicate", T NETS0 DOM CPUMEM NONIF NODISK "  - name: vm\n" CPUMEM NONIF NODISK, "duplicate domain name vm (first defined at line 4)", 9, 5),
    OK("domain named on", T NETS0 "domains:\n  - name: on\n" CPUMEM NONIF NODISK),
    BAD("duplicate key in domain", T NETS0 DOM CPUMEM "    cpu: 2\n" NONIF NODISK, "key 'cpu' of domain vm is given twice (first at line 5)", 7, 5),
    WARN("domain unknown key", T NETS0 DOM CPUMEM NONIF NODISK "    grpahics: vnc\n", "unknown key 'grpahics' in domain vm is ignored (did you mean 'graphics'?)"),
    BAD("cpu missing", T NETS0 DOM "    memory: 1\n" NONIF NODISK, "cpu parameter of domain vm is missing", 4, 5),
    BAD("cpu list", T NETS0 DOM "    cpu: []\n    memory: 1\n" NONIF NODISK, "format of cpu parameter of domain vm is not valid", 5, 10),
    BAD("cpu text", T NETS0 DOM "    cpu: fail\n    memory: 1\n" NONIF NODISK, "format of cpu topology of domain vm is not valid", 5, 10),
    BAD("cpu 2x3", T NETS0 DOM "    cpu: 2x3\n    memory: 1\n" NONIF NODISK, "format of cpu topology of domain vm is not valid", 5, 10),
    BAD("cpu 2X2X2", T NETS0 DOM "    cpu: 2X2X2\n    memory: 1\n" NONIF NODISK, "format of cpu topology of domain vm is not valid", 5, 10),
    BAD("cpu 1xfailx3", T NETS0 DOM "    cpu: 1xfailx3\n    memory: 1\n" NONIF NODISK, "format of cpu topology", 5, 10),
    BAD("cpu zero", T NETS0 DOM "    cpu: 0\n    memory: 1\n" NONIF NODISK, "cpu parameter of domain vm must be positive", 5, 10),
    BAD("cpu negative", T NETS0 DOM "    cpu: -2\n    memory: 1\n" NONIF NODISK, "cpu parameter of domain vm must be positive", 5, 10),
    BAD("cpu topology with zero", T NETS0 DOM "    cpu: 1x0x1\n    memory: 1\n" NONIF NODISK, "must be positive", 5, 10),
    BAD("cpu too many", T NETS0 DOM "    cpu: 64x64x2\n    memory: 1\n" NONIF NODISK, "asks for more than 4096 vCPUs", 5, 10),
    OK("cpu S:C:T unquoted", T NETS0 DOM "    cpu: 2:2:1\n    memory: 1\n" NONIF NODISK),
    BAD("memory missing", T NETS0 DOM "    cpu: 1\n" NONIF NODISK, "memory parameter of domain vm is missing", 4, 5),
    BAD("memory quoted number", T NETS0 DOM "    cpu: 1\n    memory: \"512\"\n" NONIF NODISK, "unknown unit for memory '512' of domain vm", 6, 13),
    BAD("memory 1TB", T NETS0 DOM "    cpu: 1\n    memory: 1TB\n" NONIF NODISK, "unknown unit for memory '1TB' of domain vm", 6, 13),
    BAD("memory 1m", T NETS0 DOM "    cpu: 1\n    memory: 1m\n" NONIF NODISK, "unknown unit for memory '1m'", 6, 13),
    BAD("memory b32", T NETS0 DOM "    cpu: 1\n    memory: b32\n" NONIF NODISK, "memory size 'b32' of domain vm is not valid", 6, 13),
    BAD("memory trailing text", T NETS0 DOM "    cpu: 1\n    memory: 512 MB extra\n" NONIF NODISK, "memory size '512 MB extra' of domain vm is not valid", 6, 13),
    BAD("memory 1.5G", T NETS0 DOM "    cpu: 1\n    memory: 1.5G\n" NONIF NODISK, "memory size '1.5G' of domain vm is not valid", 6, 13),
    BAD("memory zero", T NETS0 DOM "    cpu: 1\n    memory: 0\n" NONIF NODISK, "memory of domain vm must be positive", 6, 13),
    BAD("memory null", T NETS0 DOM "    cpu: 1\n    memory:\n" NONIF NODISK, "format of memory parameter of domain vm is not valid", 0, 0),
    OK("memory 512 M", T NETS0 DOM "    cpu: 1\n    memory: 512 M\n" NONIF NODISK),
    BAD("graphics unknown", T NETS0 DOM CPUMEM "    graphics: x11\n" NONIF NODISK, "value x11 of graphics parameter of domain vm is not valid", 7, 15),
    BAD("graphics list", T NETS0 DOM CPUMEM "    graphics: []\n" NONIF NODISK, "format of graphics parameter of domain vm is not valid", 7, 15),
    OK("graphics none", T NETS0 DOM CPUMEM "    graphics: none\n" NONIF NODISK),
    /* netifs */
    BAD("netifs missing", T NETS0 DOM CPUMEM NODISK, "netifs section of domain vm is missing", 4, 5),
    BAD("netifs scalar", T NETS0 DOM CPUMEM "    netifs: eth0\n" NODISK, "format of netifs section of domain vm is not valid", 7, 13),
    BAD("netif item 0", T NETS0 DOM CPUMEM "    netifs: [0]\n" NODISK, "format of netif 0 of domain vm is not valid", 7, 14),
    BAD("netif without network", T NET DOM CPUMEM "    netifs:\n      - ip: 10.0.0.5\n" NODISK, "network of netif 0 of domain vm is missing", 13, 9),
    BAD("netif network list", T NET DOM CPUMEM "    netifs:\n      - network: []\n" NODISK, "format of network of netif 0 of domain vm is not valid", 13, 18),
    BAD("netif unknown network", T NET DOM CPUMEM "    netifs:\n      - network: nope\n" NODISK, "network nope not found in configuration", 13, 18),
    OK("netif with unquoted mac", T NET DOM CPUMEM "    netifs:\n      - network: net\n        mac: 52:54:00:12:34:56\n" NODISK),
    BAD("netif mac text", T NET DOM CPUMEM "    netifs:\n      - network: net\n        mac: fail\n" NODISK, "value of mac parameter of netif 0 of domain vm is not a valid mac address", 14, 14),
    BAD("netif mac list", T NET DOM CPUMEM "    netifs:\n      - network: net\n        mac: []\n" NODISK, "format of mac of netif 0 of domain vm is not valid", 14, 14),
    BAD("netif mac multicast", T NET DOM CPUMEM "    netifs:\n      - network: net\n        mac: 01:00:5e:00:00:01\n" NODISK, "is a multicast address", 14, 14),
    BAD("netif ip text", T NET DOM CPUMEM "    netifs:\n      - network: net\n        ip: fail\n" NODISK, "value of ip of netif 0 of domain vm is not a valid IPv4 address", 14, 13),
    BAD("netif ip IPv6", T NET DOM CPUMEM "    netifs:\n      - network: net\n        ip: fd00::5\n" NODISK, "ip of netif 0 of domain vm is an IPv6 address: IPv6 is not supported", 14, 13),
    BAD("netif ip outside subnet", T NET DOM CPUMEM "    netifs:\n      - network: net\n        ip: 10.1.0.5\n" NODISK, "ip 10.1.0.5 of netif 0 of domain vm is not a host address of network net (10.0.0.0/24)", 14, 13),
    BAD("netif ip is the gateway", T NET DOM CPUMEM "    netifs:\n      - network: net\n        ip: 10.0.0.1\n" NODISK, "ip 10.0.0.1 of netif 0 of domain vm is the host's own address on network net", 14, 13),
    BAD("netif ip given twice", T NET DOM CPUMEM "    netifs:\n      - {network: net, ip: 10.0.0.5}\n" NODISK "  - name: vm2\n" CPUMEM "    netifs:\n      - {network: net, ip: 10.0.0.5}\n" NODISK, "ip 10.0.0.5 of netif 0 of domain vm2 is already given to netif 0 of domain vm", 19, 28),
    BAD("netif mac given twice", T NET DOM CPUMEM "    netifs:\n      - {network: net, mac: '52:54:00:00:00:01'}\n      - {network: net, mac: '52:54:00:00:00:01'}\n" NODISK, "mac 52:54:00:00:00:01 of netif 1 of domain vm is already used by netif 0 of domain vm", 14, 29),
    /* Issue 11: a generated MAC that collides is derived anew, not refused (test_model_scale.c). */
    OK("generated macs collide", T NET DOM CPUMEM "    netifs:\n      - network: net\n      - network: net\n" NODISK),
    OK("netif ip on a network without address", T "networks:\n  - name: n\n" DOM CPUMEM "    netifs:\n      - {network: n, ip: 192.168.1.5}\n" NODISK),
    /* disks */
    BAD("disks missing", T NETS0 DOM CPUMEM NONIF, "disks section of domain vm is missing", 4, 5),
    BAD("disks mapping", T NETS0 DOM CPUMEM NONIF "    disks: {}\n", "format of disks section of domain vm is not valid", 8, 12),
    BAD("disk item null", T NETS0 DOM CPUMEM NONIF "    disks:\n      - ~\n", "format of disk 0 of domain vm is not valid", 9, 9),
    BAD("disk without device", T NETS0 DOM CPUMEM NONIF "    disks:\n      - storage_volume: v\n", "device of disk 0 of domain vm is missing", 9, 9),
    BAD("disk device list", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: [], name: d, size: 1}\n", "format of device of disk 0 of domain vm is not valid", 9, 18),
    BAD("disk device bad name", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: /dev/vda, name: d, size: 1}\n", "device /dev/vda of disk 0 of domain vm is not a valid target device name", 9, 18),
    BAD("disk bus usb", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda, bus: usb, name: d, size: 1}\n", "value usb of bus of disk 0 of domain vm is not valid", 9, 28),
    BAD("disk bus null", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda, bus: ~, name: d, size: 1}\n", "format of bus of disk 0 of domain vm is not valid", 9, 28),
    BAD("disk volume and name", T NETS0 "storagevolumes:\n  - {name: v, size: 1}\n" DOM CPUMEM NONIF "    disks:\n      - {device: vda, storage_volume: v, name: d, size: 1}\n", "storage_volume and name parameters of disk 0 of domain vm are conflicting", 11, 48),
    BAD("disk neither volume nor name", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda}\n", "storage_volume or name parameters of disk 0 of domain vm are missing", 9, 9),
    BAD("disk volume list", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda, storage_volume: []}\n", "format of storage_volume parameter of disk 0 of domain vm is not valid", 9, 39),
    BAD("disk unknown volume", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda, storage_volume: nope}\n", "storage volume nope not found in configuration", 9, 39),
    BAD("disk device twice", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda, name: a, size: 1}\n      - {device: vda, name: b, size: 1}\n", "device vda of disk 1 of domain vm is already used by disk 0", 10, 18),
    BAD("inline volume without size", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda, name: d}\n", "size parameter of storage volume d is missing", 9, 9),
    WARN("inline volume unknown key", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda, name: d, size: 1, type: qcow2}\n", "unknown key 'type' in disk 0 of domain vm is ignored"),
    /* cdrom, virtfs, kernel */
    BAD("cdrom empty", T NETS0 DOM CPUMEM NONIF NODISK "    cdrom: ''\n", "format of cdrom parameter of domain vm is not valid (it is empty)", 9, 12),
    BAD("cdrom list", T NETS0 DOM CPUMEM NONIF NODISK "    cdrom: []\n", "format of cdrom parameter of domain vm is not valid", 9, 12),
    BAD("virtfs mapping", T NETS0 DOM CPUMEM NONIF NODISK "    virtfs: {}\n", "format of virtfs section of domain vm is not valid", 9, 13),
    BAD("virtfs second without source", T NETS0 DOM CPUMEM NONIF NODISK "    virtfs:\n      - source: a\n      - target: b\n", "source of virtfs 1 of domain vm is missing", 11, 9),
    BAD("virtfs source empty", T NETS0 DOM CPUMEM NONIF NODISK "    virtfs:\n      - source: ''\n", "format of source of virtfs 0 of domain vm is not valid (it is empty)", 10, 17),
    BAD("virtfs target list", T NETS0 DOM CPUMEM NONIF NODISK "    virtfs:\n      - {source: a, target: []}\n", "format of target of virtfs 0 of domain vm is not valid", 10, 29),
    BAD("initrd without kernel", T NETS0 DOM CPUMEM NONIF NODISK "    initrd: initrd.img\n", "initrd parameter of domain vm needs a kernel parameter", 9, 13),
    OK("direct kernel boot", T NETS0 DOM CPUMEM NONIF NODISK "    kernel: vmlinuz\n    initrd: initrd.img\n    cmdline: console=ttyS0\n"),
    /* templates */
    BAD("domain templates null", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n", "format of the templates section of domain vm is not valid", 0, 0),
    BAD("domain templates number", T NETS0 DOM CPUMEM NONIF NODISK "    templates: 3\n", "format of the templates section of domain vm is not valid", 9, 16),
    BAD("template files number", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files: 42\n", "format of the files sub-section in the templates section of domain vm templates is not valid", 10, 14),
    BAD("template file without input", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, output: b}\n", "input parameter of a template file of domain vm is missing", 11, 11),
    BAD("template file input list", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: [], output: b}\n", "format of input parameter of a template file of domain vm is not valid", 11, 28),
    BAD("template file duplicate", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: b}\n        - {name: a, input: c, output: d}\n", "duplicate template name a in domain vm (first defined at line 11)", 12, 11),
    BAD("template output outside", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: ../victim.txt}\n", "output ../victim.txt of template a of domain vm is outside the testbed directory (set allow_outside: true on the template to allow it)", 11, 39),
    BAD("template output absolute", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: /etc/passwd}\n", "output /etc/passwd of template a of domain vm is outside the testbed directory", 11, 39),
    BAD("template output dotdot inside then out", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: sub/../../x}\n", "is outside the testbed directory", 11, 39),
    OK("template output dotdot staying inside", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: sub/../x}\n"),
    OK("template output outside allowed", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: /tmp/x, allow_outside: true}\n"),
    BAD("template allow_outside text", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: b, allow_outside: maybe}\n", "value of allow_outside parameter of template file 0 of domain vm must be true or false", 11, 57),
    BAD("template allow_outside quoted", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: b, allow_outside: 'true'}\n", "must be true or false", 11, 57),
    OK("template mode", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: b, mode: '0644'}\n        - {name: c, input: a, output: d, mode: 640}\n"),
    BAD("template mode not octal", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: b, mode: '0648'}\n", "mode '0648' of template file 0 of domain vm is not valid", 11, 48),
    BAD("template mode setuid", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: b, mode: '4755'}\n", "mode '4755' of template file 0 of domain vm is not valid", 11, 48),
    BAD("template mode text", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: b, mode: rw}\n", "mode 'rw' of template file 0 of domain vm is not valid", 11, 48),
    BAD("template mode list", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      files:\n        - {name: a, input: a, output: b, mode: []}\n", "format of mode parameter of template file 0 of domain vm is not valid", 11, 48),
    BAD("domain names collide in variables", T NETS0 DOM CPUMEM NONIF NODISK "  - name: v-m\n" CPUMEM NONIF NODISK, "domain names v-m and vm (line 4) give the same template variables domain.NAME.* (hyphens are dropped): rename one", 9, 5),
    BAD("network names collide in variables", T "networks:\n  - name: a-b\n  - name: ab\n" DOMS0, "network names ab and a-b (line 3) give the same template variables network.NAME.*", 4, 5),
    BAD("volume names collide in variables", HEAD "storagevolumes:\n  - {name: d-1, size: 1}\n  - {name: d1, size: 1}\n", "storage volume names d1 and d-1 (line 5)", 6, 5),
    OK("names differing by more than hyphens", T "networks:\n  - name: a-b\n  - name: a-c\n" DOMS0),
    BAD("template vars list", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      vars: [a]\n", "format of the vars sub-section in the templates section of domain vm templates is not valid", 10, 13),
    BAD("template var list value", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      vars:\n        k: []\n", "format of the value of k template variable of domain vm is not valid", 11, 12),
    OK("template vars text and numbers", T NETS0 DOM CPUMEM NONIF NODISK "    templates:\n      vars:\n        k: 1\n        j: yes\n"),
    BAD("global templates list", HEAD "templates: [a]\n", "format of the templates section is not valid", 4, 12),
    BAD("global template null value", HEAD "templates:\n  k:\n", "format of the value of the global template variable k is not valid", 0, 0),
    OK("global templates", HEAD "templates:\n  k: v\n  n: 3\n"),
    /* YAML features */
    OK("anchors and merge keys", T NETS0 "x-common: &common\n  cpu: 1\n  memory: 1\n  netifs: []\n  disks: []\n"
                                  "domains:\n  - <<: *common\n    name: a\n  - <<: *common\n    name: b\n    cpu: 2\n"),
    OK("flow style", "{testbed: tb, networks: [{name: n, address: 10.1.0.1/16}], domains: []}\n"),
    OK("comments and quoting", "# a comment\ntestbed: 'tb'  # trailing\nnetworks: []\ndomains: []\n"),
    BAD("recursive alias", T NETS0 "domains: &d\n  - *d\n", "the format of one domain object is not valid", 3, 10),
    BAD("merge value scalar", HEAD "x-a: {<<: 3}\n", "the value of a merge key (<<) must be a mapping or a list of mappings", 4, 7),
    BAD("merge value list of scalars", HEAD "x-a: {<<: [{b: 1}, c]}\n", "the value of a merge key (<<) must be a mapping or a list of mappings", 4, 7),
    BAD("merge loop", HEAD "x-a: &a {<<: *a}\n", "merge key (<<) merges a mapping that contains it", 4, 10),
    OK("merge of a containing mapping without merge", HEAD "x-a: &a {b: {<<: *a}}\n"),
    OK("merge precedence", T NETS0 "x-a: &a {cpu: 9, memory: 1}\nx-b: &b {cpu: 2, netifs: []}\n"
                           "domains:\n  - <<: [*b, *a]\n    name: a\n    disks: []\n"),
    BAD("merge key bomb", HEAD MERGE_BOMB, "anchors, aliases and merge keys expand to more than 2000000 nodes, the limit of a testbed file", 10, 36),
    BAD("alias bomb", HEAD "x-0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
                      "x-1: &a1 " TEN("*a0") "\nx-2: &a2 " TEN("*a1") "\nx-3: &a3 " TEN("*a2") "\n"
                      "x-4: &a4 " TEN("*a3") "\nx-5: &a5 " TEN("*a4") "\nx-6: &a6 " TEN("*a5") "\n"
                      "x-7: &a7 " TEN("*a6") "\n", "expand to more than 2000000 nodes", 0, 0),
    GEN_BAD("deep flow nesting", deep_flow, "nesting is deeper than 100 levels, the limit of a testbed file", 4, 103),
    GEN_BAD("deep block nesting", deep_block, "nesting is deeper than 100 levels, the limit of a testbed file", 5, 199),
    GEN_OK("5000 domains merging an anchor", many_domains_named),
    /* numbers are plain digits; quoted values are cut */
    OK("http_port", HEAD "http_port: 8080\n"),
    BAD("http_port with plus sign", HEAD "http_port: \"+80\"\n", "http_port parameter '+80' is not a TCP port (1 to 65535)", 4, 12),
    BAD("http_port with leading space", HEAD "http_port: \" 80\"\n", "http_port parameter ' 80' is not a TCP port", 4, 12),
    BAD("http_port hex", HEAD "http_port: 0x50\n", "http_port parameter '0x50' is not a TCP port", 4, 12),
    BAD("http_port 65536", HEAD "http_port: 65536\n", "http_port parameter '65536' is not a TCP port", 4, 12),
    BAD("volume size with plus sign", HEAD "storagevolumes:\n  - name: v\n    size: \"+5\"\n", "format of size parameter of storage volume v is not valid", 6, 11),
    BAD("cpu with leading space", T NETS0 DOM "    cpu: \" 2\"\n    memory: 1\n" NONIF NODISK, "format of cpu topology of domain vm is not valid", 5, 10),
    BAD("memory hex", T NETS0 DOM "    cpu: 1\n    memory: 0x10 M\n" NONIF NODISK, "memory size '0x10 M' of domain vm is not valid", 6, 13),
    BAD("newline in a quoted value stays on one line", "testbed: \"a\\nb\"\n" NETS0 DOMS0, "testbed name 'a?b' is not valid", 1, 10),
    GEN_BAD("10 MB name is cut in the message", huge_name, "testbed name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u2026' is not valid", 1, 10),
    BAD("long unknown reference is cut", HEAD "storagevolumes:\n  - name: v\n    size: 1\n    storagepool: "
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n",
        "storage pool bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\u2026 not found in configuration", 7, 18),
    BAD("escaped NUL in name", T NETS0 "domains:\n  - name: \"a\\0b\"\n", "the format of one domain object is not valid", 4, 11),
    /* source: image files (fixtures() writes them beside the testbed file) */
    OK("source qcow2, relative to the testbed file", HEAD "storagevolumes:\n  - name: base\n    source: img/disk.qcow2\n  - {name: o, size: 3, backing: base}\n"),
    OK("source raw grown", HEAD "storagevolumes:\n  - name: base\n    source: img/disk.raw\n    size: 4\n"),
    OK("source in an inline disk", T NETS0 DOM CPUMEM NONIF "    disks:\n      - {device: vda, name: d, source: img/disk.qcow2, format: raw}\n"),
    BAD("source missing", HEAD "storagevolumes:\n  - name: base\n    source: img/nope.qcow2\n", "/img/nope.qcow2 of storage volume base cannot be read: No such file or directory", 6, 13),
    BAD("source of an unknown format", HEAD "storagevolumes:\n  - name: base\n    source: img/disk.vmdk\n", "/img/disk.vmdk of storage volume base is a VMDK image: only qcow2 and raw images are imported (convert it with qemu-img first)", 6, 13),
    BAD("source compressed", HEAD "storagevolumes:\n  - name: base\n    size: 1\n    source: img/disk.qcow2.xz\n", "is a xz-compressed image", 7, 13),
    BAD("source empty", HEAD "storagevolumes:\n  - name: base\n    source: img/empty.img\n", "/img/empty.img of storage volume base is an empty file", 6, 13),
    BAD("source a directory", HEAD "storagevolumes:\n  - name: base\n    source: img\n", "/img of storage volume base is not a regular file", 6, 13),
    BAD("source list", HEAD "storagevolumes:\n  - name: base\n    source: []\n", "format of source parameter of storage volume base is not valid", 6, 13),
    BAD("source larger than size", HEAD "storagevolumes:\n  - name: base\n    source: img/disk.qcow2\n    size: 1\n", "size parameter of storage volume base (1 GiB) is smaller than its source", 7, 11),
    BAD("source and backing", HEAD "storagevolumes:\n  - {name: a, size: 1}\n  - name: base\n    source: img/disk.qcow2\n    backing: a\n", "backing and source parameters of storage volume base are conflicting", 8, 14),
    BAD("size still required without source", HEAD "storagevolumes:\n  - name: base\n", "size parameter of storage volume base is missing", 5, 5),
    /* cloudinit: lines 1-8 make a domain vm; the section starts on line 9 */
    OK("cloudinit empty", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit: {}\n"),
    OK("cloudinit everything", T NET DOM CPUMEM "    netifs:\n      - {network: net, ip: 10.0.0.5}\n" NODISK
       "    cloudinit:\n      user_data:\n        users: [{name: bob}]\n        runcmd: [[touch, /mark]]\n"
       "      meta_data: {zone: a}\n      ssh_authorized_keys: [ssh-ed25519 AAAA k@h]\n"
       "      network_config: {version: 2, ethernets: {}}\n      testbed_key: false\n"),
    OK("cloudinit user_data file", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      user_data: img/user.yaml\n"),
    OK("cloudinit user_data script", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      user_data: img/user.sh\n"),
    WARN("cloudinit unknown key", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      userdata: {}\n", "unknown key 'userdata' in the cloudinit section of domain vm is ignored (did you mean 'user_data'?)"),
    BAD("cloudinit list", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit: []\n", "format of cloudinit section of domain vm is not valid", 9, 16),
    BAD("cloudinit user_data list", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      user_data: []\n", "format of user_data of domain vm is not valid (a file, or a mapping sent as #cloud-config)", 10, 18),
    BAD("cloudinit user_data missing file", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      user_data: img/nope.yaml\n", "/img/nope.yaml of domain vm cannot be read: No such file or directory", 10, 18),
    BAD("cloudinit user_data a device", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      user_data: /dev/zero\n", "user_data /dev/zero of domain vm is not a regular file", 10, 18),
    BAD("cloudinit user_data bad cloud-config", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      user_data: img/bad.yaml\n", "/img/bad.yaml of domain vm is not a valid cloud-config", 10, 18),
    BAD("cloudinit meta_data instance-id", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      meta_data:\n        instance-id: x\n", "meta_data of domain vm may not set instance-id: the library derives it", 11, 22),
    BAD("cloudinit meta_data list", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      meta_data: [a]\n", "format of meta_data of domain vm is not valid (a mapping)", 10, 18),
    BAD("cloudinit key not text", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      ssh_authorized_keys: [ssh-rsa AAA, {a: b}]\n", "key 1 of ssh_authorized_keys of domain vm is not a one-line public key", 10, 42),
    BAD("cloudinit keys not a list", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      ssh_authorized_keys: ssh-rsa AAA\n", "format of ssh_authorized_keys of domain vm is not valid (a list of public keys)", 10, 28),
    BAD("cloudinit network_config without version", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      network_config: {ethernets: {}}\n", "network_config of domain vm needs version: 1 or 2", 10, 23),
    BAD("cloudinit network_config version 3", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      network_config: {version: 3}\n", "network_config of domain vm needs version: 1 or 2", 10, 33),
    BAD("cloudinit testbed_key text", T NETS0 DOM CPUMEM NONIF NODISK "    cloudinit:\n      testbed_key: maybe\n", "value of testbed_key parameter of the cloudinit section of domain vm must be true or false", 10, 20),
    BAD("cloudinit without a pool", T NETS0 "storagepools: []\n" DOM CPUMEM NONIF NODISK "    cloudinit: {}\n", "the cloudinit section of domain vm needs a storage pool for its seed, and there is none", 10, 16),
};

/* Image and user_data files that the source and cloudinit cases name,
 * in DIR/img. */
static void fixtures(const char *dir)
{
    unsigned char qcow2[512] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    char *img, *p;

    assert_true(asprintf(&img, "%s/img", dir) > 0);
    assert_int_equal(mkdir(img, 0700), 0);
    qcow2[24 + 4] = 0x80; /* virtual size 2 GiB, big-endian at offset 24 */
    free(th_write(img, "disk.qcow2", (const char *)qcow2, sizeof(qcow2)));
    free(th_write(img, "disk.raw", "raw bytes", 9));
    free(th_write(img, "disk.vmdk", "KDMV\1\0\0\0", 8));
    free(th_write(img, "disk.qcow2.xz", "\xfd" "7zXZ\0\0", 8));
    free(th_write(img, "empty.img", "", 0));
    p = "#cloud-config\nusers: [{name: alice}]\n";
    free(th_write(img, "user.yaml", p, strlen(p)));
    p = "#cloud-config\nusers: [\n";
    free(th_write(img, "bad.yaml", p, strlen(p)));
    p = "#!/bin/sh\ntouch /mark\n";
    free(th_write(img, "user.sh", p, strlen(p)));
    free(img);
}

static void test_case(void **state)
{
    const struct yaml_case *tc = *state;
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    struct th_log log = { "", 0 };
    char *dir = th_mkdtemp();
    char *yaml = tc->gen ? tc->gen() : NULL;
    const char *text = yaml ? yaml : tc->yaml;
    char *path = th_write(dir, "cloubed.yaml", text, strlen(text));
    cb_testbed *tb = (cb_testbed *)0x1;
    const cb_error *e;
    int rc;

    fixtures(dir);
    opts.user = "tester";
    opts.log_cb = th_log_cb;
    opts.log_payload = &log;
    rc = cb_testbed_open(&tb, path, &opts);
    e = cb_error_last();
    if (rc != tc->code)
        fail_msg("expected %s, got %s: %s", cb_error_code_name(tc->code), cb_error_code_name(rc),
                 rc < 0 ? e->message : "(no error)");
    if (rc < 0) {
        assert_null(tb);
        assert_int_equal(e->code, tc->code);
        if (!strstr(e->message, tc->text))
            fail_msg("message \"%.300s\" lacks \"%s\"", e->message, tc->text);
        /* one line of bounded length, whatever the file holds */
        assert_true(strlen(e->message) < strlen(path) + 512);
        assert_null(strchr(e->message, '\n'));
        assert_string_equal(e->file, path);
        assert_true(strncmp(e->message, path, strlen(path)) == 0);
        assert_true(e->line > 0 && e->column > 0);
        if (tc->line && (e->line != tc->line || e->column != tc->column))
            fail_msg("error at %d:%d, expected %d:%d: %s", e->line, e->column, tc->line,
                     tc->column, e->message);
    } else {
        assert_non_null(tb);
        if (tc->text && !strstr(log.text, tc->text))
            fail_msg("warnings \"%s\" lack \"%s\"", log.text, tc->text);
        if (!tc->text && log.warnings)
            fail_msg("unexpected warnings: %s", log.text);
    }
    cb_testbed_free(tb);
    free(yaml);
    free(path);
    th_rmtree(dir);
    free(dir);
}

int main(void)
{
    const size_t n = sizeof(cases) / sizeof(cases[0]);
    struct CMUnitTest *tests = calloc(n, sizeof(*tests));
    size_t i;
    int rc;

    for (i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = test_case;
        tests[i].initial_state = (void *)&cases[i];
    }
    rc = _cmocka_run_group_tests("yaml cases", tests, n, NULL, NULL);
    free(tests);
    return rc;
}
