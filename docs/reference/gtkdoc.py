#!/usr/bin/env python3
# libcloubed - programmable virtual testbeds on libvirt
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Builds the HTML API reference from the public headers with gtk-doc.

usage: gtkdoc.py INCLUDE_DIR OUT_DIR WORK_DIR

The headers keep the comment style written in them (a `name:` line, then
`@param:` lines, then text), with three shorthands that gtk-doc does not
read, so each header is copied into WORK_DIR/src first and rewritten there,
never in the tree:
  - CB_EXTERN(type) becomes `type` (gtk-doc cannot see through the macro);
  - a block naming several calls ("cb_a / cb_b / cb_c:") is copied before
    each of them, each copy with the `@param:` lines of its own call's
    parameters (the block lists those of every call), and a one-line block
    ("/** cb_x: text */", or a `/** text */` above a typedef) gets its name
    line;
  - enum members documented in place (`/**< text */` after a member, or a
    `/** text */` before it) become `@MEMBER:` lines of the enum's block;
  - the file's opening comment becomes the SECTION block of its page.
Then gtkdoc-scan, gtkdoc-mkdb and gtkdoc-mkhtml run in WORK_DIR, and the
pages land in OUT_DIR. WORK_DIR/libcloubed-undocumented.txt is what
tests/scripts/check-docs.sh reads.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

MODULE = 'libcloubed'
BLOCK = re.compile(r'/\*\*(?!<)(.*?)\*/', re.S)


def block_lines(body):
    """The lines of a comment body, without the leading ' * '."""
    out = []
    for line in body.split('\n'):
        out.append(re.sub(r'^\s*\*? ?', '', line, count=1).rstrip())
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return out


def make_block(lines):
    # Text, not DocBook: '<boot>' and '&' are characters.
    lines = [re.sub(r'&(?!\w+;)', '&amp;', l).replace('<', '&lt;') for l in lines]
    return '/**\n' + ''.join((' * ' + l).rstrip() + '\n' for l in lines) + ' */'


def decl_name(code):
    """The symbol declared by the code that follows a comment block."""
    code = re.sub(r'/\*.*?\*/', '', code, flags=re.S).lstrip()
    m = re.match(r'#\s*define\s+(\w+)', code)
    if m:
        return m.group(1)
    m = re.match(r'typedef\s+(?:struct|enum)\s+(\w+)\s*\{', code)
    if m:
        return m.group(1)
    m = re.match(r'typedef[^;(]*\(\s*\*\s*(\w+)\s*\)', code)
    if m:
        return m.group(1)
    m = re.match(r'typedef[^;]*?(\w+)\s*;', code)
    if m:
        return m.group(1)
    m = re.match(r'[^;{]*?(\w+)\s*\(', code)
    if m:
        return m.group(1)
    return None


def split_params(lines):
    """'@a, @b: text' becomes one line per parameter."""
    out = []
    for l in lines:
        m = re.match(r'^(@\w+(?:\s*,\s*@\w+)+)\s*:(.*)$', l)
        if m:
            for p in re.findall(r'@(\w+)', m.group(1)):
                out.append('@%s:%s' % (p, m.group(2)))
        else:
            out.append(l)
    return out


def split_body(body):
    """Parameter lines ('@name: text' and their indented continuation lines)
    go first, as gtk-doc wants them right after the name; the rest is text."""
    params, text_lines = [], []
    in_param = False
    for l in body:
        if re.match(r'^@\w+\s*:', l):
            params.append(l)
            in_param = True
        elif in_param and l.strip() and l[:1].isspace():
            params.append(l)
        else:
            in_param = False
            text_lines.append(l)
    while text_lines and not text_lines[0].strip():
        text_lines.pop(0)
    return params, text_lines


def own_params(params, code, name):
    """The parameter lines of a group's block that belong to the call NAME
    declared in CODE: a group lists the parameters of all its calls."""
    m = re.search(r'\b%s\s*\(([^)]*)\)' % re.escape(name), code)
    if not m:
        return params
    own = set()
    for p in m.group(1).split(','):
        pm = re.search(r'(\w+)\s*(\[[^\]]*\])?\s*$', p)
        if pm and pm.group(1) != 'void':
            own.add(pm.group(1))
    out, keep = [], True
    for l in params:
        pm = re.match(r'^@(\w+)\s*:', l)
        if pm:
            keep = pm.group(1) in own
        if keep:
            out.append(l)
    return out


def enum_members(body):
    """Moves in-place member docs of an enum body into (member, text) pairs."""
    docs = []
    pending = None
    clean = []
    pos = 0
    tokens = re.finditer(r'/\*\*<(.*?)\*/|/\*\*(.*?)\*/|(\b[A-Z][A-Z0-9_]*\b)(?=\s*(?:=[^,}/]*)?,?)', body, re.S)
    last_member = None
    for t in tokens:
        clean.append(body[pos:t.start()])
        pos = t.end()
        if t.group(1) is not None:
            if last_member:
                docs.append((last_member, ' '.join(l.strip() for l in block_lines(t.group(1)))))
        elif t.group(2) is not None:
            pending = ' '.join(l.strip() for l in block_lines(t.group(2)))
        else:
            name = t.group(3)
            clean.append(name)
            if body[t.end():].lstrip()[:1] in ('=', ',', '}', '/', ''):
                last_member = name
                if pending:
                    docs.append((name, pending))
                    pending = None
    clean.append(body[pos:])
    return ''.join(clean), docs


def normalise(text, section):
    # The opening comment: the page's title and description.
    m = re.match(r'\s*/\*(?!\*)(.*?)\*/', text, re.S)
    if m:
        lines = block_lines(m.group(1))
        para = [l for l in lines if not re.match(r'(libcloubed -|SPDX)', l)]
        while para and not para[0].strip():
            para.pop(0)
        short = ''
        if para and re.match(r'[\w.]+\.h:', para[0]):
            first = para[0].split(':', 1)[1].strip()
            short = first
            para = para[1:]
            while para and para[0].strip() and not para[0].startswith(' '):
                short += ' ' + para[0].strip()
                para = para[1:]
        section_block = make_block(['SECTION:' + section, '@title: ' + section + '.h',
                                    '@short_description: ' + short.rstrip('.'),
                                    '@include: cloubed/cloubed.h', ''] + para)
        text = text[:m.end()] + '\n' + section_block + '\n' + text[m.end():]

    text = re.sub(r'^(?!#)(.*?)CB_EXTERN\(([^)]*)\)', r'\1\2', text, flags=re.M)

    # Enums: in-place member docs are cut out of the body and parked right
    # after the enum between NUL bytes ('\x01' between members), for the
    # loop below to move into the enum's own block.
    def fix_enum(em):
        pre, body, post = em.group(1), em.group(2), em.group(3)
        body, docs = enum_members(body)
        if not docs:
            return em.group(0)
        return pre + body + post + '\0' + '\x01'.join('@%s: %s' % d for d in docs) + '\0'
    text = re.sub(r'(typedef\s+enum\s+\w+\s*\{)(.*?)(\}\s*\w+\s*;)', fix_enum, text, flags=re.S)

    out = []
    pos = 0
    blocks = list(BLOCK.finditer(text))
    for i, b in enumerate(blocks):
        out.append(text[pos:b.start()])
        pos = b.end()
        if b.group(1).lstrip().startswith('SECTION:'):
            out.append(b.group(0))
            continue
        end = blocks[i + 1].start() if i + 1 < len(blocks) else len(text)
        code = text[b.end():end]
        lines = block_lines(b.group(1))
        if len(lines) == 1:
            lines = re.split(r'(?<=:) ', lines[0], maxsplit=1) if re.match(r'^[\w /]+:\s', lines[0]) else lines
            if len(lines) == 2:
                lines = [lines[0], '', lines[1]]
        # A group's name line may wrap: "cb_a / cb_b /" then "cb_c:".
        while len(lines) > 1 and re.match(r'^\w+(\s*/\s*\w+)*\s*/$', lines[0]):
            lines = [lines[0] + ' ' + lines[1].strip()] + lines[2:]
        head = lines[0] if lines else ''
        names = []
        if re.match(r'^\w+(\s*/\s*\w+)*\s*:\s*$', head):
            names = [n.strip() for n in head.rstrip(': ').split('/')]
            body = lines[1:]
        else:
            name = decl_name(code)
            names = [name] if name else []
            body = lines
        body = split_params(body)
        # The member docs parked after the enum this block documents.
        em = re.match(r'\s*typedef\s+enum[^\0]*?(\0(.*?)\0)', code, re.S)
        if em:
            body = body + [''] + em.group(2).split('\x01')
            code = code.replace(em.group(1), '', 1)
        if not names:
            out.append(b.group(0) + code)
            pos = end
            continue
        first = names[0]
        params, text_lines = split_body(body)
        own = own_params(params, code, first) if len(names) > 1 else params
        out.append(make_block([first + ':'] + own + [''] + text_lines))
        # Copies for the other names of a group, before their declarations,
        # each found after the previous copy (whose text may name it).
        after = 0
        for other in names[1:]:
            dm = re.compile(r'^[^\n]*\b%s\s*\(' % re.escape(other), re.M).search(code, after)
            if dm:
                own = own_params(params, code[dm.start():], other)
                copy = make_block([other + ':'] + own + [''] + text_lines)
                code = code[:dm.start()] + copy + '\n' + code[dm.start():]
                after = dm.start() + len(copy) + 1
        out.append(code)
        pos = end
    out.append(text[pos:])
    # Member docs of an enum without a block of its own are dropped (gtk-doc
    # then lists the enum as undocumented, which the test reports).
    return re.sub(r'\0(.*?)\0', '', ''.join(out), flags=re.S)


def main():
    include, out_dir, work = sys.argv[1:4]
    include = os.path.abspath(include)
    out_dir = os.path.abspath(out_dir)
    work = os.path.abspath(work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, 'src'))
    headers = sorted(glob.glob(os.path.join(include, '*.h')))
    sections = []
    for h in headers:
        base = os.path.basename(h)[:-2]
        with open(h, encoding='utf-8') as f:
            text = f.read()
        with open(os.path.join(work, 'src', base + '.h'), 'w', encoding='utf-8') as f:
            f.write(normalise(text, base))
        if base == 'cloubed':
            m = re.match(r'\s*/\*(.*?)\*/', text, re.S)
            conventions = '\n'.join(l for l in block_lines(m.group(1))
                                    if not re.match(r'(libcloubed -|SPDX)', l)).strip()
            conventions = conventions.replace('&', '&amp;').replace('<', '&lt;')
        else:
            sections.append(base)
    # The umbrella header first, then one chapter per header: a new header
    # needs nothing here.
    with open(os.path.join(work, MODULE + '-docs.xml'), 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0"?>\n'
                '<!DOCTYPE book PUBLIC "-//OASIS//DTD DocBook XML V4.3//EN"\n'
                '  "http://www.oasis-open.org/docbook/xml/4.3/docbookx.dtd"\n'
                '[<!ENTITY % local.common.attrib "xmlns:xi CDATA #FIXED \'http://www.w3.org/2003/XInclude\'">]>\n'
                '<book id="index">\n'
                '  <bookinfo><title>libcloubed Reference Manual</title></bookinfo>\n'
                '  <preface><title>Conventions (cloubed.h)</title>\n'
                '    <literallayout>' + conventions + '</literallayout>\n'
                '  </preface>\n'
                '  <chapter><title>API reference, one page per header</title>\n'
                + ''.join('    <xi:include href="xml/%s.xml"/>\n' % s for s in sections) +
                '  </chapter>\n'
                '  <index id="api-index-full"><title>Index of all symbols</title>\n'
                '    <xi:include href="xml/api-index-full.xml"><xi:fallback/></xi:include>\n'
                '  </index>\n'
                '</book>\n')

    def run(*cmd, cwd=work):
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in r.stdout.splitlines():
            # Incomplete parameter lists are counted by the test, not here.
            if 'is missing in source code comment block' in line or 'are missing in source code' in line:
                continue
            print(line)
        if r.returncode != 0:
            sys.exit('gtkdoc.py: %s failed (exit status %d)' % (cmd[0], r.returncode))

    run('gtkdoc-scan', '--module=' + MODULE, '--source-dir=src', '--rebuild-sections',
        '--rebuild-types', '--ignore-decorators=CB_BEGIN_DECLS|CB_END_DECLS')
    run('gtkdoc-mkdb', '--module=' + MODULE, '--output-format=xml', '--source-dir=src',
        '--main-sgml-file=' + MODULE + '-docs.xml', '--xml-mode', '--name-space=cb')
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    run('gtkdoc-mkhtml', '--path=' + work, MODULE, os.path.join(work, MODULE + '-docs.xml'),
        cwd=out_dir)
    run('gtkdoc-fixxref', '--module=' + MODULE, '--module-dir=' + out_dir, '--html-dir=' + out_dir)
    if not os.path.exists(os.path.join(out_dir, 'index.html')):
        sys.exit('gtkdoc.py: no index.html in ' + out_dir)


if __name__ == '__main__':
    main()
