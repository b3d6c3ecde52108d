package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's sentences for anomalies counted row by row: what is wrong, where (lines and an example), how
 * much of the file, and what to do about it.
 */
final class AnomalyText {

    private final String[] header;
    private final Schema schema;
    private final boolean inferred;
    private final long wellFormed;
    private final ValidationConfig config;
    private final MissingMarkers markers;

    /**
     * @param header     the file's header
     * @param schema     the schema the rows were checked against
     * @param inferred   whether that schema was inferred from this file
     * @param wellFormed rows with the header's number of fields
     */
    AnomalyText(String[] header, Schema schema, boolean inferred, long wellFormed, ValidationConfig config,
                MissingMarkers markers) {
        this.header = header;
        this.schema = schema;
        this.inferred = inferred;
        this.wellFormed = wellFormed;
        this.config = config;
        this.markers = markers;
    }

    /** The sentence of an anomaly counted row by row. */
    String describe(AnomalyLog.Entry e) {
        String col = e.column() == null ? null : "column \"" + Anomaly.shorten(e.column()) + "\"";
        String eg = e.examples().isEmpty() || e.examples().get(0).value() == null ? ""
                : ", e.g. \"" + e.examples().get(0).value() + "\"";
        String where = " (line" + (e.rows() == 1 ? " " : "s ") + e.lines() + eg + ")";
        String share = wellFormed > 0 ? " (" + percent((double) e.rows() / Math.max(1, wellFormed)) + " of the rows)" : "";
        switch (e.kind()) {
            case RAGGED_ROW:
                return e.rows() + " row(s) do not have the header's " + header.length + " fields (line"
                        + (e.rows() == 1 ? " " : "s ") + e.lines() + "): a value holding a comma must be in double"
                        + " quotes, and every row needs one value per column";
            case BLANK_LINE:
                return e.rows() + " blank line(s) between rows were skipped (line" + (e.rows() == 1 ? " " : "s ")
                        + e.lines() + ")";
            case INVALID_UTF8:
                return (col == null ? "" : col + ": ") + e.rows() + " row(s) hold bytes that are not UTF-8"
                        + where + ": save the file as UTF-8";
            case TYPE_MISMATCH:
                if (schema != null && schema.regression() && schema.label().equals(e.column())) {
                    return "the label " + col + " of a regression must be a number, but " + e.rows() + " value(s)"
                            + share + " are not" + where + ": fix them, or name the task classification (--task,"
                            + " the object metadata \"task\" or config.json's \"task\") if the label is a class";
                }
                return col + " is numeric" + (inferred ? " (inferred from the first rows of this file)" : "")
                        + " but " + e.rows() + " value(s)" + share + " are not numbers" + where + ": fix them, write"
                        + " missing values as one of " + markersText() + ", or make the column CATEGORICAL in the"
                        + " schema";
            case NON_FINITE:
                return col + ": " + e.rows() + " value(s) are infinite or not a number" + where + ": write a"
                        + " missing value as one of " + markersText() + ", or fix the value";
            case OUT_OF_RANGE: {
                Schema.Domain d = schema.domain(e.column());
                return col + ": " + e.rows() + " value(s)" + share + " are outside the schema's range ["
                        + number(d.min()) + ", " + number(d.max()) + "]" + where + ": check them, or widen the"
                        + " range in the schema";
            }
            case UNSEEN_CATEGORY:
                return col + ": " + e.rows() + " value(s)" + share + " are categories the schema does not list"
                        + where + ": add them to the column's values in the schema if they are expected";
            case MISSING_LABEL:
                return e.rows() + " row(s) have no label in " + col + where + ": every row needs its label";
            case EMPTY_FEATURES:
                return e.rows() + " row(s)" + share + " have a label but no feature value" + where
                        + ": they are dropped from training and evaluation; fill in their features or remove them";
            case UNSEEN_LABEL:
                return e.rows() + " row(s)" + share + " have a label class the schema does not list" + where
                        + ": the model will learn a new class, and the champion cannot be compared with it;"
                        + " add it to the schema's label_values if it is expected";
            case VALUE_TOO_LONG:
                return col + ": " + e.rows() + " value(s) are longer than " + config.maxValueLength()
                        + " characters" + where + ": most likely a quoting problem, a category this long is not"
                        + " a category";
            case DUPLICATE_ROWS:
                return e.rows() + " duplicate row(s)";
            default:
                return e.kind() + (col == null ? "" : " in " + col) + where;
        }
    }

    private String markersText() {
        List<String> shown = new ArrayList<>();
        for (String m : markers.markers()) {
            shown.add(m.isEmpty() ? "an empty cell" : m);
        }
        return String.join(", ", shown);
    }

    /** A share as a percentage, one decimal. */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** A range bound for people ({@code …} when open). */
    static String number(Double d) {
        if (d == null) {
            return "…";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
    }
}
