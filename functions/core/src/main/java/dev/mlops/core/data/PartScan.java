package dev.mlops.core.data;

import java.util.List;

/**
 * What the pass over one part of a file found ({@link DatasetScanner#scanPart}): a byte range of whole lines,
 * read against a schema settled beforehand ({@link DatasetScanner.Settled}). Parts merge, in file order, into the
 * {@link DatasetScan} one pass over the whole file gives ({@link DatasetScanner.Merge}); every field is plain
 * data, so a part's result can be written as JSON by one worker (a Distributed Map's iteration) and merged by
 * another.
 *
 * <p>Lines are numbered from 1 within the part; the merge shifts them by the lines of the header and the parts
 * before.
 *
 * @param part               the part's index in file order
 * @param lines              line breaks in the part's bytes (what the lines of the next parts are shifted by)
 * @param rows               data rows read (well-formed or not)
 * @param wellFormed         rows with as many fields as the header
 * @param errorRows          rows with at least one error
 * @param complete           whether every record of the part was read (false: a quoting error, or the part had
 *                           {@link ValidationConfig#maxErrorRows()} rows with errors on its own)
 * @param anomalies          what the part recorded, by kind and column, with its first examples
 * @param profile            the profile of the part's well-formed rows (labels counted, numeric targets sketched)
 * @param labelsOverflow     rows whose label class was past {@link ValidationConfig#maxClasses()} in this part
 * @param hashes             the row hashes, for duplicates across parts
 * @param trailingBlankLines blank lines after the part's last record (between rows if a later part has one)
 * @param firstTrailingBlank the part-local line of the first of them (0 without)
 */
public record PartScan(int part, long lines, long rows, long wellFormed, long errorRows, boolean complete,
                       List<Entry> anomalies, Profile profile, long labelsOverflow, Hashes hashes,
                       long trailingBlankLines, long firstTrailingBlank) {

    /** Copies the anomalies. */
    public PartScan {
        anomalies = List.copyOf(anomalies);
    }

    /**
     * One kind of problem in one column, as far as the part saw it.
     *
     * @param kind     the kind
     * @param column   the column, or null
     * @param rows     rows (or other units the kind counts) affected in the part
     * @param examples the part's first {@value Anomaly#MAX_EXAMPLES} examples, part-local lines
     * @param message  the sentence of a problem noted with one (null: written when the whole file is known)
     */
    public record Entry(AnomalyKind kind, String column, long rows, List<Anomaly.Example> examples, String message) {
    }

    /**
     * The row hashes a part kept.
     *
     * @param keys       the distinct row hashes kept (at most 131,072)
     * @param lines      the part-local line each was first seen on
     * @param duplicates rows of the part that repeat an earlier row of the part
     * @param examples   the first of them: {line, line first seen on, hash}
     * @param overflowed whether the part had more distinct rows than are kept
     * @param distinct   an HLL sketch of the distinct rows (compact bytes)
     */
    public record Hashes(long[] keys, long[] lines, long duplicates, List<long[]> examples, boolean overflowed,
                         byte[] distinct) {
    }

    /** Whether the part met a quoting error: then its end may have cut a quoted value, and only one pass is right. */
    public boolean quotingError() {
        return anomalies.stream().anyMatch(e -> e.kind() == AnomalyKind.BAD_QUOTING);
    }
}
