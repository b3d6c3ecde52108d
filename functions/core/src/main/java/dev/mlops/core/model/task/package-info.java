/**
 * Task types, one class each (today {@link dev.mlops.core.model.task.Classification}): a {@link
 * dev.mlops.core.model.task.Task} encodes a label cell as the model's output, names the metrics candidates are
 * selected and versions blessed on and which way each is better, and computes them ({@link
 * dev.mlops.core.model.task.Metrics}). Training, the registry's blessing and the drift check's live quality
 * ask the task, so a new task type touches its class, its test and a fixture.
 */
package dev.mlops.core.model.task;
