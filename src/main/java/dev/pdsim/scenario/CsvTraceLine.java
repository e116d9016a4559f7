package dev.pdsim.scenario;

/**
 * One line of a CSV trace: {@code arrival_s,input_len,output_len[,prefix_group]}; an empty
 * prefix_group (or none) is a prompt that shares nothing.
 */
final class CsvTraceLine {
    static final String HEADER = "arrival_s,input_len,output_len";
    static final String HEADER_WITH_GROUP = HEADER + ",prefix_group";

    private CsvTraceLine() {
    }

    /** The request of {@code line}, its arrival in nanoseconds (not yet an offset). */
    static TraceRequest parse(String line, boolean withGroup) throws TraceLineException {
        String[] cells = line.split(",", -1);
        int expected = withGroup ? 4 : 3;
        if (cells.length != expected) {
            throw new TraceLineException(1, "has " + cells.length + " fields; the header names " + expected + " ("
                    + (withGroup ? HEADER_WITH_GROUP : HEADER) + ")");
        }
        int[] columns = new int[cells.length];
        for (int i = 1; i < cells.length; i++) {
            columns[i] = columns[i - 1] + cells[i - 1].length() + 1;
        }
        double arrival;
        try {
            arrival = Double.parseDouble(cells[0].strip());
        } catch (NumberFormatException e) {
            arrival = Double.NaN;
        }
        if (!(arrival >= 0) || arrival > Long.MAX_VALUE / 1e9) {
            throw new TraceLineException(columns[0] + 1, "arrival_s must be seconds (a number >= 0), got '"
                    + cells[0].strip() + "'");
        }
        int input = whole(cells[1], columns[1], "input_len", 1, ScenarioFields.MAX_TOKENS);
        int output = whole(cells[2], columns[2], "output_len", 1, ScenarioFields.MAX_TOKENS);
        int group = withGroup && !cells[3].isBlank()
                ? whole(cells[3], columns[3], "prefix_group", 0, Integer.MAX_VALUE) : -1;
        return new TraceRequest(Math.round(arrival * 1e9), input, output, new long[0], group);
    }

    private static int whole(String cell, int column, String name, long min, long max) throws TraceLineException {
        long v;
        try {
            v = Long.parseLong(cell.strip());
        } catch (NumberFormatException e) {
            v = min - 1;
        }
        if (v < min || v > max) {
            throw new TraceLineException(column + 1, name + " must be a whole number from " + min + " to " + max
                    + ", got '" + cell.strip() + "'");
        }
        return (int) v;
    }
}
