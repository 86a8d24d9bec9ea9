'use strict';
// Client matrix: npm `mturk-api@3.0.2` against a running turkstand, all 44 operations.
//
//   NODE_PATH=target/clients/npm/node_modules node tests/clients/npm/mturk_api_matrix.js \
//       --endpoint http://127.0.0.1:PORT --access-key AK --secret SK [-v]
//
// mturk-api is used as its users use it: its own bundled 2014-08-15 WSDL, its own signing
// (millisecond `toISOString()` timestamps, crypto-js HMAC-SHA1), its own request queue
// (`api.req`, throttled to 3 requests a second), through the `soap@0.16` it depends on.
// Only the endpoint is changed: mturk-api hard-codes the production or sandbox URL and calls
// `SOAPClient.setEndpoint(url)` itself, so soap.createClient (of mturk-api's own copy of
// soap) is wrapped before mturk-api is required, and the client's setEndpoint is pinned to
// turkstand. soap@0.16 does not escape text (its escapeXML option is off and mturk-api passes
// no options), so, as mturk-api's README says for Question, every string is XML-escaped here.
// mturk-api rejects a failed call with an Error holding only the message; the error codes
// are read from the raw response, which soap@0.16 emits as a 'response' event.

const path = require('path');
const C = require('./common');
const scenario = require('./matrix_scenario');

function escapeStrings(v) {
  if (Array.isArray(v)) return v.map(escapeStrings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeStrings(x)]));
  return typeof v === 'string' ? C.xmlEscape(v) : v;
}

async function main() {
  const args = C.parseArgs(process.argv.slice(2));
  const endpoint = `${args.endpoint}/?Service=${C.SERVICE}`;
  const apiDir = path.dirname(require.resolve('mturk-api/package.json'));
  const apiVersion = require('mturk-api/package.json').version;
  const soapMain = require.resolve('soap', { paths: [apiDir] });
  const soapVersion = require(path.join(path.dirname(soapMain), 'package.json')).version;
  const soap = require(soapMain);

  let soapClient = null;
  const exchange = { sent: null, received: null };
  const createClient = soap.createClient;
  soap.createClient = function createClientForTurkstand(url, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'function' ? {} : options;
    return createClient.call(this, url, opts, (err, client) => {
      if (client) {
        const setEndpoint = client.setEndpoint.bind(client);
        client.setEndpoint = () => setEndpoint(endpoint);
        client.on('request', (xml) => { exchange.sent = xml; exchange.received = null; });
        client.on('response', (body) => { exchange.received = body; });
        soapClient = client;
      }
      cb(err, client);
    });
  };
  const mturk = require('mturk-api');

  let api;
  try {
    api = await mturk.createClient({ access: args.accessKey, secret: args.secret, sandbox: true });
  } catch (e) {
    console.log(`FAIL mturk-api could not build its client: ${e.message}`);
    return new scenario.Matrix('mturk-api').finish(scenario.OPERATIONS);
  }
  const port = soapClient.describe().AWSMechanicalTurkRequester.AWSMechanicalTurkRequesterPort;
  const driver = {
    name: 'mturk-api',
    note: `mturk-api ${apiVersion} (soap ${soapVersion}, bundled WSDL), endpoint ${endpoint}, throttled to 3 requests/s`,
    operations: () => Object.keys(port).filter((op) => typeof api[op] === 'function'),
    async call(op, request) {
      let result;
      try {
        result = await api.req(op, escapeStrings(request));
      } catch (e) {
        const raw = exchange.received;
        const codes = C.xmlErrors(raw);
        if (codes.length) throw new C.ServiceError(op, codes, raw);
        throw new C.CallFailed(op, `mturk-api rejected: ${e && e.message ? e.message : e}`,
          `sent:\n${C.clip(exchange.sent, 2000)}\nreceived:\n${C.clip(raw)}`);
      }
      if (args.verbose) console.log(`    ${op}\n    sent: ${C.clip(exchange.sent, 2000)}\n    received: ${C.clip(exchange.received)}`);
      return scenario.resultOf(op, result, exchange.received);
    },
  };
  return scenario.run(driver, args);
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
