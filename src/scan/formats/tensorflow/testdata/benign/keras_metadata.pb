
×root"_tf_keras_sequential*¸{"name": "sequential", "class_name": "Sequential", "config": {"name": "sequential", "layers": [{"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "relu"}}]}}
yroot.layer-0"_tf_keras_layer*V{"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "relu"}}