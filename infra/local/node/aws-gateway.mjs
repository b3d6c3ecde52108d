// The local stack's one AWS endpoint, in front of the emulators.
//
//   node aws-gateway.mjs --port P --route s3=http://127.0.0.1:A --route dynamodb=... --route states=...
//        --route events=... --route lambda=... [--principals FILE --usage FILE] [--verbose]
//
// Every request is sent on to the emulator of the service that signed it (the service in its SigV4 credential
// scope; unsigned requests by their protocol), so one endpoint serves every AWS client: the functions' SDKs, the
// AWS CLI, boto3. On the way:
//  * IAM (with --principals): a request signed with a function's access key is evaluated against that function's
//    role (iam-policies.mjs); a call its policies do not allow is answered AccessDenied in the service's own
//    protocol, as on AWS, and logged on stderr with the function, action, resource and the missing grant. Which
//    statements allowed the calls is written to --usage (every few seconds and at shutdown).
//  * Expect: 100-continue is answered here with "HTTP/1.1 100 Continue" (S3Mock's Tomcat sends a status line
//    without a reason phrase, which botocore, and so the AWS CLI v2, refuses) and not passed on.
//
// Prints READY <port> on stdout once listening (lifecycle.mjs). An emulator that does not answer (killed, being
// restarted) makes the client's connection drop, as the service itself being unreachable would.
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { accessDenied, checksOf, needsBody, signer } from './iam-requests.mjs';
import { Principals, denialMessage, missingGrant } from './iam-policies.mjs';
import { installLifecycle, log, logUnhandledRejections, portOption, printReady } from './lifecycle.mjs';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    route: { type: 'string', multiple: true, default: [] },
    principals: { type: 'string' },
    usage: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
  strict: true,
});

const routes = new Map();
for (const r of args.route) {
  const eq = r.indexOf('=');
  if (eq <= 0) {
    log(`invalid --route ${r} (expected service=URL)`);
    process.exit(2);
  }
  routes.set(r.slice(0, eq), new URL(r.slice(eq + 1)));
}
const principals = args.principals ? new Principals(args.principals) : null;
const MAX_JSON_BODY = 16 * 1024 * 1024;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

let usageChanged = false;
function writeUsage() {
  if (!principals || !args.usage || !usageChanged) return;
  usageChanged = false;
  const tmp = `${args.usage}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ principals: principals.usage }, null, 2)}\n`);
  fs.renameSync(tmp, args.usage);
}
if (principals && args.usage) {
  usageChanged = true;
  writeUsage();
  setInterval(writeUsage, 2000).unref();
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_JSON_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The first (action, resource) the caller may not do, or null when IAM allows them all. */
async function denied(service, req, url, body) {
  if (!principals) return null;
  const { accessKey } = signer(req, url);
  const principal = principals.of(accessKey);
  if (!principal) return null;
  const ctx = { account: principals.account, region: principals.region, functions: principals.functions };
  for (const { action, resource } of checksOf(service, req, url, body, ctx)) {
    const decision = await principals.decide(principal, action, resource);
    if (!decision.allowed) return { principal, action, resource, decision };
    usageChanged = true;
    if (args.verbose) log(`allowed ${principal.name} ${action} ${resource} by ${JSON.stringify(decision.statements)}`);
  }
  return null;
}

function forward(service, req, res, body) {
  const target = routes.get(service);
  if (!target) {
    const answer = { __type: 'UnknownOperationException', message: `the local stack does not serve ${service}` };
    res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-ErrorType': 'UnknownOperationException' });
    res.end(JSON.stringify(answer));
    return;
  }
  const headers = { ...req.headers };
  delete headers.expect; // answered here (Node sends "100 Continue" itself); the body is already on its way
  const upstream = http.request({
    host: target.hostname,
    port: target.port,
    method: req.method,
    path: req.url,
    headers,
    agent,
  }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (err) => {
    if (args.verbose) log(`${service} at ${target.origin}: ${err.message}`);
    // The service is unreachable: so is it for the caller (its SDK retries and names the service).
    req.socket.destroy();
  });
  if (body !== undefined) {
    upstream.end(body);
  } else {
    req.pipe(upstream);
  }
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://local');
  const { service } = signer(req, url);
  const body = needsBody(service, req, url) ? await readBody(req) : undefined;
  const refused = await denied(service, req, url, body);
  if (refused) {
    const { principal, action, resource, decision } = refused;
    const message = denialMessage(principal, action, resource, decision);
    log(`[iam] AccessDenied: ${principal.name} called ${action} on ${resource}; no statement of its role `
      + `${principal.roleName} allows it. Missing grant (template.yaml, ${principal.name} Policies): `
      + `${JSON.stringify(missingGrant(action, resource))}${decision.invalid ? ` (evaluator: ${decision.invalid})` : ''}`);
    const answer = accessDenied(service, req, message);
    if (body === undefined) req.resume();
    res.writeHead(answer.status, { ...answer.headers, 'Content-Length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
    return;
  }
  forward(service, req, res, body);
}

logUnhandledRejections();
const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    log('request failed:', err);
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: String(err.message ?? err) }));
    } else {
      res.destroy();
    }
  });
});
server.keepAliveTimeout = 60000;
server.requestTimeout = 0; // big uploads stream for as long as they take

installLifecycle({
  onShutdown: () => new Promise((resolve) => {
    usageChanged = true;
    writeUsage();
    server.close(() => resolve());
    server.closeAllConnections();
  }),
});

server.on('error', (err) => {
  log('server error:', err);
  process.exit(1);
});

server.listen(portOption(args.port), '127.0.0.1', () => {
  const port = server.address().port;
  log(`AWS gateway on http://127.0.0.1:${port}: ${[...routes].map(([s, u]) => `${s} -> ${u.origin}`).join(', ')}`
    + (principals ? `; IAM enforced for ${principals.byKey.size} principal(s)` : '; IAM not enforced'));
  printReady(port);
});
