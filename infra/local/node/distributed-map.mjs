// One run of a Map state in DISTRIBUTED mode (a "Map Run"), as the Step Functions developer guide describes it:
//
//   items     ItemReader (S3, s3-items.mjs), or the array at ItemsPath of the state's input
//   ReaderConfig.MaxItems / MaxItemsPath
//   ItemSelector (or Parameters) applied to each item, with $$.Map.Item.Index and $$.Map.Item.Value
//   ItemBatcher  MaxItemsPerBatch(Path), MaxInputBytesPerBatch(Path) (at most 256 KiB), BatchInput:
//                each child execution gets {"Items": [...], "BatchInput": ...}
//   MaxConcurrency(Path)  child executions at once (0 or absent: 10,000, AWS's limit)
//   ToleratedFailurePercentage(Path), ToleratedFailureCount(Path): the run fails with
//                States.ExceedToleratedFailureThreshold once more items failed than tolerated (default: none);
//                the children still running are stopped
//   ResultWriter  with Resource s3:putObject: <Prefix>/<map run id>/manifest.json and SUCCEEDED_0.json /
//                FAILED_0.json (one file per status that has executions), the state's output
//                {"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}; WriterConfig.Transformation NONE
//                (default with an export), COMPACT (default without), FLATTEN
//
// Each child execution is a real execution of the ItemProcessor (started by the host: it has an ARN, a history,
// a status), named by a UUID as on AWS.
import { randomUUID } from 'node:crypto';
import { exportsToS3, putJson, readItems, statesError } from './s3-items.mjs';

const MAX_PAYLOAD_BYTES = 262144;
const DEFAULT_MAX_CONCURRENCY = 10000;
const THRESHOLD_CAUSE = 'The specified tolerated failure threshold was exceeded';

const iso = (ms) => (ms == null ? undefined : new Date(ms).toISOString());

/** A child execution as the result files and the state's output describe it (Transformation NONE). */
export function executionRecord(child) {
  const ended = child.status === 'SUCCEEDED';
  return {
    ExecutionArn: child.executionArn,
    Input: child.input,
    InputDetails: { Included: true },
    Name: child.name,
    ...(ended ? { Output: child.output, OutputDetails: { Included: true } } : { Error: child.error, Cause: child.cause }),
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    RedriveStatusReason: 'Redrive is not supported by the local runtime',
    StartDate: iso(child.startDate),
    StateMachineArn: child.stateMachineArn,
    Status: child.status,
    StopDate: iso(child.stopDate),
  };
}

/** Counts of a map run as DescribeMapRun answers them (items, or child executions). */
export function emptyCounts(total) {
  return { pending: total, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total, resultsWritten: 0,
    failuresNotRedrivable: 0, pendingRedrive: 0 };
}

function countEnd(counts, status, n) {
  counts.running -= n;
  if (status === 'SUCCEEDED') counts.succeeded += n;
  else if (status === 'TIMED_OUT') counts.timedOut += n;
  else if (status === 'ABORTED') counts.aborted += n;
  else counts.failed += n;
}

function positiveInteger(value, what, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw statesError('States.Runtime', `${what} must be an integer between ${min} and ${max}, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** Groups the selected items into child inputs, as ItemBatcher says (each input within the payload quota). */
function childInputs(items, batcher, settings) {
  if (!batcher) {
    return items.map((item) => ({ input: item, items: 1 }));
  }
  const maxItems = settings.maxItemsPerBatch ?? Number.MAX_SAFE_INTEGER;
  const maxBytes = Math.min(settings.maxInputBytesPerBatch ?? MAX_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES);
  const base = Buffer.byteLength(JSON.stringify(settings.batchInput === undefined
    ? { Items: [] } : { Items: [], BatchInput: settings.batchInput }));
  const batches = [];
  let current = [];
  let bytes = base;
  const close = () => {
    if (current.length === 0) return;
    batches.push({ input: settings.batchInput === undefined ? { Items: current } : { Items: current, BatchInput: settings.batchInput }, items: current.length });
    current = [];
    bytes = base;
  };
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item));
    if (base + itemBytes > maxBytes) {
      throw statesError('States.Runtime', `an item of ${itemBytes} bytes does not fit a batch of at most ${maxBytes} bytes`);
    }
    if (current.length === maxItems || bytes + itemBytes + (current.length ? 1 : 0) > maxBytes) close();
    bytes += itemBytes + (current.length ? 1 : 0); // the comma before it
    current.push(item);
  }
  close();
  return batches;
}

function transform(records, transformation) {
  if (transformation === 'NONE') return records;
  const outputs = records.map((r) => (r.Status === 'SUCCEEDED' ? JSON.parse(r.Output) : r));
  if (transformation === 'COMPACT') return outputs;
  if (transformation === 'FLATTEN') return outputs.flatMap((o) => (Array.isArray(o) ? o : [o]));
  throw statesError('States.Runtime', `WriterConfig.Transformation ${transformation} is not one of NONE, COMPACT, FLATTEN`);
}

/**
 * Runs a Distributed Map state.
 *
 * @param {object} host what the server provides:
 *   evaluate(template, input, context) -> (async) the payload template (Parameters-style, intrinsics included) applied
 *   s3 -> the S3 client of the state machine's role
 *   mapRunArn(label, id) -> the ARN of this map run
 *   startChild(mapRun, index, input) -> {done: Promise<child execution>, stop()}
 *   saveMapRun(mapRun), history(type, details)
 *   signal: aborted when the parent execution stops
 * @param {object} state   the Map state as written
 * @param {string} stateName
 * @param {*} input        the state's input after InputPath
 * @param {object} context the context object ($$) of the parent execution
 */
export async function runDistributedMap(host, state, stateName, input, context) {
  const processor = state.ItemProcessor ?? state.Iterator;
  const path = async (p) => (p === undefined ? undefined : (await host.evaluate({ 'v.$': p }, input, context)).v);
  const reader = state.ItemReader;
  const readerConfig = reader?.ReaderConfig ?? {};
  const maxItems = positiveInteger(readerConfig.MaxItems ?? await path(readerConfig.MaxItemsPath), 'MaxItems', { min: 0, max: 100000000 }) || undefined;

  let items;
  if (reader) {
    const parameters = await host.evaluate(reader.Parameters ?? {}, input, context);
    items = await readItems(host.s3(), reader, parameters, maxItems);
  } else {
    items = state.ItemsPath === undefined ? input : await path(state.ItemsPath);
    if (!Array.isArray(items)) throw statesError('States.Runtime', 'the items of a Map state must be an array (input, or ItemsPath)');
    if (maxItems !== undefined) items = items.slice(0, maxItems);
  }

  const selector = state.ItemSelector ?? state.Parameters;
  const selected = [];
  for (let index = 0; index < items.length; index++) {
    selected.push(selector === undefined ? items[index]
      : await host.evaluate(selector, input, { ...context, Map: { Item: { Index: index, Value: items[index] } } }));
  }

  const batcher = state.ItemBatcher;
  const batches = childInputs(selected, batcher, batcher === undefined ? {} : {
    maxItemsPerBatch: positiveInteger(batcher.MaxItemsPerBatch ?? await path(batcher.MaxItemsPerBatchPath), 'MaxItemsPerBatch', { min: 1 }),
    maxInputBytesPerBatch: positiveInteger(batcher.MaxInputBytesPerBatch ?? await path(batcher.MaxInputBytesPerBatchPath), 'MaxInputBytesPerBatch', { min: 1 }),
    batchInput: batcher.BatchInput === undefined ? undefined : await host.evaluate(batcher.BatchInput, input, context),
  });
  for (const b of batches) {
    if (Buffer.byteLength(JSON.stringify(b.input)) > MAX_PAYLOAD_BYTES) {
      throw statesError('States.DataLimitExceeded', `a child execution's input is over the ${MAX_PAYLOAD_BYTES} bytes quota`);
    }
  }

  const maxConcurrency = positiveInteger(state.MaxConcurrency ?? await path(state.MaxConcurrencyPath), 'MaxConcurrency') || DEFAULT_MAX_CONCURRENCY;
  // Neither given: no failure is tolerated. Either or both: the run fails once one of them is exceeded.
  const toleratedPercentage = state.ToleratedFailurePercentage ?? await path(state.ToleratedFailurePercentagePath);
  if (toleratedPercentage !== undefined
    && (typeof toleratedPercentage !== 'number' || toleratedPercentage < 0 || toleratedPercentage > 100)) {
    throw statesError('States.Runtime', `ToleratedFailurePercentage must be a number between 0 and 100, not ${JSON.stringify(toleratedPercentage)}`);
  }
  let toleratedCount = positiveInteger(state.ToleratedFailureCount ?? await path(state.ToleratedFailureCountPath), 'ToleratedFailureCount');
  if (toleratedPercentage === undefined && toleratedCount === undefined) toleratedCount = 0;
  const writer = state.ResultWriter;
  const exporting = exportsToS3(writer);
  const transformation = writer?.WriterConfig?.Transformation ?? (exporting ? 'NONE' : 'COMPACT');
  if ((writer?.WriterConfig?.OutputType ?? 'JSON') !== 'JSON') {
    throw statesError('States.Runtime', `WriterConfig.OutputType ${writer.WriterConfig.OutputType} is not written by the local runtime (JSON)`);
  }

  const id = randomUUID();
  const label = state.Label ?? stateName;
  const mapRun = {
    mapRunArn: host.mapRunArn(label, id),
    executionArn: context.Execution.Id,
    status: 'RUNNING',
    startDate: Date.now(),
    maxConcurrency,
    toleratedFailurePercentage: toleratedPercentage ?? 0,
    toleratedFailureCount: toleratedCount ?? 0,
    itemCounts: emptyCounts(selected.length),
    executionCounts: emptyCounts(batches.length),
    label,
    processor,
  };
  host.saveMapRun(mapRun);
  host.history('MapRunStarted', { mapRunStartedEventDetails: { mapRunArn: mapRun.mapRunArn } });

  const children = new Array(batches.length);
  const running = new Map();
  let next = 0;
  let failedItems = 0;
  let exceeded = false;
  const exceeds = () => (toleratedCount !== undefined && failedItems > toleratedCount)
    || (toleratedPercentage !== undefined && (failedItems * 100) / selected.length > toleratedPercentage);
  const stopAll = () => running.forEach((handle) => handle.stop());
  const onAbort = () => stopAll();
  host.signal.addEventListener('abort', onAbort);

  const worker = async () => {
    while (!exceeded && !host.signal.aborted && next < batches.length) {
      const index = next++;
      const { input: childInput, items: n } = batches[index];
      mapRun.itemCounts.pending -= n;
      mapRun.itemCounts.running += n;
      mapRun.executionCounts.pending -= 1;
      mapRun.executionCounts.running += 1;
      const handle = host.startChild(mapRun, index, childInput);
      running.set(index, handle);
      const child = await handle.done;
      running.delete(index);
      children[index] = child;
      countEnd(mapRun.itemCounts, child.status, n);
      countEnd(mapRun.executionCounts, child.status, 1);
      if (child.status !== 'SUCCEEDED') {
        failedItems += n;
        if (!exceeded && exceeds()) {
          exceeded = true;
          stopAll();
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(maxConcurrency, batches.length) }, worker));
  } finally {
    host.signal.removeEventListener('abort', onAbort);
  }

  const records = children.filter(Boolean).map(executionRecord);
  let output;
  if (!host.signal.aborted) {
    try {
      output = exporting
        ? await writeResults(host, writer, input, context, mapRun, id, records, transformation)
        : transform(records, transformation);
    } catch (err) {
      finish(host, mapRun, 'FAILED', err.name, err.message);
      throw err;
    }
  }
  if (host.signal.aborted) {
    finish(host, mapRun, 'ABORTED');
    throw statesError('States.Runtime', 'execution stopped');
  }
  if (exceeded) {
    finish(host, mapRun, 'FAILED', 'States.ExceedToleratedFailureThreshold', THRESHOLD_CAUSE);
    throw statesError('States.ExceedToleratedFailureThreshold', THRESHOLD_CAUSE);
  }
  finish(host, mapRun, 'SUCCEEDED');
  return output;
}

function finish(host, mapRun, status, error, cause) {
  mapRun.status = status;
  mapRun.stopDate = Date.now();
  host.saveMapRun(mapRun);
  if (status === 'SUCCEEDED') host.history('MapRunSucceeded', {});
  else if (status === 'ABORTED') host.history('MapRunAborted', {});
  else host.history('MapRunFailed', { mapRunFailedEventDetails: { error, cause } });
}

/** The ResultWriter's export: one file per status with executions, then manifest.json naming them. */
async function writeResults(host, writer, input, context, mapRun, id, records, transformation) {
  const { Bucket: bucket, Prefix: rawPrefix = '' } = await host.evaluate(writer.Parameters ?? {}, input, context);
  if (typeof bucket !== 'string' || bucket === '') {
    throw statesError('States.ResultWriterFailed', "the ResultWriter's Parameters need a string Bucket");
  }
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  const s3 = host.s3();
  const files = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const status of ['SUCCEEDED', 'FAILED']) {
    const ofStatus = records.filter((r) => (status === 'SUCCEEDED') === (r.Status === 'SUCCEEDED'));
    if (ofStatus.length === 0) continue;
    const key = `${prefix}${id}/${status}_0.json`;
    const size = await putJson(s3, bucket, key, status === 'SUCCEEDED' ? transform(ofStatus, transformation) : ofStatus);
    files[status].push({ Key: key, Size: size });
  }
  const manifestKey = `${prefix}${id}/manifest.json`;
  await putJson(s3, bucket, manifestKey, { DestinationBucket: bucket, MapRunArn: mapRun.mapRunArn, ResultFiles: files });
  mapRun.itemCounts.resultsWritten = mapRun.itemCounts.succeeded + mapRun.itemCounts.failed
    + mapRun.itemCounts.timedOut + mapRun.itemCounts.aborted;
  mapRun.executionCounts.resultsWritten = records.length;
  return { MapRunArn: mapRun.mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}
