'use strict';
// Shared helpers for the Node client-matrix scripts (soap_matrix.js, mturk_api_matrix.js):
// the command line every scenario takes, the legacy signature, the simulated-worker admin
// API, XML helpers and assertions. Node's standard library only.

const crypto = require('crypto');
const http = require('http');

const SERVICE = 'AWSMechanicalTurkRequester';
const QF_NS = 'http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd';
const QFA_NS = 'http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd';

function parseArgs(argv) {
  const env = process.env;
  const args = {
    endpoint: env.TURKSTAND_ENDPOINT,
    accessKey: env.TURKSTAND_ACCESS_KEY,
    secret: env.TURKSTAND_SECRET,
    otherAccessKey: env.TURKSTAND_OTHER_ACCESS_KEY,
    otherSecret: env.TURKSTAND_OTHER_SECRET,
    verbose: false,
  };
  const names = {
    '--endpoint': 'endpoint', '--access-key': 'accessKey', '--secret': 'secret',
    '--other-access-key': 'otherAccessKey', '--other-secret': 'otherSecret',
    '--poor-access-key': 'poorAccessKey', '--poor-secret': 'poorSecret',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-v' || a === '--verbose') args.verbose = true;
    else if (names[a] && i + 1 < argv.length) args[names[a]] = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  for (const k of ['endpoint', 'accessKey', 'secret']) {
    if (!args[k]) throw new Error(`missing --${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`);
  }
  args.endpoint = args.endpoint.replace(/\/+$/, '');
  return args;
}

/** base64(HMAC-SHA1(secret, "AWSMechanicalTurkRequester" + Operation + Timestamp)). */
function sign(secret, operation, timestamp) {
  return crypto.createHmac('sha1', secret).update(SERVICE + operation + timestamp).digest('base64');
}

function unique(prefix, n = 7) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = prefix;
  for (const b of crypto.randomBytes(n)) s += alphabet[b % alphabet.length];
  return s;
}

const workerId = () => unique('AWORKER');

function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function xmlUnescape(s) {
  return String(s).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** [{where, code, message}] of every Errors/Error in a SOAP body (prefix-agnostic). */
function xmlErrors(body) {
  const out = [];
  const re = /<(?:[\w.-]+:)?(OperationRequest|Request)\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?\1>/g;
  let m;
  while ((m = re.exec(String(body || ''))) !== null) {
    const errRe = /<(?:[\w.-]+:)?Error\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?Error>/g;
    let e;
    while ((e = errRe.exec(m[2])) !== null) {
      const code = /<(?:[\w.-]+:)?Code>([^<]*)</.exec(e[1]);
      const msg = /<(?:[\w.-]+:)?Message>([^<]*)</.exec(e[1]);
      out.push({ where: m[1], code: code ? code[1].trim() : null, message: msg ? xmlUnescape(msg[1]) : null });
    }
  }
  return out;
}

/** {QuestionIdentifier: FreeText} of a QuestionFormAnswers document. */
function parseAnswers(doc) {
  if (typeof doc !== 'string' || !doc.includes(QFA_NS)) {
    fail(`Answer is not a QuestionFormAnswers document: ${clip(JSON.stringify(doc), 300)}`);
  }
  const out = {};
  const re = /<(?:[\w.-]+:)?Answer>([\s\S]*?)<\/(?:[\w.-]+:)?Answer>/g;
  let m;
  while ((m = re.exec(doc)) !== null) {
    const q = /<(?:[\w.-]+:)?QuestionIdentifier>([^<]*)</.exec(m[1]);
    const t = /<(?:[\w.-]+:)?FreeText>([^<]*)</.exec(m[1]);
    if (q) out[xmlUnescape(q[1])] = t ? xmlUnescape(t[1]) : null;
  }
  return out;
}

/** XML text with whitespace between tags removed, for comparing documents. */
function squash(doc) {
  return String(doc).replace(/>\s+</g, '><').trim();
}

function clip(text, n = 3000) {
  const s = String(text);
  return s.length <= n ? s : `${s.slice(0, n)}... [${s.length - n} more chars]`;
}

class CheckFailed extends Error {
  constructor(message, detail) {
    super(message);
    this.detail = detail;
  }
}

class ServiceError extends CheckFailed {
  constructor(operation, codes, body) {
    super(`${operation} answered errors ${JSON.stringify(codes.map((c) => [c.where, c.code]))}`, clip(body));
    this.operation = operation;
    this.codes = codes;
    this.body = body;
  }
}

/** A client-side failure (the library threw or could not read the reply) calling `operation`. */
class CallFailed extends CheckFailed {
  constructor(operation, message, detail) {
    super(`${operation}: ${message}`, detail);
    this.operation = operation;
  }
}

function fail(message, detail) {
  throw new CheckFailed(message, detail);
}

function eq(actual, expected, what, detail) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: expected ${e}, got ${a}`, detail);
}

function ok(cond, message, detail) {
  if (!cond) fail(message, detail);
}

/** Amount (number or decimal string) in cents. */
function cents(amount) {
  return Math.round(Number(amount) * 100);
}

/** The values of a repeated element as an array (absent -> []). */
function many(obj, key) {
  const v = obj == null ? undefined : obj[key];
  if (v == null) return [];
  return Array.isArray(v) ? v : [v];
}

function text(v) {
  if (v == null) return v;
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'object' && '$value' in v ? String(v.$value) : String(v);
}

function postJson(base, path, payload) {
  return request('POST', base + path, JSON.stringify(payload || {}), 'application/json');
}

function request(method, url, body, contentType) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({
      method, hostname: u.hostname, port: u.port, path: u.pathname + u.search,
      headers: body == null ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    if (body != null) req.write(body);
    req.end();
  });
}

/** The simulated-worker JSON API (/_turkstand/...). */
class Admin {
  constructor(endpoint) {
    this.base = endpoint;
  }

  async post(path, payload, key) {
    const r = await postJson(this.base, path, payload);
    let parsed;
    try {
      parsed = JSON.parse(r.body.toString('utf8'));
    } catch (e) {
      parsed = r.body.toString('utf8');
    }
    if (r.status !== 200 || !parsed || !(key in parsed)) {
      fail(`admin POST ${path}: expected 200 with ${key}, got HTTP ${r.status}`, clip(JSON.stringify(parsed)));
    }
    return parsed[key];
  }

  accept(worker, hitId) {
    return this.post(`/_turkstand/workers/${encodeURIComponent(worker)}/accept`, { HITId: hitId }, 'AssignmentId');
  }

  submit(assignmentId, answers, files) {
    return this.post(`/_turkstand/assignments/${encodeURIComponent(assignmentId)}/submit`,
      { answers, files: files || {} }, 'AssignmentStatus');
  }

  requestQualification(worker, qualificationTypeId) {
    return this.post(`/_turkstand/workers/${encodeURIComponent(worker)}/qualification-requests`,
      { QualificationTypeId: qualificationTypeId }, 'QualificationRequestId');
  }
}

module.exports = {
  SERVICE, QF_NS, QFA_NS, parseArgs, sign, unique, workerId, xmlEscape, xmlUnescape, xmlErrors,
  parseAnswers, squash, clip, CheckFailed, ServiceError, CallFailed, fail, eq, ok, cents, many,
  text, request, Admin,
};
