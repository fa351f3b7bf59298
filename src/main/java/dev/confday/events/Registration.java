package dev.confday.events;

/** One row of a registration import: who, and whether they come in person or remotely. */
public record Registration(String name, String email, String affiliation, String attendance, String ticketType,
    String orderCode) {
}
