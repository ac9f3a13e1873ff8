// A sample model server for trying the gateway: a JSON REST `predict` endpoint and an
// OpenAI-compatible chat endpoint that can stream (SSE). Run: node examples/gateway/upstream.mjs [port]
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 9000);

function readBody(request) {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
  });
}

const server = createServer(async (request, response) => {
  const body = await readBody(request);
  if (request.url === '/v1/models/ranker:predict' && request.method === 'POST') {
    const { instances = [] } = JSON.parse(body || '{}');
    const predictions = instances.map((row) => ({ score: row.reduce((a, b) => a + b, 0) / Math.max(1, row.length) }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ predictions }));
    return;
  }
  if (request.url === '/v1/chat/completions' && request.method === 'POST') {
    const { stream = false } = JSON.parse(body || '{}');
    const words = ['Hello', ' from', ' the', ' sample', ' model.'];
    if (!stream) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: words.join('') } }],
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const word of words) {
      response.write(
        `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word } }] })}\n\n`,
      );
      await new Promise((done) => setTimeout(done, 100));
    }
    response.end('data: [DONE]\n\n');
    return;
  }
  response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
});

server.listen(port, '127.0.0.1', () => process.stderr.write(`sample model server on http://127.0.0.1:${port}\n`));
