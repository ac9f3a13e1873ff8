"""Generates the TensorFlow-family fixtures. There is no TensorFlow in Debian, so SavedModel, GraphDef
and keras_metadata.pb files are encoded here field by field from the .proto field numbers (protobuf
wire format: tag = field << 3 | wire type), and TFLite flatbuffers are laid out by hand. Run with
Debian's python3 from this folder:

    /usr/bin/python3 generate.py

Malicious files are built, never executed.
"""
import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


# --- protobuf wire format -------------------------------------------------------------------------
def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def vfield(num, value):
    return varint(num << 3) + varint(value)


def lfield(num, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def attr(key, value):  # NodeDef.attr map entry: key=1, value=2 (AttrValue)
    return lfield(5, lfield(1, key) + lfield(2, value))


def attr_type(t):  # AttrValue.type = 6
    return vfield(6, t)


def attr_s(s):  # AttrValue.s = 2
    return lfield(2, s)


def attr_func(name):  # AttrValue.func = 10 (NameAttrList name=1)
    return lfield(10, lfield(1, name))


DT_FLOAT, DT_STRING = 1, 7


def tensor_float(values, dims):  # TensorProto dtype=1, tensor_shape=2 (dim=2 → size=1), tensor_content=4
    shape = b''.join(lfield(2, vfield(1, d)) for d in dims)
    return vfield(1, DT_FLOAT) + lfield(2, shape) + lfield(4, struct.pack('<%df' % len(values), *values))


def tensor_string(s):  # dtype=7, tensor_shape={} , string_val=8
    return vfield(1, DT_STRING) + lfield(2, b'') + lfield(8, s)


def node(name, op, inputs=(), attrs=b'', device=''):  # NodeDef name=1 op=2 input=3 device=4 attr=5
    out = lfield(1, name) + lfield(2, op) + b''.join(lfield(3, i) for i in inputs)
    if device:
        out += lfield(4, device)
    return out + attrs


def const_float(name, values, dims):
    return node(name, 'Const', attrs=attr('dtype', attr_type(DT_FLOAT)) + attr('value', lfield(8, tensor_float(values, dims))))


def const_string(name, s):
    return node(name, 'Const', attrs=attr('dtype', attr_type(DT_STRING)) + attr('value', lfield(8, tensor_string(s))))


def function(name, nodes, inputs=('x',)):
    # FunctionDef signature=1 (OpDef name=1, input_arg=2 (ArgDef name=1)), node_def=3
    sig = lfield(1, name) + b''.join(lfield(2, lfield(1, i) + vfield(3, DT_FLOAT)) for i in inputs)
    sig += lfield(3, lfield(1, 'y') + vfield(3, DT_FLOAT))
    return lfield(1, sig) + b''.join(lfield(3, n) for n in nodes)


def graph(nodes, functions=()):  # GraphDef node=1, library=2 (FunctionDefLibrary function=1), versions=4
    out = b''.join(lfield(1, n) for n in nodes)
    if functions:
        out += lfield(2, b''.join(lfield(1, f) for f in functions))
    return out + lfield(4, vfield(1, 1205) + vfield(2, 0))


def saved_model(graph_def, assets=(), user_metadata=None):
    meta_info = lfield(4, 'serve') + lfield(5, '2.15.0')  # MetaInfoDef tags=4, tensorflow_version=5
    meta = lfield(1, meta_info) + lfield(2, graph_def)
    for filename in assets:  # AssetFileDef filename=2
        meta += lfield(6, lfield(2, filename))
    if user_metadata is not None:  # SavedObjectGraph nodes=1 → SavedObject user_object=4 → identifier=1, metadata=3
        obj = lfield(4, lfield(1, '_tf_keras_network') + lfield(3, json.dumps(user_metadata)))
        meta += lfield(7, lfield(1, obj))
    return vfield(1, 1) + lfield(2, meta)


def benign_graph():
    w = [0.1 * i for i in range(8)]
    nodes = [
        node('x', 'Placeholder', attrs=attr('dtype', attr_type(DT_FLOAT))),
        const_float('w', w, [4, 2]),
        const_float('b', [0.0, 0.5], [2]),
        node('matmul', 'MatMul', ['x', 'w']),
        node('add', 'AddV2', ['matmul', 'b']),
        node('relu', 'Relu', ['add']),
        node('dense', 'StatefulPartitionedCall', ['relu', 'w'], attr('f', attr_func('dense_fn'))),
        node('call', 'dense_fn', ['relu', 'w']),
        node('y', 'Identity', ['call']),
    ]
    dense = function('dense_fn', [
        node('mm', 'MatMul', ['x', 'w']),
        node('act', 'Relu', ['mm:product:0']),
        node('out', 'Identity', ['act:activations:0']),
    ], inputs=('x', 'w'))
    return nodes, [dense]


def keras_metadata(layers):
    objects = [lfield(3, 'root') + lfield(4, '_tf_keras_sequential') + lfield(5, json.dumps(
        {'name': 'sequential', 'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': layers}}))]
    for i, layer in enumerate(layers):
        objects.append(vfield(2, i + 1) + lfield(3, 'root.layer-%d' % i) + lfield(4, '_tf_keras_layer')
                       + lfield(5, json.dumps(layer)))
    return b''.join(lfield(1, o) for o in objects)


DENSE = {'class_name': 'Dense', 'config': {'name': 'dense', 'units': 2, 'activation': 'relu'}}
LAMBDA = {'class_name': 'Lambda', 'config': {'name': 'lambda', 'function': ['4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMI', None, None],
                                             'function_type': 'lambda'}}


# --- TFLite flatbuffer, laid out front to back (uoffsets point forward, vtables precede tables) -----
class Flat:
    def __init__(self):
        self.b = bytearray(struct.pack('<I', 0) + b'TFL3')

    def align(self, n=4):
        while len(self.b) % n:
            self.b.append(0)

    def table(self, slots):
        """slots: list of (field index, fmt, value) in table order; returns {index: position} of each slot."""
        self.align(4)
        count = max([i for i, _, _ in slots], default=-1) + 1
        vt_size = 4 + 2 * count
        vt = len(self.b)
        self.b += b'\0' * vt_size
        self.align(4)
        table = len(self.b)
        self.b += struct.pack('<i', table - vt)
        where, offsets = {}, [0] * count
        for index, fmt, value in slots:
            self.align(struct.calcsize(fmt))
            where[index] = len(self.b)
            offsets[index] = len(self.b) - table
            self.b += struct.pack('<' + fmt, value)
        self.align(4)
        struct.pack_into('<HH' + 'H' * count, self.b, vt, vt_size, len(self.b) - table, *offsets)
        return table, where

    def point(self, slot, target=None):  # patch a uoffset slot to point at target (default: the aligned end)
        self.align(4)
        struct.pack_into('<I', self.b, slot, (len(self.b) if target is None else target) - slot)

    def vector(self, count):  # returns the positions of the element slots
        self.align(4)
        self.b += struct.pack('<I', count)
        start = len(self.b)
        self.b += b'\0' * (4 * count)
        return [start + 4 * i for i in range(count)]

    def string(self, s):
        data = s.encode()
        self.b += struct.pack('<I', len(data)) + data + b'\0'


def tflite(op_codes):
    """op_codes: list of (builtin_code, custom_code or None)."""
    f = Flat()
    model, slots = f.table([(0, 'I', 3), (1, 'I', 0), (2, 'I', 0), (3, 'I', 0), (4, 'I', 0)])
    struct.pack_into('<I', f.b, 0, model)
    f.point(slots[1])
    for slot, (builtin, custom) in zip(f.vector(len(op_codes)), op_codes):
        fields = [(0, 'b', min(builtin, 127)), (2, 'i', 1), (3, 'i', builtin)]
        if custom is not None:
            fields.insert(0, (1, 'I', 0))
        code, code_slots = f.table(fields)
        f.point(slot, code)
        if custom is not None:
            f.point(code_slots[1])
            f.string(custom)
    f.point(slots[2])
    (subgraph_slot,) = f.vector(1)
    f.point(subgraph_slot, f.table([])[0])
    f.point(slots[3])
    f.string('mlsecops fixture')
    f.point(slots[4])
    (buffer_slot,) = f.vector(1)
    f.point(buffer_slot, f.table([])[0])
    return bytes(f.b)


ADD, FULLY_CONNECTED, CUSTOM = 0, 9, 32


def write(folder, name, data):
    with open(os.path.join(HERE, folder, name), 'wb') as f:
        f.write(data)


def main():
    for folder in ('benign', 'malicious'):
        shutil.rmtree(os.path.join(HERE, folder), ignore_errors=True)
        os.makedirs(os.path.join(HERE, folder))

    nodes, functions = benign_graph()
    write('benign', 'frozen_graph.pb', graph(nodes, functions))
    saver = [
        node('saver_filename', 'Placeholder', attrs=attr('dtype', attr_type(DT_STRING))),
        const_string('save/tensor_names', 'w'),
        node('save/SaveV2', 'SaveV2', ['saver_filename', 'save/tensor_names', 'save/tensor_names', 'w']),
        node('save/RestoreV2', 'RestoreV2', ['saver_filename', 'save/tensor_names', 'save/tensor_names']),
    ]
    write('benign', 'saved_model.pb', saved_model(graph(nodes + saver, functions), assets=['vocab.txt'],
                                                  user_metadata=DENSE))
    write('benign', 'keras_metadata.pb', keras_metadata([DENSE]))
    write('benign', 'model.tflite', tflite([(FULLY_CONNECTED, None), (ADD, None),
                                            (CUSTOM, 'TFLite_Detection_PostProcess')]))

    files = nodes + [
        const_string('secret_path', '/etc/passwd'),
        node('read', 'ReadFile', ['secret_path']),
        const_string('drop_path', '/tmp/.hidden/payload.sh'),
        node('write', 'WriteFile', ['drop_path', 'read']),
    ]
    write('malicious', 'graph_read_write_file.pb', graph(files, functions))
    pyfunc = function('preprocess', [node('cb', 'PyFunc', ['x'], attr('token', attr_s('pyfunc_0')))])
    write('malicious', 'saved_model_pyfunc_in_function.pb',
          saved_model(graph(nodes + [node('pre', 'preprocess', ['x'])], functions + [pyfunc])))
    write('malicious', 'graph_unknown_op.pb', graph(nodes + [node('exfil', 'ExfiltrateTensors', ['relu'])], functions))
    traversal = nodes + [
        const_string('save/Const', '../../../../home/user/.bashrc'),
        const_string('save/tensor_names', 'w'),
        node('save/SaveV2', 'SaveV2', ['save/Const', 'save/tensor_names', 'save/tensor_names', 'w']),
    ]
    write('malicious', 'saved_model_save_traversal.pb', saved_model(graph(traversal, functions),
                                                                    assets=['../../../etc/shadow']))
    write('malicious', 'keras_metadata_lambda.pb', keras_metadata([DENSE, LAMBDA]))
    write('malicious', 'saved_model_legacy_lambda.pb', saved_model(graph(nodes, functions),
                                                                   user_metadata={'class_name': 'Sequential', 'config': {'layers': [LAMBDA]}}))
    write('malicious', 'custom_op.tflite', tflite([(FULLY_CONNECTED, None), (CUSTOM, 'MyVendorOp')]))
    write('malicious', 'flex_readfile.tflite', tflite([(ADD, None), (CUSTOM, 'FlexReadFile'), (CUSTOM, 'FlexAddV2')]))


if __name__ == '__main__':
    main()
