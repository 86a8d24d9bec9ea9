'use strict';
// Client matrix: npm `soap` (current release) against a running turkstand.
//
//   NODE_PATH=target/clients/npm/node_modules node tests/clients/npm/soap_matrix.js \
//       --endpoint http://127.0.0.1:PORT --access-key AK --secret SK [-v]
//
// The stubs come from the WSDL the server serves:
//   soap.createClientAsync(endpoint + '/?wsdl', {endpoint: endpoint + '/?Service=AWSMechanicalTurkRequester'})
// and every call is signed here with the legacy scheme over a second-precision Timestamp.

const soap = require('soap');
const C = require('./common');
const scenario = require('./matrix_scenario');

async function main() {
  const args = C.parseArgs(process.argv.slice(2));
  const version = require('soap/package.json').version;
  let client;
  try {
    client = await soap.createClientAsync(`${args.endpoint}/?wsdl`, {
      endpoint: `${args.endpoint}/?Service=${C.SERVICE}`,
    });
  } catch (e) {
    console.log(`FAIL soap ${version} could not load ${args.endpoint}/?wsdl: ${e.message}`);
    return new scenario.Matrix('npm-soap').finish(scenario.OPERATIONS);
  }
  const port = client.describe().AWSMechanicalTurkRequester.AWSMechanicalTurkRequesterPort;
  const driver = {
    name: 'npm-soap',
    note: `npm soap ${version}, stubs from ${args.endpoint}/?wsdl`,
    operations: () => Object.keys(port),
    async call(op, request) {
      const ts = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      let out;
      try {
        out = await client[`${op}Async`]({
          AWSAccessKeyId: args.accessKey, Timestamp: ts, Signature: C.sign(args.secret, op, ts), Request: [request],
        });
      } catch (e) {
        throw new C.CallFailed(op, `soap threw ${e.message}`,
          `sent:\n${C.clip(client.lastRequest, 2000)}\nreceived:\n${C.clip(client.lastResponse)}`);
      }
      const [result, raw, , sent] = out;
      if (args.verbose) console.log(`    ${op}\n    sent: ${C.clip(sent, 2000)}\n    received: ${C.clip(raw)}`);
      return scenario.resultOf(op, result, raw);
    },
  };
  return scenario.run(driver, args);
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
