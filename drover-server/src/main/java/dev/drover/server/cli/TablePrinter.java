package dev.drover.server.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The CLI's tables, padded like kubectl's: a header in capitals, columns three spaces apart, no trailing blanks. */
final class TablePrinter {

    /** How a column's cells line up; the header is always left-aligned. */
    enum Align { LEFT, RIGHT }

    private TablePrinter() {
    }

    /** Prints the table; the first column is left-aligned, the others as {@code rest} says (amounts right-aligned). */
    static void print(PrintStream out, List<String> header, Align rest, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int column = 0; column < row.size(); column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        for (List<String> row : all) {
            var line = new StringBuilder();
            for (int column = 0; column < row.size(); column++) {
                String cell = row.get(column);
                String padding = " ".repeat(widths[column] - cell.length());
                boolean right = column > 0 && row != header && rest == Align.RIGHT;
                line.append(right ? padding + cell : cell + padding).append(column < row.size() - 1 ? "   " : "");
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
