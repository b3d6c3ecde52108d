// ecs:runTask.sync for the local Step Functions facade: RunTask, then DescribeTasks until the task is STOPPED, on
// ECS's real wire protocol (AWS JSON 1.1, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`), against
// the local runtime's ECS (LocalContainerTasks.java), which runs each task as a process.
//
// As on AWS: the state's Parameters are RunTask's request in Step Functions' PascalCase (Cluster, TaskDefinition,
// Overrides.ContainerOverrides[].Environment[].Name/Value...), sent in the API's camelCase; the output is the stopped
// task's description in PascalCase; a task whose essential container exited non-zero (or that stopped without an
// exit code) fails the state with States.TaskFailed, the task's description as the cause; an ECS error fails it as
// ECS.<ErrorType>. When the execution is stopped, the task is stopped (StopTask).
import http from 'node:http';
import { taskError } from './task-errors.mjs';

const TARGET = 'AmazonEC2ContainerServiceV20141113';
const POLL_MS = 1000;

/** A copy with every object key's first letter changed by `fn` (values untouched). */
function rekey(value, fn) {
  if (Array.isArray(value)) return value.map((v) => rekey(v, fn));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [fn(k.charAt(0)) + k.slice(1), rekey(v, fn)]));
}
const camel = (v) => rekey(v, (c) => c.toLowerCase());
const pascal = (v) => rekey(v, (c) => c.toUpperCase());

/** One ECS call; resolves with the JSON answer or rejects with ECS.<ErrorType>. */
function call(endpoint, operation, body, signal) {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(new URL('/', endpoint), {
      method: 'POST',
      signal,
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': payload.length,
        'X-Amz-Target': `${TARGET}.${operation}`,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (err) => reject(taskError('ECS.AmazonECSException', err.message)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = text ? JSON.parse(text) : {};
        } catch {
          reject(taskError('ECS.AmazonECSException', `ECS ${operation} answered HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          return;
        }
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(json);
        else reject(taskError(`ECS.${String(json.__type ?? 'AmazonECSException').split('#').pop()}`, String(json.message ?? text)));
      });
    });
    req.on('error', (err) => {
      if (signal?.aborted) reject(taskError('States.Runtime', 'execution stopped', { terminal: true }));
      else reject(taskError('ECS.AmazonECSException', `cannot reach the local ECS at ${endpoint}: ${err.message}`));
    });
    req.end(payload);
  });
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => {
    clearTimeout(timer);
    reject(taskError('States.Runtime', 'execution stopped', { terminal: true }));
  }, { once: true });
});

/**
 * Runs the task of a `arn:aws:states:::ecs:runTask.sync` state and waits until it stops.
 *
 * @param endpoint the local ECS (null: the state fails, saying the runtime has none)
 * @param parameters the state's effective Parameters (RunTask's request, PascalCase)
 * @param signal aborted when the execution is stopped
 * @param onStarted called with the task's ARN once RunTask answered (history: TaskSubmitted)
 * @returns the stopped task's description, PascalCase
 */
export async function runEcsTaskSync(endpoint, parameters, signal, onStarted = () => {}) {
  if (!endpoint) {
    throw taskError('States.Runtime', 'ecs:runTask.sync needs the local ECS (--ecs-endpoint)', { terminal: true });
  }
  const started = await call(endpoint, 'RunTask', camel(parameters ?? {}), signal);
  if (started.failures?.length || !started.tasks?.length) {
    throw taskError('States.TaskFailed', JSON.stringify(pascal(started)));
  }
  const { taskArn, clusterArn } = started.tasks[0];
  onStarted(taskArn);
  try {
    for (;;) {
      await sleep(POLL_MS, signal);
      const described = await call(endpoint, 'DescribeTasks', { cluster: clusterArn, tasks: [taskArn] }, signal);
      const task = described.tasks?.[0];
      if (!task) throw taskError('States.TaskFailed', JSON.stringify(pascal(described)));
      if (task.lastStatus !== 'STOPPED') continue;
      const failed = (task.containers ?? []).some((c) => c.exitCode == null || c.exitCode !== 0);
      if (failed) throw taskError('States.TaskFailed', JSON.stringify(pascal(task)));
      return pascal(task);
    }
  } catch (err) {
    if (signal?.aborted) {
      await call(endpoint, 'StopTask', { cluster: clusterArn, task: taskArn, reason: 'Step Functions execution stopped' })
        .catch(() => {});
    }
    throw err;
  }
}
