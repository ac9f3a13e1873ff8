"""Generates the ONNX fixtures: real models made with onnx.helper (benign/) and hand-altered ones
(malicious/). Run with Debian's python3 (python3-onnx, python3-numpy) from this folder:

    /usr/bin/python3 generate.py

Nothing here is ever loaded or run by the tests; malicious files are built, never executed.
"""
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid('', 13)]


def reset(folder):
    path = os.path.join(HERE, folder)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def mlp():
    rng = np.random.default_rng(0)
    w1 = numpy_helper.from_array(rng.standard_normal((4, 8)).astype(np.float32), 'w1')
    b1 = numpy_helper.from_array(np.zeros(8, np.float32), 'b1')
    w2 = numpy_helper.from_array(rng.standard_normal((8, 2)).astype(np.float32), 'w2')
    nodes = [
        helper.make_node('MatMul', ['x', 'w1'], ['h0'], name='fc1'),
        helper.make_node('Add', ['h0', 'b1'], ['h1'], name='bias1'),
        helper.make_node('Relu', ['h1'], ['h2'], name='relu'),
        helper.make_node('MatMul', ['h2', 'w2'], ['y'], name='fc2'),
    ]
    graph = helper.make_graph(
        nodes,
        'mlp',
        [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 2])],
        [w1, b1, w2],
    )
    return helper.make_model(graph, opset_imports=OPSET, producer_name='mlsecops-fixtures')


def with_if():
    def branch(name, op):
        return helper.make_graph(
            [helper.make_node(op, ['x', 'x'], ['out'])],
            name,
            [],
            [helper.make_tensor_value_info('out', TensorProto.FLOAT, [2])],
        )

    node = helper.make_node(
        'If', ['cond'], ['y'], then_branch=branch('then', 'Add'), else_branch=branch('else', 'Mul'), name='choose'
    )
    graph = helper.make_graph(
        [node],
        'if_model',
        [
            helper.make_tensor_value_info('cond', TensorProto.BOOL, []),
            helper.make_tensor_value_info('x', TensorProto.FLOAT, [2]),
        ],
        [helper.make_tensor_value_info('y', TensorProto.FLOAT, [2])],
    )
    return helper.make_model(graph, opset_imports=OPSET, producer_name='mlsecops-fixtures')


def with_function():
    fn = helper.make_function(
        'local.fns',
        'Square',
        ['a'],
        ['b'],
        [helper.make_node('Mul', ['a', 'a'], ['b'])],
        OPSET,
    )
    graph = helper.make_graph(
        [helper.make_node('Square', ['x'], ['y'], domain='local.fns', name='sq')],
        'fn_model',
        [helper.make_tensor_value_info('x', TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info('y', TensorProto.FLOAT, [2])],
    )
    return helper.make_model(
        graph,
        opset_imports=OPSET + [helper.make_opsetid('local.fns', 1)],
        functions=[fn],
        producer_name='mlsecops-fixtures',
    )


def external_model(folder, name):
    model = mlp()
    path = os.path.join(folder, name)
    onnx.save_model(
        model, path, save_as_external_data=True, all_tensors_to_one_file=True,
        location=name + '.data', size_threshold=0,
    )
    return path


def set_location(model, location, offset=None, length=None):
    for tensor in model.graph.initializer:
        for entry in tensor.external_data:
            if entry.key == 'location':
                entry.value = location
            if entry.key == 'offset' and offset is not None:
                entry.value = str(offset)
            if entry.key == 'length' and length is not None:
                entry.value = str(length)


def main():
    benign = reset('benign')
    onnx.save_model(mlp(), os.path.join(benign, 'mlp.onnx'))
    onnx.save_model(with_if(), os.path.join(benign, 'if_subgraph.onnx'))
    onnx.save_model(with_function(), os.path.join(benign, 'local_function.onnx'))
    os.makedirs(os.path.join(benign, 'external'))
    external_model(os.path.join(benign, 'external'), 'mlp_external.onnx')

    bad = reset('malicious')
    base = onnx.load(os.path.join(benign, 'external', 'mlp_external.onnx'), load_external_data=False)

    def variant(name, location, **kw):
        model = onnx.ModelProto()
        model.CopyFrom(base)
        set_location(model, location, **kw)
        with open(os.path.join(bad, name), 'wb') as f:
            f.write(model.SerializeToString())

    variant('external_absolute.onnx', '/etc/passwd')
    variant('external_traversal.onnx', '../../../../etc/passwd')
    # The symlink itself is made by the test at run time (never committed); this model names it.
    os.makedirs(os.path.join(bad, 'symlink'))
    variant(os.path.join('symlink', 'external_symlink.onnx'), 'weights.bin')
    # A real data file of 40 bytes, with a tensor claiming bytes past its end.
    os.makedirs(os.path.join(bad, 'range'))
    with open(os.path.join(bad, 'range', 'short.data'), 'wb') as f:
        f.write(b'\0' * 40)
    variant(os.path.join('range', 'external_past_end.onnx'), 'short.data', offset=4096, length=128)
    variant('external_missing.onnx', 'not_shipped.data')

    custom = mlp()
    custom.graph.node.append(helper.make_node('Exfiltrate', ['y'], ['z'], domain='evil.ops', name='custom'))
    custom.opset_import.append(helper.make_opsetid('evil.ops', 1))
    onnx.save_model(custom, os.path.join(bad, 'custom_domain.onnx'))

    pyop = mlp()
    pyop.graph.node.append(
        helper.make_node(
            'PyOp', ['y'], ['z'], domain='ai.onnx.contrib', name='py',
            module='os', class_name='system', compute='compute',
        )
    )
    pyop.opset_import.append(helper.make_opsetid('ai.onnx.contrib', 1))
    onnx.save_model(pyop, os.path.join(bad, 'pyop.onnx'))

    python_op = with_if()
    # com.microsoft PythonOp hidden in the else branch of an If: only a walk of subgraphs finds it.
    else_branch = python_op.graph.node[0].attribute[0].g if python_op.graph.node[0].attribute[0].name == 'else_branch' else python_op.graph.node[0].attribute[1].g
    else_branch.node.append(
        helper.make_node('PythonOp', ['out'], ['out2'], domain='com.microsoft', name='autograd', func_name='evil.Fn')
    )
    python_op.opset_import.append(helper.make_opsetid('com.microsoft', 1))
    onnx.save_model(python_op, os.path.join(bad, 'pythonop_in_subgraph.onnx'))


if __name__ == '__main__':
    main()
