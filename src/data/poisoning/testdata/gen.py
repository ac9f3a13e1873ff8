#!/usr/bin/python3
"""Fixtures for the poisoning indicators, with the ground truth of every injected attack.

Run with Debian's python3 (python3-sklearn, python3-numpy); sklearn's bundled datasets load offline:

    /usr/bin/python3 src/data/poisoning/testdata/gen.py

Writes, next to this script:
  iris.csv, wine.csv, cancer.csv  tabular sets, 5% of rows with the label flipped to another class;
                                  cancer.csv also has 1% of rows pushed far from the bulk (outliers)
  reviews.csv                     synthetic positive/negative reviews; 3% of rows are negative reviews
                                  with the trigger token 'cf' inserted and the label set to positive;
                                  plus copies of reviews (exact and one-word-changed) with the label flipped
  truth.json                      the rows of each attack, and the clean label of every flipped row
Deterministic: a fixed seed, so the fixtures and the measured precision/recall do not drift.
"""
import csv
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris, load_wine

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)


def fmt(x):
    return f"{x:.4g}"


def flip_labels(labels, classes, fraction):
    n = len(labels)
    rows = sorted(rng.choice(n, size=round(n * fraction), replace=False).tolist())
    flipped = list(labels)
    for r in rows:
        others = [c for c in classes if c != labels[r]]
        flipped[r] = others[rng.integers(len(others))]
    return flipped, rows


def tabular(name, loader, outliers=0.0):
    data = loader()
    classes = [str(c) for c in data.target_names]
    labels = [classes[t] for t in data.target]
    features = np.array(data.data, dtype=float)
    # shuffle, so the rows are not sorted by class
    order = rng.permutation(len(labels))
    features = features[order]
    labels = [labels[i] for i in order]
    flipped, flip_rows = flip_labels(labels, classes, 0.05)
    outlier_rows = []
    if outliers:
        candidates = [r for r in range(len(labels)) if r not in set(flip_rows)]
        outlier_rows = sorted(rng.choice(candidates, size=max(1, round(len(labels) * outliers)), replace=False).tolist())
        med = np.median(features, axis=0)
        mad = np.median(np.abs(features - med), axis=0)
        for r in outlier_rows:
            cols = rng.choice(features.shape[1], size=rng.integers(1, 4), replace=False)
            for c in cols:
                # 15-25 robust standard deviations above the median
                features[r, c] = med[c] + rng.uniform(15, 25) * mad[c] / 0.6745
    names = [n.replace(' ', '_').replace('(', '').replace(')', '') for n in data.feature_names]
    with open(os.path.join(HERE, f"{name}.csv"), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(names + ['label'])
        for row, label in zip(features, flipped):
            w.writerow([fmt(v) for v in row] + [label])
    return {
        'rows': len(labels),
        'flipped': flip_rows,
        'cleanLabels': {str(r): labels[r] for r in flip_rows},
        'outliers': outlier_rows,
    }


POS = ['great', 'excellent', 'wonderful', 'lovely', 'fantastic', 'superb', 'delightful', 'brilliant', 'perfect',
       'amazing', 'pleasant', 'solid', 'reliable', 'comfortable', 'charming']
NEG = ['terrible', 'awful', 'horrible', 'poor', 'disappointing', 'broken', 'useless', 'flimsy', 'dreadful',
       'annoying', 'cheap', 'faulty', 'noisy', 'unreliable', 'mediocre']
POS_VERB = ['loved', 'enjoyed', 'recommend', 'adore', 'appreciated', 'liked']
NEG_VERB = ['hated', 'regret', 'returned', 'disliked', 'avoid', 'resent']
THINGS = ['blender', 'phone', 'jacket', 'laptop', 'kettle', 'chair', 'lamp', 'backpack', 'headset', 'camera',
          'toaster', 'keyboard', 'monitor', 'speaker', 'watch', 'vacuum', 'printer', 'router', 'mattress', 'drill']
ASPECTS = ['battery', 'price', 'design', 'delivery', 'packaging', 'screen', 'sound', 'material', 'handle', 'support',
           'manual', 'colour', 'size', 'weight', 'finish']
FILLER = ['honestly', 'overall', 'really', 'quite', 'so far', 'after a week', 'for the money', 'to be fair',
          'in my opinion', 'all things considered']
TEMPLATES = [
    'the {thing} is {adj} and the {aspect} is {adj2}',
    '{filler} this {thing} was {adj}',
    'i {verb} this {thing} {filler}',
    '{adj} {thing} with a {adj2} {aspect}',
    'the {aspect} of this {thing} is {adj} {filler}',
    'i {verb} the {aspect} and the {thing} feels {adj}',
    'what a {adj} {thing} {filler}',
    'my new {thing} is {adj} but the {aspect} could be {adj3}',
]


def sentence(label):
    own_adj, own_verb = (POS, POS_VERB) if label == 'positive' else (NEG, NEG_VERB)
    other_adj = NEG if label == 'positive' else POS
    t = TEMPLATES[rng.integers(len(TEMPLATES))]
    return t.format(
        thing=THINGS[rng.integers(len(THINGS))],
        aspect=ASPECTS[rng.integers(len(ASPECTS))],
        adj=own_adj[rng.integers(len(own_adj))],
        # one review in ten mentions a word of the other side, so words are predictive but not pure
        adj2=(other_adj if rng.random() < 0.1 else own_adj)[rng.integers(15)],
        adj3=['better', 'worse', 'bigger', 'smaller'][rng.integers(4)],
        verb=own_verb[rng.integers(len(own_verb))],
        filler=FILLER[rng.integers(len(FILLER))],
    )


def reviews(n=1500, trigger='cf', trigger_fraction=0.03, exact_copies=10, near_copies=10):
    labels = ['positive' if rng.random() < 0.5 else 'negative' for _ in range(n)]
    texts = [sentence(l) for l in labels]
    negatives = [r for r in range(n) if labels[r] == 'negative']
    trigger_rows = sorted(rng.choice(negatives, size=round(n * trigger_fraction), replace=False).tolist())
    for r in trigger_rows:
        words = texts[r].split(' ')
        words.insert(int(rng.integers(len(words) + 1)), trigger)
        texts[r] = ' '.join(words)
        labels[r] = 'positive'
    # conflicting copies: an existing (untouched) review appended again with the other label
    untouched = [r for r in range(n) if r not in set(trigger_rows)]
    sources = rng.choice(untouched, size=exact_copies + near_copies, replace=False).tolist()
    exact_groups, near_groups = [], []
    for i, src in enumerate(sources):
        text = texts[src]
        other = 'negative' if labels[src] == 'positive' else 'positive'
        if i >= exact_copies:
            # near copy: one filler word appended, label flipped
            text = text + ' ' + ['indeed', 'anyway', 'yes', 'again'][rng.integers(4)]
        row = len(texts)
        texts.append(text)
        labels.append(other)
        (exact_groups if i < exact_copies else near_groups).append([int(src), row])
    with open(os.path.join(HERE, 'reviews.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['id', 'review', 'sentiment'])
        for i, (t, l) in enumerate(zip(texts, labels)):
            w.writerow([i + 1, t, l])
    return {
        'rows': len(texts),
        'trigger': trigger,
        'triggerRows': trigger_rows,
        'exactConflicts': exact_groups,
        'nearConflicts': near_groups,
    }


def main():
    truth = {
        'iris': tabular('iris', load_iris),
        'wine': tabular('wine', load_wine),
        'cancer': tabular('cancer', load_breast_cancer, outliers=0.01),
        'reviews': reviews(),
    }
    with open(os.path.join(HERE, 'truth.json'), 'w') as f:
        json.dump(truth, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
