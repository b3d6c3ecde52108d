// Local AWS Step Functions facade for mlops.
//
//   node --import ./polyfill.mjs stepfunctions-server.mjs \
//        --port P --data DIR --lambda-endpoint http://127.0.0.1:NNNN \
//        [--s3-endpoint http://127.0.0.1:SSSS] [--events-endpoint http://127.0.0.1:MMMM] \
//        [--principals FILE] [--access-key KEY] [--ecs-endpoint http://127.0.0.1:EEEE]
//        [--region us-east-1] [--account 000000000000] [--verbose]
//
// Speaks the real Step Functions wire protocol (AWS JSON 1.0: POST /,
// `X-Amz-Target: AWSStepFunctions.<Operation>`, errors as HTTP 400
// `{"__type": "<Code>", "message": "..."}`), so the AWS SDKs (e.g. the Java v2
// SfnClient with endpointOverride and dummy credentials) work unchanged.
// Listens on 127.0.0.1:P (0 = any free port) and prints `READY <port>` on
// stdout once listening; logs go to stderr.
//
// Operations: CreateStateMachine, UpdateStateMachine, DescribeStateMachine,
// ListStateMachines, DeleteStateMachine, StartExecution, DescribeExecution,
// ListExecutions, GetExecutionHistory, StopExecution, DescribeMapRun, ListMapRuns.
// Anything else -> UnknownOperationException.
//
// Executions run in-process with aws-local-stepfunctions. Every Task state,
// including those nested in Map and Parallel states, is executed by calling
// the local Lambda runtime over the real Lambda Invoke protocol
// (POST <lambda-endpoint>/2015-03-31/functions/<FunctionName>/invocations).
// Task states with `arn:aws:states:::ecs:runTask.sync` run a task on the local ECS (--ecs-endpoint; ecs-tasks.mjs).
// Map states in DISTRIBUTED mode run here (distributed-map.mjs): items from S3 (s3-items.mjs) or the input,
// batched, each batch a child execution, results written back to S3.
//
// Credentials: every call an execution makes (Lambda Invoke, S3 for a Distributed Map) is signed with the access
// key of the state machine's role (--principals: the local IAM principals, by role ARN; other roles sign with
// --access-key), so the gateway in front of the services checks it against that role's policies.
//
// Persistence: state machines and executions are JSON files under --data DIR
// (written atomically: temp file + rename), so a restart keeps them.
// Executions cannot be resumed after a restart: those found RUNNING at
// start-up are marked FAILED with error "States.Runtime" and cause
// "local runtime restarted while the execution was running".
//
// Status change events: with --events-endpoint, every change of an
// execution's status (RUNNING at start, then SUCCEEDED, FAILED, TIMED_OUT or
// ABORTED, including the executions marked FAILED at start-up) is sent there
// with EventBridge's PutEvents, in the shape Step Functions gives it on AWS
// (source aws.states, detail-type "Step Functions Execution Status Change",
// on the default bus). Best effort, as on AWS: five attempts, then a log line.
//
// See README.md in this folder for the differences from AWS.
// Also imported here (first, so before aws-local-stepfunctions) so that the
// server works even when started without `--import ./polyfill.mjs`.
import './polyfill.mjs';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import aslValidator from 'asl-validator';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';
import { installLifecycle, log, logUnhandledRejections, portOption, printReady } from './lifecycle.mjs';
import { runDistributedMap } from './distributed-map.mjs';
import { runEcsTaskSync } from './ecs-tasks.mjs';
import { taskError } from './task-errors.mjs';
import { S3Access } from './s3-items.mjs';

// ---------------------------------------------------------------------------
// Command line

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    data: { type: 'string' },
    'lambda-endpoint': { type: 'string' },
    's3-endpoint': { type: 'string' },
    'ecs-endpoint': { type: 'string' },
    'events-endpoint': { type: 'string' },
    principals: { type: 'string' },
    'access-key': { type: 'string', default: 'local' },
    region: { type: 'string', default: 'us-east-1' },
    account: { type: 'string', default: '000000000000' },
    verbose: { type: 'boolean', default: false },
  },
  strict: true,
});

if (!args.data || !args['lambda-endpoint']) {
  log('usage: stepfunctions-server.mjs --port P --data DIR --lambda-endpoint URL [--region R] [--account A]');
  process.exit(2);
}
const PORT = portOption(args.port);
const DATA_DIR = path.resolve(args.data);
const LAMBDA_ENDPOINT = new URL(args['lambda-endpoint'].replace(/\/+$/, ''));
const ECS_ENDPOINT = args['ecs-endpoint'] ? new URL(args['ecs-endpoint'].replace(/\/+$/, '')) : null;
const EVENTS_ENDPOINT = args['events-endpoint'] ? new URL(args['events-endpoint'].replace(/\/+$/, '')) : null;
const REGION = args.region;
const ACCOUNT = args.account;
const VERBOSE = args.verbose;
// What a state machine whose role is not one of the principals signs with (not checked by the gateway).
const ACCESS_KEY = args['access-key'];
const S3 = new S3Access(args['s3-endpoint'], args.region);

/** The access key of each IAM role the local stack enforces (principals.json, written by the Java side). */
const ROLE_KEYS = (() => {
  const keys = new Map();
  if (!args.principals) return keys;
  for (const p of JSON.parse(fs.readFileSync(args.principals, 'utf8')).principals ?? []) keys.set(p.roleArn, p.accessKeyId);
  return keys;
})();
const keyOfRole = (roleArn) => ROLE_KEYS.get(roleArn) ?? ACCESS_KEY;

// ---------------------------------------------------------------------------
// Constants and small helpers

const ARN_PREFIX = `arn:aws:states:${REGION}:${ACCOUNT}`;
const machineArnOf = (name) => `${ARN_PREFIX}:stateMachine:${name}`;
const executionArnOf = (machineName, name) => `${ARN_PREFIX}:execution:${machineName}:${name}`;

// AWS name rules for state machines and executions: 1-80 characters, no
// whitespace, brackets, wildcards, the listed punctuation or control chars.
const NAME_RE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;

const MAX_INPUT_BYTES = 262144; // 256 KiB, AWS payload quota
const MAX_DEFINITION_BYTES = 1048576; // 1 MiB
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

// Node timers overflow above 2^31-1 ms (and then fire after 1 ms).
const MAX_TIMER_SECONDS = Math.floor(0x7fffffff / 1000);

const RESTART_CAUSE = 'local runtime restarted while the execution was running';

/** Error returned to the client as HTTP 400 {"__type": code, "message": ...}. */
class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Wire format of timestamps: epoch seconds as a JSON number (ms precision). */
const toEpochSeconds = (ms) => (ms == null ? undefined : ms / 1000);

/** Drops undefined members so they do not appear in responses. */
function compact(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function requireString(body, member) {
  const v = body[member];
  if (v === undefined || v === null) {
    throw new ApiError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof v !== 'string') throw new ApiError('SerializationException', `'${member}' must be a string`);
  return v;
}

function optionalString(body, member) {
  const v = body[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ApiError('SerializationException', `'${member}' must be a string`);
  return v;
}

function validateName(name, what) {
  if (!NAME_RE.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}' (${what})`);
}

/**
 * Parses our own ARNs. Malformed -> InvalidArn; another region/account or an
 * unknown name is reported by the caller as "does not exist".
 */
function parseArn(arn, kind) {
  const parts = arn.split(':');
  const ok =
    parts.length >= 7 && parts[0] === 'arn' && parts[2] === 'states' && parts[5] === kind &&
    (kind === 'stateMachine' ? parts.length === 7 : parts.length === 8) && parts.slice(6).every(Boolean);
  // kind is stateMachine, execution or mapRun (a map run's ARN has the execution's shape)
  if (!ok) throw new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  return parts;
}

// Opaque pagination token: base64url of the next offset.
function pageOf(items, body) {
  const max = body.maxResults ?? 0;
  if (!Number.isInteger(max) || max < 0 || max > 1000) {
    throw new ApiError('ValidationException', 'maxResults must be between 0 and 1000');
  }
  const limit = max === 0 ? 100 : max;
  let offset = 0;
  if (body.nextToken != null) {
    offset = Number.parseInt(Buffer.from(String(body.nextToken), 'base64url').toString(), 10);
    if (!Number.isInteger(offset) || offset < 0) throw new ApiError('InvalidToken', `Invalid Token: '${body.nextToken}'`);
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
  return { page, nextToken: next };
}

// ---------------------------------------------------------------------------
// Persistence: one JSON file per state machine and per execution.
//
//   DIR/state-machines/<name>.json
//   DIR/executions/<state machine name>/<execution name>.json
//
// Names are URI-encoded (plus '.') in file names so that any valid AWS name
// is a safe file name. Writes are synchronous (small files; keeps the
// in-memory and on-disk order of updates identical) and atomic.

const MACHINES_DIR = path.join(DATA_DIR, 'state-machines');
const EXECUTIONS_DIR = path.join(DATA_DIR, 'executions');
const MAP_RUNS_DIR = path.join(DATA_DIR, 'map-runs');
const fileNameOf = (name) => `${encodeURIComponent(name).replace(/\./g, '%2E')}.json`;
const machineFile = (name) => path.join(MACHINES_DIR, fileNameOf(name));
const executionFile = (machineName, name) =>
  path.join(EXECUTIONS_DIR, fileNameOf(machineName).slice(0, -'.json'.length), fileNameOf(name));

let tmpSeq = 0;
function writeJsonAtomic(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${tmpSeq++}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

function readJsonFiles(dir) {
  const out = [];
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOENT') return out;
    throw err;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      out.push(...readJsonFiles(full));
    } else if (e.name.endsWith('.tmp')) {
      fs.rmSync(full, { force: true }); // leftover of a write interrupted by a crash
    } else if (e.name.endsWith('.json')) {
      try {
        out.push(JSON.parse(fs.readFileSync(full, 'utf8')));
      } catch (err) {
        log(`ignoring unreadable ${full}: ${err.message}`);
      }
    }
  }
  return out;
}

/** @type {Map<string, object>} stateMachineArn -> record (times in epoch ms) */
const machines = new Map();
/** @type {Map<string, object>} executionArn -> record (times in epoch ms) */
const executions = new Map();
/** @type {Map<string, {stop: () => void}>} executionArn -> handle of a running execution */
const running = new Map();
/** @type {Map<string, object[]>} executionArn -> its history events, as recorded (numbered when read) */
const histories = new Map();
/** @type {Map<string, object>} mapRunArn -> record of a Distributed Map's run (DescribeMapRun) */
const mapRuns = new Map();

const saveMachine = (m) => writeJsonAtomic(machineFile(m.name), m);
const historyFile = (e) => executionFile(e.stateMachineName, e.name).replace(/\.json$/, '.history');
const saveExecution = (e) => writeJsonAtomic(executionFile(e.stateMachineName, e.name), e);
const mapRunFile = (arn) => path.join(MAP_RUNS_DIR, fileNameOf(arn.split(':').slice(6).join(':')));
// The processor definition stays in memory: the record is what DescribeMapRun answers.
const saveMapRun = (r) => writeJsonAtomic(mapRunFile(r.mapRunArn), { ...r, processor: undefined });

function loadState() {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  for (const m of readJsonFiles(MACHINES_DIR)) machines.set(m.stateMachineArn, m);
  for (const r of readJsonFiles(MAP_RUNS_DIR)) {
    if (r.status === 'RUNNING') {
      Object.assign(r, { status: 'FAILED', stopDate: Date.now() });
      saveMapRun(r);
    }
    mapRuns.set(r.mapRunArn, r);
  }
  let interrupted = 0;
  for (const e of readJsonFiles(EXECUTIONS_DIR)) {
    if (e.status === 'RUNNING') {
      // Nothing of the in-flight run survived the restart; say so.
      Object.assign(e, { status: 'FAILED', stopDate: Date.now(), error: 'States.Runtime', cause: RESTART_CAUSE });
      saveExecution(e);
      const recorded = (() => { try { return JSON.parse(fs.readFileSync(historyFile(e), 'utf8')); } catch { return []; } })();
      histories.set(e.executionArn, recorded);
      recordEnd(e);
      if (!e.mapRunArn) emitStatusChange(e);
      interrupted++;
    }
    executions.set(e.executionArn, e);
  }
  log(`loaded ${machines.size} state machine(s), ${executions.size} execution(s)` +
    (interrupted ? `, ${interrupted} interrupted execution(s) marked FAILED` : ''));
}

// ---------------------------------------------------------------------------
// Execution status change events (EventBridge PutEvents, AWS JSON 1.1)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The event detail Step Functions sends for an execution's status. */
function statusChangeDetail(e) {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: e.startDate,
    stopDate: e.stopDate ?? null,
    input: e.input ?? null,
    inputDetails: { included: true },
    output: e.output ?? null,
    outputDetails: e.output !== undefined ? { included: true } : null,
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  };
}

function putEvents(body) {
  const url = new URL(`${EVENTS_ENDPOINT.href.replace(/\/+$/, '')}/`);
  const payload = Buffer.from(JSON.stringify(body));
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': payload.length,
        'X-Amz-Target': 'AWSEvents.PutEvents',
        'X-Amz-Date': amzDate,
        Authorization: `AWS4-HMAC-SHA256 Credential=local/${amzDate.slice(0, 8)}/${REGION}/events/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0`,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        if (res.statusCode === 200 && json && json.FailedEntryCount === 0) resolve();
        else reject(new Error(`PutEvents answered HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends the execution's current status to EventBridge (in the background, five attempts). */
function emitStatusChange(e) {
  if (!EVENTS_ENDPOINT) return;
  const entry = {
    Source: 'aws.states',
    DetailType: 'Step Functions Execution Status Change',
    Detail: JSON.stringify(statusChangeDetail(e)),
    Resources: [e.executionArn],
    EventBusName: 'default',
    Time: Date.now() / 1000,
  };
  (async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        await putEvents({ Entries: [entry] });
        if (VERBOSE) log(`status change ${e.status} of ${e.executionArn} sent`);
        return;
      } catch (err) {
        if (attempt === 5) log(`cannot send the status change ${e.status} of ${e.executionArn}: ${err.message}`);
        else await sleep(500 * attempt);
      }
    }
  })();
}

// ---------------------------------------------------------------------------
// Definitions

function parseDefinition(text) {
  if (Buffer.byteLength(text) > MAX_DEFINITION_BYTES) {
    throw new ApiError('ValidationException', `definition is longer than ${MAX_DEFINITION_BYTES} bytes`);
  }
  let def;
  try {
    def = JSON.parse(text);
  } catch (err) {
    throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${err.message}'`);
  }
  if (def === null || typeof def !== 'object' || Array.isArray(def)) {
    throw new ApiError('InvalidDefinition', "Invalid State Machine Definition: 'the definition must be a JSON object'");
  }
  let result;
  try {
    // asl-validator fills in defaults on the object it checks: give it a copy.
    result = aslValidator(structuredClone(def));
  } catch (err) {
    throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${err.message}'`);
  }
  if (!result.isValid) {
    throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${result.errorsText('; ')}'`);
  }
  return def;
}

/** Calls fn(stateName, state) for every state, recursing into Map and Parallel. */
function forEachState(machineDef, fn) {
  for (const [name, state] of Object.entries(machineDef.States ?? {})) {
    fn(name, state);
    if (state.Type === 'Map') {
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) forEachState(inner, fn);
    } else if (state.Type === 'Parallel') {
      for (const branch of state.Branches ?? []) forEachState(branch, fn);
    }
  }
}

const isDistributed = (state) => state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';

// The fields a Distributed Map shares with a Task: the stand-in keeps them, so the interpreter applies the
// state's InputPath, ResultSelector, ResultPath, OutputPath, Retry and Catch around the map run.
const STAND_IN_FIELDS = ['Comment', 'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector', 'Retry', 'Catch', 'Next', 'End'];

/**
 * Returns a copy of the definition adapted for aws-local-stepfunctions, the
 * Task states by name (asl-validator rejects duplicate state names, also
 * across Map/Parallel nesting, so names are unique: the library's
 * taskResourceLocalHandlers are keyed by state name, nested ones included),
 * and the Distributed Map states by name.
 *
 * The library gives a Task without TimeoutSeconds a 60 s timeout; AWS has no
 * such default (the Lambda's own timeout applies), so we set the largest
 * value a Node timer supports. Larger values are clamped for the same reason.
 *
 * The library runs every Map inline; a Distributed Map becomes a Task state
 * whose local handler runs the map run (distributed-map.mjs), its
 * ItemProcessor prepared like the rest and run as child executions.
 */
function prepareDefinition(def) {
  const copy = structuredClone(def);
  const tasks = new Map();
  const distributed = new Map();
  if (copy.TimeoutSeconds > MAX_TIMER_SECONDS) copy.TimeoutSeconds = MAX_TIMER_SECONDS;
  const replaceDistributed = (machineDef) => {
    for (const [name, state] of Object.entries(machineDef.States ?? {})) {
      if (state.Type === 'Map') replaceDistributed(state.ItemProcessor ?? state.Iterator ?? {});
      else if (state.Type === 'Parallel') (state.Branches ?? []).forEach(replaceDistributed);
      if (!isDistributed(state)) continue;
      distributed.set(name, state);
      const standIn = { Type: 'Task', Resource: 'arn:aws:states:::mlops-local:distributedMap', TimeoutSeconds: MAX_TIMER_SECONDS };
      for (const field of STAND_IN_FIELDS) if (field in state) standIn[field] = state[field];
      machineDef.States[name] = standIn;
    }
  };
  forEachState(copy, (name, state) => {
    if (state.Type !== 'Task') return;
    tasks.set(name, state);
    if (state.TimeoutSeconds == null && state.TimeoutSecondsPath == null) state.TimeoutSeconds = MAX_TIMER_SECONDS;
    else if (state.TimeoutSeconds > MAX_TIMER_SECONDS) state.TimeoutSeconds = MAX_TIMER_SECONDS;
  });
  replaceDistributed(copy);
  return { runnable: copy, tasks, distributed };
}

/**
 * Applies a payload template (Parameters, ItemSelector, ...) or a path the way the interpreter itself does,
 * intrinsic functions and the context object included: through a Pass state of its own.
 */
const templateMachines = new WeakMap();
async function evaluateTemplate(template, input, context) {
  let sm = templateMachines.get(template);
  if (!sm) {
    sm = new StateMachine({ StartAt: 'T', States: { T: { Type: 'Pass', Parameters: template, End: true } } },
      { validationOptions: { noValidate: true } });
    templateMachines.set(template, sm);
  }
  try {
    return await sm.run(input, { context }).result;
  } catch (err) {
    throw taskError('States.Runtime', String(err.cause?.message ?? err.message), { terminal: true });
  }
}

// ---------------------------------------------------------------------------
// Execution history (GetExecutionHistory): the events Step Functions records, from the interpreter's event log
// (states entered and exited, Map iterations) and from the Task handlers (Lambda scheduled, succeeded, failed).

const jsonText = (v) => JSON.stringify(v === undefined ? null : v);
const STATE_TYPES = { Task: 'Task', Map: 'Map', Parallel: 'Parallel', Pass: 'Pass', Wait: 'Wait', Choice: 'Choice', Succeed: 'Succeed', Fail: 'Fail' };

function recordHistory(exec, type, details, timestamp = Date.now()) {
  let events = histories.get(exec.executionArn);
  if (!events) {
    events = [];
    histories.set(exec.executionArn, events);
  }
  events.push({ timestamp, seq: events.length, type, ...details });
  // The interpreter's last events may arrive after the execution was recorded as ended.
  if (exec.status !== 'RUNNING' && type !== 'ExecutionStarted') saveHistory(exec);
}

/** Consumes the interpreter's event log into the execution's history. */
async function recordInterpreterEvents(exec, eventLogs, distributed) {
  for await (const ev of eventLogs) {
    const kind = distributed.has(ev.state?.name) ? 'Map' : STATE_TYPES[ev.state?.type] ?? 'Task';
    if (ev.type === 'StateEntered') {
      recordHistory(exec, `${kind}StateEntered`, { stateEnteredEventDetails: { name: ev.state.name, input: jsonText(ev.state.input), inputDetails: { truncated: false } } }, ev.timestamp);
    } else if (ev.type === 'StateExited') {
      recordHistory(exec, `${kind}StateExited`, { stateExitedEventDetails: { name: ev.state.name, output: jsonText(ev.state.output), outputDetails: { truncated: false } } }, ev.timestamp);
    } else if (ev.type === 'MapIterationStarted' || ev.type === 'MapIterationSucceeded' || ev.type === 'MapIterationFailed') {
      const key = `${ev.type.charAt(0).toLowerCase()}${ev.type.slice(1)}EventDetails`;
      recordHistory(exec, ev.type, { [key]: { name: ev.parentState?.name, index: ev.index } }, ev.timestamp);
    } else if (VERBOSE) {
      log(`${exec.executionArn}: ${ev.type}${ev.state?.name ? ` ${ev.state.name}` : ''}`);
    }
  }
}

/** The history as GetExecutionHistory returns it: numbered in time order, ids and previous ids. */
function historyOf(exec) {
  let events = histories.get(exec.executionArn);
  if (!events) {
    // An execution of an earlier run of this server: its history was saved when it ended.
    try {
      events = JSON.parse(fs.readFileSync(historyFile(exec), 'utf8'));
    } catch {
      events = [];
    }
  }
  // The execution's start comes first and its end last, whatever the order the interpreter's events arrived in.
  const rank = (e) => (e.type === 'ExecutionStarted' ? 0 : e.type.startsWith('Execution') ? 2 : 1);
  return [...events].sort((a, b) => rank(a) - rank(b) || a.timestamp - b.timestamp || a.seq - b.seq).map(({ seq, timestamp, ...rest }, i) =>
    ({ timestamp: timestamp / 1000, ...rest, id: i + 1, previousEventId: i }));
}

function saveHistory(exec) {
  const events = histories.get(exec.executionArn);
  if (!events) return;
  try {
    writeJsonAtomic(historyFile(exec), events);
  } catch (err) {
    log(`cannot persist the history of ${exec.executionArn}:`, err);
  }
}

// ---------------------------------------------------------------------------
// Task execution through the local Lambda runtime

const LAMBDA_ARN_RE = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/;
const LAMBDA_INVOKE_RE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const ECS_RUN_TASK_SYNC_RE = /^arn:aws[a-z-]*:states:::ecs:runTask\.sync$/;

/**
 * Function name from a name, `name:qualifier`, a full function ARN
 * (arn:aws:lambda:region:account:function:name[:qualifier]) or a partial
 * ARN (account:function:name). Qualifiers (aliases, versions) are dropped:
 * the local runtime has one version of each function.
 */
function functionNameOf(ref) {
  const parts = ref.split(':');
  const i = parts.indexOf('function');
  return i >= 0 ? parts[i + 1] : parts[0];
}

/** Invokes a function; resolves with its JSON result or rejects with a taskError. */
function invokeLambda(functionName, payload, signal, accessKey) {
  const url = new URL(`${LAMBDA_ENDPOINT.href.replace(/\/+$/, '')}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`);
  const body = Buffer.from(JSON.stringify(payload === undefined ? null : payload));
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'POST',
      signal,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': body.length,
        'X-Amz-Invocation-Type': 'RequestResponse',
        'X-Amz-Date': amzDate,
        // The signature itself is not verified locally; the key names the state machine's role (IAM, through the
        // gateway: lambda:InvokeFunction must be granted, as LambdaInvokePolicy does).
        Authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/${amzDate.slice(0, 8)}/${REGION}/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0`,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (err) => reject(taskError('Lambda.ServiceException', `error reading the Lambda response: ${err.message}`)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = text.trim() === '' ? null : JSON.parse(text);
        } catch {
          json = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300 && res.headers['x-amz-function-error']) {
          // Function error: {"errorType", "errorMessage", "stackTrace"...}
          const errorType = json?.errorType ?? 'Lambda.Unknown';
          const errorMessage = json?.errorMessage ?? text;
          reject(taskError(String(errorType), String(errorMessage)));
        } else if (status >= 200 && status < 300) {
          if (json === undefined) {
            reject(taskError('Lambda.ServiceException', `function ${functionName} returned a payload that is not JSON: ${text.slice(0, 200)}`));
          } else {
            resolve(json);
          }
        } else {
          // Service-level error of the Invoke API itself (404 unknown function, 429, 5xx).
          const rawType = res.headers['x-amzn-errortype'] ?? json?.__type ?? json?.Type ?? json?.errorType ?? '';
          const type = String(rawType).split(':')[0].split('#').pop() || 'ServiceException';
          const message = json?.message ?? json?.Message ?? json?.errorMessage ?? (text || `HTTP ${status}`);
          reject(taskError(type.startsWith('Lambda.') ? type : `Lambda.${type}`, String(message)));
        }
      });
    });
    req.on('error', (err) => {
      if (signal?.aborted) reject(taskError('States.Runtime', 'execution stopped', { terminal: true }));
      else reject(taskError('Lambda.ServiceException', `cannot reach the local Lambda endpoint ${url.origin} for function ${functionName}: ${err.message}`));
    });
    req.end(body);
  });
}

/** Runs an ecs:runTask.sync Task, recording the history events Step Functions records for a service integration. */
async function runEcsTaskRecorded(exec, state, input, signal) {
  const details = { resourceType: 'ecs', resource: 'runTask.sync' };
  recordHistory(exec, 'TaskScheduled', { taskScheduledEventDetails: { ...details, region: REGION, parameters: jsonText(input) } });
  recordHistory(exec, 'TaskStarted', { taskStartedEventDetails: details });
  try {
    const output = await runEcsTaskSync(ECS_ENDPOINT, input, signal, (taskArn) =>
      recordHistory(exec, 'TaskSubmitted', { taskSubmittedEventDetails: { ...details, output: jsonText({ TaskArn: taskArn }) } }));
    recordHistory(exec, 'TaskSucceeded', { taskSucceededEventDetails: { ...details, output: jsonText(output) } });
    return output;
  } catch (err) {
    recordHistory(exec, 'TaskFailed', { taskFailedEventDetails: { ...details, error: String(err.name), cause: String(err.message) } });
    throw err;
  }
}

/** Runs a Task, recording Lambda's history events around it. */
async function runTaskRecorded(exec, stateName, state, input, signal, accessKey) {
  const resource = String(state.Resource ?? '');
  if (ECS_RUN_TASK_SYNC_RE.test(resource)) return runEcsTaskRecorded(exec, state, input, signal);
  recordHistory(exec, 'LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { resource, input: jsonText(input), inputDetails: { truncated: false } } });
  recordHistory(exec, 'LambdaFunctionStarted', {});
  try {
    const output = await runTask(stateName, state, input, signal, accessKey);
    recordHistory(exec, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: jsonText(output), outputDetails: { truncated: false } } });
    return output;
  } catch (err) {
    recordHistory(exec, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: String(err.name), cause: String(err.message) } });
    throw err;
  }
}

/** The local handler for one Task state (input is after InputPath/Parameters). */
async function runTask(stateName, state, input, signal, accessKey) {
  const resource = String(state.Resource ?? '');
  if (LAMBDA_ARN_RE.test(resource)) {
    return invokeLambda(functionNameOf(resource), input, signal, accessKey);
  }
  if (LAMBDA_INVOKE_RE.test(resource)) {
    // Optimised integration: Parameters carry FunctionName and Payload, and
    // the result is wrapped in the Invoke API response like on AWS.
    if (input === null || typeof input !== 'object' || typeof input.FunctionName !== 'string') {
      throw taskError('States.Runtime', `Task '${stateName}': lambda:invoke needs a string FunctionName parameter`, { terminal: true });
    }
    const payload = 'Payload' in input ? input.Payload : {};
    const result = await invokeLambda(functionNameOf(input.FunctionName), payload, signal, accessKey);
    const requestId = randomUUID();
    return {
      ExecutedVersion: '$LATEST',
      Payload: result,
      SdkHttpMetadata: {
        AllHttpHeaders: { 'Content-Type': ['application/json'], 'X-Amzn-Trace-Id': [''], 'x-amzn-RequestId': [requestId] },
        HttpHeaders: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId },
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
  }
  throw taskError('States.Runtime',
    `Task '${stateName}': resource '${resource}' is not supported by the local runtime (only Lambda function ARNs, arn:aws:states:::lambda:invoke and arn:aws:states:::ecs:runTask.sync)`,
    { terminal: true });
}

// ---------------------------------------------------------------------------
// Execution runtime

/** The history event that ends an execution with its status. */
function recordEnd(exec) {
  if (exec.status === 'SUCCEEDED') recordHistory(exec, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: exec.output, outputDetails: { truncated: false } } });
  else if (exec.status === 'FAILED') recordHistory(exec, 'ExecutionFailed', { executionFailedEventDetails: { error: exec.error, cause: exec.cause } });
  else if (exec.status === 'ABORTED') recordHistory(exec, 'ExecutionAborted', { executionAbortedEventDetails: { error: exec.error, cause: exec.cause } });
  else if (exec.status === 'TIMED_OUT') recordHistory(exec, 'ExecutionTimedOut', { executionTimedOutEventDetails: { error: exec.error, cause: exec.cause } });
}

function finishExecution(exec, fields) {
  if (exec.status !== 'RUNNING') return; // already stopped (StopExecution)
  Object.assign(exec, fields, { stopDate: Date.now() });
  recordEnd(exec);
  try {
    saveExecution(exec);
  } catch (err) {
    log(`cannot persist execution ${exec.executionArn}:`, err);
  }
  if (!exec.mapRunArn || exec.status !== 'SUCCEEDED' || VERBOSE) {
    log(`execution ${exec.executionArn} ${exec.status}` + (exec.error ? ` (${exec.error}: ${exec.cause ?? ''})` : ''));
  }
  // A map run's child executions send no status change of their own (their parent's does).
  if (!exec.mapRunArn) emitStatusChange(exec);
}

/** Marks a running execution ABORTED and stops its interpreter and in-flight calls. */
function stopExecution(e, error, cause) {
  if (e.status !== 'RUNNING') return;
  Object.assign(e, compact({ status: 'ABORTED', stopDate: Date.now(), error, cause }));
  saveExecution(e);
  recordEnd(e);
  running.get(e.executionArn)?.stop(); // best effort: in-flight Lambda calls are cut
  log(`stopped execution ${e.executionArn}`);
  if (!e.mapRunArn) emitStatusChange(e);
}

/** The context object ($$) of an execution, as its states see it. */
function contextOf(exec, roleArn) {
  return {
    Execution: { Id: exec.executionArn, Name: exec.name, RoleArn: roleArn, Input: JSON.parse(exec.input),
      StartTime: new Date(exec.startDate).toISOString() },
    StateMachine: { Id: exec.stateMachineArn, Name: exec.stateMachineName },
  };
}

/**
 * Runs an execution of a prepared definition (prepareDefinition) to its end; resolves once the execution has
 * its final status. Every call it makes is signed with the key of the role it runs as.
 */
function runExecution(exec, prepared, roleArn) {
  const accessKey = keyOfRole(roleArn);
  // Aborts in-flight Lambda calls (and the children of a Distributed Map) when the execution is stopped.
  const httpAbort = new AbortController();
  const context = contextOf(exec, roleArn);
  const handlers = Object.create(null); // a Task may be named "__proto__"
  for (const [stateName, state] of prepared.tasks) {
    handlers[stateName] = (input) => runTaskRecorded(exec, stateName, state, input, httpAbort.signal, accessKey);
  }
  for (const [stateName, state] of prepared.distributed) {
    handlers[stateName] = (input) => runMapState(exec, prepared, stateName, state, input, roleArn, httpAbort.signal,
      { ...context, State: { Name: stateName, EnteredTime: new Date().toISOString() } });
  }

  let run;
  try {
    const sm = new StateMachine(prepared.runnable, { validationOptions: { noValidate: true } });
    // Context object ($$): the library fills Execution.Input/StartTime.
    run = sm.run(JSON.parse(exec.input), { overrides: { taskResourceLocalHandlers: handlers }, context });
  } catch (err) {
    finishExecution(exec, { status: 'FAILED', error: 'States.Runtime', cause: err.message });
    return Promise.resolve();
  }

  running.set(exec.executionArn, {
    stop: () => {
      httpAbort.abort();
      run.abort();
    },
  });
  recordInterpreterEvents(exec, run.eventLogs, prepared.distributed).catch((err) => log('event log error:', err));

  return run.result.then(
    (output) => {
      const text = JSON.stringify(output === undefined ? null : output);
      if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
        finishExecution(exec, { status: 'FAILED', error: 'States.DataLimitExceeded', cause: `The execution output exceeds the ${MAX_INPUT_BYTES} bytes quota` });
      } else {
        finishExecution(exec, { status: 'SUCCEEDED', output: text });
      }
    },
    (err) => {
      if (err instanceof ExecutionAbortedError) {
        finishExecution(exec, { status: 'ABORTED' });
      } else if (err instanceof ExecutionTimeoutError) {
        finishExecution(exec, { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution ran longer than the TimeoutSeconds of the state machine' });
      } else if (err instanceof ExecutionError) {
        // err.cause is the error that escaped the last state (Fail state,
        // uncaught Lambda error, States.* error).
        const cause = err.cause ?? err;
        finishExecution(exec, { status: 'FAILED', error: String(cause.name ?? 'States.Runtime'), cause: String(cause.message ?? '') });
      } else {
        finishExecution(exec, { status: 'FAILED', error: 'States.Runtime', cause: String(err?.message ?? err) });
      }
    },
  ).finally(() => running.delete(exec.executionArn));
}

function launchExecution(exec, machine) {
  let prepared;
  try {
    prepared = prepareDefinition(JSON.parse(machine.definition));
  } catch (err) {
    finishExecution(exec, { status: 'FAILED', error: 'States.Runtime', cause: err.message });
    return;
  }
  runExecution(exec, prepared, machine.roleArn);
}

/** The local handler of a Distributed Map state: one map run, its child executions started here. */
function runMapState(exec, prepared, stateName, state, input, roleArn, signal, context) {
  const host = {
    evaluate: evaluateTemplate,
    s3: () => S3.client(keyOfRole(roleArn)),
    mapRunArn: (label, id) => `${ARN_PREFIX}:mapRun:${exec.stateMachineName}/${label}:${id}`,
    startChild: (mapRun, index, childInput) => startChild(exec, prepared, mapRun, childInput, roleArn),
    saveMapRun: (r) => {
      mapRuns.set(r.mapRunArn, r);
      saveMapRun(r);
    },
    history: (type, details) => recordHistory(exec, type, details),
    signal,
  };
  return runDistributedMap(host, state, stateName, input, context);
}

/** Starts one child execution of a map run: the ItemProcessor on its input, as the parent's role. */
function startChild(parent, prepared, mapRun, input, roleArn) {
  const name = randomUUID();
  const machineName = `${parent.stateMachineName}/${mapRun.label}`;
  const child = {
    executionArn: executionArnOf(machineName, name),
    stateMachineArn: machineArnOf(machineName),
    stateMachineName: machineName,
    name,
    status: 'RUNNING',
    startDate: Date.now(),
    input: JSON.stringify(input),
    mapRunArn: mapRun.mapRunArn,
  };
  saveExecution(child);
  executions.set(child.executionArn, child);
  recordHistory(child, 'ExecutionStarted', { executionStartedEventDetails: { input: child.input, inputDetails: { truncated: false }, roleArn } });
  const done = runExecution(child, { ...prepared, runnable: mapRun.processor }, roleArn).then(() => child);
  return { done, stop: () => stopExecution(child) };
}

// ---------------------------------------------------------------------------
// Operations

function getMachine(arn) {
  parseArn(arn, 'stateMachine');
  const m = machines.get(arn);
  if (!m) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return m;
}

function getMapRun(arn) {
  parseArn(arn, 'mapRun');
  const r = mapRuns.get(arn);
  if (!r) throw new ApiError('ResourceNotFound', `Map Run Does Not Exist: '${arn}'`);
  return r;
}

function getExecution(arn) {
  parseArn(arn, 'execution');
  const e = executions.get(arn);
  if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return e;
}

const executionSummary = (e) => compact({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: toEpochSeconds(e.startDate),
  stopDate: toEpochSeconds(e.stopDate),
  mapRunArn: e.mapRunArn,
});

const operations = {
  CreateStateMachine(body) {
    const name = requireString(body, 'name');
    const definition = requireString(body, 'definition');
    const roleArn = requireString(body, 'roleArn');
    const type = optionalString(body, 'type') ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') {
      throw new ApiError('ValidationException', `Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
    }
    validateName(name, 'state machine name');
    const def = parseDefinition(definition);
    const arn = machineArnOf(name);
    const existing = machines.get(arn);
    if (existing) {
      // Idempotent like AWS: same name + definition + type returns the
      // existing machine (roleArn differences are ignored, as on AWS).
      // Definitions are compared as parsed JSON (formatting does not matter).
      if (existing.type === type && isDeepStrictEqual(JSON.parse(existing.definition), def)) {
        return { stateMachineArn: arn, creationDate: toEpochSeconds(existing.creationDate) };
      }
      throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const m = { stateMachineArn: arn, name, definition, roleArn, type, creationDate: Date.now() };
    saveMachine(m);
    machines.set(arn, m);
    log(`created state machine ${arn}`);
    return { stateMachineArn: arn, creationDate: toEpochSeconds(m.creationDate) };
  },

  UpdateStateMachine(body) {
    const m = getMachine(requireString(body, 'stateMachineArn'));
    const definition = optionalString(body, 'definition');
    const roleArn = optionalString(body, 'roleArn');
    if (definition === undefined && roleArn === undefined) {
      throw new ApiError('MissingRequiredParameter', 'Either the definition or the roleArn must be specified');
    }
    if (definition !== undefined) parseDefinition(definition);
    // Running executions keep the definition they started with (as on AWS).
    const updated = { ...m, ...compact({ definition, roleArn }), updateDate: Date.now() };
    saveMachine(updated);
    machines.set(m.stateMachineArn, updated);
    log(`updated state machine ${m.stateMachineArn}`);
    return { updateDate: toEpochSeconds(updated.updateDate) };
  },

  DescribeStateMachine(body) {
    const m = getMachine(requireString(body, 'stateMachineArn'));
    return compact({
      stateMachineArn: m.stateMachineArn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.definition,
      roleArn: m.roleArn,
      type: m.type,
      creationDate: toEpochSeconds(m.creationDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
  },

  ListStateMachines(body) {
    const all = [...machines.values()].sort((a, b) => a.creationDate - b.creationDate || a.name.localeCompare(b.name));
    const { page, nextToken } = pageOf(all, body);
    return compact({
      stateMachines: page.map((m) => ({
        stateMachineArn: m.stateMachineArn,
        name: m.name,
        type: m.type,
        creationDate: toEpochSeconds(m.creationDate),
      })),
      nextToken,
    });
  },

  DeleteStateMachine(body) {
    const arn = requireString(body, 'stateMachineArn');
    parseArn(arn, 'stateMachine');
    const m = machines.get(arn);
    // Deleting an unknown machine succeeds on AWS too. Its executions are
    // kept (and running ones go on), so they stay describable.
    if (m) {
      fs.rmSync(machineFile(m.name), { force: true });
      machines.delete(arn);
      log(`deleted state machine ${arn}`);
    }
    return {};
  },

  StartExecution(body) {
    const m = getMachine(requireString(body, 'stateMachineArn'));
    const name = optionalString(body, 'name') ?? randomUUID();
    validateName(name, 'execution name');
    const input = optionalString(body, 'input') ?? '{}';
    if (Buffer.byteLength(input) > MAX_INPUT_BYTES) {
      throw new ApiError('InvalidExecutionInput', `Input exceeds the ${MAX_INPUT_BYTES} bytes quota`);
    }
    try {
      JSON.parse(input);
    } catch (err) {
      throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${err.message}'`);
    }
    const arn = executionArnOf(m.name, name);
    const existing = executions.get(arn);
    if (existing) {
      // AWS Standard workflows: idempotent only while the execution with that
      // name is still RUNNING and the input is identical; otherwise the name
      // is taken (AWS frees it 90 days after the execution closed).
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: arn, startDate: toEpochSeconds(existing.startDate) };
      }
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const exec = {
      executionArn: arn,
      stateMachineArn: m.stateMachineArn,
      stateMachineName: m.name,
      name,
      status: 'RUNNING',
      startDate: Date.now(),
      input,
    };
    saveExecution(exec);
    executions.set(arn, exec);
    recordHistory(exec, 'ExecutionStarted', { executionStartedEventDetails: { input, inputDetails: { truncated: false }, roleArn: m.roleArn } });
    log(`started execution ${arn}`);
    emitStatusChange(exec);
    // Run after the response is sent; nothing in it is synchronous anyway.
    setImmediate(() => launchExecution(exec, m));
    return { executionArn: arn, startDate: toEpochSeconds(exec.startDate) };
  },

  DescribeExecution(body) {
    const e = getExecution(requireString(body, 'executionArn'));
    return compact({
      ...executionSummary(e),
      input: e.input,
      inputDetails: { included: true },
      output: e.output,
      outputDetails: e.output !== undefined ? { included: true } : undefined,
      error: e.error,
      cause: e.cause,
    });
  },

  ListExecutions(body) {
    // Either a state machine's executions, or a map run's child executions.
    const mapRunArn = optionalString(body, 'mapRunArn');
    const scope = mapRunArn !== undefined
      ? (e) => e.mapRunArn === getMapRun(mapRunArn).mapRunArn
      : ((m) => (e) => e.stateMachineArn === m.stateMachineArn)(getMachine(requireString(body, 'stateMachineArn')));
    const statusFilter = optionalString(body, 'statusFilter');
    if (statusFilter !== undefined && !STATUSES.includes(statusFilter)) {
      throw new ApiError('ValidationException', `Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`);
    }
    const all = [...executions.values()]
      .filter((e) => scope(e) && (!statusFilter || e.status === statusFilter))
      .sort((a, b) => b.startDate - a.startDate || a.name.localeCompare(b.name)); // newest first, like AWS
    const { page, nextToken } = pageOf(all, body);
    return compact({ executions: page.map(executionSummary), nextToken });
  },

  GetExecutionHistory(body) {
    const e = getExecution(requireString(body, 'executionArn'));
    let events = historyOf(e);
    if (body.reverseOrder === true) events = events.reverse();
    if (body.includeExecutionData === false) {
      events = events.map((ev) => JSON.parse(JSON.stringify(ev, (k, v) => (['input', 'output'].includes(k) ? undefined : v))));
    }
    const { page, nextToken } = pageOf(events, body);
    return compact({ events: page, nextToken });
  },

  StopExecution(body) {
    const e = getExecution(requireString(body, 'executionArn'));
    stopExecution(e, optionalString(body, 'error'), optionalString(body, 'cause'));
    return { stopDate: toEpochSeconds(e.stopDate) };
  },

  DescribeMapRun(body) {
    const r = getMapRun(requireString(body, 'mapRunArn'));
    return compact({
      mapRunArn: r.mapRunArn,
      executionArn: r.executionArn,
      status: r.status,
      startDate: toEpochSeconds(r.startDate),
      stopDate: toEpochSeconds(r.stopDate),
      maxConcurrency: r.maxConcurrency,
      toleratedFailurePercentage: r.toleratedFailurePercentage,
      toleratedFailureCount: r.toleratedFailureCount,
      itemCounts: r.itemCounts,
      executionCounts: r.executionCounts,
      redriveCount: 0,
    });
  },

  ListMapRuns(body) {
    const e = getExecution(requireString(body, 'executionArn'));
    const all = [...mapRuns.values()].filter((r) => r.executionArn === e.executionArn)
      .sort((a, b) => a.startDate - b.startDate);
    const { page, nextToken } = pageOf(all, body);
    return compact({
      mapRuns: page.map((r) => ({ executionArn: r.executionArn, mapRunArn: r.mapRunArn, stateMachineArn: e.stateMachineArn,
        startDate: toEpochSeconds(r.startDate), stopDate: toEpochSeconds(r.stopDate) })),
      nextToken,
    });
  },
};

// ---------------------------------------------------------------------------
// HTTP (AWS JSON 1.0)

const TARGET_PREFIX = 'AWSStepFunctions.';

function send(res, status, payload, errorCode) {
  const body = Buffer.from(JSON.stringify(payload));
  const headers = {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': body.length,
    'x-amzn-RequestId': randomUUID(),
  };
  if (errorCode) headers['x-amzn-ErrorType'] = errorCode;
  res.writeHead(status, headers);
  res.end(body);
}

const sendError = (res, status, code, message) => send(res, status, { __type: code, message }, code);

function handle(req, res, raw) {
  const target = String(req.headers['x-amz-target'] ?? '');
  const opName = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const op = Object.hasOwn(operations, opName) ? operations[opName] : undefined;
  if (req.method !== 'POST' || !op) {
    return sendError(res, 400, 'UnknownOperationException', `Unknown operation: '${target}'`);
  }
  let body;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return sendError(res, 400, 'SerializationException', `Request body is not valid JSON: ${err.message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return sendError(res, 400, 'SerializationException', 'Request body must be a JSON object');
  }
  try {
    const result = op(body);
    if (VERBOSE) log(`${opName} -> 200`);
    send(res, 200, result);
  } catch (err) {
    if (err instanceof ApiError) {
      if (VERBOSE) log(`${opName} -> ${err.code}: ${err.message}`);
      sendError(res, 400, err.code, err.message);
    } else {
      log(`${opName} failed:`, err);
      sendError(res, 500, 'InternalFailure', err.message);
    }
  }
}

// ---------------------------------------------------------------------------
// Start-up

logUnhandledRejections();
loadState();

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > MAX_REQUEST_BYTES) {
      sendError(res, 413, 'ValidationException', 'Request too large');
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (!res.headersSent) handle(req, res, Buffer.concat(chunks));
  });
});
// The SDKs keep connections alive; long-running requests do not exist here.
server.keepAliveTimeout = 60000;

installLifecycle({
  // State is written synchronously on every change: nothing to flush.
  // Running executions stay RUNNING on disk and are marked FAILED at the
  // next start-up.
  onShutdown: () =>
    new Promise((resolve) => {
      if (running.size) log(`${running.size} execution(s) still running are abandoned`);
      server.close(() => resolve());
      server.closeAllConnections();
    }),
});

server.on('error', (err) => {
  log('server error:', err);
  process.exit(1);
});

server.listen(PORT, '127.0.0.1', () => {
  const actual = server.address().port;
  log(`Step Functions listening on http://127.0.0.1:${actual} (region ${REGION}, account ${ACCOUNT}), ` +
    `data in ${DATA_DIR}, Lambda endpoint ${LAMBDA_ENDPOINT.href}` +
    (EVENTS_ENDPOINT ? `, status changes to ${EVENTS_ENDPOINT.href}` : ''));
  printReady(actual);
});
