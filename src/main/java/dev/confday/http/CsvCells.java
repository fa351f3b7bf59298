package dev.confday.http;

/** Cells of the CSV files the API hands out, made safe to open in a spreadsheet. */
public final class CsvCells {
  private CsvCells() {
  }

  /**
   * A cell a spreadsheet would run as a formula (it starts with =, +, -, @, tab or CR) gets a
   * leading apostrophe, as OWASP advises against CSV injection; everything else is kept as is.
   */
  public static String safe(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    return "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
  }
}
