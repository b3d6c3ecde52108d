/**
 * The errors that may leave a function, each a stable name that Step Functions' {@code Retry} and
 * {@code Catch} match on (see {@code infra/statemachine/README.md}): {@link
 * dev.mlops.core.errors.TransientException} (retry), {@link dev.mlops.core.errors.ContractException}
 * (a bad payload: do not retry) and {@link dev.mlops.core.errors.IntegrityException} (stored bytes
 * do not match their record). Two refine them: {@link dev.mlops.core.errors.ModelIntegrityException}
 * (an artifact refused before it is loaded) is an integrity error, {@link
 * dev.mlops.core.errors.InvalidInstanceException} (a prediction request that breaks the signature) a
 * contract error. Outcomes a caller must handle (no champion, champion cannot be scored, production
 * moved) are values, not exceptions.
 */
package dev.mlops.core.errors;
