// S3 as a Distributed Map state uses it: the ItemReader that reads the items, the ResultWriter that writes the
// child executions' results. Requests go through the stack's AWS gateway signed with the executing state
// machine's role key, so IAM applies to them as on AWS (s3:GetObject, s3:ListBucket, s3:PutObject on the role).
//
// Readers (ItemReader.Resource, ReaderConfig.InputType), as the Step Functions developer guide describes them:
//  * arn:aws:states:::s3:getObject  CSV       rows as objects of strings; CSVHeaderLocation FIRST_ROW (default) or
//                                             GIVEN with CSVHeaders; CSVDelimiter COMMA (default), PIPE,
//                                             SEMICOLON, SPACE, TAB
//                                   JSON      the object is a JSON array; its elements are the items
//                                   JSONL     one JSON value per line
//                                   MANIFEST  an S3 inventory manifest.json: the CSV (optionally gzip'd) inventory
//                                             files it lists, each row an object keyed by the manifest's fileSchema
//  * arn:aws:states:::s3:listObjectsV2        every object under Parameters.Prefix: {Etag, Key, LastModified
//                                             (epoch seconds), Size, StorageClass}
// ReaderConfig.MaxItems limits how many items are read. Any failure is States.ItemReaderFailed with the reason.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse as parseCsv } from 'csv-parse/sync';

const DELIMITERS = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };
const GET_OBJECT = /^arn:aws[a-z-]*:states:::s3:getObject$/;
const LIST_OBJECTS = /^arn:aws[a-z-]*:states:::s3:listObjectsV2$/;
const PUT_OBJECT = /^arn:aws[a-z-]*:states:::s3:putObject$/;

/** A States.* error the interpreter can Retry and Catch by name, with the reason as its Cause. */
export function statesError(name, message) {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** S3 clients of the gateway, one per access key (the state machine's role). */
export class S3Access {
  constructor(endpoint, region) {
    this.endpoint = endpoint;
    this.region = region;
    this.clients = new Map();
  }

  client(accessKey) {
    if (!this.endpoint) {
      throw statesError('States.Runtime', 'no S3 endpoint was given to the local Step Functions (--s3-endpoint)');
    }
    let c = this.clients.get(accessKey);
    if (!c) {
      c = new S3Client({
        endpoint: this.endpoint,
        region: this.region,
        forcePathStyle: true,
        // The local gateway checks the key (IAM), never the signature.
        credentials: { accessKeyId: accessKey, secretAccessKey: 'local' },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
      });
      this.clients.set(accessKey, c);
    }
    return c;
  }
}

const describe = (err) => `${err.name ?? 'Error'}: ${err.message}`;

async function getObjectBytes(client, bucket, key, versionId) {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return Buffer.from(await out.Body.transformToByteArray());
}

function requireString(value, what) {
  if (typeof value !== 'string' || value === '') {
    throw statesError('States.ItemReaderFailed', `the ItemReader's Parameters need a string ${what}`);
  }
  return value;
}

function csvItems(bytes, config) {
  const delimiter = DELIMITERS[config.CSVDelimiter ?? 'COMMA'];
  if (!delimiter) throw statesError('States.ItemReaderFailed', `unknown CSVDelimiter ${config.CSVDelimiter}`);
  const location = config.CSVHeaderLocation ?? 'FIRST_ROW';
  let columns;
  if (location === 'FIRST_ROW') columns = true;
  else if (location === 'GIVEN' && Array.isArray(config.CSVHeaders)) columns = config.CSVHeaders;
  else throw statesError('States.ItemReaderFailed', 'CSVHeaderLocation GIVEN needs CSVHeaders (an array of names)');
  return parseCsv(bytes, { columns, delimiter, bom: true, skip_empty_lines: true, cast: false });
}

function jsonItems(bytes) {
  const items = JSON.parse(bytes.toString('utf8'));
  if (!Array.isArray(items)) throw new Error('the object is not a JSON array');
  return items;
}

function jsonLinesItems(bytes) {
  return bytes.toString('utf8').split(/\r?\n/).filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

/** An S3 inventory: manifest.json names the CSV files and their columns (fileSchema). */
async function manifestItems(client, bytes) {
  const manifest = JSON.parse(bytes.toString('utf8'));
  if (manifest.fileFormat !== 'CSV') throw new Error(`inventory fileFormat ${manifest.fileFormat} (only CSV is read)`);
  const columns = String(manifest.fileSchema ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  const bucket = String(manifest.destinationBucket ?? '').replace(/^arn:aws[a-z-]*:s3:::/, '');
  const items = [];
  for (const file of manifest.files ?? []) {
    let data = await getObjectBytes(client, bucket, file.key);
    if (file.key.endsWith('.gz')) data = gunzipSync(data);
    items.push(...parseCsv(data, { columns, skip_empty_lines: true, cast: false }));
  }
  return items;
}

async function listedItems(client, bucket, prefix, maxItems) {
  const items = [];
  let token;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      items.push({
        Etag: o.ETag,
        Key: o.Key,
        LastModified: Math.floor(o.LastModified.getTime() / 1000),
        Size: o.Size,
        StorageClass: o.StorageClass ?? 'STANDARD',
      });
      if (items.length >= maxItems) return items;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return items;
}

/**
 * Reads a Distributed Map's items.
 *
 * @param client     the S3 client of the state machine's role
 * @param reader     the ItemReader field
 * @param parameters its Parameters, evaluated against the state's input
 * @param maxItems   ReaderConfig.MaxItems (evaluated), or undefined
 */
export async function readItems(client, reader, parameters, maxItems) {
  const resource = String(reader.Resource ?? '');
  const limit = maxItems ?? Number.MAX_SAFE_INTEGER;
  const config = reader.ReaderConfig ?? {};
  const bucket = requireString(parameters?.Bucket, 'Bucket');
  try {
    let items;
    if (LIST_OBJECTS.test(resource)) {
      items = await listedItems(client, bucket, parameters.Prefix ?? '', limit);
    } else if (GET_OBJECT.test(resource)) {
      const key = requireString(parameters.Key, 'Key');
      const bytes = await getObjectBytes(client, bucket, key, parameters.VersionId);
      const type = config.InputType ?? 'JSON';
      if (type === 'CSV') items = csvItems(bytes, config);
      else if (type === 'JSON') items = jsonItems(bytes);
      else if (type === 'JSONL') items = jsonLinesItems(bytes);
      else if (type === 'MANIFEST') items = await manifestItems(client, bytes);
      else throw new Error(`ReaderConfig.InputType ${type} is not read by the local runtime (CSV, JSON, JSONL, MANIFEST)`);
    } else {
      throw new Error(`ItemReader resource '${resource}' is not supported (s3:getObject, s3:listObjectsV2)`);
    }
    return items.length > limit ? items.slice(0, limit) : items;
  } catch (err) {
    if (err.name === 'States.ItemReaderFailed') throw err;
    throw statesError('States.ItemReaderFailed', `reading the items from s3://${bucket}/${parameters.Key ?? parameters.Prefix ?? ''} failed: ${describe(err)}`);
  }
}

/** Writes one JSON document; S3 failures are States.ResultWriterFailed. Returns its size in bytes. */
export async function putJson(client, bucket, key, value) {
  const body = Buffer.from(JSON.stringify(value));
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
  } catch (err) {
    throw statesError('States.ResultWriterFailed', `writing s3://${bucket}/${key} failed: ${describe(err)}`);
  }
  return body.length;
}

/** Whether a ResultWriter resource is the S3 export (else it only shapes the state's output). */
export function exportsToS3(writer) {
  if (writer?.Resource === undefined) return false;
  if (!PUT_OBJECT.test(String(writer.Resource))) {
    throw statesError('States.Runtime', `ResultWriter resource '${writer.Resource}' is not supported (arn:aws:states:::s3:putObject)`);
  }
  return true;
}
