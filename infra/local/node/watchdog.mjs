// Runs one child process (in mlops: the S3Mock Java server) and makes sure it
// does not outlive us.
//
//   node watchdog.mjs -- CMD ARGS...
//
// * The child's stdout and stderr are piped byte for byte to ours, so the
//   parent sees the child's own output (including its readiness line)
//   unchanged. The watchdog itself prints nothing on stdout (no READY line);
//   its own messages go to stderr.
// * The child's stdin is /dev/null: our stdin belongs to the lifecycle pipe.
// * On SIGTERM / SIGINT, or EOF on our stdin (parent died), the child gets
//   SIGTERM, then SIGKILL if it is still alive 5 s later; we then exit 0.
// * If the child exits by itself we exit with its exit code
//   (128 + signal number if it was killed by a signal).
// * If we are SIGKILLed ourselves the child is not killed, but its stdout and
//   stderr become broken pipes instead of keeping the parent's pipe open.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { installLifecycle, log } from './lifecycle.mjs';

const KILL_AFTER_MS = 5000;

const sep = process.argv.indexOf('--', 2);
const command = sep === -1 ? process.argv.slice(2) : process.argv.slice(sep + 1);
if (command.length === 0) {
  log('usage: watchdog.mjs -- CMD ARGS...');
  process.exit(2);
}

let child;
try {
  child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
} catch (err) {
  log(`cannot start ${command[0]}:`, err);
  process.exit(127);
}

// Once our parent is gone, our stdout/stderr are broken pipes: writing to them must not crash the
// watchdog before it has stopped the child (EPIPE would otherwise be an uncaught 'error').
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

// pipe() without ending our own streams: we may still log after the child.
child.stdout.pipe(process.stdout, { end: false });
child.stderr.pipe(process.stderr, { end: false });

let stopRequested = false;
// Resolves once the child has exited and its output has been fully forwarded.
const closed = new Promise((resolve) => {
  child.on('close', (code, signal) => resolve({ code, signal }));
});

child.on('error', (err) => {
  // spawn failure (ENOENT, EACCES): 'close' follows with code -2 etc.
  log(`cannot start ${command[0]}:`, err.message);
});

if (child.pid !== undefined) log(`started pid ${child.pid}: ${command.join(' ')}`);

installLifecycle({
  graceMs: KILL_AFTER_MS + 3000,
  onShutdown: async () => {
    stopRequested = true;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      log(`child ${child.pid} still alive after ${KILL_AFTER_MS} ms, sending SIGKILL`);
      child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    await closed;
    clearTimeout(timer);
  },
});

closed.then(({ code, signal }) => {
  if (stopRequested) return; // installLifecycle exits for us
  let exitCode = code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1);
  if (exitCode < 0) exitCode = 127; // spawn failure (negative errno), like a shell
  log(`child exited by itself (code ${code}, signal ${signal}), exiting with ${exitCode}`);
  process.exit(exitCode);
});
