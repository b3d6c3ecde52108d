/**
 * Task types, one class each ({@link dev.mlops.core.model.task.Classification}, {@link
 * dev.mlops.core.model.task.Regression}): a {@link dev.mlops.core.model.task.Task} encodes a label cell as the
 * model's output, turns the model's outputs into predictions, names the metrics candidates are selected and
 * versions blessed on and which way each is better, and computes them ({@link
 * dev.mlops.core.model.task.Metrics}). A binary classifier's decision threshold is chosen here too ({@link
 * dev.mlops.core.model.task.DecisionThreshold}). Training, the registry's blessing and serving ask the task, so a
 * new task type touches its class, its families' trainers, its test and a fixture.
 */
package dev.mlops.core.model.task;
