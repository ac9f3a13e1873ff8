/**
 * Prompt-injection and jailbreak rules: fast, explainable patterns over the text of a chat request.
 * Each hit names its rule, so an alert says why. Text is normalised first (Unicode compatibility form,
 * invisible characters removed, leetspeak folded) so trivial obfuscation does not hide a phrase, and
 * encoded payloads (base64, hex, rot13) are decoded and checked too.
 */
export interface PromptHit {
  readonly rule: string;
  readonly evidence: string;
}

interface Rule {
  readonly id: string;
  readonly pattern: RegExp;
}

/**
 * Long role-play jailbreaks rarely share a phrase, but they share a shape: they set up a persona,
 * demand that it complies with anything, and talk about the rules it is to drop. All three together
 * are the finding; each alone is ordinary (a tutor persona, "answer any question", a policy question).
 */
const FRAMING: readonly { readonly part: string; readonly pattern: RegExp }[] = [
  {
    part: 'persona',
    pattern:
      /\b(?:you are (?:now |about to |going to )?(?:be|act|play|simulate|pose|respond)|you will (?:now )?(?:be|play|act|pose|respond|answer)|from now on|role-?play|pretend|act as|simulate|play the role|take on the role|pose as|answer as|respond as|stay in character|continue as|operate (?:under|as)|known as|(?:chatbot|character|persona|model|ai) (?:named|called))\b/i,
  },
  {
    part: 'compliance',
    pattern:
      /\b(?:never (?:deny|decline|refuse|reject)s?|(?:cannot|can't|can not|won't|will not|must not|should not) (?:decline|refuse|deny|reject)|always (?:answer|respond|comply|provide|fulfil)s?|no matter (?:how|what)|regardless of|without (?:question|hesitation|warnings?)|any (?:request|question|prompt)s?\b[^.]{0,40}\b(?:answer|respond|provide|fulfil)|(?:does not|doesn't|don't|do not|will not|won't) (?:follow|care about|have|abide by|adhere to)(?: any)? (?:rules|guidelines|ethics|morals|restrictions|policies|filters)|can (?:say|do) anything|will (?:answer|respond to) (?:any|every|all)\b|(?:completely|totally) (?:unhinged|unfiltered|uncensored|amoral)|no (?:limits|restrictions|filters|censorship)\b|the (?:exact )?opposite)/i,
  },
  {
    part: 'rules',
    pattern:
      /\b(?:openai|content polic(?:y|ies)|ethic(?:s|al)|moral(?:s|ity)?|censor(?:ship|ed)?|filter(?:s|ed)?|restrict(?:ions|ed)|illegal|unethical|harmful|offensive|inappropriate|profanity)\b/i,
  },
];

function framing(text: string): string | undefined {
  const parts: string[] = [];
  for (const { part, pattern } of FRAMING) {
    const match = pattern.exec(text);
    if (!match) return undefined;
    parts.push(`${part}: "${match[0]}"`);
  }
  return parts.join('; ');
}

/** Verbs that set earlier guidance aside, and what they set aside. */
const SET_ASIDE = `(?:ignore|disregard|forget|override|bypass|drop|discard|abandon|skip|remove|pay no attention to|stop following)`;
const GUIDANCE = `(?:instructions?|prompts?|rules|directions?|guidelines?|context|orders|commands|directives|tasks?)`;
const UNRESTRICTED = `(?:restrictions|limitations|limits|filters|filtering|censorship|rules|guidelines|policies|boundaries|constraints)`;

const RULES: readonly Rule[] = [
  {
    id: 'instruction-override',
    pattern: new RegExp(
      String.raw`\b${SET_ASIDE}\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|preceding|foregoing|all|any|your|system|original)\b[^.\n]{0,30}\b${GUIDANCE}\b` +
        String.raw`|\b(?:ignore|disregard|forget)\s+(?:everything|all|anything)\s+(?:(?:you\s+were\s+told\s+)?(?:before|above|previously|so far|until now)|(?:i|you)\s+(?:said|told you|were told))` +
        String.raw`|\b(?:ignore|disregard|forget)\s+(?:the\s+)?(?:above|previous|preceding)(?:\s+and|\s*[,.!:])`,
      'i',
    ),
  },
  {
    id: 'new-instructions',
    pattern:
      /\b(?:new|updated|real|actual|different)\s+(?:system\s+)?instructions?\s*(?::|\b(?:are|is|follow)\b)|\byour\s+(?:new\s+)?instructions\s+are\s+now\b|\bchange\s+your\s+(?:instructions|rules|programming)\b/i,
  },
  {
    id: 'system-prompt-extraction',
    pattern:
      /\b(?:reveal|print|show|repeat|output|tell me|display|leak|write out|spell out)\b[^.\n]{0,40}\b(?:(?:your|the)\s+(?:system|initial|original|hidden|secret|first)\s+(?:prompt|instructions|message)|system\s+prompt|(?:your|the)\s+prompt\s+(?:text|above)|(?:everything|all|the text|the words)\s+(?:above|before (?:this|that|the)))\b|\bwhat\s+(?:was|is)\s+written\s+(?:at\s+the\s+(?:beginning|start|top)\s+of|above)\b/i,
  },
  {
    id: 'role-play-jailbreak',
    // Named jailbreak personas are matched in capitals only: "dan", "aim" and "dude" are ordinary words.
    pattern: new RegExp(
      String.raw`\b(?:DAN|AIM|STAN|DUDE|UCAR|BH|OPPO|NRAF|KEVIN|APOPHIS)\b(?=[^\n]{0,200}\b(?:[Ss]tay in character|[Nn]ever refuse|[Aa]nything|[Rr]ules|[Rr]estrictions|[Ff]ilter|[Pp]olic(?:y|ies)|[Uu]nfiltered|[Aa]moral|[Ee]thic))` +
        String.raw`|\b(?:[Dd]o [Aa]nything [Nn]ow|[Jj]ailbreak(?:ed)? mode|you (?:are|have been) jailbroken|[Dd]eveloper [Mm]ode (?:enabled|output|response)|(?:[Ss]imulate|[Ee]nable|[Ee]nter|[Aa]ct in) (?:the )?Developer Mode|[Ee]vil (?:trusted )?confidant)\b`,
    ),
  },
  {
    id: 'persona-switch',
    pattern: new RegExp(
      String.raw`\b(?:you are now|you will now be|from now on,? you (?:are|will)|pretend (?:to be|you are)|act as|play the role of|take on the role of|simulate|roleplay as)\b[^\n]{0,300}\b(?:(?:no|without|free (?:of|from)|not (?:bound|limited|restricted) by|ignores?|beyond)\s+(?:any\s+|all\s+|the\s+)?(?:(?:moral|ethical|legal|content|openai|safety)\s+)?${UNRESTRICTED}|amoral|unfiltered|uncensored|never refuses?)`,
      'i',
    ),
  },
  {
    id: 'restriction-removal',
    pattern: new RegExp(
      String.raw`\b(?:free (?:of|from) all ${UNRESTRICTED}|not bound by (?:any |the )?(?:\w+\s+){0,2}${UNRESTRICTED}|(?:no|without (?:any )?)(?:moral|ethical)\s+(?:principles|guidelines|restrictions|constraints|limits|considerations)|(?:you|it) (?:have|has) no ${UNRESTRICTED}(?: on (?:your|its) (?:output|responses|answers))?|(?:answer|respond|reply)\b[^.\n]{0,40}\bwithout (?:any )?(?:warnings?|${UNRESTRICTED})|(?:ignore|bypass|violate)s?\s+(?:all\s+)?(?:of\s+)?(?:openai's|the|your|its)\s+content polic(?:y|ies)|(?:will|must|should) (?:never|not) refuse (?:a|any)\s+(?:request|question|prompt))\b`,
      'i',
    ),
  },
  {
    id: 'guardrail-removal',
    pattern:
      /\b(?:disable|turn off|remove|ignore|bypass|deactivate)\b[^.\n]{0,20}\b(?:safety|content|moderation)\s*(?:filters?|policy|policies|guidelines|guardrails|settings|checks)\b/i,
  },
  {
    id: 'dual-response',
    pattern:
      /\b(?:two|2|both)\s+(?:different\s+|separate\s+)?(?:responses|answers|ways|replies)\b[^\n]{0,200}\b(?:normal|filtered|classic|standard|censored|as (?:chatgpt|gpt|the ai))\b[^\n]{0,200}\b(?:unfiltered|uncensored|jailbr\w*|without (?:any )?(?:restrictions|filters|rules)|no (?:restrictions|filters|rules)|opposite|evil|developer mode)\b/i,
  },
  {
    id: 'output-hijack',
    pattern:
      /\bstop everything\b|\bdo not (?:answer|respond to) (?:this|the|my) (?:question|request)\b[^.\n]{0,40}\b(?:but|instead|just)\b|\b(?:ignore|forget)\b[^.\n]{0,60}\band (?:just |only |instead )?(?:say|print|output|write|reply with)\b/i,
  },
];

/** Characters removed before the rules read the text: zero-width, bidirectional controls, tags. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/gu;
/**
 * The ones that are a finding by themselves. Joiners (U+200C/D) and direction marks (U+200E/F) are
 * ordinary in Persian, Indic scripts, emoji sequences and right-to-left text, so they are only removed.
 */
const SUSPICIOUS_INVISIBLE = /[\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\u{e0000}-\u{e007f}]|(?<=.)\ufeff/u;
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/** Text as a reader would see it: compatibility forms folded, invisible characters removed, leetspeak undone. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/(?<=[a-z])[013457@$](?=[a-z])|(?<=\s)[013457@$](?=[a-z]{2})/gi, (c) => LEET[c] ?? c);
}

function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/**
 * Payloads hidden in encodings: long base64 or hex runs (read from the raw text: folding leetspeak
 * would corrupt them) that decode to printable text, and the rot13 reading of the normalised text.
 */
function decodedPayloads(text: string, plain: string): { encoding: string; text: string }[] {
  const out: { encoding: string; text: string }[] = [];
  for (const match of text.matchAll(/[A-Za-z0-9+/]{24,}={0,2}/g)) {
    const decoded = Buffer.from(match[0], 'base64').toString('utf8');
    if (/^[\x20-\x7e\s]{16,}$/.test(decoded)) out.push({ encoding: 'base64', text: decoded });
    if (out.length >= 20) break;
  }
  for (const match of text.matchAll(/\b(?:[0-9a-f]{2}){16,}\b/gi)) {
    const decoded = Buffer.from(match[0], 'hex').toString('utf8');
    if (/^[\x20-\x7e\s]{16,}$/.test(decoded)) out.push({ encoding: 'hex', text: decoded });
    if (out.length >= 40) break;
  }
  out.push({ encoding: 'rot13', text: rot13(plain) });
  return out;
}

/** Every rule that matches the text, directly or inside a decoded payload; invisible characters are a hit too. */
export function promptHits(text: string, maxChars = 100_000): PromptHit[] {
  const sample = text.length > maxChars ? text.slice(0, maxChars) : text;
  const hits: PromptHit[] = [];
  if (SUSPICIOUS_INVISIBLE.test(sample))
    hits.push({ rule: 'invisible-unicode', evidence: 'zero-width, bidirectional-override or tag characters' });
  const plain = normalise(sample);
  for (const rule of RULES) {
    const match = rule.pattern.exec(plain);
    if (match) hits.push({ rule: rule.id, evidence: match[0].slice(0, 120) });
  }
  const framed = framing(plain);
  if (framed) hits.push({ rule: 'jailbreak-framing', evidence: framed.slice(0, 200) });
  for (const payload of decodedPayloads(sample, plain)) {
    for (const rule of RULES) {
      const match = rule.pattern.exec(payload.text);
      if (match && !hits.some((hit) => hit.rule === `${rule.id}:${payload.encoding}`)) {
        hits.push({ rule: `${rule.id}:${payload.encoding}`, evidence: match[0].slice(0, 120) });
      }
    }
  }
  return hits;
}

/** The text of an OpenAI-style chat or completion request to judge: user, assistant and tool messages, and the prompt. */
export function requestText(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const parts: string[] = [];
  const { messages, prompt, input } = body as { messages?: unknown; prompt?: unknown; input?: unknown };
  if (Array.isArray(messages)) {
    for (const message of messages.slice(0, 1000)) {
      // System and developer messages are the operator's own instructions, not input to judge.
      const role = (message as { role?: unknown })?.role;
      if (role === 'system' || role === 'developer') continue;
      const content = (message as { content?: unknown })?.content;
      if (typeof content === 'string') parts.push(content);
      else if (Array.isArray(content)) {
        for (const part of content.slice(0, 100)) {
          const partText = (part as { text?: unknown })?.text;
          if (typeof partText === 'string') parts.push(partText);
        }
      }
    }
  }
  for (const value of [prompt, input]) {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value))
      for (const item of value.slice(0, 100)) if (typeof item === 'string') parts.push(item);
  }
  return parts.join('\n');
}
