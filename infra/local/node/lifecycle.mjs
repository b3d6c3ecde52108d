// Shared process lifecycle for the local AWS helper processes.
//
// Contract with the Java parent that starts these scripts:
//  * stdout carries exactly one line, `READY <port>`, once the server listens
//    (see printReady). Everything else goes to stderr (see log).
//  * SIGTERM / SIGINT make the process shut down cleanly.
//  * The parent keeps a pipe on our stdin. When the parent dies the pipe is
//    closed, we read EOF and shut down too, so we never linger as an orphan.
//    stdin is only watched when it is a pipe or a socket: a terminal (Ctrl-D
//    is not a shutdown request) or /dev/null (e.g. `< /dev/null`, CI without
//    stdin) would otherwise make us exit immediately.
import fs from 'node:fs';
import path from 'node:path';

const tag = path.basename(process.argv[1] ?? 'node', '.mjs');

/** Logs one line to stderr, prefixed with the script name and a timestamp. */
export function log(...parts) {
  const text = parts
    .map((p) => (p instanceof Error ? (p.stack ?? String(p)) : typeof p === 'string' ? p : JSON.stringify(p)))
    .join(' ');
  process.stderr.write(`${new Date().toISOString()} [${tag}] ${text}\n`);
}

let readyPrinted = false;

/** Prints the single `READY <port>` line on stdout (only the first call prints). */
/** The value of a --port option (0 = any free port), or exit 2 with the reason. */
export function portOption(value) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log(`invalid --port ${value}`);
    process.exit(2);
  }
  return port;
}

export function printReady(port) {
  if (readyPrinted) return;
  readyPrinted = true;
  process.stdout.write(`READY ${port}\n`);
}

function stdinIsPipeOrSocket() {
  try {
    const st = fs.fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false; // fd 0 closed or not stat-able: nothing to watch
  }
}

/**
 * Installs the shutdown triggers (SIGTERM, SIGINT, EOF on stdin).
 *
 * @param {object} opts
 * @param {(reason: string) => (void|Promise<void>)} [opts.onShutdown]
 *        cleanup to run once; the process exits afterwards.
 * @param {number} [opts.graceMs=5000] hard exit if the cleanup takes longer.
 * @param {(reason: string) => number} [opts.exitCode] exit code to use
 *        (default 0).
 * @returns {(reason: string) => void} a function that triggers the same shutdown.
 */
export function installLifecycle({ onShutdown, graceMs = 5000, exitCode } = {}) {
  let shuttingDown = false;

  const shutdown = (reason) => {
    if (shuttingDown) {
      // Second signal while cleaning up: the user means it.
      if (reason.startsWith('SIG')) {
        log(`${reason} again, exiting now`);
        process.exit(1);
      }
      return;
    }
    shuttingDown = true;
    log(`shutting down (${reason})`);
    const timer = setTimeout(() => {
      log(`cleanup did not finish within ${graceMs} ms, exiting anyway`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    Promise.resolve()
      .then(() => onShutdown?.(reason))
      .catch((err) => log('error during shutdown:', err))
      .finally(() => process.exit(exitCode ? exitCode(reason) : 0));
  };

  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  if (stdinIsPipeOrSocket()) {
    // Whatever the parent writes is ignored; only EOF / error matter.
    process.stdin.on('data', () => {});
    process.stdin.on('end', () => shutdown('stdin closed'));
    process.stdin.on('error', () => shutdown('stdin error'));
    process.stdin.resume();
  }

  // A broken stdout (parent gone) must not crash us with EPIPE; shut down.
  process.stdout.on('error', () => shutdown('stdout closed'));

  return shutdown;
}

/** Keeps a long-running server alive on stray promise rejections, but logs them. */
export function logUnhandledRejections() {
  process.on('unhandledRejection', (reason) => log('unhandled promise rejection:', reason));
}
