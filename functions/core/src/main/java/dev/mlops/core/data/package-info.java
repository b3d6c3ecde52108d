/**
 * Tabular data handling for the pipeline: strict RFC 4180 CSV parsing ({@link dev.mlops.core.data.CsvParser}),
 * schema inference ({@link dev.mlops.core.data.Schema}), validation ({@link dev.mlops.core.data.Validator})
 * and profiling ({@link dev.mlops.core.data.Profile}), and the row-hash {@link dev.mlops.core.data.SplitSpec
 * split} that decides which rows of a dataset a model trains on and which it never sees.
 *
 * <p>Everything here is pure Java (no cloud SDK) and every value type is a record that a plain Jackson
 * {@code ObjectMapper} can serialise.
 */
package dev.mlops.core.data;
