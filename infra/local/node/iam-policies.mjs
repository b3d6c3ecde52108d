// IAM for the local stack: each function (and the state machine) signs its requests with an access key of its
// own; the key names the role template.yaml gives it (its policies expanded by the SAM translator and resolved by
// the Java side), and every (action, resource) a request needs is evaluated against that role's identity
// policies by @cloud-copilot/iam-simulate, an implementation of AWS's policy evaluation logic. Other keys (people,
// the runtime itself) are not checked: they stand for the account's administrator.
//
// Which statement allowed each call is counted, so the grants a run never needed show up as unused.
import fs from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';

/** The principals of a file written by the local runtime (see PrincipalsFile.java). */
export class Principals {
  constructor(file) {
    const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
    this.account = spec.account;
    this.region = spec.region;
    this.functions = spec.functions ?? {};
    this.byKey = new Map();
    this.usage = {};
    for (const p of spec.principals) {
      this.byKey.set(p.accessKeyId, p);
      const counts = {};
      for (const policy of p.policies) {
        counts[policy.name] = {};
        policy.document.Statement.forEach((s, i) => {
          counts[policy.name][statementId(s, i)] = 0;
        });
      }
      this.usage[p.name] = counts;
    }
    this.cache = new Map();
  }

  /** The principal a key stands for, or undefined for a key that is not checked. */
  of(accessKey) {
    return accessKey ? this.byKey.get(accessKey) : undefined;
  }

  /**
   * Evaluates one (action, resource) for a principal: {allowed, statements: [[policy, statement]], denial?}.
   * Decisions are cached per principal, action and resource (the policies do not change while the stack runs).
   */
  async decide(principal, action, resource) {
    const key = `${principal.accessKeyId}\u0000${action}\u0000${resource}`;
    let decision = this.cache.get(key);
    if (!decision) {
      decision = await evaluate(principal, action, resource, this.account);
      if (this.cache.size > 50000) this.cache.clear();
      this.cache.set(key, decision);
    }
    if (decision.allowed) {
      for (const [policy, statement] of decision.statements) {
        const counts = this.usage[principal.name][policy];
        if (counts && statement in counts) counts[statement]++;
      }
    }
    return decision;
  }
}

/** A statement's name in reports: its Sid, or its position in the policy (#1, #2, ...). */
function statementId(statement, index) {
  return statement.Sid ? statement.Sid : `#${index + 1}`;
}

async function evaluate(principal, action, resource, account) {
  const result = await runSimulation({
    identityPolicies: principal.policies.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action,
      principal: principal.sessionArn,
      resource: { accountId: account, resource },
      contextVariables: {},
    },
  }, {});
  if (result.resultType === 'error') {
    // An action or resource the evaluator does not know is refused, as AWS would refuse an unknown action.
    return { allowed: false, statements: [], invalid: JSON.stringify(result.errors) };
  }
  const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
  const allowed = result.overallResult === 'Allowed';
  const statements = (analysis?.identityAnalysis?.allowStatements ?? []).map((s) =>
    // iam-simulate numbers statements from 1
    [s.policyId, statementId({ Sid: s.statement.sid?.() }, s.statement.index() - 1)]);
  return { allowed, explicit: result.overallResult === 'ExplicitlyDenied', statements };
}

/** The message AWS gives for a call no identity policy allows. */
export function denialMessage(principal, action, resource, decision) {
  const why = decision.explicit ? 'with an explicit deny in an identity-based policy'
    : `because no identity-based policy allows the ${action} action`;
  return `User: ${principal.sessionArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

/** The statement that would have allowed the call, as it would read in template.yaml's Policies. */
export function missingGrant(action, resource) {
  return { Effect: 'Allow', Action: action, Resource: resource };
}
