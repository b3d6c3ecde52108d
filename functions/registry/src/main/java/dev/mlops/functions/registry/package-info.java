/**
 * Registry updates' handler: the state machine's register, promote and record_failure steps, and
 * retries of failed runs, handed to the core's {@link dev.mlops.core.registry.RegistryService}.
 */
package dev.mlops.functions.registry;
