/** Training: one candidate of a pipeline run, trained with Tribuo on the pinned dataset version. */
package dev.mlops.functions.training;
