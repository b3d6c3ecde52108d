/** Registry rules: which candidate wins a run and whether a new version is blessed against the champion. */
package dev.mlops.core.registry;
