// What an AWS request asks IAM for: the service that signed it, the caller's access key, and the
// (action, resource) pairs IAM authorizes it by, as the Service Authorization Reference lists them for
// the operations the project and its clients use (S3, DynamoDB, Step Functions, EventBridge, Lambda).
// Also how each service's wire protocol answers AccessDenied.
import { randomUUID } from 'node:crypto';

const SCOPE_RE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * The service and the access key of a request, from its SigV4 Authorization header or its presigned query
 * (X-Amz-Credential). Unsigned requests are told apart by their protocol.
 */
export function signer(req, url) {
  const auth = String(req.headers.authorization ?? '');
  let m = SCOPE_RE.exec(auth);
  if (!m) {
    const credential = url.searchParams.get('X-Amz-Credential');
    if (credential) m = SCOPE_RE.exec(`Credential=${credential}`);
  }
  if (m) return { accessKey: m[1], region: m[2], service: m[3] };
  const target = String(req.headers['x-amz-target'] ?? '');
  const service = target.startsWith('DynamoDB_') ? 'dynamodb'
    : target.startsWith('AWSStepFunctions.') ? 'states'
      : target.startsWith('AWSEvents.') ? 'events'
        : url.pathname.startsWith('/2015-03-31/functions') ? 'lambda' : 's3';
  return { accessKey: null, region: null, service };
}

/** Whether the gateway needs the request's body to authorize it (small JSON bodies, and S3's DeleteObjects). */
export function needsBody(service, req, url) {
  if (service === 's3') return req.method === 'POST' && url.searchParams.has('delete');
  return service === 'dynamodb' || service === 'states' || service === 'events';
}

const S3_BUCKET_GET = {
  versions: 's3:ListBucketVersions', uploads: 's3:ListBucketMultipartUploads', versioning: 's3:GetBucketVersioning',
  location: 's3:GetBucketLocation', policy: 's3:GetBucketPolicy', acl: 's3:GetBucketAcl',
  lifecycle: 's3:GetLifecycleConfiguration', tagging: 's3:GetBucketTagging', encryption: 's3:GetEncryptionConfiguration',
  notification: 's3:GetBucketNotification', cors: 's3:GetBucketCORS', 'object-lock': 's3:GetBucketObjectLockConfiguration',
  ownershipControls: 's3:GetBucketOwnershipControls', publicAccessBlock: 's3:GetBucketPublicAccessBlock',
};
const S3_BUCKET_PUT = {
  versioning: 's3:PutBucketVersioning', policy: 's3:PutBucketPolicy', acl: 's3:PutBucketAcl',
  lifecycle: 's3:PutLifecycleConfiguration', tagging: 's3:PutBucketTagging', encryption: 's3:PutEncryptionConfiguration',
  notification: 's3:PutBucketNotification', cors: 's3:PutBucketCORS', ownershipControls: 's3:PutBucketOwnershipControls',
  publicAccessBlock: 's3:PutBucketPublicAccessBlock',
};

function subresource(url, table) {
  for (const name of Object.keys(table)) if (url.searchParams.has(name)) return table[name];
  return null;
}

/** S3, path-style (/bucket/key): what IAM checks for each operation. */
function s3Checks(req, url, body) {
  const parts = url.pathname.split('/');
  const bucket = decodeURIComponent(parts[1] ?? '');
  const key = parts.slice(2).map(decodeURIComponent).join('/');
  const q = url.searchParams;
  const method = req.method;
  if (!bucket) return [{ action: 's3:ListAllMyBuckets', resource: '*' }];
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (!key) {
    if (method === 'GET') return [{ action: subresource(url, S3_BUCKET_GET) ?? 's3:ListBucket', resource: bucketArn }];
    if (method === 'HEAD') return [{ action: 's3:ListBucket', resource: bucketArn }];
    if (method === 'PUT') return [{ action: subresource(url, S3_BUCKET_PUT) ?? 's3:CreateBucket', resource: bucketArn }];
    if (method === 'DELETE') return [{ action: 's3:DeleteBucket', resource: bucketArn }];
    if (method === 'POST' && q.has('delete')) {
      // DeleteObjects: IAM checks s3:DeleteObject (or DeleteObjectVersion) for every object named in the body.
      const text = body?.toString('utf8') ?? '';
      const checks = [];
      for (const m of text.matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
        const k = /<Key>([\s\S]*?)<\/Key>/.exec(m[1])?.[1] ?? '';
        const versioned = /<VersionId>/.test(m[1]);
        checks.push({ action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: `${bucketArn}/${unescapeXml(k)}` });
      }
      return checks;
    }
    return [{ action: 's3:ListBucket', resource: bucketArn }];
  }
  const objectArn = `${bucketArn}/${key}`;
  const versioned = q.has('versionId');
  if (method === 'GET' || method === 'HEAD') {
    if (q.has('uploadId')) return [{ action: 's3:ListMultipartUploadParts', resource: objectArn }];
    if (q.has('tagging')) return [{ action: versioned ? 's3:GetObjectVersionTagging' : 's3:GetObjectTagging', resource: objectArn }];
    if (q.has('acl')) return [{ action: versioned ? 's3:GetObjectVersionAcl' : 's3:GetObjectAcl', resource: objectArn }];
    if (q.has('attributes')) return [{ action: versioned ? 's3:GetObjectVersionAttributes' : 's3:GetObjectAttributes', resource: objectArn }];
    return [{ action: versioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: objectArn }];
  }
  if (method === 'PUT') {
    if (q.has('tagging')) return [{ action: versioned ? 's3:PutObjectVersionTagging' : 's3:PutObjectTagging', resource: objectArn }];
    if (q.has('acl')) return [{ action: versioned ? 's3:PutObjectVersionAcl' : 's3:PutObjectAcl', resource: objectArn }];
    const checks = [{ action: 's3:PutObject', resource: objectArn }];
    const source = req.headers['x-amz-copy-source'];
    if (source) {
      // CopyObject and UploadPartCopy also read the source object (at its version, when one is named).
      const [path, query] = String(source).split('?');
      const from = decodeURIComponent(path.replace(/^\//, ''));
      const sourceVersioned = new URLSearchParams(query ?? '').has('versionId');
      checks.push({ action: sourceVersioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: `arn:aws:s3:::${from}` });
    }
    return checks;
  }
  if (method === 'POST') {
    if (q.has('restore')) return [{ action: 's3:RestoreObject', resource: objectArn }];
    if (q.has('select')) return [{ action: 's3:GetObject', resource: objectArn }];
    return [{ action: 's3:PutObject', resource: objectArn }]; // CreateMultipartUpload, CompleteMultipartUpload
  }
  if (method === 'DELETE') {
    if (q.has('uploadId')) return [{ action: 's3:AbortMultipartUpload', resource: objectArn }];
    if (q.has('tagging')) return [{ action: versioned ? 's3:DeleteObjectVersionTagging' : 's3:DeleteObjectTagging', resource: objectArn }];
    return [{ action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: objectArn }];
  }
  return [{ action: 's3:GetObject', resource: objectArn }];
}

function unescapeXml(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function jsonBody(body) {
  try {
    const v = JSON.parse(body?.toString('utf8') || '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/** DynamoDB (JSON 1.0): the table, or the index a Query or Scan reads. */
function dynamoChecks(req, body, ctx) {
  const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  const b = jsonBody(body);
  const table = (name) => `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${name}`;
  const action = `dynamodb:${op}`;
  if (op === 'BatchGetItem' || op === 'BatchWriteItem') {
    return Object.keys(b.RequestItems ?? {}).map((t) => ({ action, resource: table(t) }));
  }
  if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
    const checks = [];
    for (const item of b.TransactItems ?? []) {
      for (const [kind, request] of Object.entries(item)) {
        const a = { Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind];
        if (a && request?.TableName) checks.push({ action: `dynamodb:${a}`, resource: table(request.TableName) });
      }
    }
    return checks;
  }
  if (typeof b.TableName === 'string') {
    const resource = b.IndexName ? `${table(b.TableName)}/index/${b.IndexName}` : table(b.TableName);
    return [{ action, resource }];
  }
  return [{ action, resource: '*' }];
}

/** Step Functions (JSON 1.0): the state machine or the execution the operation names. */
function statesChecks(req, body, ctx) {
  const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  const b = jsonBody(body);
  const resource = b.executionArn ?? b.stateMachineArn
    ?? (op === 'CreateStateMachine' && b.name ? `arn:aws:states:${ctx.region}:${ctx.account}:stateMachine:${b.name}` : '*');
  return [{ action: `states:${op}`, resource }];
}

/** EventBridge (JSON 1.1): PutEvents is authorized on each entry's bus. */
function eventsChecks(req, body, ctx) {
  const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  const b = jsonBody(body);
  const bus = (name) => (String(name).startsWith('arn:') ? String(name)
    : `arn:aws:events:${ctx.region}:${ctx.account}:event-bus/${name || 'default'}`);
  if (op === 'PutEvents') {
    const buses = new Set((b.Entries ?? []).map((e) => bus(e.EventBusName ?? 'default')));
    return [...buses].map((resource) => ({ action: 'events:PutEvents', resource }));
  }
  return [{ action: `events:${op}`, resource: b.EventBusName ? bus(b.EventBusName) : '*' }];
}

/** Lambda (REST): invoke, get and list functions, by name or ARN (a logical id counts as its function). */
function lambdaChecks(req, url, ctx) {
  const m = /^\/2015-03-31\/functions\/([^/]*)(\/invocations)?\/?$/.exec(url.pathname);
  if (!m || !m[1]) return [{ action: 'lambda:ListFunctions', resource: '*' }];
  const ref = decodeURIComponent(m[1]);
  let arn;
  if (ref.startsWith('arn:')) {
    arn = ref;
  } else {
    const [name, qualifier] = ref.split(':');
    const physical = ctx.functions?.[name] ?? name;
    arn = `arn:aws:lambda:${ctx.region}:${ctx.account}:function:${physical}${qualifier ? `:${qualifier}` : ''}`;
  }
  return [{ action: m[2] ? 'lambda:InvokeFunction' : 'lambda:GetFunction', resource: arn }];
}

/** The (action, resource) pairs IAM authorizes the request by. */
export function checksOf(service, req, url, body, ctx) {
  switch (service) {
    case 's3': return s3Checks(req, url, body);
    case 'dynamodb': return dynamoChecks(req, body, ctx);
    case 'states': return statesChecks(req, body, ctx);
    case 'events': return eventsChecks(req, body, ctx);
    case 'lambda': return lambdaChecks(req, url, ctx);
    default: return [];
  }
}

/** AccessDenied as each service's protocol answers it. */
export function accessDenied(service, req, message) {
  const requestId = randomUUID();
  if (service === 's3') {
    const body = req.method === 'HEAD' ? '' : '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
      + `<Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
    return { status: 403, headers: { 'Content-Type': 'application/xml', 'x-amz-request-id': requestId }, body };
  }
  if (service === 'lambda') {
    return {
      status: 403,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException', 'x-amzn-RequestId': requestId },
      body: JSON.stringify({ Type: 'User', message }),
    };
  }
  const type = service === 'dynamodb' ? 'com.amazon.coral.service#AccessDeniedException' : 'AccessDeniedException';
  const contentType = service === 'events' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
  return {
    status: 400,
    headers: { 'Content-Type': contentType, 'x-amzn-ErrorType': 'AccessDeniedException', 'x-amzn-RequestId': requestId },
    body: JSON.stringify({ __type: type, message }),
  };
}

function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
