package dev.confday.events;

/**
 * One row of a registration import: who, and whether they come in person or remotely; {@code line}
 * is where the row starts in the file, to name it in errors.
 */
public record Registration(String name, String email, String affiliation, String attendance, String ticketType,
    String orderCode, long line) {
}
