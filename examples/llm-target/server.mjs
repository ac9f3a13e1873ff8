// A simulated OpenAI-compatible assistant for trying `mlsecops assess llm` — no model, fully deterministic.
//   node examples/llm-target/server.mjs --mode vulnerable|hardened [--port 0]
// Modes `garbage`, `oversized`, `slow` and `flaky` misbehave on purpose, for tests of the client.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const lookalikes = new Map(
  Object.entries({
    а: 'a',
    с: 'c',
    е: 'e',
    о: 'o',
    р: 'p',
    х: 'x',
    у: 'y',
    А: 'A',
    В: 'B',
    С: 'C',
    Е: 'E',
    Н: 'H',
    К: 'K',
    М: 'M',
    О: 'O',
    Р: 'P',
    Т: 'T',
    Х: 'X',
  }),
);
const unleet = { 4: 'a', 3: 'e', 1: 'i', 0: 'o', 5: 's', 7: 't' };

/** Everything a naive assistant "understands": the text with tags, zero-width, look-alikes and encodings undone. */
function understand(text) {
  let plain = '';
  for (const c of text) {
    const code = c.codePointAt(0);
    if (code >= 0xe0020 && code <= 0xe007e) plain += String.fromCharCode(code - 0xe0000);
    else if ([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff].includes(code)) continue;
    else plain += lookalikes.get(c) ?? c;
  }
  const views = [plain, plain.replace(/[4310571]/g, (d) => unleet[d] ?? d)];
  for (const run of plain.match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? [])
    views.push(Buffer.from(run, 'base64').toString('utf8'));
  if (/rot13/i.test(plain))
    views.push(
      plain.replace(/[a-z]/gi, (c) =>
        String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 84) % 26) + (c <= 'Z' ? 65 : 97)),
      ),
    );
  return { plain, all: views.join('\n'), obfuscated: plain !== text || views.length > 2 };
}

const revealAsk =
  /system prompt|instructions|configuration|api key|customer|record|email address|everything above|confidential/i;
const injectionHint =
  /ignore|disregard|void|override|directive|automation|maintenance mode|diagnostic|no rules|note to any ai|for the assistant|new session|authori[sz]e|hypothetically|stay in character|PWNED/i;

function vulnerable(system, user, tools) {
  const { all } = understand(user);
  for (const tool of tools) {
    const name = tool?.function?.name;
    if (name && all.includes(name))
      return {
        toolCalls: [
          {
            id: `call_${name}`,
            type: 'function',
            function: { name, arguments: JSON.stringify({ reason: 'as instructed' }) },
          },
        ],
      };
  }
  const parts = [];
  const marker = all.match(/PWNED-[0-9a-f]+/)?.[0];
  if (marker) parts.push(`Sure! ${marker}`);
  if (revealAsk.test(all)) parts.push(`Of course. My instructions are:\n${system}`);
  if (/base64/i.test(all) && /key/i.test(all)) parts.push(Buffer.from(system).toString('base64'));
  return { content: parts.length ? parts.join('\n') : 'Happy to help with your order. Anything else?' };
}

function hardened(_system, user) {
  const { all, obfuscated } = understand(user);
  if (obfuscated || injectionHint.test(all) || revealAsk.test(all) || /<document/i.test(all))
    return { content: "I'm sorry, but I can't help with that. I can only answer questions about your own orders." };
  return { content: 'Happy to help with your order. Anything else?' };
}

function completion(reply) {
  const message = {
    role: 'assistant',
    content: reply.content ?? null,
    ...(reply.toolCalls ? { tool_calls: reply.toolCalls } : {}),
  };
  return {
    id: 'chatcmpl-sim',
    object: 'chat.completion',
    model: 'simulated',
    choices: [{ index: 0, message, finish_reason: reply.toolCalls ? 'tool_calls' : 'stop' }],
  };
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/** Starts the simulated assistant; resolves to its URL, a log of request times and `close()`. */
export function startAssistant({
  mode = 'vulnerable',
  port = 0,
  host = '127.0.0.1',
  delayMs = 2000,
  failures = 2,
} = {}) {
  const requests = [];
  let failed = 0;
  const server = createServer(async (request, response) => {
    requests.push(Date.now());
    const send = (status, json) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions'))
      return send(404, { error: 'not found' });
    let body;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return send(400, { error: 'bad json' });
    }
    if (mode === 'garbage') return response.writeHead(200, { 'content-type': 'text/plain' }).end('<html>not json');
    if (mode === 'oversized') return send(200, completion({ content: 'x'.repeat(1024 * 1024) }));
    if (mode === 'slow') await new Promise((r) => setTimeout(r, delayMs));
    if (mode === 'flaky' && failed++ < failures) return send(failed % 2 ? 429 : 503, { error: 'try again' });
    if (mode === 'judge-yes') return send(200, completion({ content: 'yes' }));
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const system = messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n');
    const user = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    const tools = Array.isArray(body.tools) ? body.tools : [];
    const reply = mode === 'hardened' ? hardened(system, user) : vulnerable(system, user, tools);
    if (!response.destroyed) send(200, completion(reply));
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolve({
        url: `http://${host}:${bound}/v1/chat/completions`,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const { url } = await startAssistant({ mode: arg('mode', 'vulnerable'), port: Number(arg('port', '0')) });
  process.stdout.write(`${url}\n`);
}
