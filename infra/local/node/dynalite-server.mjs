// Local DynamoDB for mlops: dynalite (a DynamoDB API implementation on top of
// LevelDB), started programmatically and persisted on disk.
//
//   node dynalite-server.mjs --port P --path DIR [--region us-east-1] [--account 000000000000] [--verbose]
//
// Listens on 127.0.0.1:P (P = 0 picks a free port) and prints `READY <port>`
// on stdout once listening. Tables and items live in the LevelDB database in
// DIR and survive restarts. Table state changes are immediate
// (createTableMs / deleteTableMs / updateTableMs = 0), so a CreateTable is
// ACTIVE at once and callers need no waiter.
//
// dynalite checks that requests carry an AWS4-* Authorization header with
// Credential, Signature and SignedHeaders, plus an X-Amz-Date (or Date)
// header, but it does not verify the signature: any SDK with dummy static
// credentials works.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { installLifecycle, log, logUnhandledRejections, portOption, printReady } from './lifecycle.mjs';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    path: { type: 'string' },
    region: { type: 'string' },
    account: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
  strict: true,
});

if (!args.path) {
  log('usage: dynalite-server.mjs --port P --path DIR');
  process.exit(2);
}
const port = portOption(args.port);
const dbPath = path.resolve(args.path);

// dynalite reads these when it builds table ARNs.
if (args.region) process.env.AWS_REGION = args.region;
if (args.account) process.env.AWS_ACCOUNT_ID = args.account;

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');

fs.mkdirSync(dbPath, { recursive: true });

// dynalite opens LevelDB lazily and only reports an open failure (typically
// the LOCK held by another live process on the same DIR) on each request.
// Open it once ourselves first so that such a problem fails the start-up
// loudly instead of producing a server that answers every call with a 500.
// `level` is dynalite's own dependency, resolved from dynalite's location.
{
  const { Level } = createRequire(require.resolve('dynalite'))('level');
  const probe = new Level(dbPath, { valueEncoding: 'json' });
  try {
    await probe.open();
  } catch (err) {
    log(`cannot open LevelDB at ${dbPath} (is another dynalite using it?):`, err.cause ?? err);
    process.exit(1);
  }
  await probe.close();
}

logUnhandledRejections();

const server = dynalite({
  path: dbPath,
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
  verbose: args.verbose,
});

installLifecycle({
  graceMs: 10000,
  // server.close() is dynalite's: it stops accepting connections, waits for
  // pending LevelDB operations and closes the database (releasing its LOCK).
  onShutdown: () =>
    new Promise((resolve) => {
      server.close((err) => {
        if (err) log('error while closing dynalite:', err);
        resolve();
      });
      // Idle keep-alive connections of SDK clients would delay close().
      server.closeIdleConnections?.();
    }),
});

server.on('error', (err) => {
  log('server error:', err);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  log(`dynalite listening on http://127.0.0.1:${actual}, data in ${dbPath}`);
  printReady(actual);
});
