// Errors of Task states, shared by the facade's integrations (Lambda in stepfunctions-server.mjs, ECS in ecs-tasks.mjs).

/**
 * An error as the ASL interpreter sees it: aws-local-stepfunctions matches
 * Retry/Catch `ErrorEquals` against `error.name` (exact string, plus
 * States.ALL and States.TaskFailed) and uses `error.message` as the Cause.
 * It reads `isRetryable` / `isCatchable` (default true) to decide whether
 * States.ALL may match, which we use for States.Runtime like AWS does.
 */
export function taskError(name, message, { terminal = false } = {}) {
  const err = new Error(message);
  err.name = name;
  if (terminal) {
    err.isRetryable = false;
    err.isCatchable = false;
  }
  return err;
}
