"""Generates the data of benchmark (d), headers only, in bench/.data/ (run with Debian's /usr/bin/python3,
which has numpy and onnx; torch is not needed).

- safetensors-2gib.safetensors: one 2 GiB safetensors file, written by the published format.
- onnx-2gib/: model.onnx (onnx.helper MatMul/Add graph) with ~2 GiB of initializers in weights.bin.
- shards-20/: a Hugging Face style folder with 20 safetensors shards of ~100 MiB and their index.
- formats.json: sizes and header lengths of all of the above.

Idempotent: an output that already exists is kept. A file is written under a temporary name and a folder in a
temporary folder, then renamed, so an interrupted run never leaves a truncated output that a later run keeps.
"""

import json
import os
import shutil
import struct
import sys
from pathlib import Path

import onnx
from onnx import TensorProto, helper

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / 'bench' / '.data'
CHUNK = bytes(64 << 20)  # zeros, written repeatedly: the tensors never sit in memory whole
HIDDEN = 8192  # an 8192 x 8192 float32 matrix is 256 MiB
LAYERS = 8
SHARDS = 20
SHARD_TENSORS = 4
SHARD_DIM = 2560  # 4 tensors of 2560 x 2560 float32 = 100 MiB per shard
DTYPE_BYTES = {'F32': 4, 'F16': 2, 'BF16': 2, 'I64': 8}


def log(message):
    print(f'[make-format-data] {message}', flush=True)


def write_atomic(path, write):
    """Calls write(tmp_path) and renames the result into place, unless path already exists."""
    if path.exists():
        log(f'keep {path.relative_to(ROOT)}')
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + '.tmp')
    if tmp.is_dir():
        shutil.rmtree(tmp)
    write(tmp)
    os.replace(tmp, path)
    log(f'wrote {path.relative_to(ROOT)}')


def write_zeros(handle, count):
    while count > 0:
        step = min(count, len(CHUNK))
        handle.write(memoryview(CHUNK)[:step])
        count -= step


def nbytes(dtype, shape):
    count = DTYPE_BYTES[dtype]
    for dim in shape:
        count *= dim
    return count


def write_safetensors(path, tensors, metadata):
    """tensors: [(name, dtype, shape)], laid out contiguously in that order; every byte is zero.

    The format: u64 little-endian header length N, N bytes of JSON header (padded with spaces to a multiple
    of 8), then the data section; data_offsets are [begin, end) relative to the start of the data section.
    """
    header = {'__metadata__': metadata}
    offset = 0
    for name, dtype, shape in tensors:
        size = nbytes(dtype, shape)
        header[name] = {'dtype': dtype, 'shape': list(shape), 'data_offsets': [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as handle:
        handle.write(struct.pack('<Q', len(text)))
        handle.write(text)
        write_zeros(handle, offset)
    return {'headerLength': len(text), 'dataBytes': offset}


def safetensors_info(path):
    with open(path, 'rb') as handle:
        (length,) = struct.unpack('<Q', handle.read(8))
    return {'path': path.name, 'bytes': path.stat().st_size, 'headerBytes': 8 + length}


def make_safetensors_2gib():
    tensors = []
    for layer in range(LAYERS):
        tensors.append((f'model.layers.{layer}.mlp.weight', 'F32', (HIDDEN, HIDDEN)))
        tensors.append((f'model.layers.{layer}.mlp.bias', 'F32', (HIDDEN,)))
    tensors += [('model.norm.weight', 'F16', (HIDDEN,)), ('model.step', 'I64', ())]
    path = DATA / 'safetensors-2gib.safetensors'
    write_atomic(path, lambda tmp: write_safetensors(tmp, tensors, {'format': 'pt'}))
    return {'kind': 'safetensors', 'target': path.name, 'tensors': len(tensors), 'files': [safetensors_info(path)]}


def make_onnx_2gib():
    folder = DATA / 'onnx-2gib'

    def write(tmp):
        tmp.mkdir(parents=True)
        nodes, initializers = [], []
        current = 'x'
        for layer in range(LAYERS):
            weight, bias = f'layers.{layer}.weight', f'layers.{layer}.bias'
            # bytes(n) is zero-filled; make_tensor copies it into raw_data, so one copy of each tensor at a time
            zeros = bytes(HIDDEN * HIDDEN * 4)
            initializers.append(helper.make_tensor(weight, TensorProto.FLOAT, [HIDDEN, HIDDEN], zeros, raw=True))
            del zeros
            initializers.append(helper.make_tensor(bias, TensorProto.FLOAT, [HIDDEN], bytes(HIDDEN * 4), raw=True))
            nodes.append(helper.make_node('MatMul', [current, weight], [f'h{layer}'], name=f'matmul{layer}'))
            current = 'y' if layer == LAYERS - 1 else f'a{layer}'
            nodes.append(helper.make_node('Add', [f'h{layer}', bias], [current], name=f'add{layer}'))
        graph = helper.make_graph(
            nodes,
            'mlp',
            [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, HIDDEN])],
            [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, HIDDEN])],
            initializers,
        )
        model = helper.make_model(graph, producer_name='mlsecops-bench', opset_imports=[helper.make_opsetid('', 17)])
        onnx.save_model(
            model,
            str(tmp / 'model.onnx'),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location='weights.bin',
        )
        onnx.checker.check_model(str(tmp / 'model.onnx'))

    write_atomic(folder, write)
    files = [folder / 'model.onnx', folder / 'weights.bin']
    return {
        'kind': 'onnx',
        'target': folder.name,
        'tensors': 2 * LAYERS,
        # model.onnx is all header: graph, initializer metadata and external-data references; weights.bin none
        'files': [
            {'path': f'{folder.name}/{file.name}', 'bytes': file.stat().st_size, 'headerBytes': h}
            for file, h in zip(files, [files[0].stat().st_size, 0])
        ],
    }


def make_shards_20():
    folder = DATA / 'shards-20'

    def write(tmp):
        tmp.mkdir(parents=True)
        weight_map, total = {}, 0
        for shard in range(SHARDS):
            name = f'model-{shard + 1:05d}-of-{SHARDS:05d}.safetensors'
            tensors = [
                (f'model.layers.{shard}.{part}.weight', 'F32', (SHARD_DIM, SHARD_DIM))
                for part in ['q_proj', 'k_proj', 'v_proj', 'o_proj'][:SHARD_TENSORS]
            ]
            total += write_safetensors(tmp / name, tensors, {'format': 'pt'})['dataBytes']
            weight_map.update({tensor: name for tensor, _, _ in tensors})
        index = {'metadata': {'total_size': total}, 'weight_map': dict(sorted(weight_map.items()))}
        (tmp / 'model.safetensors.index.json').write_text(json.dumps(index, indent=2) + '\n')
        config = {
            'architectures': ['LlamaForCausalLM'],
            'model_type': 'llama',
            'hidden_size': SHARD_DIM,
            'num_hidden_layers': SHARDS,
            'num_attention_heads': 20,
            'torch_dtype': 'float32',
            'vocab_size': 32000,
        }
        (tmp / 'config.json').write_text(json.dumps(config, indent=2) + '\n')
        tokenizer = {
            'tokenizer_class': 'LlamaTokenizer',
            'bos_token': '<s>',
            'eos_token': '</s>',
            'model_max_length': 4096,
            'chat_template': (
                "{% for message in messages %}{{ message['role'] + ': ' + message['content'] + '\\n' }}{% endfor %}"
            ),
        }
        (tmp / 'tokenizer_config.json').write_text(json.dumps(tokenizer, indent=2) + '\n')

    write_atomic(folder, write)
    files = []
    for file in sorted(folder.iterdir()):
        if file.suffix == '.safetensors':
            info = safetensors_info(file)
            info['path'] = f'{folder.name}/{file.name}'
        else:  # JSON files are read whole: all of them is "header"
            size = file.stat().st_size
            info = {'path': f'{folder.name}/{file.name}', 'bytes': size, 'headerBytes': size}
        files.append(info)
    return {'kind': 'safetensors', 'target': folder.name, 'tensors': SHARDS * SHARD_TENSORS, 'files': files}


def main():
    DATA.mkdir(parents=True, exist_ok=True)
    targets = [make_safetensors_2gib(), make_onnx_2gib(), make_shards_20()]
    for target in targets:
        target['bytes'] = sum(file['bytes'] for file in target['files'])
        target['headerBytes'] = sum(file['headerBytes'] for file in target['files'])
        files, size, headers = len(target['files']), target['bytes'], target['headerBytes']
        log(f"{target['target']}: {files} files, {size:,} bytes, headers {headers:,}")
    meta = DATA / 'formats.json'
    meta.write_text(json.dumps({'onnx': onnx.__version__, 'targets': targets}, indent=2) + '\n')
    log(f'wrote {meta.relative_to(ROOT)}')


if __name__ == '__main__':
    sys.exit(main())
