package dev.confday.posters.check;

/** What the poster check concluded about one uploaded file, from best to worst. */
public enum PosterVerdict {
  /** A readable one-page PDF of about the recommended size. */
  RECOMMENDED_SIZE("Recommended size"),
  /** A readable one-page PDF within the maximum size; it may carry warnings. */
  FITS("Fits"),
  /** A readable one-page PDF that is too wide or too tall for the wall. */
  TOO_LARGE("Too large"),
  /** Not a usable poster PDF at all: not a PDF, damaged, encrypted, several pages, scripts. */
  NOT_ACCEPTABLE("Not acceptable");

  private final String label;

  PosterVerdict(String label) {
    this.label = label;
  }

  /** The verdict in words for presenters, e.g. "Recommended size". */
  public String label() {
    return label;
  }

  /** True when the poster can be hung as it is. */
  public boolean accepted() {
    return this == RECOMMENDED_SIZE || this == FITS;
  }
}
