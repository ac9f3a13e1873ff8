"""Generates the benchmark data set in bench/.data/ (run with Debian's /usr/bin/python3, which has torch).

Idempotent: every output that already exists is kept. Files are written under a temporary name and
renamed at the end, so an interrupted run never leaves a truncated file that a later run would keep.
"""

import json
import os
import pickle
import pickletools
import random
import shutil
import struct
import sys
import zipfile
from pathlib import Path

import joblib
import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / 'bench' / '.data'
BENIGN = ROOT / 'src' / 'scan' / 'testdata' / 'benign'
COPIES = 20


def log(message):
    print(f'[make-data] {message}', flush=True)


def write_atomic(path, write):
    """Calls write(tmp_path) and renames the result into place, unless path already exists."""
    if path.exists():
        log(f'keep {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)')
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + '.tmp')
    write(tmp)
    os.replace(tmp, path)
    log(f'wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)')
    return True


def make_torch_1gib():
    def write(tmp):
        state = {
            'weight': torch.zeros(268_435_456),  # 268,435,456 float32 = exactly 1 GiB of tensor data
            'bias': torch.zeros(16),
            'step': torch.tensor(3),
        }
        with open(tmp, 'wb') as handle:  # a handle, so the archive prefix is the usual 'archive/'
            torch.save(state, handle)

    path = DATA / 'torch-1gib.pt'
    write_atomic(path, write)
    meta = DATA / 'torch-1gib.json'
    if meta.exists():
        log(f'keep {meta.relative_to(ROOT)}')
        return
    info = {'file': path.name, 'bytes': path.stat().st_size, 'members': []}
    with zipfile.ZipFile(path) as archive, open(path, 'rb') as raw:
        for member in archive.infolist():
            raw.seek(member.header_offset)
            header = raw.read(30)
            name_len, extra_len = struct.unpack('<HH', header[26:30])
            start = member.header_offset + 30 + name_len + extra_len
            info['members'].append({'name': member.filename, 'dataOffset': start, 'size': member.compress_size})
    meta.write_text(json.dumps(info, indent=2) + '\n')
    log(f'wrote {meta.relative_to(ROOT)} ({len(info["members"])} members)')


def pickle_payload(n):
    """Ordinary data: small and medium ints, floats, short strings, small tuples and dicts (memo hits)."""
    rng = random.Random(42)
    words = ['w%d' % i for i in range(2000)]
    out = []
    for i in range(n):
        k = i % 10
        if k < 4:
            out.append(rng.randrange(256))
        elif k == 4:
            out.append(rng.randrange(70000))
        elif k == 5:
            out.append(rng.random())
        elif k == 6:
            out.append(rng.choice(words) + str(i % 97))
        elif k == 7:
            out.append((rng.randrange(256), rng.randrange(256)))
        elif k == 8:
            out.append({'id': i % 1000, 'ok': bool(i & 1)})
        else:
            out.append(None if i % 3 else True)
    return out


def make_big_pickle():
    path = DATA / 'pickle-8m-ops.pkl'
    meta = DATA / 'pickle-8m-ops.json'
    write_atomic(path, lambda tmp: tmp.write_bytes(pickle.dumps(pickle_payload(4_000_000), protocol=4)))
    if meta.exists():
        log(f'keep {meta.relative_to(ROOT)}: {meta.read_text().strip()}')
        return
    with open(path, 'rb') as handle:
        opcodes = sum(1 for _ in pickletools.genops(handle))
    info = {'file': path.name, 'bytes': path.stat().st_size, 'opcodes': opcodes, 'protocol': 4}
    meta.write_text(json.dumps(info, indent=2) + '\n')
    log(f'{path.name}: {info["bytes"]:,} bytes, {opcodes:,} opcodes')


def make_models_dir():
    folder = DATA / 'models-dir'
    benign = sorted(p for p in BENIGN.rglob('*') if p.is_file())
    for copy in range(COPIES):
        for source in benign:
            target = folder / f'copy-{copy:02d}' / source.relative_to(BENIGN)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    log(f'models-dir: {len(benign)} benign files x {COPIES} copies')

    def legacy_torch(tmp):
        state = {'encoder.weight': torch.zeros(50_000_000), 'encoder.bias': torch.zeros(64)}
        torch.save(state, tmp, _use_new_zipfile_serialization=False)

    write_atomic(folder / 'large' / 'legacy-200mb.pt', legacy_torch)

    def joblib_dump(tmp):
        rng = np.random.default_rng(0)
        model = {
            'class': 'sklearn.linear_model.LogisticRegression',
            'coef_': rng.standard_normal((1000, 25_000)),  # 200 MB of float64
            'components_': rng.standard_normal((500, 25_000)),  # 100 MB of float64
            'intercept_': np.zeros(1000),
            'classes_': np.arange(1000),
            'n_features_in_': 25_000,
        }
        with open(tmp, 'wb') as handle:
            joblib.dump(model, handle)

    write_atomic(folder / 'large' / 'model-300mb.joblib', joblib_dump)
    def npy(tmp):
        with open(tmp, 'wb') as handle:
            np.save(handle, np.ones(50_000_000, np.float32))  # 200 MB of float32

    write_atomic(folder / 'large' / 'embeddings-200mb.npy', npy)

    link = folder / 'large' / 'torch-1gib.pt'
    if not link.is_symlink():
        link.symlink_to(Path('..') / '..' / 'torch-1gib.pt')
        log('linked models-dir/large/torch-1gib.pt -> ../../torch-1gib.pt')


def main():
    DATA.mkdir(parents=True, exist_ok=True)
    make_torch_1gib()
    make_big_pickle()
    make_models_dir()
    log('done')


if __name__ == '__main__':
    sys.exit(main())
