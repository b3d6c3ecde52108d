/**
 * Tabular data handling for the pipeline: strict RFC 4180 CSV parsing ({@link dev.mlops.core.data.CsvParser},
 * {@link dev.mlops.core.data.CsvStream}), one streaming pass that infers or enforces the {@link
 * dev.mlops.core.data.Schema}, validates and profiles an upload ({@link dev.mlops.core.data.DatasetScanner}, with
 * its parts: type inference, cell checks, file rules, report sentences, row hashes; or in byte ranges merged into
 * the same result, {@link dev.mlops.core.data.PartScan}, on every core with {@link
 * dev.mlops.core.data.ParallelScanner}), the validation report and
 * its page ({@link dev.mlops.core.data.DatasetReport}, {@link dev.mlops.core.data.ValidationReportHtml}),
 * mergeable profiles ({@link dev.mlops.core.data.Profile}), and the row-hash {@link dev.mlops.core.data.SplitSpec
 * split} that decides which rows of a dataset a model trains on and which it never sees.
 *
 * <p>Everything here is pure Java (no cloud SDK) and every value type is a record that a plain Jackson
 * {@code ObjectMapper} can serialise.
 */
package dev.mlops.core.data;
