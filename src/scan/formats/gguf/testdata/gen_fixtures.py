#!/usr/bin/python3
"""Writes the GGUF and llamafile fixtures with struct, following ggml/docs/gguf.md (no gguf package).

Run from this folder: /usr/bin/python3 gen_fixtures.py. Output is deterministic. Nothing is executed:
the malicious chat templates are only stored as metadata strings.
"""
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
UINT32, INT32, FLOAT32, STRING, ARRAY, UINT64 = 4, 5, 6, 8, 9, 10
F32, Q8_0 = 0, 8


def template(kind, name):
    with open(os.path.join(HERE, 'templates', kind, name), encoding='utf-8') as f:
        return f.read()


class Writer:
    def __init__(self, version=3, endian='<'):
        self.version, self.e, self.out = version, endian, io.BytesIO()

    def raw(self, fmt, *values):
        self.out.write(struct.pack(self.e + fmt, *values))

    def size(self, n):  # counts and lengths: u32 in v1, u64 after
        self.raw('I' if self.version == 1 else 'Q', n)

    def string(self, s):
        data = s.encode('utf-8') if isinstance(s, str) else s
        self.size(len(data))
        self.out.write(data)

    def value(self, vtype, v):
        if vtype == STRING:
            self.string(v)
        elif vtype == ARRAY:
            item_type, items = v
            self.raw('I', item_type)
            self.size(len(items))
            for item in items:
                self.value(item_type, item)
        else:
            self.raw({UINT32: 'I', INT32: 'i', FLOAT32: 'f', UINT64: 'Q'}[vtype], v)


def gguf(kvs, tensors, version=3, endian='<', alignment=32, counts=None):
    w = Writer(version, endian)
    w.out.write(b'GGUF')
    w.raw('I', version)
    n_tensors, n_kv = counts or (len(tensors), len(kvs))
    w.size(n_tensors)
    w.size(n_kv)
    for key, vtype, v in kvs:
        w.string(key)
        w.raw('I', vtype)
        w.value(vtype, v)
    offset, blobs = 0, []
    for name, dims, ttype, data in tensors:
        w.string(name)
        w.raw('I', len(dims))
        for d in dims:
            w.raw('I' if version == 1 else 'Q', d)
        w.raw('I', ttype)
        w.raw('Q', offset)
        blobs.append((offset, data))
        offset += (len(data) + alignment - 1) // alignment * alignment
    body = w.out.getvalue()
    body += b'\0' * (-len(body) % alignment)
    for start, data in blobs:
        body += data + b'\0' * (-len(data) % alignment)
    return body


def vocab(n=300):
    specials = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>']
    return specials + ['\u2581' + ''.join(chr(97 + (i * 7 + j) % 26) for j in range(1 + i % 6)) for i in range(n - 5)]


def model_kvs(chat_template, arch='llama', extra=()):
    tokens = vocab()
    return [
        ('general.architecture', STRING, arch),
        ('general.name', STRING, 'mlsecops fixture'),
        ('general.alignment', UINT32, 32),
        (arch + '.context_length', UINT32, 4096),
        (arch + '.embedding_length', UINT32, 4),
        ('tokenizer.ggml.model', STRING, 'llama'),
        ('tokenizer.ggml.tokens', ARRAY, (STRING, tokens)),
        ('tokenizer.ggml.scores', ARRAY, (FLOAT32, [float(-i) for i in range(len(tokens))])),
        ('tokenizer.ggml.token_type', ARRAY, (INT32, [3 if i < 5 else 1 for i in range(len(tokens))])),
        ('tokenizer.ggml.bos_token_id', UINT32, 1),
        ('tokenizer.chat_template', STRING, chat_template),
        *extra,
    ]


def tiny_tensors(endian='<'):
    f32 = struct.pack(endian + '16f', *[i / 16 for i in range(16)])
    q8 = b''.join(struct.pack(endian + 'e', 0.5) + bytes(range(32)) for _ in range(2))  # 2 Q8_0 blocks
    return [('token_embd.weight', [4, 4], F32, f32), ('output.weight', [32, 2], Q8_0, q8)]


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def llamafile(members):
    # The APE shape: a shell/PE polyglot header, then a zip whose offsets count from the file start.
    header = b"MZqFpD='\n\n\x00\x00\x00\x00" + b'\n' * 50 + b"'\nexec 7<> \"$0\" || exit 121\nexit 1\n"
    header += b'\0' * (-len(header) % 4096)
    buf = io.BytesIO()
    buf.write(header)
    with zipfile.ZipFile(buf, 'a', compression=zipfile.ZIP_STORED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    return buf.getvalue()


def main():
    llama32 = template('benign', 'llama-3.2-instruct-tools.jinja')
    chatml = template('benign', 'chatml-openhermes-2.5.jinja')
    llama2 = template('benign', 'llama-2-chat.jinja')
    qwen = template('benign', 'qwen2.5-instruct-tools.jinja')
    benign_v3 = gguf(model_kvs(llama32, extra=[('tokenizer.chat_template.tool_use', STRING, qwen)]), tiny_tensors())
    write('benign/llama-v3.gguf', benign_v3)
    write('benign/chatml-v2.gguf', gguf(model_kvs(chatml, 'qwen2'), tiny_tensors(), version=2))
    write('benign/llama2-v1.gguf', gguf(model_kvs(llama2), tiny_tensors(), version=1))
    write('benign/mistral-v3-big-endian.gguf',
          gguf(model_kvs(template('benign', 'mistral-7b-instruct-v0.3-tools.jinja')), tiny_tensors('>'), endian='>'))
    write('benign/deepseek-r1-v3.gguf', gguf(model_kvs(template('benign', 'deepseek-r1.jinja'), 'qwen2'), tiny_tensors()))
    write('benign/tiny.llamafile', llamafile([('model.gguf', benign_v3), ('.args', b'-m\nmodel.gguf\n--host\n127.0.0.1\n...\n')]))

    for name in ['self-init-globals', 'cve-2024-34359-poc', 'cycler-globals-os', 'attr-filter-chain',
                 'concatenated-dunders', 'lipsum-globals', 'joined-dunders', 'request-attr-escapes']:
        write('malicious/ssti-%s.gguf' % name, gguf(model_kvs(template('malicious', name + '.jinja')), tiny_tensors()))
    hidden = model_kvs(chatml, extra=[('tokenizer.chat_template.rag', STRING, template('malicious', 'lipsum-globals.jinja'))])
    write('malicious/ssti-named-template.gguf', gguf(hidden, tiny_tensors()))
    evil = gguf(model_kvs(template('malicious', 'self-init-globals.jinja')), tiny_tensors())
    write('malicious/ssti.llamafile', llamafile([('evil.gguf', evil), ('.args', b'-m\nevil.gguf\n')]))

    write('hostile/broken-template.gguf', gguf(model_kvs(template('malicious', 'broken-syntax.jinja')), tiny_tensors()))
    write('hostile/tensor-count-2p60.gguf', gguf(model_kvs(chatml), tiny_tensors(), counts=(1 << 60, 11)))
    write('hostile/kv-count-2p60.gguf', gguf(model_kvs(chatml), tiny_tensors(), counts=(2, 1 << 60)))
    long_string = bytearray(gguf([('general.architecture', STRING, 'llama')], []))
    struct.pack_into('<Q', long_string, 24 + 8 + len('general.architecture') + 4, 1 << 40)
    write('hostile/string-past-end.gguf', bytes(long_string))
    write('hostile/truncated.gguf', benign_v3[:1500])
    write('hostile/version-4.gguf', b'GGUF' + struct.pack('<IQQ', 4, 0, 0))
    nested = (UINT32, [1])
    for _ in range(10):
        nested = (ARRAY, [nested])
    write('hostile/nested-arrays.gguf', gguf([('general.architecture', STRING, 'llama'), ('x.nested', ARRAY, nested)], []))
    huge_array = bytearray(gguf([('tokenizer.ggml.tokens', ARRAY, (STRING, ['a']))], []))
    struct.pack_into('<Q', huge_array, 24 + 8 + len('tokenizer.ggml.tokens') + 4 + 4, 1 << 60)
    write('hostile/array-count-2p60.gguf', bytes(huge_array))
    oob = tiny_tensors()
    oob.append(('blk.0.attn_q.weight', [4096, 4096], F32, b''))  # 64 MiB claimed, none present
    write('hostile/tensor-out-of-bounds.gguf', gguf(model_kvs(chatml), oob))


if __name__ == '__main__':
    main()
