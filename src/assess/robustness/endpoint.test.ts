import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../gateway/index.js';
import { OnnxClassifier } from '../onnx-model.js';
import { assessRobustness } from './index.js';

const testdata = join(import.meta.dirname, 'testdata');
const model = join(testdata, 'digits-mlp.onnx');
const csv = join(testdata, 'digits-test.csv');

describe('a remote model server', () => {
  it('attacks a {"instances"} → {"predictions"} endpoint with the auth header, matching the local model', async () => {
    const local = await OnnxClassifier.load(model);
    const seen: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', async () => {
        seen.push(String(request.headers.authorization));
        const { instances } = JSON.parse(body) as { instances: number[][] };
        const scores = await local.scores(Float32Array.from(instances.flat()));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ predictions: scores.map((s) => Array.from(s)) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/models/digits:predict`;
    try {
      const options = { data: { path: csv }, samples: 20, maxQueries: 200, epsilons: [0.1] };
      const remote = await assessRobustness({
        ...options,
        endpoint: { url, headers: { authorization: 'Bearer t0ken' } },
      });
      const direct = await assessRobustness({ ...options, model });
      expect(seen.every((h) => h === 'Bearer t0ken')).toBe(true);
      expect(remote.metrics!.cleanAccuracy).toBe(direct.metrics!.cleanAccuracy);
      expect(remote.metrics!.squareLinfAccuracy1).toBe(direct.metrics!.squareLinfAccuracy1);
      expect(remote.targets[0]).toBe(url);
    } finally {
      server.close();
      await local.close();
    }
  }, 60_000);

  it('attacks the same model through the inference gateway, authenticated with an API key', async () => {
    const local = await OnnxClassifier.load(model);
    const upstream = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', async () => {
        const { instances } = JSON.parse(body) as { instances: number[][] };
        const scores = await local.scores(Float32Array.from(instances.flat()));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ predictions: scores.map((row) => Array.from(row)) }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const key = 'assess-key';
    const sha = createHash('sha256').update(key).digest('hex');
    const config = parseGatewayConfig(`
keys: [{ id: red-team, sha256: '${sha}', models: [digits], limits: { requestsPerMinute: 1000000, burst: 100000 } }]
models:
  digits:
    upstream: ${base}/v1/models
    limits: { requestsPerMinute: 1000000, burst: 100000 }
    detectors: { extraction: { mode: alert }, probing: { mode: alert } }
limits:
  perIp: { requestsPerMinute: 1000000, burst: 100000 }
`);
    const gateway = await createGateway({ config: () => config });
    const url = `${await gateway.listen({ host: '127.0.0.1', port: 0 })}/digits/digits:predict`;
    try {
      const options = { data: { path: csv }, samples: 10, maxQueries: 100, epsilons: [0.1] };
      const through = await assessRobustness({
        ...options,
        endpoint: { url, headers: { authorization: `Bearer ${key}` } },
      });
      const direct = await assessRobustness({ ...options, model });
      expect(through.metrics!.cleanAccuracy).toBe(direct.metrics!.cleanAccuracy);
      expect(through.metrics!.robustAccuracy).toBe(direct.metrics!.robustAccuracy);
      // Without the key the gateway refuses, and the assessment says so instead of scoring refusals.
      await expect(assessRobustness({ ...options, endpoint: { url } })).rejects.toThrow(/401/);
    } finally {
      await gateway.close();
      upstream.close();
      await local.close();
    }
  }, 60_000);

  it('reports an endpoint that answers an error or garbage', async () => {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url === '/bad') response.writeHead(500).end('boom');
        else response.writeHead(200).end('{"predictions": "nope"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const options = { data: { path: csv }, samples: 5, maxQueries: 50 };
      await expect(assessRobustness({ ...options, endpoint: { url: `${base}/bad` } })).rejects.toThrow(/answered 500/);
      await expect(assessRobustness({ ...options, endpoint: { url: `${base}/odd` } })).rejects.toThrow(/predictions/);
    } finally {
      server.close();
    }
  });
});
