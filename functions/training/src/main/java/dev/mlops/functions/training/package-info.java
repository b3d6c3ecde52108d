/** Training's handler: one candidate of a pipeline run, trained by the core's {@link dev.mlops.core.search.CandidateTrainer}. */
package dev.mlops.functions.training;
