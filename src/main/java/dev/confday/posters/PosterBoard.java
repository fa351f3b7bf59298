package dev.confday.posters;

/** A poster's number, title and board label in one poster session; what the schedule and exports show. */
public record PosterBoard(int posterNumber, String title, String boardLabel, String areaName) {
}
